from celery import shared_task


@shared_task(name="transparencia.tasks.gerar_instantaneos")
def gerar_instantaneos() -> int:
    """Diária (CELERY_BEAT_SCHEDULE): o instantâneo dos dados abertos de cada exercício. Idempotente no dia."""
    from .instantaneos import gerar_instantaneos as gerar

    return len(gerar())
