"""E-mail saindo por um worker Celery de verdade, com Redis como broker e o PostgreSQL de teste."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from notificacoes import services
from notificacoes.models import EmailPendente
from sigcon.celery import app
from tests.conftest import apagar_fila_celery, reiniciar_pools_celery

# O mesmo Redis que o processo do teste usa para publicar (CELERY_BROKER_URL vale sobre a configuração).
REDIS = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
RAIZ = Path(__file__).resolve().parents[2]


def _redis_no_ar() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_worker_celery_envia_o_email_da_caixa_de_saida():
    if connection.vendor != "postgresql":
        pytest.skip("o worker precisa ver o mesmo banco: rode com DATABASE_URL no PostgreSQL")
    if not _redis_no_ar():
        pytest.skip(f"Redis não responde em {REDIS}")
    s = connection.settings_dict
    url_banco = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url_banco, "CELERY_BROKER_URL": REDIS, "DJANGO_SETTINGS_MODULE": "sigcon.settings"}
    # Fila só deste teste: outra execução da suíte na mesma máquina (e no mesmo Redis) não rouba a tarefa.
    fila = f"sigcon-teste-{uuid.uuid4().hex[:12]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sigcon", "worker", "--pool=solo", "-l", "warning", "-Q", fila,
         "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=RAIZ, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    antigo = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=REDIS, task_default_queue=fila)
    reiniciar_pools_celery()
    try:
        with transaction.atomic():
            email = services.enfileirar_email(assunto="Pelo worker", corpo="ok", destinatarios=["a@b.test"])
        prazo = time.monotonic() + 60
        while time.monotonic() < prazo:
            email.refresh_from_db()
            if email.status == EmailPendente.Status.ENVIADO:
                break
            time.sleep(0.3)
        assert email.status == EmailPendente.Status.ENVIADO and email.tentativas == 1
    finally:
        worker.terminate()
        try:
            saida, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            saida, _ = worker.communicate()
        apagar_fila_celery(fila)  # ainda com o broker do teste
        app.conf.update(antigo)
        reiniciar_pools_celery()
    assert b"Traceback" not in saida, saida.decode(errors="replace")[-2000:]
