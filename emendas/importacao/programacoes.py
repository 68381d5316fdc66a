"""Carga do anexo de programações elegíveis (o que recebe remanejamento) a partir de CSV."""

from django.db import transaction

from ..models import Acao, Exercicio, ProgramacaoElegivel
from .leitura import (
    Cadastros, ErroImportacao, ErroLinha, Resultado, Simulacao, com_origem, conferir_obrigatorios, conferir_tamanhos,
    ler_csv, limites_cadastros, registrar_importacao,
)

CABECALHO_PROGRAMACOES = [
    "uo", "uo_nome", "acao", "acao_nome", "grupo_despesa", "grupo_nome",
    "area", "recebe_remanejamento", "destino_livre",
]


def _sim_nao(valor: str) -> bool | None:
    return {"S": True, "N": False}.get(valor.strip().upper())


def importar_programacoes(*, conteudo: bytes, ano: int, simular: bool = False,
                          origem: dict | None = None) -> Resultado:
    """*origem*: como em ``importar_loa``."""
    linhas = ler_csv(conteudo, CABECALHO_PROGRAMACOES)
    erros: list[ErroLinha] = []
    exercicio = Exercicio.objects.filter(ano=ano).first()
    if exercicio is None:
        raise ErroImportacao([ErroLinha(0, "ano", f"o exercício {ano} não existe; importe a LOA primeiro.")])
    vistas: dict[tuple, int] = {}
    limites = limites_cadastros()
    for numero, l in linhas:
        if not conferir_obrigatorios(numero, l, CABECALHO_PROGRAMACOES, erros) or not conferir_tamanhos(numero, l, limites, erros):
            continue
        l["area"] = l["area"].upper()
        if l["area"] not in Acao.Area.values:
            erros.append(ErroLinha(numero, "area", f"use SAUDE, EDUCACAO, IAG1 ou OUTRA (veio “{l['area']}”)."))
        for campo in ("recebe_remanejamento", "destino_livre"):
            if _sim_nao(l[campo]) is None:
                erros.append(ErroLinha(numero, campo, f"use S ou N (veio “{l[campo]}”)."))
        chave = (l["uo"], l["acao"], l["grupo_despesa"])
        if chave in vistas:
            erros.append(ErroLinha(numero, "", f"programação repetida (já na linha {vistas[chave]})."))
        vistas.setdefault(chave, numero)
    if erros:
        raise ErroImportacao(erros)

    resultado = Resultado(linhas=len(linhas), simulado=simular, amostra=[l for _, l in linhas[:20]])
    try:
        with transaction.atomic():
            cad = Cadastros(resultado)
            existentes = {
                (p.acao_id, p.grupo_despesa_id): p for p in ProgramacaoElegivel.objects.filter(exercicio=exercicio)
            }
            for _, l in linhas:
                uo = cad.uo(l["uo"], l["uo_nome"])
                acao = cad.acao(
                    uo, l["acao"], l["acao_nome"], area=l["area"], destino_livre=_sim_nao(l["destino_livre"])
                )
                grupo = cad.grupo(l["grupo_despesa"], l["grupo_nome"])
                recebe = _sim_nao(l["recebe_remanejamento"])
                prog = existentes.get((acao.pk, grupo.pk))
                if prog is None:
                    existentes[(acao.pk, grupo.pk)] = ProgramacaoElegivel.objects.create(
                        exercicio=exercicio, acao=acao, grupo_despesa=grupo, recebe_remanejamento=recebe
                    )
                    resultado.criados["programações"] += 1
                elif prog.recebe_remanejamento != recebe:
                    prog.recebe_remanejamento = recebe
                    prog.save(update_fields=["recebe_remanejamento"])
                    resultado.atualizados["programações"] += 1
            if simular:
                raise Simulacao
            registrar_importacao("importacao.programacoes", resultado, objeto=exercicio, **com_origem(origem))
    except Simulacao:
        pass
    return resultado
