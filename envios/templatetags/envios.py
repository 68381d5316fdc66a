from django import template
from django.utils.html import format_html

from ..unico import CAMPO, novo_token

register = template.Library()


@register.simple_tag(takes_context=True)
def envio_unico(context):
    """O campo escondido com o token de uso único: ``{% envio_unico %}`` dentro de todo formulário que cria ou
    decide algo (a view leva ``@envio_unico``). Cada formulário da página ganha o seu token."""
    usuario = context["request"].user
    if not usuario.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', CAMPO, novo_token(usuario))
