"""A página de acompanhamento do CSV grande no navegador de verdade: atualiza sozinha (htmx), funciona sem JS
(o refresh do <noscript>), cabe num celular de 390 px e o andamento é lido pelo leitor de tela."""

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from relatorios.models import RelatorioGerado
from tests import test_navegador

# O fixture do Chromium do Debian (pula com motivo quando não está instalado).
navegador = test_navegador.navegador

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TELAS = Path(os.environ.get("SIGCON_TELAS", "/tmp/sigcon-telas"))


def _pagina(navegador, live_server, usuario, largura, js=True):
    cliente = Client()
    cliente.force_login(usuario)
    contexto = navegador.new_context(viewport={"width": largura, "height": 844}, java_script_enabled=js)
    contexto.add_cookies([{"name": "sessionid", "value": cliente.cookies["sessionid"].value, "url": live_server.url}])
    return contexto.new_page()


def _pronto(gerado):
    gerado.arquivo.save("valores-indicados.csv", ContentFile("\ufeffNº;Valor\r\n1;10,00\r\n".encode()), save=False)
    gerado.status, gerado.progresso, gerado.nome_arquivo = RelatorioGerado.Status.PRONTO, 100, "valores-indicados.csv"
    gerado.concluido_em = timezone.now()
    gerado.save()


@pytest.mark.parametrize("js", [True, False], ids=["htmx", "sem-js"])
def test_acompanhamento_do_csv_no_celular_atualiza_sozinho(navegador, live_server, parlamentar, js):
    gerado = RelatorioGerado.objects.create(
        usuario=parlamentar.usuario, nome="indicacoes", titulo="Valores Indicados", formato="csv", linhas=199817,
        progresso=40, parametros={"mostrar_encerradas": "1"})
    page = _pagina(navegador, live_server, parlamentar.usuario, 390, js=js)
    page.goto(f"{live_server.url}/relatorios/gerados/{gerado.pk}/")
    page.get_by_role("heading", name="Valores Indicados – CSV").wait_for()
    assert "Preparando o CSV (199.817 linhas)" in page.locator("main").inner_text()
    assert page.get_by_role("progressbar", name="Andamento").get_attribute("value") == "40"
    # A região anunciada é fixa (fora do trecho trocado a cada 2 s): a porcentagem não é lida a cada troca.
    assert page.locator("#relatorio-gerado").get_attribute("aria-live") is None
    assert page.locator("[data-anuncio-vivo]").get_attribute("aria-live") == "polite"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(TELAS / f"csv-preparando-celular-{'htmx' if js else 'sem-js'}.png"), full_page=True)

    _pronto(gerado)
    # htmx (a cada 2 s) ou o <meta refresh> do <noscript> (sem JS): o botão aparece sem o usuário recarregar.
    page.get_by_role("link", name="Baixar CSV").wait_for(timeout=8000)
    assert "CSV pronto (199.817 linhas)" in page.locator("main").inner_text()
    if js:  # o anúncio muda uma vez, para "pronto", e não se repete a cada troca
        assert page.locator("[data-anuncio-vivo]").inner_text() == "CSV pronto para baixar."
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(TELAS / f"csv-pronto-celular-{'htmx' if js else 'sem-js'}.png"), full_page=True)
    with page.expect_download() as baixando:
        page.get_by_role("link", name="Baixar CSV").click()
    assert baixando.value.suggested_filename == "valores-indicados.csv"
    page.context.close()


def test_erro_da_fila_no_celular_mostra_a_mensagem_e_pedir_de_novo(navegador, live_server, parlamentar):
    gerado = RelatorioGerado.objects.create(
        usuario=parlamentar.usuario, nome="indicacoes", titulo="Valores Indicados", formato="csv", linhas=199817,
        status=RelatorioGerado.Status.ERRO, parametros={"mostrar_encerradas": "1"},
        erro="A fila de processamento está indisponível. Tente de novo em alguns minutos.")
    page = _pagina(navegador, live_server, parlamentar.usuario, 390)
    page.goto(f"{live_server.url}/relatorios/gerados/{gerado.pk}/")
    alerta = page.get_by_role("alert")
    assert "Não foi possível gerar o CSV" in alerta.inner_text() and "indisponível" in alerta.inner_text()
    assert page.get_by_role("link", name="Pedir de novo").get_attribute("href") == (
        "/relatorios/indicacoes.csv?mostrar_encerradas=1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(TELAS / "csv-erro-celular.png"), full_page=True)
    page.context.close()
