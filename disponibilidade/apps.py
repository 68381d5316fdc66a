from django.apps import AppConfig


class DisponibilidadeConfig(AppConfig):
    name = "disponibilidade"
    verbose_name = "Disponibilidade"
