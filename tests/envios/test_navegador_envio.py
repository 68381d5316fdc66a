"""No navegador: Voltar + Confirmar e o duplo clique criam um só; a revisão antes do dinheiro mexer, nas filas e nos
passos da proposta, diz a ação, quantos itens e o total (e cabe num celular de 390 px)."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from emendas.models import ProgramacaoElegivel, Remanejamento
from envios import unico
from tests.fabricas import cenario_convenio, convenio_vigente
from tests.test_navegador import (  # noqa: F401 (fixtures)
    _pedir_pelo_navegador, confirmar_revisao, dados, entrar, navegador,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TELAS = Path(os.environ.get("SIGCON_TELAS_ENVIO", "/tmp/shots-idem"))


def _fotografar(page, nome):
    """A tela a 1366 e a 390 px; a 390 nada passa da borda direita."""
    TELAS.mkdir(parents=True, exist_ok=True)
    for largura in (1366, 390):
        page.set_viewport_size({"width": largura, "height": 900})
        page.screenshot(path=str(TELAS / f"{nome}-{largura}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= largura, f"{nome} a {largura} px"
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def remanejavel(dados, acao_saude, acao_saude_2, grupo_inv):
    from emendas.models import Inciso

    for acao in (acao_saude, acao_saude_2):
        ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao, grupo_despesa=grupo_inv)
    return Inciso.objects.get(numero="S501")


def test_voltar_e_confirmar_de_novo_cria_um_so_remanejamento(navegador, live_server, remanejavel):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    _pedir_pelo_navegador(page, live_server.url, remanejavel.pk, "5.000,00")
    assert Remanejamento.objects.count() == 1
    # Voltar: o navegador mostra de novo a confirmação (do cache), com o botão utilizável; Confirmar outra vez.
    page.go_back()
    page.get_by_role("heading", name="Confirme o pedido de remanejamento").wait_for()
    botao = page.get_by_role("button", name="Confirmar pedido")
    assert botao.is_enabled()
    botao.click()
    page.get_by_text(unico.JA_ENVIADO).wait_for()
    rem = Remanejamento.objects.get()  # um só: o nº 6 da issue não nasce
    assert f"Remanejamento nº {rem.pk} solicitado" in page.locator("main").inner_text()
    assert rem.valor == Decimal("5000.00")
    page.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["com-js", "sem-js"])
def test_duplo_clique_no_confirmar_cria_um_so(navegador, live_server, remanejavel, javascript):
    contexto = navegador.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=javascript)
    page = contexto.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/remanejamentos/inciso/{remanejavel.pk}/novo/")
    if javascript:  # espera o htmx trocar a lista de grupos; escolher antes seria desfeito pela troca
        with page.expect_response(lambda r: "/grupos/" in r.url):
            page.select_option("#id_acao", label="UO 4291 · 4471 – Atenção hospitalar")
        page.wait_for_load_state("networkidle")
    else:
        page.select_option("#id_acao", label="UO 4291 · 4471 – Atenção hospitalar")
    page.select_option("#id_grupo_despesa", label="4 – Investimentos")
    page.get_by_label("Valor a remanejar (R$)").fill("7.000,00")
    page.get_by_role("button", name="Salvar").click()
    page.get_by_role("heading", name="Confirme o pedido de remanejamento").wait_for()
    page.get_by_role("button", name="Confirmar pedido").dblclick()
    page.get_by_text("solicitado. O valor já foi reservado").wait_for()
    assert Remanejamento.objects.count() == 1
    contexto.close()


def test_lote_da_fila_selecionar_todos_e_revisao_com_quantidade_e_total(navegador, live_server, remanejavel,
                                                                        parlamentar, acao_saude_2, grupo_inv):
    from emendas.services import solicitar_remanejamento

    for valor in ("1000.00", "2500.50", "300.25"):
        solicitar_remanejamento(usuario=parlamentar.usuario, inciso=remanejavel, acao=acao_saude_2,
                                grupo_despesa=grupo_inv, valor=Decimal(valor))
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(live_server.url + "/emendas/remanejamentos/analise/")
    page.get_by_label("Selecionar todos desta página").check()
    assert page.locator("input[name='selecionados']:checked").count() == 3
    page.locator("#acao-lote").select_option("aprovar")
    page.get_by_role("button", name="Aplicar aos selecionados").click()
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    resumo = page.locator("[data-revisao-resumo]").inner_text()
    assert "Aprovar remanejamentos" in resumo and "3 pedidos, total R$ 3.800,75" in resumo
    assert page.locator("tbody tr").count() == 3
    assert Remanejamento.objects.filter(status="SOLICITADO").count() == 3  # a revisão não decide nada
    _fotografar(page, "revisao-lote-remanejamentos")
    page.get_by_role("button", name="Confirmar: Aprovar remanejamentos").click()
    page.get_by_text("3 pedido(s) aprovados").wait_for()
    assert "total R$ 3.800,75" in page.locator("main").inner_text()
    assert Remanejamento.objects.filter(status="APROVADO").count() == 3
    page.close()


def test_passos_da_proposta_passam_pela_revisao(navegador, live_server, inciso, parlamentar, analista_orgao, segov):
    from convenios import services as conv
    from convenios.models import Liberacao

    convenente, cadastrador, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar,
                                                    analista_orgao=analista_orgao, segov=segov)
    p = conv.gerar_proposta(usuario=cadastrador, convenente=convenente, indicacoes={ind: Decimal("120000.00")},
                            objeto="Reforma da sede")
    url = f"{live_server.url}/convenios/propostas/{p.pk}/"

    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, cadastrador.email)
    page.goto(url)
    page.get_by_role("button", name="Enviar ao concedente").click()
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    p.refresh_from_db()
    assert p.status == "CADASTRAMENTO"
    _fotografar(page, "revisao-enviar-proposta")
    confirmar_revisao(page, "Enviar ao concedente", "1 indicação, total R$ 120.000,00")
    page.get_by_text("enviada ao concedente").first.wait_for()

    orgao = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(orgao, live_server.url, "analista@saude.test")
    orgao.goto(url)
    orgao.get_by_role("button", name="Receber para análise").click()
    orgao.get_by_role("button", name="Aprovar a proposta").click()
    orgao.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    _fotografar(orgao, "revisao-aprovar-proposta")
    confirmar_revisao(orgao, "Aprovar a proposta", "1 indicação, total R$ 120.000,00")
    orgao.get_by_role("alert").filter(has_text=f"Proposta nº {p.pk} aprovada.").wait_for()

    p.refresh_from_db()
    convenio_vigente(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=p)
    orgao.goto(url)
    orgao.get_by_label("Valor da parcela (R$)").fill("45.000,00")
    orgao.get_by_role("button", name="Solicitar liberação").click()
    orgao.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    assert "depois deste pedido, R$ 75.000,00" in orgao.locator("[data-revisao-resumo]").inner_text()
    assert not Liberacao.objects.exists()
    _fotografar(orgao, "revisao-solicitar-liberacao")
    confirmar_revisao(orgao, "Solicitar liberação", "1 parcela, total R$ 45.000,00")
    orgao.get_by_text("Parcela 1 solicitada").wait_for()

    segov_page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(segov_page, live_server.url, "segov@segov.test")
    segov_page.goto(live_server.url + "/convenios/liberacoes/")
    segov_page.get_by_role("button", name="Autorizar").click()
    segov_page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    assert Liberacao.objects.get().status == "SOLICITADA"
    _fotografar(segov_page, "revisao-autorizar-liberacao")
    confirmar_revisao(segov_page, "Autorizar a liberação", "1 parcela, total R$ 45.000,00")
    segov_page.get_by_text("Parcela 1 da proposta").wait_for()
    assert segov_page.url.endswith("/convenios/liberacoes/")  # volta para a fila de onde veio
    assert Liberacao.objects.get().status == "AUTORIZADA"
    for pg in (page, orgao, segov_page):
        pg.close()
