"""Leituras do calendário: os prazos de cada exercício (duas consultas para todos), os do usuário e o que a SEGOV vê
da disponibilidade nos últimos dias de cada prazo."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from contas import perfis
from disponibilidade import selectors as disponibilidade

from .. import prazos
from ..models import Exercicio, JanelaOperacao, LinkCalendario, ProrrogacaoJanela
from . import agenda


def prazos_dos_exercicios(exercicios=None) -> list[tuple[Exercicio, list[agenda.Prazo]]]:
    """(exercício, prazos) de cada exercício (todos, do mais novo ao mais antigo, sem *exercicios*)."""
    exercicios = list(exercicios if exercicios is not None else Exercicio.objects.order_by("-ano"))
    janelas: dict[int, dict] = {e.pk: {} for e in exercicios}
    for j in JanelaOperacao.objects.filter(exercicio__in=exercicios):
        janelas[j.exercicio_id][(j.trilha, j.tipo)] = (j.inicio, j.fim)
    return [(e, agenda.prazos_do_exercicio(e, janelas[e.pk])) for e in exercicios]


def prazos_do_usuario(usuario, exercicios=None) -> list[tuple[Exercicio, list[agenda.Prazo]]]:
    """Só os prazos que interessam aos perfis do *usuario* (o .ics e a tela "Meu calendário")."""
    meus = perfis.perfis_do_usuario(usuario)
    return [(e, agenda.prazos_para(meus, ps)) for e, ps in prazos_dos_exercicios(exercicios)]


def link_ativo(usuario) -> LinkCalendario | None:
    return LinkCalendario.objects.filter(usuario=usuario, revogado_em__isnull=True).first()


def _inicio_do_dia(dia: date) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time.min))


@dataclass(frozen=True)
class PrazoComQuedas:
    prazo: agenda.Prazo
    desde: date  # o primeiro dos últimos dias contados
    minutos: disponibilidade.MinutosFora
    situacao: dict  # prazos.situacao_janela: aberta / futura / encerrada


def prazos_com_quedas(exercicio, dia: date) -> list[PrazoComQuedas]:
    """Cada prazo do exercício com os minutos de queda (app, CAGEC, SIAFI-MG) nos seus últimos dias (até hoje): o
    que a SEGOV olha para decidir uma prorrogação. Três consultas para o exercício inteiro."""
    ((_, todos),) = prazos_dos_exercicios([exercicio])
    dias_finais = max(1, getattr(settings, "SIGCON_DIAS_FINAIS_DA_JANELA", 5))
    um = timedelta(days=1)
    intervalos = [(p, max(p.inicio, p.fim - timedelta(days=dias_finais - 1))) for p in todos]
    if not intervalos:
        return []
    registros = disponibilidade.carregar(_inicio_do_dia(min(d for _, d in intervalos)),
                                         _inicio_do_dia(max(p.fim for p in todos) + um))
    return [
        PrazoComQuedas(p, desde, disponibilidade.minutos_fora(registros, _inicio_do_dia(desde),
                                                              _inicio_do_dia(p.fim + um)),
                       prazos.situacao_janela(p.inicio, p.fim, dia))
        for p, desde in intervalos
    ]


def prorrogacoes(exercicio):
    return ProrrogacaoJanela.objects.filter(exercicio=exercicio).select_related("usuario")
