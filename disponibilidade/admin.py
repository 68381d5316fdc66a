from django.contrib import admin

from .models import PeriodoNoAr, QuedaIntegracao


class SoLeitura(admin.ModelAdmin):
    """O registro é a prova para decidir uma prorrogação: só o batimento e os adaptadores escrevem."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodoNoAr)
class PeriodoNoArAdmin(SoLeitura):
    list_display = ("inicio", "ultimo_batimento", "batimentos")
    date_hierarchy = "inicio"


@admin.register(QuedaIntegracao)
class QuedaIntegracaoAdmin(SoLeitura):
    list_display = ("sistema", "inicio", "fim", "disjuntor_aberto_em", "disjuntor_fechado_em", "detalhe")
    list_filter = ("sistema",)
    date_hierarchy = "inicio"
