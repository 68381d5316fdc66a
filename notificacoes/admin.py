from django.contrib import admin

from .models import EmailPendente


@admin.register(EmailPendente)
class EmailPendenteAdmin(admin.ModelAdmin):
    """Só leitura para todos, superusuário incluído: a caixa de saída é a prova do que foi (ou não) enviado.

    O corpo mostrado é o guardado, que nunca tem o link de senha (só a marca; o link nasce no envio).
    """

    list_display = ("assunto", "tipo", "status", "tentativas", "criado_em", "reservado_em", "enviado_em")
    list_filter = ("status", "tipo")
    search_fields = ("assunto", "destinatarios")
    fields = readonly_fields = ("assunto", "tipo", "corpo", "destinatarios", "status", "tentativas", "ultimo_erro",
                                "criado_em", "reservado_em", "enviado_em")
    date_hierarchy = "criado_em"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
