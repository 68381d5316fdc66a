from django import template

from sigcon.dinheiro import formatar_brl

register = template.Library()


@register.filter
def brl(valor):
    """Valor em reais: ``{{ saldo|brl }}`` → ``R$ 1.234,56``."""
    return formatar_brl(valor)


@register.filter
def brl_numero(valor):
    """Sem o símbolo, para colunas numéricas: ``1.234,56``."""
    return formatar_brl(valor, simbolo=False)
