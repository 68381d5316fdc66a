"""Ler a disponibilidade: minutos de queda (do app, do CAGEC, do SIAFI-MG) em intervalos de tempo.

``carregar`` lê uma vez o que cobre um intervalo grande (duas consultas); ``minutos_fora`` é puro e calcula cada
intervalo pedido dentro dele (a tela da SEGOV pede os últimos dias de cada janela sem uma consulta por janela).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import PeriodoNoAr, QuedaIntegracao
from .services import tolerancia

SISTEMAS = tuple(QuedaIntegracao.Sistema.values)


@dataclass(frozen=True)
class Registros:
    periodos: tuple  # ((inicio, fim_coberto), ...) do app, em ordem
    quedas: dict  # sistema → ((inicio, fim_ou_None), ...)
    primeiro_batimento: datetime | None
    agora: datetime


@dataclass(frozen=True)
class MinutosFora:
    app: int | None  # None: o app ainda não tinha batimento registrado no intervalo (não dá para dizer)
    por_sistema: dict  # "CAGEC"/"SIAFI" → minutos

    @property
    def cagec(self) -> int:
        return self.por_sistema.get("CAGEC", 0)

    @property
    def siafi(self) -> int:
        return self.por_sistema.get("SIAFI", 0)


def carregar(inicio: datetime, fim: datetime, *, agora=None) -> Registros:
    """Os trechos no ar e as quedas que tocam [inicio, fim) (duas consultas, mais uma para o primeiro batimento)."""
    agora = agora or timezone.now()
    folga = tolerancia()
    periodos = tuple(
        (p.inicio, p.ultimo_batimento + folga)
        for p in PeriodoNoAr.objects.filter(inicio__lt=fim, ultimo_batimento__gte=inicio - folga).order_by("inicio")
    )
    quedas: dict[str, list] = {s: [] for s in SISTEMAS}
    for q in QuedaIntegracao.objects.filter(Q(fim__isnull=True) | Q(fim__gt=inicio), inicio__lt=fim).order_by("inicio"):
        quedas[q.sistema].append((q.inicio, q.fim))
    primeiro = PeriodoNoAr.objects.order_by("inicio").values_list("inicio", flat=True).first()
    return Registros(periodos, {s: tuple(v) for s, v in quedas.items()}, primeiro, agora)


def _sobreposicao(a0, a1, b0, b1) -> timedelta:
    inicio, fim = max(a0, b0), min(a1, b1)
    return fim - inicio if fim > inicio else timedelta(0)


def _minutos(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def minutos_fora(registros: Registros, inicio: datetime, fim: datetime) -> MinutosFora:
    """Minutos de queda em [inicio, fim), contados só até agora. O app conta o tempo sem batimento a partir do
    primeiro batimento registrado (antes dele não há como saber); as quedas do CAGEC e do SIAFI-MG em aberto contam
    até agora."""
    fim = min(fim, registros.agora)
    if fim <= inicio:
        return MinutosFora(0 if registros.primeiro_batimento else None, {s: 0 for s in SISTEMAS})
    por_sistema = {
        s: _minutos(sum((_sobreposicao(q0, q1 or registros.agora, inicio, fim) for q0, q1 in quedas), timedelta(0)))
        for s, quedas in registros.quedas.items()
    }
    if registros.primeiro_batimento is None or registros.primeiro_batimento >= fim:
        return MinutosFora(None, por_sistema)
    desde = max(inicio, registros.primeiro_batimento)
    coberto, cursor = timedelta(0), desde
    for p0, p1 in registros.periodos:  # em ordem de início: soma a união dos trechos dentro de [desde, fim)
        p0 = max(p0, cursor)
        if p1 > p0:
            coberto += _sobreposicao(p0, p1, desde, fim)
            cursor = max(cursor, min(p1, fim))
    return MinutosFora(_minutos((fim - desde) - coberto), por_sistema)
