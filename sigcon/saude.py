"""``/saude/``: o balanceador e os health checks do compose perguntam se esta réplica pode atender.

Sem login, sem sessão, sem cache. 200 quando o banco (e o broker e o cache compartilhado, quando configurados)
respondem; 503 dizendo o que está fora. Não mostra mensagens de erro nem endereços: só o nome de cada parte.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)
TEMPO_LIMITE = 2  # segundos por verificação: o health check do compose desiste em 5


def _banco() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> str:
    from sigcon.celery import app

    if app.conf.task_always_eager:
        return "não usado (tarefas rodam na hora)"
    with app.connection_for_write() as conexao:
        conexao.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TEMPO_LIMITE)
    return "ok"


def _cache() -> str:
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return "no banco"
    cache.get("sigcon-saude")
    return "ok"


VERIFICACOES = {"banco": _banco, "broker": _broker, "cache": _cache}


@never_cache
@require_safe
def saude(request):
    partes, fora = {}, []
    for nome, verificar in VERIFICACOES.items():
        inicio = time.monotonic()
        try:
            estado = verificar() or "ok"
        except Exception:
            log.warning("Verificação de saúde: %s não respondeu.", nome, exc_info=True)
            estado = "fora do ar"
            fora.append(nome)
        partes[nome] = {"status": estado, "ms": round((time.monotonic() - inicio) * 1000, 1)}
    if "banco" in fora:
        # A conexão quebrada não fica para a próxima requisição desta thread.
        connections["default"].close_if_unusable_or_obsolete()
    corpo = {"status": "ok" if not fora else "indisponível", "fora_do_ar": fora, "partes": partes}
    return JsonResponse(corpo, status=503 if fora else 200, json_dumps_params={"ensure_ascii": False})
