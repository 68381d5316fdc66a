import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from contas.links import link_definir_senha

from .models import LINK_DE_SENHA_PRONTO, MARCA_LINK_SENHA, EmailPendente

log = logging.getLogger(__name__)
MAX_TENTATIVAS = 8


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
    from .tasks import enviar_email

    try:
        enviar_email.delay(email_id)
    except Exception:  # broker fora do ar: a tarefa periódica reenvia depois
        log.warning("Broker indisponível; e-mail %s fica pendente para reenvio.", email_id, exc_info=True)


def enviar_pendente(*, email_id: int) -> bool:
    """Envia um e-mail pendente. Seguro para rodar duas vezes: o segundo não faz nada."""
    with transaction.atomic():
        # Trava a linha: dois workers com o mesmo id não podem enviar duas vezes.
        email = EmailPendente.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != EmailPendente.Status.PENDENTE:
            return False
        email.tentativas += 1
        corpo = email.corpo
        if MARCA_LINK_SENHA in corpo:
            usuario = email.link_senha_de
            if usuario is None or not usuario.is_active:
                # Sem conta ativa não há link a mandar; enviar a marca só confundiria quem recebe.
                email.status = EmailPendente.Status.FALHOU
                email.ultimo_erro = "O usuário do link de definir senha não existe mais ou está inativo."
                email.save(update_fields=["tentativas", "ultimo_erro", "status"])
                return False
            # Gerado agora, nunca gravado: vale a partir do envio e some com a troca de senha.
            corpo = corpo.replace(MARCA_LINK_SENHA, link_definir_senha(usuario))
        try:
            EmailMessage(
                subject=email.assunto, body=corpo, from_email=settings.DEFAULT_FROM_EMAIL, to=email.destinatarios
            ).send()
        except Exception as exc:
            email.ultimo_erro = str(exc)[:2000]
            if email.tentativas >= MAX_TENTATIVAS:
                email.status = EmailPendente.Status.FALHOU
            email.save(update_fields=["tentativas", "ultimo_erro", "status"])
            return False
        email.status = EmailPendente.Status.ENVIADO
        email.enviado_em = timezone.now()
        email.save(update_fields=["tentativas", "status", "enviado_em", "ultimo_erro"])
        return True


def ids_pendentes(limite: int = 500) -> list[int]:
    return list(
        EmailPendente.objects.filter(status=EmailPendente.Status.PENDENTE)
        .order_by("criado_em")
        .values_list("pk", flat=True)[:limite]
    )
