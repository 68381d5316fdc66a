from celery import shared_task

from .unico import apagar_expirados


@shared_task
def apagar_envios_expirados():
    """Periódica (CELERY_BEAT_SCHEDULE): apaga os tokens usados que já expiraram. Idempotente."""
    return apagar_expirados()
