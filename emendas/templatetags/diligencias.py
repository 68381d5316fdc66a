"""O selo da diligência aberta na linha de uma indicação: ``{% load diligencias %}{% selo_diligencia numero %}``.

*numero* é a anotação ``diligencia_aberta`` das listas (``Diligencia.numero_da_aberta``): vazio, nada aparece.
"""

from django import template

from sigcon.situacoes import selo

register = template.Library()


def texto_do_selo(numero) -> str:
    return selo("ABERTA", f"Diligência nº {numero} aberta") if numero else ""


@register.simple_tag
def selo_diligencia(numero):
    return texto_do_selo(numero)


@register.inclusion_tag("emendas/diligencia/_da_indicacao.html", takes_context=True)
def diligencias_da_indicacao(context, indicacao):
    """A seção "Diligências" da página da indicação: as diligências dela e, para o órgão, "Informar diligência"."""
    from ..diligencias import selectors, services

    request = context["request"]
    return {"ind": indicacao, "diligencias": list(selectors.da_indicacao(indicacao)),
            "pode_abrir": indicacao.ativa and services.pode_abrir(request.user, indicacao)}


@register.simple_tag
def diligencias_abertas(indicacao):
    """As diligências abertas da indicação (o selo no título da página dela), mais recentes primeiro."""
    from ..models import Diligencia

    return list(indicacao.diligencias.filter(status=Diligencia.Status.ABERTA).order_by("-numero").only("pk", "numero"))


@register.simple_tag
def diligencias_da_proposta(proposta):
    """As diligências abertas numa proposta (a seção "Diligências do órgão" da página dela), com a indicação."""
    return list(proposta.diligencias.select_related("indicacao").order_by("-numero"))
