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


LIMITE_NO_PAINEL = 50


@register.inclusion_tag("emendas/execucao/_do_painel.html", takes_context=True)
def execucao_no_painel(context, exercicio):
    """A execução de cada indicação aprovada que o parlamentar vê no exercício (as 50 primeiras; o resto no
    relatório), com os totais: indicado, utilizado, pago e o que voltou por impedimento parcial."""
    from ..execucao import selectors

    request = context["request"]
    qs = selectors.aprovadas_visiveis(request.user).filter(exercicio=exercicio)
    return {"linhas": list(qs[:LIMITE_NO_PAINEL]), "resumo": selectors.resumo_do_titular(qs), "exercicio": exercicio,
            "limite": LIMITE_NO_PAINEL}
