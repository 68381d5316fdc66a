"""Leituras do controle de execução: a lista do órgão, a execução de uma indicação e o resumo do painel."""

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from sigcon.dinheiro import ZERO

from ..models import ExecucaoIndicacao, Indicacao, RegistroExecucao
from ..selectors import indicacoes_com_detalhes
from ..visibilidade import filtro_indicacoes_visiveis


def aprovadas_visiveis(usuario):
    """As indicações aprovadas que *usuario* vê (a SEGOV todas, o órgão as das suas UOs), com a execução."""
    return (indicacoes_com_detalhes().select_related("execucao")
            .filter(filtro_indicacoes_visiveis(usuario), status=Indicacao.Status.APROVADA)
            .order_by("-exercicio__ano", "numero"))


def aprovadas_dos_incisos(incisos: list[int]):
    """As aprovadas de *incisos* (ids que quem chama já sabe visíveis: os do painel), com a execução."""
    return (indicacoes_com_detalhes().select_related("execucao")
            .filter(inciso_id__in=incisos, status=Indicacao.Status.APROVADA).order_by("numero"))


def execucao_da_indicacao(indicacao) -> ExecucaoIndicacao | None:
    return (ExecucaoIndicacao.objects.select_related("categoria_impedimento", "impedido_por", "atualizada_por")
            .filter(indicacao_id=indicacao.pk).first())


def historico(execucao):
    if execucao is None:
        return RegistroExecucao.objects.none()
    return execucao.registros.select_related("usuario").order_by("-momento", "-pk")


def resumo_do_titular(indicacoes):
    """Σ indicado, utilizado, pago e impedido das indicações aprovadas de *indicacoes* (uma consulta)."""
    zero = Value(ZERO)
    return indicacoes.filter(status=Indicacao.Status.APROVADA).aggregate(
        n=Count("pk"), indicado=Coalesce(Sum("valor"), zero),
        com_execucao=Count("execucao"), utilizado=Coalesce(Sum("execucao__utilizado"), zero),
        pago=Coalesce(Sum("execucao__pago"), zero), impedido=Coalesce(Sum("execucao__valor_impedido"), zero),
        impedidas=Count("execucao", filter=Q(execucao__impedido_em__isnull=False)),
    )
