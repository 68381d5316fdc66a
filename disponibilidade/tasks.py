from celery import shared_task


@shared_task(name="disponibilidade.tasks.bater")
def bater() -> int:
    """Periódica (a cada minuto): o app está de pé. Rodar duas vezes no mesmo instante não abre outro trecho."""
    from .services import registrar_batimento

    return registrar_batimento().pk
