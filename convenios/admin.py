from django.contrib import admin

from .models import Convenente


@admin.register(Convenente)
class ConvenenteAdmin(admin.ModelAdmin):
    list_display = ("razao_social", "cnpj_formatado", "municipio", "tipo", "situacao_cagec", "siafi_bloqueado")
    list_filter = ("tipo", "situacao_cagec", "siafi_bloqueado")
    search_fields = ("razao_social", "cnpj", "municipio", "codigo_escola")
    filter_horizontal = ("usuarios",)
    # A situação no CAGEC/SIAFI vem das consultas (integracoes), nunca digitada.
    readonly_fields = ("situacao_cagec", "siafi_bloqueado", "siafi_motivo", "situacao_consultada_em")
