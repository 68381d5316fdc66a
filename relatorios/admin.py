from django.contrib import admin

from sigcon.admin_util import numero_do_registro

from .models import RelatorioGerado


@admin.register(RelatorioGerado)
class RelatorioGeradoAdmin(admin.ModelAdmin):
    """Somente leitura: acompanhar a fila de PDFs e CSVs (o arquivo em si só o dono baixa, pela tela)."""

    list_display = [numero_do_registro, "titulo", "formato", "usuario", "status", "progresso", "linhas", "criado_em", "concluido_em"]
    list_filter = ["status", "formato", "nome"]
    search_fields = ["titulo", "usuario__email"]
    list_select_related = ["usuario"]
    exclude = ["arquivo"]
    readonly_fields = ["usuario", "nome", "titulo", "formato", "parametros", "status", "progresso", "linhas",
                       "nome_arquivo", "criado_em", "concluido_em", "erro"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
