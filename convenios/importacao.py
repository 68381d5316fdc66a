"""Carga de convenentes (espelho local do CAGEC) a partir de CSV: tudo ou nada, idempotente."""

from django.core.exceptions import ValidationError
from django.db import transaction

from emendas.importacao import ErroImportacao, ErroLinha, Resultado, ler_csv

from .cnpj import normalizar_cnpj
from .models import Convenente

CABECALHO = ["cnpj", "razao_social", "municipio", "tipo"]


def importar_convenentes(*, conteudo: bytes) -> Resultado:
    linhas = ler_csv(conteudo, CABECALHO)
    erros, validas, vistos = [], [], {}
    for numero, l in linhas:
        try:
            cnpj = normalizar_cnpj(l["cnpj"])
        except ValidationError as exc:
            erros.append(ErroLinha(numero, "cnpj", exc.messages[0]))
            continue
        if cnpj in vistos:
            erros.append(ErroLinha(numero, "cnpj", f"CNPJ repetido (já na linha {vistos[cnpj]})."))
        vistos.setdefault(cnpj, numero)
        for campo in ("razao_social", "municipio"):
            if not l[campo]:
                erros.append(ErroLinha(numero, campo, "campo obrigatório vazio."))
        tipo = l["tipo"].upper()
        if tipo not in Convenente.Tipo.values:
            erros.append(ErroLinha(numero, "tipo", f"use {', '.join(Convenente.Tipo.values)} (veio “{l['tipo']}”)."))
        validas.append((cnpj, l["razao_social"], l["municipio"], tipo))
    if erros:
        raise ErroImportacao(erros)
    resultado = Resultado(linhas=len(linhas))
    with transaction.atomic():
        existentes = {c.cnpj: c for c in Convenente.objects.filter(cnpj__in=[v[0] for v in validas])}
        for cnpj, razao, municipio, tipo in validas:
            atual = existentes.get(cnpj)
            if atual is None:
                Convenente.objects.create(cnpj=cnpj, razao_social=razao, municipio=municipio, tipo=tipo)
                resultado.criados["convenentes"] += 1
            elif (atual.razao_social, atual.municipio, atual.tipo) != (razao, municipio, tipo):
                atual.razao_social, atual.municipio, atual.tipo = razao, municipio, tipo
                atual.save(update_fields=["razao_social", "municipio", "tipo"])
                resultado.atualizados["convenentes"] += 1
    return resultado
