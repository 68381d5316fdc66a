"""Caixa de saída: gravar um e-mail e agendar o envio para depois do commit.

O envio em si (reserva, SMTP, marca) fica em ``notificacoes.envio``, de que a tarefa depende; daqui só se agenda a
tarefa. Assim ``services`` → ``tasks`` → ``envio``, sem ciclo (antes ``services`` e ``tasks`` se importavam).
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from .envio import MAX_TENTATIVAS, enviar_pendente, ids_pendentes, reservar_email  # noqa: F401  (interface pública)
from .models import LINK_DE_SENHA_PRONTO, MARCA_LINK_SENHA, EmailPendente
from .tasks import enviar_email

log = logging.getLogger(__name__)


def enfileirar_email(*, assunto: str, corpo: str, destinatarios, chave: str | None = None,
                     link_senha_de=None) -> EmailPendente | None:
    """Grava o e-mail na caixa de saída e agenda o envio para depois do commit.

    Com *chave*, um segundo pedido com a mesma chave não cria outro e-mail. Um e-mail com link de definir
    senha traz ``MARCA_LINK_SENHA`` no corpo e o usuário em *link_senha_de*: o link (com o token) só é
    montado no envio, então nem o banco nem o admin da caixa de saída o mostram.
    """
    if LINK_DE_SENHA_PRONTO.search(corpo) or (MARCA_LINK_SENHA in corpo) != (link_senha_de is not None):
        raise ValueError("Link de senha: use MARCA_LINK_SENHA no corpo junto com link_senha_de (nunca o link).")
    destinatarios = sorted({d.strip().lower() for d in destinatarios if d and d.strip()})
    if not destinatarios:
        return None
    campos = {"assunto": assunto[:250], "corpo": corpo, "destinatarios": destinatarios, "link_senha_de": link_senha_de}
    if chave is not None:
        email, criado = EmailPendente.objects.get_or_create(chave=chave, defaults=campos)
        if not criado:
            return email
    else:
        email = EmailPendente.objects.create(**campos)
    transaction.on_commit(lambda: _agendar(email.pk))
    return email


def _agendar(email_id: int) -> None:
    try:
        enviar_email.delay(email_id)
    except OperationalError:  # broker fora do ar: a tarefa periódica reenvia depois
        log.warning("Broker indisponível; e-mail %s fica pendente para reenvio.", email_id, exc_info=True)
