"""Admin do calendário: tudo somente leitura (links e lembretes são de cada usuário, pela tela "Meu calendário"; a
prorrogação nasce da ação auditada da SEGOV). Registrado por ``emendas/admin.py``."""

from django.contrib import admin

from sigcon.admin_util import SomenteLeitura as SoLeitura

from ..models import LinkCalendario, PreferenciaLembretes, ProrrogacaoJanela



@admin.register(LinkCalendario)
class LinkCalendarioAdmin(SoLeitura):
    list_display = ("usuario", "criado_em", "revogado_em", "ultimo_acesso_em")
    list_select_related = ("usuario",)
    exclude = ("hash_token",)  # nem o hash aparece: não serve a ninguém ver


@admin.register(PreferenciaLembretes)
class PreferenciaLembretesAdmin(SoLeitura):
    list_display = ("usuario", "prazos", "fila_orgao", "semana_segov")
    list_select_related = ("usuario",)


@admin.register(ProrrogacaoJanela)
class ProrrogacaoJanelaAdmin(SoLeitura):
    list_display = ("exercicio", "rotulo", "fim_anterior", "fim_novo", "usuario", "criado_em")
    list_filter = ("exercicio",)
    list_select_related = ("exercicio", "usuario")
