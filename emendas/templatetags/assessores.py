"""``{% quem_agiu usuario em_nome_de %}``: quem agiu e por quem, do mesmo jeito em toda tela.

"Davi Assessor, em nome de Bruno Outro" quando um assessor agiu pelo titular; só o nome quando o próprio titular
agiu (ou quando o registro não é do lado do titular: análise do órgão, da SEGOV)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def quem_agiu(usuario, em_nome_de=None, vazio="sistema"):
    nome = usuario.get_full_name() if usuario is not None else vazio
    if em_nome_de is None or usuario is None or em_nome_de.usuario_id == usuario.pk:
        return nome
    return format_html('{} <span class="text-body-secondary" data-em-nome-de>em nome de {}</span>', nome,
                       em_nome_de.nome)
