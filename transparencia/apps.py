from django.apps import AppConfig


class TransparenciaConfig(AppConfig):
    name = "transparencia"
    verbose_name = "Transparência e dados abertos"
    default_auto_field = "django.db.models.BigAutoField"
