"""O menu "Relatórios" do ``base.html``: os relatórios do registro que o usuário pode abrir, na ordem do registro."""

from django import template
from django.urls import reverse

from relatorios import registro

register = template.Library()


@register.simple_tag
def relatorios_do_menu(usuario) -> list[dict]:
    if usuario is None or not usuario.is_authenticated:
        return []
    return [
        {"rotulo": r.rotulo_menu or r.titulo, "url": reverse(r.url_tela)}
        for r in registro.todos() if not r.fora_do_menu and r.pode_ver(usuario)
    ]
