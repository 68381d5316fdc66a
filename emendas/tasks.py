from celery import shared_task


@shared_task(name="emendas.tasks.resumo_diario_segov")
def resumo_diario_segov() -> bool:
    """Diária: indicações aguardando a SEGOV. Rodar duas vezes no mesmo dia não duplica o e-mail."""
    from .services_indicacao import enfileirar_resumo_segov

    return enfileirar_resumo_segov() is not None
