from django.apps import AppConfig


class RelatoriosConfig(AppConfig):
    name = "relatorios"
    verbose_name = "Relatórios gerados (PDFs grandes em segundo plano)"

    def ready(self):
        # Cada declaração se registra ao ser importada (como o admin.autodiscover): antes das URLs e das tarefas.
        from . import definicoes  # noqa: F401
