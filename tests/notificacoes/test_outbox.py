"""Caixa de saída: reserva curta, envio fora de transação, marca curta; nunca duas vezes (até o limite do SMTP)."""

import os
import socket
import threading
import time
from datetime import datetime, timedelta, timezone as tz

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import DatabaseError, connection, transaction

from notificacoes import services, tasks
from notificacoes.models import EmailPendente
from tests.concorrencia import em_paralelo, so_no_postgres


class BackendQueConfere(BaseEmailBackend):
    """Backend de teste: no instante do envio anota se há transação aberta e, no PostgreSQL, se a linha
    do e-mail está travada, olhando de outra conexão (outra thread) com ``FOR UPDATE NOWAIT``."""

    vistos: list[dict] = []

    def send_messages(self, messages):
        for mensagem in messages:
            visto = {"em_transacao": connection.in_atomic_block}
            if connection.vendor == "postgresql":
                visto.update(_de_outra_conexao(mensagem.subject))
            self.vistos.append(visto)
        return len(messages)


def _de_outra_conexao(assunto: str) -> dict:
    visto = {}

    def olhar():
        try:
            with transaction.atomic():
                linha = EmailPendente.objects.select_for_update(nowait=True).get(assunto=assunto)
            visto.update(travada=False, status=linha.status)
        except DatabaseError as exc:  # NOWAIT: a linha está travada por outra transação
            visto.update(travada=True, erro=str(exc))
        finally:
            connection.close()

    t = threading.Thread(target=olhar)
    t.start()
    t.join(timeout=10)
    return visto


@pytest.fixture
def backend_que_confere(settings):
    settings.EMAIL_BACKEND = f"{__name__}.BackendQueConfere"
    BackendQueConfere.vistos = []
    yield BackendQueConfere.vistos


