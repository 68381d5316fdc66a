from celery import shared_task

from . import services


@shared_task(name="relatorios.tasks.gerar_pdf")
def gerar_pdf(relatorio_id: int) -> bool:
    return services.gerar(relatorio_id=relatorio_id)


@shared_task(name="relatorios.tasks.apagar_antigos")
def apagar_antigos() -> int:
    """Periódica (sugestão: diária): apaga os PDFs gerados há mais de uma semana."""
    return services.apagar_antigos()
