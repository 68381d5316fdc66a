from django.contrib import admin

from .models import EmailPendente


@admin.register(EmailPendente)
class EmailPendenteAdmin(admin.ModelAdmin):
    list_display = ("assunto", "status", "tentativas", "criado_em", "enviado_em")
    list_filter = ("status",)
    search_fields = ("assunto", "destinatarios")
    readonly_fields = ("assunto", "corpo", "destinatarios", "tentativas", "ultimo_erro", "criado_em", "enviado_em")
    date_hierarchy = "criado_em"
