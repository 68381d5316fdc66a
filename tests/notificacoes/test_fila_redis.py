"""Com broker configurado, as tarefas saem mesmo pelo Redis: nada roda escondido no processo do teste."""

import os

import pytest
from django.db import transaction
from kombu import Queue

from notificacoes import services
from notificacoes.models import EmailPendente
from sigcon.celery import app


def _mensagens(fila: str) -> list:
    """Tira da fila (sem devolver) tudo o que está lá: a fila é só desta execução e ninguém a consome."""
    with app.connection_for_read() as conexao:
        q = Queue(fila).bind(conexao.default_channel)
        mensagens = []
        while (m := q.get(no_ack=True)) is not None:
            mensagens.append(m)
    return mensagens


@pytest.mark.django_db(transaction=True)
def test_com_broker_o_commit_publica_o_envio_na_fila_do_redis(fila_celery_da_sessao):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("sem CELERY_BROKER_URL as tarefas rodam na hora, sem fila (defina-a para um Redis)")
    assert not app.conf.task_always_eager and fila_celery_da_sessao
    _mensagens(fila_celery_da_sessao)  # o que outros testes publicaram antes não interessa aqui

    with transaction.atomic():
        email = services.enfileirar_email(assunto="Pelo Redis", corpo="ok", destinatarios=["a@b.test"])
        assert _mensagens(fila_celery_da_sessao) == []  # antes do commit nada é publicado

    publicadas = _mensagens(fila_celery_da_sessao)
    assert [(m.headers["task"], m.payload[0]) for m in publicadas] == [("notificacoes.tasks.enviar_email", [email.pk])]
    # Ninguém executou a tarefa no processo do teste: o e-mail espera o worker.
    email.refresh_from_db()
    assert email.status == EmailPendente.Status.PENDENTE and email.tentativas == 0
