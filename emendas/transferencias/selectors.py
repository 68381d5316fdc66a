"""Leituras de "Transferências Especiais": as indicações aprovadas dessa forma (com ou sem cadastro), de quem as vê
(``emendas.visibilidade.filtro_transferencias_visiveis``)."""

from django.db.models import Q
from django.http import Http404

from ..models import Indicacao, TransferenciaEspecial
from ..visibilidade import filtro_transferencias_visiveis

FORMA = Indicacao.FormaExecucao.TRANSFERENCIA_ESPECIAL
ORDEM = ("-numero", "-pk")


def indicacoes_visiveis(usuario):
    """As indicações de transferência especial aprovadas (e as que já têm transferência, mesmo se reprovadas
    depois), que *usuario* vê."""
    return Indicacao.objects.filter(
        Q(status=Indicacao.Status.APROVADA) | Q(transferencia_especial__isnull=False),
        filtro_transferencias_visiveis(usuario), forma_execucao=FORMA,
    )


def para_a_lista(qs):
    """As linhas de uma página, com o que a tabela mostra (sem consulta por linha)."""
    return qs.select_related("exercicio", "beneficiario", "inciso__acao__uo", "inciso__emenda__parlamentar",
                             "inciso__emenda__bloco", "transferencia_especial").order_by(*ORDEM)


def indicacao_para_usuario(usuario, pk: int) -> Indicacao:
    """A indicação (com a transferência, se houver), ou 404 para quem não a vê (não revela que existe)."""
    ind = para_a_lista(indicacoes_visiveis(usuario).filter(pk=pk)).select_related(
        "transferencia_especial__cadastrada_por", "transferencia_especial__enviada_por",
        "transferencia_especial__encerrada_por").first()
    if ind is None:
        raise Http404("Transferência especial não encontrada.")
    return ind


def visiveis_por_ids(usuario, ids):
    """As marcadas numa lista que o usuário vê (ids forjados de outras UOs ficam de fora)."""
    return para_a_lista(indicacoes_visiveis(usuario).filter(pk__in=ids))


def historico(te: TransferenciaEspecial | None):
    return te.registros.select_related("usuario") if te is not None else []
