"""Carga de convenentes (espelho local do CAGEC) e de escolas (caixas escolares) a partir de CSV:
tudo ou nada, idempotente, cada erro com a linha e o campo."""

from django.core.exceptions import ValidationError
from django.db import transaction

from emendas.importacao import ErroImportacao, ErroLinha, Resultado, ler_csv, registrar_importacao

from .cnpj import normalizar_cnpj
from .models import Convenente

CABECALHO = ["cnpj", "razao_social", "municipio", "tipo"]
CABECALHO_ESCOLAS = ["codigo_escola", "cnpj", "razao_social", "municipio"]


def _conferir_textos(numero: int, linha: dict, campos, erros: list) -> None:
    """Obrigatórios e tamanhos dos campos de texto, com o limite do banco na mensagem."""
    for campo in campos:
        valor = linha[campo]
        limite = Convenente._meta.get_field(campo).max_length
        if not valor:
            erros.append(ErroLinha(numero, campo, "campo obrigatório vazio."))
        elif len(valor) > limite:
            erros.append(ErroLinha(numero, campo, f"no máximo {limite} caracteres (veio com {len(valor)})."))


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
        _conferir_textos(numero, l, ("razao_social", "municipio"), erros)
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
        registrar_importacao("importacao.convenentes", resultado)
    return resultado


# Tipos que a carga de escolas pode reclassificar como caixa escolar: o padrão (tipo ainda não informado)
# e a própria caixa escolar. Um CNPJ já cadastrado como prefeitura, OSC etc. é um conflito a resolver no
# cadastro, não algo que a carga de escolas deva trocar calada.
_RECLASSIFICAVEIS = (Convenente.Tipo.OUTRO, Convenente.Tipo.CAIXA_ESCOLAR)


def importar_escolas(*, conteudo: bytes) -> Resultado:
    """Caixas escolares (código da escola + CNPJ): cria ou atualiza pelo CNPJ; o código é único."""
    linhas = ler_csv(conteudo, CABECALHO_ESCOLAS)
    erros, validas, cnpjs, codigos = [], [], {}, {}
    for numero, l in linhas:
        _conferir_textos(numero, l, ("codigo_escola", "razao_social", "municipio"), erros)
        codigo = l["codigo_escola"]
        if codigo in codigos:
            erros.append(ErroLinha(numero, "codigo_escola", f"código repetido (já na linha {codigos[codigo]})."))
        codigos.setdefault(codigo, numero)
        try:
            cnpj = normalizar_cnpj(l["cnpj"])
        except ValidationError as exc:
            erros.append(ErroLinha(numero, "cnpj", exc.messages[0]))
            continue
        if cnpj in cnpjs:
            erros.append(ErroLinha(numero, "cnpj", f"CNPJ repetido (já na linha {cnpjs[cnpj]})."))
        cnpjs.setdefault(cnpj, numero)
        validas.append((numero, codigo, cnpj, l["razao_social"], l["municipio"]))
    if erros:
        raise ErroImportacao(erros)
    resultado = Resultado(linhas=len(linhas))
    with transaction.atomic():
        # Trava os cadastros tocados: duas cargas simultâneas não podem dar o mesmo código a CNPJs diferentes.
        por_cnpj = {c.cnpj: c for c in Convenente.objects.select_for_update().filter(cnpj__in=list(cnpjs))}
        por_codigo = {c.codigo_escola: c for c in Convenente.objects.select_for_update().filter(
            codigo_escola__in=list(codigos))}
        for numero, codigo, cnpj, _, _ in validas:
            atual = por_cnpj.get(cnpj)
            if atual is not None and atual.tipo not in _RECLASSIFICAVEIS:
                erros.append(ErroLinha(numero, "cnpj", (
                    f"o CNPJ já está cadastrado como “{atual.get_tipo_display()}” ({atual.razao_social}); "
                    "corrija o cadastro do convenente antes de importá-lo como caixa escolar.")))
            dono = por_codigo.get(codigo)
            if dono is not None and dono.cnpj != cnpj:
                erros.append(ErroLinha(numero, "codigo_escola", (
                    f"o código {codigo} já pertence a {dono.razao_social} (CNPJ {dono.cnpj_formatado}).")))
        if erros:
            raise ErroImportacao(erros)
        novos = {"tipo": Convenente.Tipo.CAIXA_ESCOLAR}
        for _, codigo, cnpj, razao, municipio in validas:
            atual = por_cnpj.get(cnpj)
            if atual is None:
                Convenente.objects.create(cnpj=cnpj, codigo_escola=codigo, razao_social=razao, municipio=municipio,
                                          **novos)
                resultado.criados["escolas"] += 1
                continue
            campos = {"codigo_escola": codigo, "razao_social": razao, "municipio": municipio, **novos}
            mudados = [c for c, v in campos.items() if getattr(atual, c) != v]
            if mudados:
                for c in mudados:
                    setattr(atual, c, campos[c])
                atual.save(update_fields=mudados)
                resultado.atualizados["escolas"] += 1
        registrar_importacao("importacao.escolas", resultado)
    return resultado
