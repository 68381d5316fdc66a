"""No navegador de verdade: a SEGOV carrega o catálogo por CSV (prévia e confirmação); o parlamentar indica com o
tipo de atendimento pelos selects dependentes (htmx); o órgão devolve; o parlamentar troca o tipo no ajuste; o
órgão vê a indicação ajustada destacada na fila. Telas em 1366 e 390 px, nada passando da borda direita."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from emendas.catalogo.carga import carregar_catalogo
from emendas.models import EspecificacaoAtendimento, Exercicio, Indicacao
from emendas.services import devolver_para_ajuste
from tests.conftest import Fabrica
from tests.emendas.catalogo.conftest import APLICACAO_CSV, ATENDIMENTO_CSV
from tests.navegador_util import TELAS, beneficiario, entrar, fotografar, navegador  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cenario(parlamentar, segov, analista_orgao, acao_saude, grupo_inv, grupo_odc, beneficiario):  # noqa: F811
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    inciso = Fabrica(exercicio, acao_saude, grupo_inv).inciso(parlamentar, "1000000.00")
    return {"inciso": inciso, "benef": beneficiario, "orgao": analista_orgao}


def _cabe_na_tela(page, largura):
    assert page.evaluate("document.documentElement.scrollWidth") <= largura, f"passa da borda em {largura} px"


def test_segov_carrega_o_catalogo_com_previa(navegador, live_server, cenario, tmp_path):
    arquivo = tmp_path / "atendimento.csv"
    arquivo.write_text(ATENDIMENTO_CSV.replace("3;SERVIÇOS;Capacitação;Curso", "9;SERVIÇOS;Capacitação;Curso"),
                       encoding="utf-8")
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "segov@segov.test")
    page.get_by_role("button", name="SEGOV", exact=True).click()
    page.get_by_role("link", name="Catálogo de tipos de atendimento/aplicação").click()
    page.get_by_role("link", name="Carregar catálogo (CSV)").click()
    page.get_by_label("Tipos de atendimento").check()
    page.get_by_label("Arquivo CSV (UTF-8, separado por ;)").set_input_files(str(arquivo))
    page.get_by_role("button", name="Ver prévia").click()
    assert "Linha 6, campo “grupo_despesa”: grupo de despesa “9” não cadastrado" in page.locator(
        "#erros-carga").inner_text()
    fotografar(page, "catalogo_carga_erros", conferir=_cabe_na_tela)
    arquivo.write_text(ATENDIMENTO_CSV, encoding="utf-8")
    page.get_by_label("Tipos de atendimento").check()
    page.get_by_label("Arquivo CSV (UTF-8, separado por ;)").set_input_files(str(arquivo))
    page.get_by_role("button", name="Ver prévia").click()
    assert "5 linhas; 5 novos" in page.locator("#resumo-previa").inner_text()
    assert not EspecificacaoAtendimento.objects.exists()
    fotografar(page, "catalogo_previa", conferir=_cabe_na_tela)
    page.get_by_role("button", name="Confirmar a carga").click()
    page.get_by_text("Catálogo “Tipos de atendimento” carregado").wait_for()
    assert EspecificacaoAtendimento.objects.count() == 5
    fotografar(page, "catalogo_lista", conferir=_cabe_na_tela)
    page.close()


def test_indicar_com_tipo_de_atendimento_ajustar_e_ver_na_fila(navegador, live_server, cenario, segov):
    carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=ATENDIMENTO_CSV.encode())
    carregar_catalogo(usuario=segov, tipo="aplicacao", conteudo=APLICACAO_CSV.encode())
    inciso, benef = cenario["inciso"], cenario["benef"]
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/indicacoes/inciso/{inciso.pk}/nova/")
    assert page.locator("#campos-aplicacao").is_hidden()  # convênio: só o tipo de atendimento à vista
    page.locator("#id_forma_execucao").select_option(label="Aplicação direta – execução direta")
    assert page.locator("#campos-aplicacao").is_visible() and page.locator("#campos-atendimento").is_hidden()
    page.locator("#id_forma_execucao").select_option(label="Celebração de convênio / parceria")
    especificacao = page.get_by_label("Especificação do tipo de atendimento")
    assert "Gêneros Alimentícios" not in especificacao.inner_text()  # é do custeio; o inciso é de investimento
    with page.expect_response(lambda r: "/catalogo/opcoes/" in r.url):
        page.get_by_label("Gênero").select_option(label="AQUISIÇÃO DE BENS")
    page.wait_for_load_state("networkidle")
    categorias = page.get_by_label("Categoria").locator("option").all_inner_texts()
    assert categorias == ["Todas as categorias", "Permanente"]
    assert "Prédio Público" not in page.get_by_label("Especificação do tipo de atendimento").inner_text()
    page.get_by_label("Especificação do tipo de atendimento").select_option(label="Mobiliário")
    page.get_by_label("Objeto / tipo de atendimento").fill("Mobiliário da UBS")
    page.get_by_label("CNPJ do beneficiário 1").fill(benef.cnpj_formatado)
    page.get_by_label("Valor 1 (R$)").fill("2.500,00")
    fotografar(page, "indicacao_tipo_atendimento", conferir=_cabe_na_tela)
    page.get_by_role("button", name="Revisar indicações").click()
    assert "AQUISIÇÃO DE BENS – Permanente – Mobiliário" in page.content()
    page.get_by_role("button", name="Confirmar e enviar 1 indicação").click()
    page.get_by_text("1 indicação(ões) enviada(s) ao órgão").wait_for()
    ind = Indicacao.objects.get()
    assert ind.especificacao_atendimento.nome == "Mobiliário" and ind.valor == Decimal("2500.00")

    devolver_para_ajuste(usuario=cenario["orgao"], indicacao=ind, justificativa="O objeto é a reforma do mercado.")
    page.goto(f"{live_server.url}/emendas/indicacoes/{ind.pk}/ajustar/")
    assert "aberta hoje" in page.locator("#janelas-ajuste").inner_text()
    with page.expect_response(lambda r: "/catalogo/opcoes/" in r.url):
        page.get_by_label("Gênero").select_option(label="REFORMA OU OBRA")
    page.wait_for_load_state("networkidle")
    assert "Faça uma escolha válida" not in page.content()  # a categoria do gênero anterior só volta a "todas"
    page.get_by_label("Especificação do tipo de atendimento").select_option(label="Mercado Municipal")
    page.get_by_label("Objeto ajustado").fill("Reforma do mercado municipal")
    fotografar(page, "indicacao_ajuste_tipo", conferir=_cabe_na_tela)
    page.get_by_role("button", name="Enviar para aprovação do órgão").click()
    page.get_by_text("ajustada e reenviada ao órgão").wait_for()
    ind.refresh_from_db()
    assert ind.especificacao_atendimento.nome == "Mercado Municipal" and ind.status == "EM_ANALISE_ORGAO"
    page.close()

    orgao = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(orgao, live_server.url, "analista@saude.test")
    orgao.goto(f"{live_server.url}/emendas/indicacoes/orgao/")
    assert "ajustada em" in orgao.locator("tr.table-warning").inner_text()
    fotografar(orgao, "fila_orgao_ajustada", conferir=_cabe_na_tela)
    orgao.close()


def test_sem_javascript_o_filtro_e_um_botao(navegador, live_server, cenario, segov):
    carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=ATENDIMENTO_CSV.encode())
    contexto = navegador.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = contexto.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/indicacoes/inciso/{cenario['inciso'].pk}/nova/")
    page.get_by_label("Gênero").select_option(label="REFORMA OU OBRA")
    page.get_by_role("button", name="Filtrar as opções").click()
    opcoes = page.get_by_label("Especificação do tipo de atendimento").inner_text()
    assert "Mercado Municipal" in opcoes and "Mobiliário" not in opcoes
    page.screenshot(path=str(TELAS / "indicacao_tipo_sem_js-390.png"), full_page=True)
    contexto.close()
