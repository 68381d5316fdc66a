from django.apps import AppConfig


class EmendasConfig(AppConfig):
    name = "emendas"
    verbose_name = "Emendas parlamentares"
