"""Peças comuns dos admins do projeto."""

from django.contrib import admin


@admin.display(description="nº", ordering="pk")
def numero_do_registro(obj):
    """A coluna do id no admin, com rótulo em português (``"pk"`` no ``list_display`` vira o cabeçalho "Pk")."""
    return obj.pk


class SomenteLeitura(admin.ModelAdmin):
    """Admin que só mostra: quem escreve são os serviços e as tarefas (registros, históricos, provas)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

