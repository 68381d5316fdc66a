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


@register.inclusion_tag("emendas/execucao/_do_painel.html")
def execucao_no_painel(exercicio, grupos):
    """A execução de cada indicação aprovada dos incisos do painel (*grupos*, os que o parlamentar vê no exercício):
    as 50 primeiras (o resto no relatório), com os totais de indicado, utilizado, pago e o que voltou por
    impedimento parcial. Uma consulta (os ids dos incisos já estão no painel); a soma de todas só quando passam de 50.
    """
    from sigcon.dinheiro import ZERO

    from ..execucao import selectors

    # Os incisos do painel já são os que o parlamentar vê (emendas.paineis): sem a consulta de visibilidade de novo.
    incisos = [linha["inciso"]["pk"] for grupo in grupos for linha in grupo.linhas]
    qs = selectors.aprovadas_dos_incisos(incisos).filter(exercicio=exercicio)
    linhas = list(qs[:LIMITE_NO_PAINEL + 1])
    if len(linhas) > LIMITE_NO_PAINEL:
        resumo = selectors.resumo_do_titular(qs)
    else:
        execucoes = [getattr(i, "execucao", None) for i in linhas]
        resumo = {"n": len(linhas), "indicado": sum((i.valor for i in linhas), ZERO),
                  **{campo: sum((getattr(e, chave) for e in execucoes if e), ZERO)
                     for campo, chave in (("utilizado", "utilizado"), ("pago", "pago"),
                                          ("impedido", "valor_impedido"))}}
    return {"linhas": linhas[:LIMITE_NO_PAINEL], "resumo": resumo, "exercicio": exercicio, "limite": LIMITE_NO_PAINEL}
