"""Leituras das telas de remanejamento (as comuns a relatórios e painéis ficam em emendas/selectors.py)."""

from ..models import Remanejamento
from ..selectors import remanejamentos_com_detalhes


def pedidos_dos_incisos(incisos, *, limite: int = 200):
    """Os pedidos (com detalhes) dos *incisos*, os mais recentes primeiro (ordem do modelo)."""
    return remanejamentos_com_detalhes().filter(inciso_origem__in=[i.pk for i in incisos])[:limite]


def historico(remanejamento: Remanejamento):
    return remanejamento.registros.select_related("usuario")


def remanejamentos_por_ids(ids):
    """Os pedidos marcados numa fila da SEGOV (que vê todos), na ordem em que serão decididos."""
    return Remanejamento.objects.filter(pk__in=ids).order_by("pk")


def uos_dos_incisos(incisos) -> list:
    """As UOs dos *incisos* (já com ``acao__uo``), sem repetição, por código."""
    uos = {}
    for i in incisos:
        uos.setdefault(i.acao.uo_id, i.acao.uo)
    return sorted(uos.values(), key=lambda u: u.codigo)
