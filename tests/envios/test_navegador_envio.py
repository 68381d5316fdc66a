"""No navegador: Voltar + Confirmar e o duplo clique criam um só; sem o token, a página 400; um reenvio com o primeiro
ainda rodando espera e leva ao resultado dele; a revisão antes do dinheiro mexer, nas filas e nos
passos da proposta, diz a ação, quantos itens e o total (e cabe num celular de 390 px)."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from emendas.models import ProgramacaoElegivel, Remanejamento
from envios import unico
from tests.concorrencia import primeiro_envio_rodando
from tests.fabricas import cenario_convenio, convenio_vigente
from tests.navegador_util import (  # noqa: F401 (fixtures)
    Vigia, confirmar_revisao, dados, entrar, fotografar, navegador, pedir_remanejamento_pelo_navegador,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TELAS = Path(os.environ.get("SIGCON_TELAS_ENVIO", "/tmp/shots-idem"))


def _fotografar(page, nome):
    """A tela a 1366 e a 390 px; em cada uma, nada faz a página rolar para o lado."""
    def sem_rolagem_lateral(page, largura):
        assert page.evaluate("document.documentElement.scrollWidth") <= largura, f"{nome} a {largura} px"

    fotografar(page, nome, pasta=TELAS, conferir=sem_rolagem_lateral)


@pytest.fixture
def remanejavel(dados, acao_saude, acao_saude_2, grupo_inv):
    from emendas.models import Inciso

    for acao in (acao_saude, acao_saude_2):
        ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao, grupo_despesa=grupo_inv)
    return Inciso.objects.get(numero="S501")


def test_voltar_e_confirmar_de_novo_cria_um_so_remanejamento(navegador, live_server, remanejavel):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    pedir_remanejamento_pelo_navegador(page, live_server.url, remanejavel.pk, "5.000,00")
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


def _abrir_confirmacao(page, base, inciso_pk, *, javascript=True):
    """Da tela do pedido até "Confirme o pedido de remanejamento" (sem JavaScript os grupos vêm com a página)."""
    page.goto(f"{base}/emendas/remanejamentos/inciso/{inciso_pk}/novo/")
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


@pytest.mark.parametrize("javascript", [True, False], ids=["com-js", "sem-js"])
def test_duplo_clique_no_confirmar_cria_um_so(navegador, live_server, remanejavel, javascript):
    contexto = navegador.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=javascript)
    page = contexto.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    _abrir_confirmacao(page, live_server.url, remanejavel.pk, javascript=javascript)
    page.get_by_role("button", name="Confirmar pedido").dblclick()
    page.get_by_text("solicitado. O valor já foi reservado").wait_for()
    assert Remanejamento.objects.count() == 1
    contexto.close()


def test_formulario_sem_o_token_mostra_a_pagina_400_e_leva_de_volta_ao_formulario(navegador, live_server, remanejavel):
    v = Vigia(navegador)
    page = v.page
    entrar(page, live_server.url, "ana@almg.test")
    _abrir_confirmacao(page, live_server.url, remanejavel.pk)
    # Uma página aberta antes de uma atualização (ou um cliente que não é o navegador) manda o formulário sem o campo.
    page.evaluate("document.querySelectorAll('input[name=envio_unico]').forEach(c => c.remove())")
    with page.expect_response(lambda r: r.request.method == "POST") as envio:
        page.get_by_role("button", name="Confirmar pedido").click()
    assert envio.value.status == 400
    page.get_by_role("heading", name="Formulário expirado ou incompleto").wait_for()
    assert "Este formulário expirou ou veio incompleto. Recarregue a página e tente de novo." in page.inner_text("main")
    assert unico.SEM_TOKEN in page.inner_text("main") and not Remanejamento.objects.exists()
    v.conferir("página 400 do envio único")
    _fotografar(page, "envio-sem-token")
    page.get_by_role("link", name="Voltar ao formulário").click()  # o Referer: a tela do pedido, de novo pelo GET
    page.get_by_role("heading", name=f"Remanejar o inciso {remanejavel.numero}").wait_for()
    assert page.url.endswith(f"/emendas/remanejamentos/inciso/{remanejavel.pk}/novo/")
    v.fechar()


@pytest.mark.parametrize("javascript", [True, False], ids=["com-js", "sem-js"])
def test_reenvio_com_o_primeiro_ainda_rodando_espera_e_leva_ao_resultado(navegador, live_server, remanejavel,
                                                                        monkeypatch, javascript):
    from django.contrib import messages
    from django.utils import timezone

    from envios.models import EnvioUnico

    monkeypatch.setattr(unico, "ESPERA_MAXIMA", timedelta(milliseconds=50))
    contexto = navegador.new_context(viewport={"width": 1366, "height": 900}, java_script_enabled=javascript)
    page = contexto.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    _abrir_confirmacao(page, live_server.url, remanejavel.pk, javascript=javascript)
    # O primeiro envio deste mesmo formulário (o mesmo token) reservou a chave e ainda roda noutro processo.
    token = page.locator("form:has(button:text('Confirmar pedido')) input[name=envio_unico]").input_value()
    chave = unico.chave_do_token(token, remanejavel.emenda.parlamentar.usuario)
    primeiro = EnvioUnico.objects.create(chave=chave, usuario=remanejavel.emenda.parlamentar.usuario,
                                         caminho=f"/emendas/remanejamentos/inciso/{remanejavel.pk}/novo/")
    with primeiro_envio_rodando(chave):
        page.get_by_role("button", name="Confirmar pedido").click()
        page.get_by_role("heading", name="Envio em andamento").wait_for()
        assert unico.EM_ANDAMENTO in page.inner_text("main")
        _fotografar(page, f"envio-em-andamento-{'js' if javascript else 'sem-js'}")
        # O primeiro termina: grava o resultado (como envios.unico faz) e solta a vez.
        primeiro.concluido_em, primeiro.destino = timezone.now(), "/emendas/remanejamentos/"
        primeiro.mensagens = [[messages.SUCCESS, "Remanejamento nº 41 solicitado.", ""]]
        primeiro.save()
    # A espera se recarrega sozinha (htmx; sem JavaScript, o refresh) e leva ao resultado do primeiro envio.
    page.get_by_text(unico.JA_ENVIADO).wait_for()
    assert "Remanejamento nº 41 solicitado." in page.inner_text("main")
    assert page.url.endswith("/emendas/remanejamentos/") and not Remanejamento.objects.exists()
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
    page.get_by_text("3 pedidos aprovados").wait_for()
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
