"""Leituras das telas de remanejamento (as comuns a relatórios e painéis ficam em emendas/selectors.py)."""

from django.db.models import Prefetch

from ..models import Acao, Inciso, Remanejamento
from ..paineis import linhas_de_incisos
from ..visibilidade import filtro_incisos_remanejaveis


def com_rotulos(qs, *, com_inciso_gerado: bool = False):
    """Os pedidos de *qs* para uma lista paginada: a página sai sem junções (ordem e LIMIT pelo índice), e titular,
    inciso, ações e grupos vêm depois, em consultas pequenas pelos ids da página — uma consulta de 11 tabelas
    gastava mais tempo planejando do que executando (issue 13; bench/EXPLAIN_paginas.md)."""
    acoes = Acao.objects.select_related("uo")
    lookups = [
        Prefetch("inciso_origem", queryset=Inciso.objects.select_related("exercicio", "emenda__parlamentar",
                                                                         "emenda__bloco")),
        Prefetch("inciso_origem__acao", queryset=acoes), "inciso_origem__grupo_despesa",
        Prefetch("acao", queryset=acoes), "grupo_despesa",
    ]
    if com_inciso_gerado:
        lookups.append(Prefetch("inciso_gerado", queryset=Inciso.objects.only("numero")))
    return qs.select_related(None).prefetch_related(*lookups)


def incisos_remanejaveis(usuario, exercicio) -> list[dict]:
    """As linhas (``paineis.linhas_de_incisos``) dos incisos em que *usuario* pode pedir remanejamento."""
    return linhas_de_incisos(Inciso.objects.filter(filtro_incisos_remanejaveis(usuario), exercicio=exercicio)
                             .order_by("acao__uo__codigo", "emenda__numero", "numero"))


def pedidos_dos_incisos(ids, *, limite: int = 200):
    """Os pedidos dos incisos *ids*, os mais recentes primeiro (no mesmo instante, o último pedido antes)."""
    qs = Remanejamento.objects.filter(inciso_origem__in=ids).order_by("-solicitado_em", "-pk")
    return com_rotulos(qs, com_inciso_gerado=True)[:limite]


def historico(remanejamento: Remanejamento):
    return remanejamento.registros.select_related("usuario")


def remanejamentos_por_ids(ids):
    """Os pedidos marcados numa fila da SEGOV (que vê todos), na ordem em que serão decididos."""
    return Remanejamento.objects.filter(pk__in=ids).order_by("pk")


def uos_das_linhas(linhas) -> list[dict]:
    """As UOs das *linhas* de incisos, sem repetição, por código."""
    uos = {}
    for l in linhas:
        uos.setdefault(l["uo_id"], {"pk": l["uo_id"], "codigo": l["uo_codigo"], "nome": l["uo_nome"]})
    return sorted(uos.values(), key=lambda u: u["codigo"])