class BackendLento(LocmemBackend):
    """locmem que demora no envio, como um SMTP de verdade: os outros workers chegam durante o envio."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


@pytest.mark.django_db
def test_email_sai_depois_do_commit(celery_na_hora, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = services.enfileirar_email(assunto="Teste", corpo="Olá", destinatarios=["Ana@Almg.test", ""])
    assert mail.outbox == []  # nada sai antes do commit
    assert email.destinatarios == ["ana@almg.test"]
    for cb in callbacks:
        cb()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@almg.test"]
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.ENVIADO and email.enviado_em is not None
    assert email.tentativas == 1 and email.reservado_em is not None


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


@pytest.mark.django_db(transaction=True)
def test_durante_o_envio_nao_ha_transacao_aberta(backend_que_confere):
    email = EmailPendente.objects.create(assunto="Sem transação", corpo="B", destinatarios=["x@y.test"])
    assert services.enviar_pendente(email_id=email.pk) is True
    assert [v["em_transacao"] for v in backend_que_confere] == [False]
    assert not connection.in_atomic_block
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.ENVIADO and email.tentativas == 1


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_durante_o_envio_a_linha_esta_reservada_e_nao_travada(backend_que_confere):
    so_no_postgres()
    email = EmailPendente.objects.create(assunto="Sem trava", corpo="B", destinatarios=["x@y.test"])
    assert services.enviar_pendente(email_id=email.pk) is True
    # Outra conexão trava a linha na hora (NOWAIT) e já vê a reserva confirmada.
    assert backend_que_confere == [{"em_transacao": False, "travada": False, "status": "ENVIANDO"}]


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_dois_workers_ao_mesmo_tempo_enviam_uma_vez_so(settings):
    so_no_postgres()
    settings.EMAIL_BACKEND = f"{__name__}.BackendLento"
    email = EmailPendente.objects.create(assunto="A", corpo="B", destinatarios=["x@y.test"])

    def tarefa_do_commit():
        return services.enviar_pendente(email_id=email.pk)

    # Dois workers com a tarefa do commit (entrega repetida pelo broker) e dois com a periódica.
    resultados = em_paralelo([tarefa_do_commit, tarefa_do_commit, tasks.reenviar_pendentes, tasks.reenviar_pendentes])
    assert not [r for r in resultados if isinstance(r, Exception)], resultados
    assert sum(resultados) == 1
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.ENVIADO and email.tentativas == 1


@pytest.mark.django_db
def test_worker_que_cai_entre_reservar_e_marcar_so_e_reenviado_depois_da_reserva(settings):
    settings.SIGCON_EMAIL_RESERVA_MINUTOS = 15
    with time_machine.travel(datetime(2026, 11, 23, 13, 0, tzinfo=tz.utc), tick=False) as viagem:
        email = EmailPendente.objects.create(assunto="A", corpo="B", destinatarios=["x@y.test"])
        # O worker reserva e cai antes de enviar ou de marcar: o e-mail fica em ENVIANDO.
        assert services.reservar_email(email_id=email.pk) is not None
        email.refresh_from_db()
        assert email.status == EmailPendente.Status.ENVIANDO and email.tentativas == 1

        viagem.shift(timedelta(minutes=14, seconds=59))
        # Ainda pode ser um worker lento no meio do envio: ninguém mexe.
        assert tasks.reenviar_pendentes() == 0
        assert services.enviar_pendente(email_id=email.pk) is False
        assert mail.outbox == []

        viagem.shift(timedelta(seconds=2))
        # A tarefa do commit (entrega repetida) nunca retoma uma reserva; só a periódica, depois do prazo.
        assert services.enviar_pendente(email_id=email.pk) is False
        assert tasks.reenviar_pendentes() == 1
        assert len(mail.outbox) == 1
        email.refresh_from_db()
        assert email.status == EmailPendente.Status.ENVIADO and email.tentativas == 2
        assert tasks.reenviar_pendentes() == 0 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_falha_de_smtp_volta_para_pendente_com_o_erro_e_falha_depois_das_tentativas(settings):
    settings.EMAIL_BACKEND = "tests.notificacoes.backend_quebrado.Backend"
    email = EmailPendente.objects.create(assunto="A", corpo="B", destinatarios=["x@y.test"])
    assert services.enviar_pendente(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.PENDENTE and email.tentativas == 1
    assert email.ultimo_erro == "ConnectionError: SMTP caiu" and email.enviado_em is None
    for n in range(2, services.MAX_TENTATIVAS + 1):
        assert services.enviar_pendente(email_id=email.pk) is False
        email.refresh_from_db()
        esperado = EmailPendente.Status.FALHOU if n == services.MAX_TENTATIVAS else EmailPendente.Status.PENDENTE
        assert (email.status, email.tentativas) == (esperado, n)
    # Esgotado: nem a tarefa periódica tenta de novo.
    assert tasks.reenviar_pendentes() == 0
    email.refresh_from_db()
    assert email.tentativas == services.MAX_TENTATIVAS and "SMTP caiu" in email.ultimo_erro


@pytest.fixture
def smtp_mudo():
    """Servidor TCP em 127.0.0.1 que aceita a conexão e nunca responde (nem a saudação 220 do SMTP)."""
    servidor = socket.create_server(("127.0.0.1", 0))
    servidor.settimeout(0.2)
    parar = threading.Event()
    aceitas = []

    def aceitar():
        while not parar.is_set():
            try:
                conexao, _ = servidor.accept()
            except TimeoutError:
                continue
            aceitas.append(conexao)

    t = threading.Thread(target=aceitar, daemon=True)
    t.start()
    yield servidor.getsockname()[1], aceitas
    parar.set()
    t.join(timeout=5)
    for conexao in aceitas:
        conexao.close()
    servidor.close()


@pytest.mark.django_db(transaction=True)
def test_smtp_que_nao_responde_desiste_no_email_timeout(settings, smtp_mudo):
    porta, aceitas = smtp_mudo
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", porta, 1
    email = EmailPendente.objects.create(assunto="A", corpo="B", destinatarios=["x@y.test"])
    inicio = time.monotonic()
    assert services.enviar_pendente(email_id=email.pk) is False
    duracao = time.monotonic() - inicio
    assert len(aceitas) == 1  # chegou a conectar: quem parou a espera foi o EMAIL_TIMEOUT
    assert 0.9 <= duracao < 5, duracao
    assert not connection.in_atomic_block
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.PENDENTE and email.tentativas == 1
    assert "timed out" in email.ultimo_erro


def test_email_timeout_tem_padrao_de_10_segundos():
    from django.conf import settings

    if {"EMAIL_TIMEOUT", "SIGCON_EMAIL_RESERVA_MINUTOS"} & set(os.environ):
        pytest.skip("EMAIL_TIMEOUT ou SIGCON_EMAIL_RESERVA_MINUTOS definidos no ambiente: o padrão não vale")
    assert settings.EMAIL_TIMEOUT == 10 and settings.SIGCON_EMAIL_RESERVA_MINUTOS == 15
