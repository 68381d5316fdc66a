from celery import shared_task

from .cadeia import selar_pendentes


@shared_task
def selar():
    """Periódica (CELERY_BEAT_SCHEDULE): sela os registros novos na cadeia. Idempotente."""
    return selar_pendentes()
