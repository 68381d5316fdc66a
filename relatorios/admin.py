from django.contrib import admin

from .models import RelatorioGerado


@admin.register(RelatorioGerado)
class RelatorioGeradoAdmin(admin.ModelAdmin):
    """Somente leitura: acompanhar a fila de PDFs (o arquivo em si só o dono baixa, pela tela)."""

    list_display = ["pk", "titulo", "usuario", "status", "progresso", "linhas", "criado_em", "concluido_em"]
    list_filter = ["status", "nome"]
    search_fields = ["titulo", "usuario__email"]
    list_select_related = ["usuario"]
    exclude = ["arquivo"]
    readonly_fields = ["usuario", "nome", "titulo", "parametros", "status", "progresso", "linhas", "nome_arquivo",
                       "criado_em", "concluido_em", "erro"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("arquivo")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
