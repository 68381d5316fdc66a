"""A seção "Controle de execução" da página da indicação e a coluna do painel do parlamentar:
``{% load execucao %}{% execucao_da_indicacao ind %}``."""

from django import template

register = template.Library()


@register.inclusion_tag("emendas/execucao/_da_indicacao.html", takes_context=True)
def execucao_da_indicacao(context, indicacao):
    """Os valores da execução (quem vê a indicação vê) e, para o órgão da UO e a SEGOV, "Registrar execução"."""
    from ..execucao import selectors, services

    request = context["request"]
    aprovada = indicacao.status == indicacao.Status.APROVADA
    return {"ind": indicacao, "execucao": selectors.execucao_da_indicacao(indicacao) if aprovada else None,
            "aprovada": aprovada, "pode_registrar": aprovada and services.pode_registrar(request.user, indicacao)}
