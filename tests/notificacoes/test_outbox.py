import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from notificacoes import services, tasks
from notificacoes.models import EmailPendente
from sigcon.celery import app
from tests.conftest import reiniciar_pools_celery


@pytest.mark.django_db
def test_email_sai_depois_do_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = services.enfileirar_email(assunto="Teste", corpo="Olá", destinatarios=["Ana@Almg.test", ""])
    assert mail.outbox == []  # nada sai antes do commit
    assert email.destinatarios == ["ana@almg.test"]
    for cb in callbacks:
        cb()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@almg.test"]
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.ENVIADO and email.enviado_em is not None


@pytest.mark.django_db
def test_transacao_desfeita_nao_envia_nada(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.enfileirar_email(assunto="X", corpo="Y", destinatarios=["a@b.test"])
                raise RuntimeError("falha depois de gravar")
        except RuntimeError:
            pass
    assert mail.outbox == [] and not EmailPendente.objects.exists()


@pytest.fixture
def broker_fora_do_ar():
    antigo = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "task_publish_retry", "broker_connection_timeout")}
    app.conf.update(
        task_always_eager=False, broker_url="redis://127.0.0.1:1/0", task_publish_retry=False, broker_connection_timeout=1
    )
    yield
    app.conf.update(antigo)
    reiniciar_pools_celery()


@pytest.mark.django_db
def test_broker_fora_do_ar_nao_perde_o_email_e_nao_envia_duas_vezes(broker_fora_do_ar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.enfileirar_email(assunto="Remanejamento", corpo="corpo", destinatarios=["segov@segov.test"])
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.PENDENTE and mail.outbox == []

    assert tasks.reenviar_pendentes() == 1  # a tarefa periódica envia depois
    assert len(mail.outbox) == 1
    assert tasks.reenviar_pendentes() == 0  # e não envia de novo
    assert services.enviar_pendente(email_id=email.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_falha_de_smtp_mantem_pendente_e_conta_tentativas(settings):
    settings.EMAIL_BACKEND = "tests.notificacoes.backend_quebrado.Backend"
    email = EmailPendente.objects.create(assunto="A", corpo="B", destinatarios=["x@y.test"])
    assert services.enviar_pendente(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.PENDENTE and email.tentativas == 1 and "SMTP caiu" in email.ultimo_erro
    for _ in range(services.MAX_TENTATIVAS):
        services.enviar_pendente(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.FALHOU


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_dois_workers_ao_mesmo_tempo_enviam_uma_vez_so():
    if connection.vendor != "postgresql":
        pytest.skip("trava de linha real só no PostgreSQL (defina DATABASE_URL)")
    email = EmailPendente.objects.create(assunto="A", corpo="B", destinatarios=["x@y.test"])
    barreira = threading.Barrier(4)
    resultados = []

    def worker():
        barreira.wait()
        try:
            resultados.append(services.enviar_pendente(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(resultados) == [False, False, False, True]
    assert len(mail.outbox) == 1
