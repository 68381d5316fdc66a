"""A transparência no navegador de verdade, sem login: da tela de entrada ao link "Transparência", a busca pelo
teclado e pelos filtros, a página da indicação (valores, escada, impedimento), a do município e a dos dados abertos;
axe-core sem violação séria, CSP sem violação, e a 390 px nada passando da borda direita. Capturas em
``/tmp/sigcon-telas/transparencia-*.png``."""

import pytest

from tests.navegador_util import fotografar, navegador  # noqa: F401 (fixture)
from tests.test_acessibilidade_navegador import Auditor
from tests.test_navegador_painel import texto_passando_da_borda
from tests.transparencia.cenario import montar_cenario_publico

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def publico(parlamentar, outro_parlamentar, segov, analista_orgao, acao_saude, grupo_inv):
    return montar_cenario_publico(parlamentar=parlamentar, outro_parlamentar=outro_parlamentar, segov=segov,
                                  analista_orgao=analista_orgao, acao_saude=acao_saude, grupo_inv=grupo_inv)


def _nada_passa_da_borda(page, largura):
    if largura == 390:
        assert texto_passando_da_borda(page, 390) == [], page.url


def test_anonimo_chega_pela_entrada_busca_e_abre_a_indicacao(navegador, live_server, publico):
    auditor = Auditor(navegador, live_server.url)
    page = auditor.page
    ano, aprovada = publico["exercicio"].ano, publico["aprovada"]
    try:
        page.goto(live_server.url + "/conta/entrar/")
        page.get_by_role("contentinfo").get_by_role("link", name="Transparência").click()
        page.get_by_role("heading", name="Transparência: indicações das emendas parlamentares").wait_for()
        auditor.avaliar("transparencia-busca")
        fotografar(page, "transparencia-busca", conferir=_nada_passa_da_borda)

        # Pelo teclado: o campo de busca pelo rótulo, Enter envia o formulário.
        page.get_by_role("textbox", name="Buscar").fill("Reforma")
        page.get_by_role("textbox", name="Buscar").press("Enter")
        page.wait_for_url("**/transparencia/?q=Reforma*")
        assert page.locator("[data-totais]").inner_text().startswith("1 indicação")

        page.get_by_role("link", name="Limpar filtros").click()
        page.get_by_label("Município").select_option("Itabira")
        page.get_by_label("Situação").select_option("REPROVADA")
        page.get_by_role("button", name="Buscar").click()
        page.get_by_role("link", name=f"nº {publico['reprovada'].numero}/{ano}").click()
        page.get_by_role("heading", name="Impedimento de ordem técnica: Ausência de projeto de engenharia").wait_for()
        assert "[CPF omitido]" in page.content() and "[e-mail omitido]" in page.content()
        auditor.avaliar("transparencia-indicacao-reprovada")
        fotografar(page, "transparencia-indicacao-reprovada", conferir=_nada_passa_da_borda)

        page.goto(f"{live_server.url}/transparencia/indicacoes/{ano}/{aprovada.numero}/")
        escada = page.locator("ol.escada > li")
        assert escada.count() == 5 and all("concluído" in t for t in escada.all_inner_texts())
        valores = page.locator("#titulo-valores + table")
        assert "R$ 50.000,00" in valores.inner_text() and "R$ 200.000,00" in valores.inner_text()
        auditor.avaliar("transparencia-indicacao")
        fotografar(page, "transparencia-indicacao", conferir=_nada_passa_da_borda)

        page.get_by_role("link", name="Mariana").click()
        page.get_by_role("heading", name="Indicações para entidades de Mariana").wait_for()
        auditor.avaliar("transparencia-municipio")
        fotografar(page, "transparencia-municipio", conferir=_nada_passa_da_borda)

        page.get_by_role("link", name="Dados abertos").first.click()
        page.get_by_role("heading", name="Dados abertos das indicações").wait_for()
        auditor.avaliar("transparencia-dados-abertos")
        fotografar(page, "transparencia-dados-abertos", conferir=_nada_passa_da_borda)

        auditor.abrir_e_avaliar("/transparencia/municipios/", "transparencia-municipios")
        fotografar(page, "transparencia-municipios", conferir=_nada_passa_da_borda)
        auditor.sem_violacoes()
    finally:
        auditor.fechar()


def test_pular_para_o_conteudo_e_o_primeiro_tab(navegador, live_server, publico):
    page = navegador.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(live_server.url + "/transparencia/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Pular para o conteúdo"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "conteudo"
    finally:
        page.close()
