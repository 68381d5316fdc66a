"""Peças comuns dos admins do projeto."""

from django.contrib import admin


@admin.display(description="nº", ordering="pk")
def numero_do_registro(obj):
    """A coluna do id no admin, com rótulo em português (``"pk"`` no ``list_display`` vira o cabeçalho "Pk")."""
    return obj.pk
