"""Gravar a disponibilidade: o batimento do app e as quedas (e voltas) do CAGEC e do SIAFI-MG.

Chamado pela tarefa periódica (``disponibilidade.tasks.bater``) e pelos adaptadores de ``integracoes`` (a consulta
que falhou ou respondeu, o disjuntor que abriu ou fechou). Nada aqui lança erro para quem chamou: registrar a queda
nunca pode derrubar a consulta que a observou.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from .models import PeriodoNoAr, QuedaIntegracao

log = logging.getLogger(__name__)


def tolerancia() -> timedelta:
    """A maior falta entre dois batimentos que ainda conta como "no ar" (o beat bate a cada minuto)."""
    return timedelta(seconds=getattr(settings, "SIGCON_BATIMENTO_TOLERANCIA_SEGUNDOS", 180))


def _marca(sistema: str) -> str:
    return f"disponibilidade:queda-aberta:{sistema}"


def registrar_batimento(*, agora=None) -> PeriodoNoAr:
    """O app está de pé agora: estica o trecho aberto ou, depois de uma falta maior que a tolerância, abre outro."""
    agora = agora or timezone.now()
    with transaction.atomic():
        # Trava o último trecho: dois beats ao mesmo tempo (duas réplicas por engano) não abrem dois trechos.
        ultimo = PeriodoNoAr.objects.select_for_update().order_by("-ultimo_batimento").first()
        if ultimo is not None and agora <= ultimo.ultimo_batimento:
            return ultimo  # batimento repetido (ou relógio atrasado): nada a mais
        if ultimo is not None and agora - ultimo.ultimo_batimento <= tolerancia():
            ultimo.ultimo_batimento = agora
            ultimo.batimentos += 1
            ultimo.save(update_fields=["ultimo_batimento", "batimentos"])
            return ultimo
        return PeriodoNoAr.objects.create(inicio=agora, ultimo_batimento=agora)


def registrar_queda(*, sistema: str, detalhe: str = "", disjuntor: bool = False, agora=None) -> QuedaIntegracao | None:
    """O *sistema* não respondeu (ou o disjuntor abriu): abre a queda, se ainda não houver uma aberta."""
    agora = agora or timezone.now()
    try:
        with transaction.atomic():
            queda = QuedaIntegracao.objects.select_for_update().filter(sistema=sistema, fim__isnull=True).first()
            if queda is None:
                try:
                    with transaction.atomic():
                        queda = QuedaIntegracao.objects.create(sistema=sistema, inicio=agora, detalhe=detalhe[:250],
                                                               disjuntor_aberto_em=agora if disjuntor else None)
                except IntegrityError:  # outro processo abriu a mesma queda entre a leitura e o INSERT
                    queda = QuedaIntegracao.objects.select_for_update().get(sistema=sistema, fim__isnull=True)
            if disjuntor and queda.disjuntor_aberto_em is None:
                queda.disjuntor_aberto_em = agora
                queda.save(update_fields=["disjuntor_aberto_em"])
    except DatabaseError:
        log.warning("Não foi possível registrar a queda do %s.", sistema, exc_info=True)
        return None
    cache.set(_marca(sistema), True, None)
    return queda


def registrar_retorno(*, sistema: str, disjuntor: bool = False, agora=None) -> int:
    """O *sistema* respondeu (ou o disjuntor fechou): fecha a queda aberta. Devolve quantas fechou (0 ou 1).

    Toda consulta boa chama aqui; só vai ao banco quando alguém marcou uma queda aberta no cache (compartilhado
    entre os processos quando há Redis) ou quando é o disjuntor que fechou.
    """
    if not disjuntor and not cache.get(_marca(sistema)):
        return 0
    agora = agora or timezone.now()
    campos = {"fim": agora, **({"disjuntor_fechado_em": agora} if disjuntor else {})}
    try:
        fechadas = QuedaIntegracao.objects.filter(sistema=sistema, fim__isnull=True, inicio__lte=agora).update(**campos)
    except DatabaseError:
        log.warning("Não foi possível registrar a volta do %s.", sistema, exc_info=True)
        return 0
    cache.delete(_marca(sistema))
    return fechadas
