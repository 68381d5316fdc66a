"""Anda por todas as URLs do sistema: nenhuma tela (fora login, senha e transparência) abre para quem não entrou."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLICAS = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete", "saude"}
PUBLICAS_NAMESPACES = {"transparencia"}  # transparência e dados abertos: sem login


def _padroes(resolver, prefixo=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # o admin tem o seu próprio login, testado em test_admin
            ns = f"{p.namespace}:" if p.namespace else ""
            yield from ((ns + n, rota) for n, rota in _padroes(p, prefixo + str(p.pattern)))
        elif isinstance(p, URLPattern) and p.name:
            yield p.name, prefixo + str(p.pattern)


def _url_exemplo(rota: str) -> str:
    for conversor, valor in (("<int:pk>", "1"), ("<int:ano>", "2019"), ("<int:convenente_pk>", "1"), ("<int:indicacao_pk>", "1"),
                             ("<str:acao>", "aprovar"), ("<uidb64>", "MQ"), ("<token>", "x-y"), ("<slug:chave>", "e" * 64),
                             ("<int:numero>", "1"), ("<path:municipio>", "Mariana"), ("<str:dia>", "2019-01-10")):
        rota = rota.replace(conversor, valor)
    return "/" + rota


# Abertas sem login, mas sem nada para mostrar com o exemplo: o .ics com um token errado e a API de um ano sem
# exercício respondem 404 (nunca o login: o aplicativo de calendário e quem lê dados abertos não entram no sistema).
SEM_LOGIN_COM_404 = {"calendario:ics", "calendario:api"}
TODAS = sorted(_padroes(get_resolver()))


def test_a_lista_de_urls_nao_esta_vazia():
    assert len(TODAS) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("nome, rota", TODAS, ids=[n for n, _ in TODAS])
def test_anonimo_nao_entra(client, nome, rota):
    url = _url_exemplo(rota)
    resposta = client.get(url)
    if nome in SEM_LOGIN_COM_404:
        assert resposta.status_code == 404, (url, resposta.status_code)
        assert client.post(url).status_code == 405
        return
    if nome.split(":")[-1] in PUBLICAS:
        assert resposta.status_code in (200, 302)
        return
    if nome.split(":")[0] in PUBLICAS_NAMESPACES:
        # Transparência: abre sem login (404 só para o que não existe, como a indicação 1/2019 num banco vazio).
        assert resposta.status_code in (200, 404), (url, resposta.status_code)
        assert client.post(url).status_code == 405, url
        return
    assert resposta.status_code in (302, 405), (url, resposta.status_code)
    if resposta.status_code == 302:
        assert resposta.url.startswith("/conta/entrar/"), (url, resposta.url)
    resposta = client.post(url)
    assert resposta.status_code in (302, 403, 405), (url, resposta.status_code)
    if resposta.status_code == 302:
        assert resposta.url.startswith("/conta/entrar/"), (url, resposta.url)
