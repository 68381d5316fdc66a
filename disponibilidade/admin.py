from django.contrib import admin

from sigcon.admin_util import SomenteLeitura as SoLeitura

from .models import PeriodoNoAr, QuedaIntegracao

# O registro é a prova para decidir uma prorrogação: só o batimento e os adaptadores escrevem.


@admin.register(PeriodoNoAr)
class PeriodoNoArAdmin(SoLeitura):
    list_display = ("inicio", "ultimo_batimento", "batimentos")
    date_hierarchy = "inicio"


@admin.register(QuedaIntegracao)
class QuedaIntegracaoAdmin(SoLeitura):
    list_display = ("sistema", "inicio", "fim", "disjuntor_aberto_em", "disjuntor_fechado_em", "detalhe")
    list_filter = ("sistema",)
    date_hierarchy = "inicio"
