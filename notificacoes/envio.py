"""O envio de um e-mail da caixa de saída: reservar, mandar ao SMTP fora de transação, marcar o resultado.

Separado de ``notificacoes.services`` (que grava o e-mail e agenda a tarefa) para que a tarefa Celery dependa só
daqui: ``services`` → ``tasks`` → ``envio``, sem ciclo. O agendamento usa o objeto da tarefa (``.delay``) e não
``send_task`` pelo nome: com DEBUG e sem broker as tarefas rodam na hora (``task_always_eager``), e ``send_task``
ignora isso e sempre publica no broker. ``notificacoes.services`` continua expondo ``enviar_pendente``,
``reservar_email`` e ``ids_pendentes``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contas.links import link_definir_senha

from .models import MARCA_LINK_SENHA, EmailPendente

log = logging.getLogger(__name__)
MAX_TENTATIVAS = 8


def enviar_pendente(*, email_id: int, retomar_reserva_vencida: bool = False) -> bool:
    """Envia um e-mail pendente; True se o SMTP o aceitou agora. Rodar duas vezes é seguro.

    Chame fora de transação: a reserva e a marca são transações curtas e próprias, e o SMTP (que pode
    demorar até ``EMAIL_TIMEOUT`` segundos por operação) é chamado entre elas, sem linha travada e sem
    transação aberta. Só quem consegue a reserva envia, então dois workers não mandam o mesmo e-mail.

    *retomar_reserva_vencida* (só a tarefa periódica): também reenvia um e-mail que ficou em ENVIANDO por
    mais de ``SIGCON_EMAIL_RESERVA_MINUTOS`` (o worker caiu entre a reserva e a marca). Janela que sobra,
    limite do SMTP: se o worker cai depois de o servidor aceitar a mensagem e antes da marca, ela é
    enviada de novo quando a reserva vence.
    """
    email = reservar_email(email_id=email_id, retomar_reserva_vencida=retomar_reserva_vencida)
    if email is None:
        return False
    usuario = email.link_senha_de if MARCA_LINK_SENHA in email.corpo else None
    if MARCA_LINK_SENHA in email.corpo and (usuario is None or not usuario.is_active):
        # Sem conta ativa não há link a mandar; enviar a marca só confundiria quem recebe.
        _marcar(email, status=EmailPendente.Status.FALHOU,
                ultimo_erro="O usuário do link de definir senha não existe mais ou está inativo.")
        return False
    try:
        corpo = email.corpo
        if usuario is not None:
            # Gerado agora, nunca gravado: vale a partir do envio e some com a troca de senha.
            corpo = corpo.replace(MARCA_LINK_SENHA, link_definir_senha(usuario))
        _enviar_smtp(EmailMessage(
            subject=email.assunto, body=corpo, from_email=settings.DEFAULT_FROM_EMAIL, to=email.destinatarios
        ))
    except Exception as exc:
        # O servidor não confirmou a mensagem: volta para a fila, até esgotar as tentativas.
        esgotou = email.tentativas >= MAX_TENTATIVAS
        _marcar(email, status=EmailPendente.Status.FALHOU if esgotou else EmailPendente.Status.PENDENTE,
                ultimo_erro=f"{type(exc).__name__}: {exc}"[:2000])
        log.warning("Falha ao enviar o e-mail %s (tentativa %s).", email.pk, email.tentativas, exc_info=True)
        return False
    _marcar(email, status=EmailPendente.Status.ENVIADO, ultimo_erro="", enviado_em=timezone.now())
    return True


def reservar_email(*, email_id: int, retomar_reserva_vencida: bool = False) -> EmailPendente | None:
    """Passo 1 do envio: PENDENTE → ENVIANDO numa transação curta, que termina antes do envio.

    Devolve o e-mail reservado, ou None se outro worker já o tem (ou já foi enviado). Quem reserva e não
    marca o resultado (caiu) deixa o e-mail em ENVIANDO até a reserva vencer.

    ``durable``: dentro da transação de quem chamou a reserva só valeria no commit dela, e o SMTP seria
    chamado com a transação aberta; melhor recusar logo.
    """
    agora = timezone.now()
    disponivel = Q(status=EmailPendente.Status.PENDENTE)
    if retomar_reserva_vencida:
        disponivel |= Q(status=EmailPendente.Status.ENVIANDO, reservado_em__lt=agora - _reserva_dura())
    with transaction.atomic(durable=True):
        # Trava a linha só para a reserva; skip_locked: outro worker reservando agora fica com ela.
        email = EmailPendente.objects.select_for_update(skip_locked=True).filter(disponivel, pk=email_id).first()
        if email is None:
            return None
        email.status = EmailPendente.Status.ENVIANDO
        email.reservado_em = agora
        email.tentativas += 1
        email.save(update_fields=["status", "reservado_em", "tentativas"])
    return email


def _marcar(email: EmailPendente, *, status: str, ultimo_erro: str, enviado_em=None) -> None:
    """Passo 3: grava o resultado, só se a reserva ainda é desta chamada (um UPDATE, transação própria)."""
    campos = {"status": status, "ultimo_erro": ultimo_erro}
    if enviado_em is not None:
        campos["enviado_em"] = enviado_em
    marcados = EmailPendente.objects.filter(
        pk=email.pk, status=EmailPendente.Status.ENVIANDO, reservado_em=email.reservado_em
    ).update(**campos)
    if not marcados:
        # A reserva venceu e a tarefa periódica já o retomou: quem retomou grava o resultado dela.
        log.warning("E-mail %s: reserva vencida durante o envio; resultado (%s) não gravado.", email.pk, status)


def _enviar_smtp(mensagem: EmailMessage) -> None:
    """Passo 2. A conexão é aberta e fechada aqui para separar o envio do encerramento.

    Um erro no QUIT, depois de o servidor já ter aceitado a mensagem, não pode contar como falha: isso
    faria o mesmo e-mail sair de novo. Por isso o ``close`` fica fora do ``send_messages`` (que, com a
    conexão já aberta, não a fecha).
    """
    conexao = get_connection()
    try:
        conexao.open()
        enviados = conexao.send_messages([mensagem])
    finally:
        try:
            conexao.close()
        except Exception:
            # Depois de um envio aceito, o encerramento não desfaz a entrega; depois de uma falha, o erro que
            # vale é o do envio, que segue subindo.
            log.warning("Erro ao encerrar a conexão SMTP.", exc_info=True)
    if not enviados:
        raise RuntimeError("O servidor de e-mail não aceitou a mensagem.")


def _reserva_dura() -> timedelta:
    return timedelta(minutes=settings.SIGCON_EMAIL_RESERVA_MINUTOS)


def ids_pendentes(limite: int = 500) -> list[int]:
    """O que a tarefa periódica tenta enviar: pendentes e reservas vencidas (worker que caiu)."""
    vencidas = Q(status=EmailPendente.Status.ENVIANDO, reservado_em__lt=timezone.now() - _reserva_dura())
    return list(
        EmailPendente.objects.filter(Q(status=EmailPendente.Status.PENDENTE) | vencidas)
        .order_by("criado_em")
        .values_list("pk", flat=True)[:limite]
    )
