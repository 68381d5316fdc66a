from celery import shared_task

from . import envio


@shared_task(name="notificacoes.tasks.enviar_email")
def enviar_email(email_id: int) -> bool:
    return envio.enviar_pendente(email_id=email_id)


@shared_task(name="notificacoes.tasks.reenviar_pendentes")
def reenviar_pendentes() -> int:
    """Periódica: envia o que ficou pendente (broker fora do ar, falha de SMTP) e retoma as reservas vencidas
    (worker que caiu entre reservar e marcar; ver ``envio.enviar_pendente``)."""
    enviados = 0
    for email_id in envio.ids_pendentes():
        enviados += bool(envio.enviar_pendente(email_id=email_id, retomar_reserva_vencida=True))
    return enviados
