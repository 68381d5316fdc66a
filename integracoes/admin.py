import re

from django.contrib import admin

from .models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada


class BuscaPorCnpjMixin:
    # Quem busca cola o CNPJ com máscara; no banco ele está só com dígitos.
    def get_search_results(self, request, queryset, search_term):
        if re.fullmatch(r"[\d./\-\s]*\d[\d./\-\s]*", search_term):
            search_term = re.sub(r"\D", "", search_term)
        return super().get_search_results(request, queryset, search_term)


@admin.register(SituacaoSimulada)
class SituacaoSimuladaAdmin(BuscaPorCnpjMixin, admin.ModelAdmin):
    list_display = ("cnpj_formatado", "cagec_regular", "siafi_bloqueado", "siafi_motivo", "representante_nome", "atualizado_em")
    list_editable = ("cagec_regular", "siafi_bloqueado")
    list_filter = ("cagec_regular", "siafi_bloqueado")
    search_fields = ("cnpj", "observacao")
    readonly_fields = ("atualizado_em",)
    fieldsets = (
        (None, {"fields": ("cnpj", "observacao")}),
        ("CAGEC", {"fields": ("cagec_regular", "pendencias")}),
        ("Representante legal (CAGEC)", {"fields": (
            "representante_nome", "representante_cpf", "representante_cargo", "representante_email",
            "representante_fim_mandato",
        )}),
        ("SIAFI-MG", {"fields": ("siafi_bloqueado", "siafi_motivo")}),
        (None, {"fields": ("atualizado_em",)}),
    )


@admin.register(ServicoSimulado)
class ServicoSimuladoAdmin(admin.ModelAdmin):
    list_display = ("sistema", "fora_do_ar")
    list_editable = ("fora_do_ar",)


@admin.register(ConsultaIntegracao)
class ConsultaIntegracaoAdmin(BuscaPorCnpjMixin, admin.ModelAdmin):
    list_display = ("momento", "sistema", "cnpj_formatado", "sucesso", "latencia_ms", "usuario", "erro_resumido")
    list_filter = ("sistema", "sucesso", "momento")
    date_hierarchy = "momento"
    search_fields = ("cnpj",)
    list_select_related = ("usuario",)
    readonly_fields = [f.name for f in ConsultaIntegracao._meta.fields]

    @admin.display(description="erro")
    def erro_resumido(self, obj):
        return obj.erro if len(obj.erro) <= 80 else obj.erro[:79] + "…"

    def has_add_permission(self, request):
        return False  # o registro é a prova da consulta: só o serviço escreve

    def has_delete_permission(self, request, obj=None):
        return False
