from django.apps import AppConfig


class IntegracoesConfig(AppConfig):
    name = "integracoes"
    verbose_name = "Integrações (CAGEC e SIAFI-MG)"
