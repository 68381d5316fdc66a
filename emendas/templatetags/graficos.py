"""Os gráficos SVG das telas (``emendas.graficos``) como filtros e trechos de template."""

from django import template

from .. import graficos

register = template.Library()


@register.filter
def barra_baldes(saldos, descrever=True):
    """``{{ saldos|barra_baldes }}``; ``{{ saldos|barra_baldes:False }}`` quando a linha da tabela já diz os números."""
    return graficos.barra_baldes(saldos, descrever=bool(descrever))


@register.inclusion_tag("emendas/_legenda_baldes.html")
def legenda_baldes():
    return {"baldes": [(b, graficos.amostra(b.cor)) for b in graficos.BALDES]}


@register.inclusion_tag("emendas/_linha_do_tempo.html")
def linha_do_tempo(exercicio, hoje):
    return graficos.linha_do_tempo(exercicio, hoje)
