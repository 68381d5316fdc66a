from django import template

from notificacoes.selectors import nao_lidos

register = template.Library()


@register.simple_tag
def avisos_nao_lidos(usuario) -> int:
    """A contagem de notificações não lidas no menu (uma consulta indexada; 0 para quem não entrou)."""
    if usuario is None or not usuario.is_authenticated:
        return 0
    return nao_lidos(usuario)
