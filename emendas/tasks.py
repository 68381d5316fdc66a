from celery import shared_task


@shared_task(name="emendas.tasks.resumo_diario_segov")
def resumo_diario_segov() -> bool:
    """Diária: indicações aguardando a SEGOV. Rodar duas vezes no mesmo dia não duplica o e-mail."""
    from .indicacoes.emails import enfileirar_resumo_segov

    return enfileirar_resumo_segov() is not None


@shared_task(name="emendas.tasks.apagar_importacoes_expiradas")
def apagar_importacoes_expiradas() -> int:
    """Periódica: apaga arquivo e registro das prévias de importação que passaram da validade (2 horas)."""
    from .arquivos_importacao import apagar_expiradas

    return apagar_expiradas()


@shared_task(name="emendas.tasks.lembretes_de_prazo")
def lembretes_de_prazo() -> int:
    """Diária: lembretes de prazo (parlamentares, órgãos, SEGOV). Rodar duas vezes no mesmo dia não duplica nada."""
    from .calendario.lembretes import enviar_lembretes

    return enviar_lembretes()
