"""Páginas de erro em português (400, 403, 404, 500), com DEBUG desligado (o padrão do pytest-django).

Nenhuma mostra o detalhe técnico da exceção, e nenhuma tem estilo ou script inline (a CSP será
``style-src 'self'``). As views que falham de propósito ficam em ``tests/urls_erros.py``.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import logado
from tests.urls_erros import SEGREDO

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
PAGINAS = ["400.html", "403.html", "403_csrf.html", "404.html", "500.html", "503.html", "503_htmx.html"]


@pytest.fixture
def urls_de_teste(settings):
    settings.ROOT_URLCONF = "tests.urls_erros"


def _sem_inline(html: str):
    assert not re.search(r"\sstyle\s*=", html, re.I), "atributo style= (a CSP recusa)"
    assert "<style" not in html.lower()
    for script in re.findall(r"<script[^>]*>", html, re.I):
        assert "src=" in script, f"script inline: {script}"
    assert "javascript:" not in html.lower()


def _com_menu(html: str):
    assert 'aria-label="Menu principal"' in html and ">Sair</button>" in html


def test_pagina_inexistente_mostra_o_404_em_portugues_com_o_menu(parlamentar):
    resposta = logado(parlamentar.usuario).get("/nao-existe/")
    html = resposta.content.decode()
    assert resposta.status_code == 404
    assert "Página não encontrada" in html
    assert "não existe, ou não está acessível para o seu usuário" in html
    assert 'href="/">vá para a página inicial</a>' in html
    _com_menu(html)
    assert "Ana Lacerda" in html  # o nome no menu: é a página de quem entrou
    _sem_inline(html)


def test_inciso_de_outro_parlamentar_da_o_mesmo_404(inciso, outro_parlamentar):
    resposta = logado(outro_parlamentar.usuario).get(f"/emendas/incisos/{inciso.pk}/")
    assert resposta.status_code == 404
    html = resposta.content.decode()
    assert "não existe, ou não está acessível para o seu usuário" in html
    assert "matches" not in html and "Inciso" not in html.split("<main", 1)[1]


def test_404_nao_mostra_o_detalhe_da_excecao(urls_de_teste, parlamentar):
    resposta = logado(parlamentar.usuario).get("/teste/inexistente/")
    assert resposta.status_code == 404
    assert SEGREDO not in resposta.content.decode() and "matches" not in resposta.content.decode()


def test_404_para_quem_nao_entrou_nao_tem_menu(client):
    resposta = client.get("/nao-existe/")
    html = resposta.content.decode()
    assert resposta.status_code == 404 and "Página não encontrada" in html
    assert ">Sair</button>" not in html


def test_403_mostra_a_mensagem_do_permission_denied(parlamentar):
    # Tela só da SEGOV aberta por um parlamentar (tests/test_matriz_acesso.py: "emendas:analise_remanejamentos").
    resposta = logado(parlamentar.usuario).get("/emendas/remanejamentos/analise/")
    html = resposta.content.decode()
    assert resposta.status_code == 403
    assert "Acesso negado" in html
    assert "Somente a SEGOV analisa remanejamentos." in html
    assert "O seu usuário não tem permissão" not in html
    _com_menu(html)
    _sem_inline(html)


def test_403_sem_mensagem_mostra_o_texto_geral(urls_de_teste, parlamentar):
    resposta = logado(parlamentar.usuario).get("/teste/proibida/")
    html = resposta.content.decode()
    assert resposta.status_code == 403
    assert "O seu usuário não tem permissão para abrir esta página ou fazer esta ação." in html
    _com_menu(html)


def test_falha_do_csrf_tem_pagina_em_portugues(parlamentar):
    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(parlamentar.usuario)
    resposta = cliente.post("/conta/senha/alterar/", {"old_password": "x"})
    html = resposta.content.decode()
    assert resposta.status_code == 403
    assert "Formulário vencido" in html and "Nada foi gravado." in html
    assert "CSRF" not in html.split("<main", 1)[1]  # nem o motivo técnico
    _sem_inline(html)


def test_500_em_portugues_sem_detalhe_e_com_status_500(urls_de_teste, parlamentar):
    cliente = Client(raise_request_exception=False)
    cliente.force_login(parlamentar.usuario)
    resposta = cliente.get("/teste/quebra/")
    html = resposta.content.decode()
    assert resposta.status_code == 500
    assert "Erro no sistema" in html and "a operação não foi concluída" in html
    assert SEGREDO not in html and "RuntimeError" not in html and "Traceback" not in html
    _sem_inline(html)


def test_500_nao_depende_de_template_tags_nem_do_banco():
    # A página 500 precisa abrir quando o resto falhou: nenhuma tag, nenhum filtro, nenhuma variável.
    html = (TEMPLATES / "500.html").read_text(encoding="utf-8")
    assert "{%" not in html and "{{" not in html
    # Os CSS que ela cita existem com esses nomes (sem {% static %}).
    for caminho in re.findall(r'href="/static/([^"]+)"', html):
        assert (Path(django_settings.BASE_DIR) / "static" / caminho).is_file(), caminho
    assert django_settings.STATIC_URL.strip("/") == "static"


def test_400_de_uma_view_em_portugues_sem_detalhe(urls_de_teste, parlamentar):
    cliente = Client(raise_request_exception=False)
    cliente.force_login(parlamentar.usuario)
    resposta = cliente.get("/teste/suspeita/")
    html = resposta.content.decode()
    assert resposta.status_code == 400
    assert "Requisição inválida" in html and "Nada foi gravado." in html
    assert SEGREDO not in html
    _sem_inline(html)


def test_400_da_entrada_hostil_continua_com_a_mensagem_propria(parlamentar):
    resposta = logado(parlamentar.usuario).get("/", {"q": "a\x00b"})
    html = resposta.content.decode()
    assert resposta.status_code == 400
    assert "caracteres inválidos (caracteres de controle" in html
    _sem_inline(html)


@pytest.mark.parametrize("nome", PAGINAS)
def test_nenhuma_pagina_de_erro_tem_estilo_ou_script_inline(nome):
    _sem_inline((TEMPLATES / nome).read_text(encoding="utf-8"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_paginas_404_e_403_no_navegador(live_server, parlamentar):
    """Capturas em /tmp/sigcon-telas/erro-*.png, na tela larga e no celular."""
    from tests.navegador_util import ARGS, CHROMIUM, TELAS, entrar

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium do Debian não instalado (apt-get install chromium); teste de navegador não rodou.")
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    TELAS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for largura, altura in ((1366, 900), (390, 844)):
                pagina = navegador.new_page(viewport={"width": largura, "height": altura})
                entrar(pagina, live_server.url, "ana@almg.test")
                pagina.wait_for_url(live_server.url + "/")
                pagina.goto(live_server.url + "/nao-existe/")
                pagina.get_by_role("heading", name="Página não encontrada").wait_for()
                pagina.screenshot(path=str(TELAS / f"erro-404-{largura}.png"), full_page=True)
                pagina.goto(live_server.url + "/emendas/remanejamentos/analise/")
                pagina.get_by_role("heading", name="Acesso negado").wait_for()
                assert "Somente a SEGOV analisa remanejamentos." in pagina.locator("main").inner_text()
                pagina.screenshot(path=str(TELAS / f"erro-403-{largura}.png"), full_page=True)
                pagina.close()
        finally:
            navegador.close()
