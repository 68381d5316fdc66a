from django.apps import AppConfig


class EnviosConfig(AppConfig):
    name = "envios"
    verbose_name = "Envios de formulário (uso único)"
