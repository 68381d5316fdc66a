from celery import shared_task

from . import services


@shared_task(name="relatorios.tasks.gerar_arquivo")
def gerar_arquivo(relatorio_id: int) -> bool:
    """PDF ou CSV de um pedido (``RelatorioGerado.formato``)."""
    return services.gerar(relatorio_id=relatorio_id)


# Nome antigo: tarefas já na fila quando esta versão entrar no ar continuam sendo atendidas.
@shared_task(name="relatorios.tasks.gerar_pdf")
def gerar_pdf(relatorio_id: int) -> bool:
    return services.gerar(relatorio_id=relatorio_id)


@shared_task(name="relatorios.tasks.apagar_antigos")
def apagar_antigos() -> int:
    """Periódica (sugestão: diária): apaga os relatórios gerados há mais de uma semana."""
    return services.apagar_antigos()
