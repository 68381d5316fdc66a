"""Testes no navegador de verdade (Chromium do Debian, via Playwright)."""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from emendas.models import Exercicio
from tests.conftest import SENHA, Fabrica

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
TELAS = Path(os.environ.get("SIGCON_TELAS", "/tmp/sigcon-telas"))


@pytest.fixture(scope="module")
def navegador():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("SIGCON_EXIGIR_CHROMIUM"):
            pytest.fail("Chromium do Debian ausente: instale o pacote apt 'chromium'.")
        pytest.skip("Chromium do Debian não instalado (apt-get install chromium); teste de navegador não rodou.")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    TELAS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def dados(parlamentar, outro_parlamentar, segov, acao_saude, grupo_inv):
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    fab = Fabrica(exercicio, acao_saude, grupo_inv)
    fab.inciso(parlamentar, "1234567.89")
    fab.inciso(parlamentar, "1000.00")
    fab.inciso(outro_parlamentar, "555.55")
    return exercicio


def entrar(page, base, email):
    page.goto(base + "/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(SENHA)
    page.get_by_role("button", name="Entrar").click()


def test_parlamentar_entra_e_le_os_seus_incisos(navegador, live_server, dados):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    corpo = page.locator("main").inner_text()
    assert "R$ 1.234.567,89" in corpo and "R$ 1.000,00" in corpo
    assert "R$ 555,55" not in corpo  # inciso de outro parlamentar
    assert "Janela livre" in corpo and "dias restantes" in corpo
    page.screenshot(path=str(TELAS / "parlamentar-inicio.png"), full_page=True)

    page.get_by_role("link", name="S501").click()
    page.get_by_role("heading", name="Inciso S501").wait_for()
    assert "Disponível para indicação" in page.locator("main").inner_text()

    celular = navegador.new_page(viewport={"width": 390, "height": 844})
    celular.context.add_cookies(page.context.cookies())
    celular.goto(live_server.url + "/")
    celular.get_by_role("heading", name="Meus incisos").wait_for()
    celular.screenshot(path=str(TELAS / "parlamentar-celular.png"), full_page=True)
    page.close()
    celular.close()


def test_segov_ve_calendario_e_totais(navegador, live_server, dados):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "segov@segov.test")
    page.get_by_role("heading", name="Totais por titular", exact=False).wait_for()
    corpo = page.locator("main").inner_text()
    assert "Ana Lacerda" in corpo and "Bruno Tavares" in corpo
    assert "R$ 1.236.123,44" in corpo  # soma dos três incisos
    page.screenshot(path=str(TELAS / "segov-inicio.png"), full_page=True)
    page.close()


def test_teclado_alcanca_o_conteudo_pelo_link_de_pular(navegador, live_server, dados):
    page = navegador.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    page.keyboard.press("Tab")
    focado = page.evaluate("document.activeElement.textContent")
    assert "Pular para o conteúdo" in focado
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "conteudo"
    page.close()
