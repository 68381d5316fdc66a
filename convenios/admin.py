from django.contrib import admin

from .models import Convenente


@admin.register(Convenente)
class ConvenenteAdmin(admin.ModelAdmin):
    list_display = ("razao_social", "cnpj_formatado", "municipio", "tipo")
    list_filter = ("tipo",)
    search_fields = ("razao_social", "cnpj", "municipio")
    filter_horizontal = ("usuarios",)
