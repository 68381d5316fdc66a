from django.contrib import admin

from sigcon.admin_util import numero_do_registro

from .acesso import pode_ver_auditoria
from .models import RegistroAuditoria


@admin.register(RegistroAuditoria)
class RegistroAuditoriaAdmin(admin.ModelAdmin):
    """Somente leitura para todos, inclusive superusuários: ninguém altera nem apaga o que foi registrado."""

    list_display = (numero_do_registro, "momento", "usuario", "ip", "acao", "repr_objeto", "ordem")
    list_filter = ("acao",)
    search_fields = ("acao", "repr_objeto", "id_objeto", "usuario__email")
    date_hierarchy = "momento"
    list_select_related = ("usuario",)
    actions = None

    def has_module_permission(self, request):
        return pode_ver_auditoria(request.user)

    def has_view_permission(self, request, obj=None):
        return pode_ver_auditoria(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
