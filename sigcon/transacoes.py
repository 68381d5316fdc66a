"""Transações com nova tentativa para falhas de serialização e deadlock do PostgreSQL.

A ordem global das travas (``emendas/travas.py``) é o que evita deadlocks; esta camada é só a rede de
segurança: se o PostgreSQL ainda assim abortar a transação (40001 serialization_failure, 40P01
deadlock_detected), a função inteira roda de novo, algumas vezes, e cada nova tentativa é contada e
registrada no log. Os testes de concorrência exigem zero novas tentativas.
"""

import functools
import logging
import threading

from django.db import OperationalError, connection, transaction

log = logging.getLogger(__name__)

# Só estes. Trava esperada além do lock_timeout (55P03) e consulta cancelada pelo statement_timeout (57014) não
# são refeitas: outra tentativa esperaria o mesmo tempo de novo, e a pessoa deve saber logo que o registro está
# ocupado (sigcon.middleware.TempoLimiteDoBanco).
CODIGOS_RETENTAVEIS = {"40001", "40P01"}
TENTATIVAS = 3

_lock = threading.Lock()
_contagem = {"retentativas": 0}


def retentativas() -> int:
    """Quantas vezes, neste processo, uma transação foi refeita por deadlock ou serialização."""
    return _contagem["retentativas"]


def zerar_retentativas() -> None:
    with _lock:
        _contagem["retentativas"] = 0


def retentavel(exc: BaseException) -> bool:
    """*exc* é um deadlock ou falha de serialização do PostgreSQL (o que ``atomico`` refaz)?"""
    if not isinstance(exc, OperationalError):
        return False
    causa = exc.__cause__
    return getattr(causa, "sqlstate", None) in CODIGOS_RETENTAVEIS or getattr(causa, "pgcode", None) in CODIGOS_RETENTAVEIS


def atomico(funcao):
    """Roda *funcao* em ``transaction.atomic()``, refazendo-a em deadlock/serialização.

    Dentro de uma transação já aberta não há como refazer só um pedaço: a função roda uma vez e o erro sobe
    para quem abriu a transação de fora.
    """

    @functools.wraps(funcao)
    def envolvida(*args, **kwargs):
        if connection.in_atomic_block:
            with transaction.atomic():
                return funcao(*args, **kwargs)
        for tentativa in range(1, TENTATIVAS + 1):
            try:
                with transaction.atomic():
                    return funcao(*args, **kwargs)
            except OperationalError as exc:
                if tentativa == TENTATIVAS or not retentavel(exc):
                    raise
                with _lock:
                    _contagem["retentativas"] += 1
                log.warning("transação refeita (%s, tentativa %d): %s", funcao.__qualname__, tentativa + 1, exc)
        raise AssertionError("inalcançável")

    return envolvida
