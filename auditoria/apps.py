from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AuditoriaConfig(AppConfig):
    default = True
    name = "auditoria"
    verbose_name = "Auditoria"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import sinais

        sinais.conectar()


class AdminAuditadoConfig(admin_apps.AdminConfig):
    """O admin do Django com o site que audita todo cadastro (``auditoria.admin_site``)."""

    default = False  # esta é a configuração do app "admin", pedida pelo nome em INSTALLED_APPS

    default_site = "auditoria.admin_site.SiteAuditado"
