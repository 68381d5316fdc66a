"""Cobertura do envio único: toda rota que aceita POST (menos entrar, sair e senha) tem o decorator, e todo
formulário POST dos templates (menos os mesmos) leva o campo do token."""

import re
from pathlib import Path

from django.urls import URLResolver, get_resolver

from tests.test_matriz_acesso import METODO, ROTAS

# Sem login não há dono para o token; e entrar/sair/senha não criam nem decidem nada do domínio.
FORA = {"login", "logout", "saude", "password_change", "password_reset", "password_reset_done",
        "password_reset_confirm", "password_reset_complete",
        "calendario:ics", "calendario:api",  # só GET, sem login (o POST é 405 para todos)
        *(f"transparencia:{nome}" for nome in (  # só GET, sem login: transparência e dados abertos
            "busca", "indicacao", "municipios", "municipio", "dados_abertos", "datapackage", "indicacoes_csv",
            "indicacoes_json", "instantaneo"))}
TEMPLATES_FORA = {"contas/login.html", "contas/senha_nova.html", "contas/senha_pedir.html",
                  "contas/senha_alterar.html", "base.html"}
RAIZ = Path(__file__).resolve().parents[2] / "templates"


def _views():
    def andar(resolver, prefixo=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from andar(p, prefixo + (f"{p.namespace}:" if p.namespace else ""))
            elif p.name:
                yield prefixo + p.name, p.callback
    return dict(andar(get_resolver()))


def test_toda_rota_que_aceita_post_tem_o_envio_unico():
    views = _views()
    com_post = {nome for nome, (_, _, post) in ROTAS.items() if post != METODO and nome in views} - FORA
    assert len(com_post) >= 24  # a tabela da matriz mudou de forma? este teste tem de ver as rotas
    sem = sorted(n for n in com_post if not getattr(views[n], "envio_unico", False))
    assert not sem, f"rotas com POST sem @envio_unico: {sem}"


def test_todo_formulario_post_leva_o_token():
    faltando = []
    for arquivo in sorted(RAIZ.rglob("*.html")):
        nome = arquivo.relative_to(RAIZ).as_posix()
        if nome in TEMPLATES_FORA or nome.startswith("emails/"):
            continue
        for form in re.findall(r'<form[^>]*method="post".*?</form>', arquivo.read_text(), re.S | re.I):
            if "{% envio_unico %}" not in form:
                faltando.append(f"{nome}: {form[:80]}")
    assert not faltando, faltando
