"""No navegador: o formulário de indicação (total corrente, linhas, CNPJ → nome, erros, revisão e envio) e a entrada
de datas pt-BR (máscara dd/mm/aaaa, também num navegador em inglês, e os erros no campo)."""

from pathlib import Path

import pytest
from django.utils import timezone

from emendas.models import Indicacao, Inciso
from tests.navegador_util import (  # noqa: F401 (fixtures)
    Vigia, abrir_formulario_de_indicacao, beneficiario, dados, entrar, fotografar, navegador, passam_da_borda,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TELAS_FORM = Path("/tmp/shots-form")


@pytest.fixture
def outro_beneficiario(db):
    from convenios.cnpj import gerar_cnpj
    from convenios.models import Convenente

    return Convenente.objects.create(cnpj=gerar_cnpj(322), razao_social="APAE de Contagem", municipio="Contagem",
                                     tipo="OSC")


def _fotografar(page, nome, *, conferir_borda=True):
    def nada_passa_da_borda(page, largura):
        assert passam_da_borda(page) == [], f"{nome} a {largura} px"

    fotografar(page, nome, pasta=TELAS_FORM, conferir=nada_passa_da_borda if conferir_borda else None)


def _ativo(page):
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_formulario_total_linhas_cnpj_erros_revisao_e_envio(navegador, live_server, dados, beneficiario,
                                                            outro_beneficiario):
    v = abrir_formulario_de_indicacao(navegador, live_server.url)
    page = v.page
    total = page.locator("#total-indicacao")
    assert "R$ 0,00" in total.inner_text() and "sobram R$ 1.234.567,89" in total.inner_text()

    page.locator("#id_forma_execucao").select_option("CONVENIO")
    page.get_by_label("Objeto / tipo de atendimento").fill("Reforma do centro de saúde")
    # O nome e a situação aparecem embaixo da linha assim que o CNPJ está completo (htmx).
    page.get_by_label("CNPJ do beneficiário 1").press_sequentially(beneficiario.cnpj)
    page.locator("#beneficiario-1").get_by_text("Prefeitura Municipal de Itabira").wait_for()
    assert "CAGEC" in page.locator("#beneficiario-1").inner_text()
    page.get_by_label("Valor 1 (R$)").press_sequentially("1.000.000,00")
    assert "Total das linhas: R$ 1.000.000,00" in total.inner_text()
    assert "sobram R$ 234.567,89" in total.inner_text()
    v.conferir("formulário, CNPJ e total")

    # "Adicionar linha" pelo htmx: a página não recarrega, nada se perde e o foco vai para a linha nova.
    page.evaluate("window.__mesma_pagina = true")
    page.get_by_role("button", name="Adicionar linha").click()
    page.get_by_label("CNPJ do beneficiário 2").wait_for()
    assert page.evaluate("window.__mesma_pagina") is True
    assert page.get_by_label("Valor 1 (R$)").input_value() == "1.000.000,00"
    assert page.get_by_label("Objeto / tipo de atendimento").input_value() == "Reforma do centro de saúde"
    assert _ativo(page) == "cnpj_2"
    assert "Prefeitura Municipal de Itabira" in page.locator("#beneficiario-1").inner_text()
    page.get_by_label("CNPJ do beneficiário 2").press_sequentially(outro_beneficiario.cnpj_formatado)
    page.locator("#beneficiario-2").get_by_text("APAE de Contagem").wait_for()
    page.get_by_label("Valor 2 (R$)").fill("300.000,00")
    assert "R$ 1.300.000,00" in total.inner_text() and "passa em R$ 65.432,11" in total.inner_text()
    v.conferir("formulário, linha adicionada")

    # Acima do disponível: o erro vai para a linha que passa, com o total; resumo no topo e foco no campo.
    page.get_by_role("button", name="Revisar indicações").click()
    resumo = page.locator("#resumo-erros")
    resumo.wait_for()
    assert _ativo(page) == "valor_2"
    esperado = ("O total das linhas, R$ 1.300.000,00, passa o saldo livre disponível, R$ 1.234.567,89, "
                "em R$ 65.432,11.")
    assert esperado in page.locator("#erro-total").inner_text()
    assert esperado in page.locator("#linha-2").inner_text()
    assert page.get_by_label("Valor 2 (R$)").get_attribute("aria-invalid") == "true"
    resumo.get_by_role("link").first.click()
    assert _ativo(page) == "valor_2"
    v.conferir("formulário com erro no total")
    _fotografar(page, "indicacao-erro-total")

    page.get_by_label("Valor 2 (R$)").fill("200.000,00")
    page.get_by_role("button", name="Revisar indicações").click()
    page.get_by_role("heading", name="Revise antes de enviar").wait_for()
    corpo = page.locator("main").inner_text()
    for trecho in ("Prefeitura Municipal de Itabira", "APAE de Contagem", "2 indicações", "R$ 1.200.000,00",
                   "S501", "Livre", "depois do envio R$ 34.567,89"):
        assert trecho in corpo, trecho
    assert not Indicacao.objects.exists()
    v.conferir("revisão")
    _fotografar(page, "indicacao-revisao")
    page.get_by_role("button", name="Confirmar e enviar 2 indicações").click()
    page.get_by_text("2 indicação(ões) enviada(s) ao órgão").wait_for()
    assert sorted(Indicacao.objects.values_list("valor", flat=True)) == [200000, 1000000]
    v.conferir("enviadas")
    v.fechar()


def test_envio_vazio_e_remover_linha(navegador, live_server, dados, beneficiario):
    s501 = Inciso.objects.get(numero="S501")
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/indicacoes/inciso/{s501.pk}/nova/")
    page.get_by_label("Objeto / tipo de atendimento").fill("Obra")
    page.get_by_role("button", name="Revisar indicações").click()
    page.locator("#resumo-erros").get_by_text("Inclua ao menos um beneficiário").wait_for()
    assert _ativo(page) == "cnpj_1"
    assert "Inclua ao menos um beneficiário" in page.locator("#linha-1").inner_text()
    page.get_by_label("CNPJ do beneficiário 1").fill("11.111.111/1111-11")
    page.get_by_role("button", name="Adicionar linha").click()
    page.get_by_label("CNPJ do beneficiário 2").fill(beneficiario.cnpj_formatado)
    page.get_by_role("button", name="Remover a linha 1").click()
    page.get_by_label("CNPJ do beneficiário 2").wait_for(state="detached")
    assert page.get_by_label("CNPJ do beneficiário 1").input_value() == beneficiario.cnpj_formatado
    assert "Prefeitura Municipal de Itabira" in page.locator("#beneficiario-1").inner_text()
    page.close()


def test_formulario_sem_javascript_adiciona_linha_revisa_e_envia(navegador, live_server, dados, beneficiario,
                                                               outro_beneficiario):
    s501 = Inciso.objects.get(numero="S501")
    contexto = navegador.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = contexto.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/indicacoes/inciso/{s501.pk}/nova/")
    # No celular a busca de beneficiários vem antes do botão de revisar e enviar.
    busca = page.get_by_role("heading", name="Buscar beneficiário").bounding_box()
    botao = page.get_by_role("button", name="Revisar indicações").bounding_box()
    assert busca["y"] < botao["y"]
    page.get_by_label("Objeto / tipo de atendimento").fill("Obra")
    page.get_by_label("CNPJ do beneficiário 1").fill(beneficiario.cnpj_formatado)
    page.get_by_label("Valor 1 (R$)").fill("10,00")
    page.get_by_role("button", name="Adicionar linha").click()  # reenvia a página com uma linha a mais
    page.get_by_label("CNPJ do beneficiário 2").fill(outro_beneficiario.cnpj)
    page.get_by_label("Valor 2 (R$)").fill("5,50")
    assert page.get_by_label("Valor 1 (R$)").input_value() == "10,00"
    assert "Prefeitura Municipal de Itabira" in page.locator("#beneficiario-1").inner_text()
    assert "Total das linhas: R$ 10,00" in page.locator("#total-indicacao").inner_text()  # conta do servidor
    _fotografar(page, "indicacao-sem-js")
    page.get_by_role("button", name="Revisar indicações").click()
    page.get_by_role("heading", name="Revise antes de enviar").wait_for()
    assert "R$ 15,50" in page.locator("main").inner_text()
    page.get_by_role("button", name="Voltar e corrigir").click()
    assert page.get_by_label("Valor 2 (R$)").input_value() == "5,50"
    page.get_by_role("button", name="Revisar indicações").click()
    page.get_by_role("button", name="Confirmar e enviar 2 indicações").click()
    page.get_by_text("2 indicação(ões) enviada(s) ao órgão").wait_for()
    assert Indicacao.objects.count() == 2
    contexto.close()


@pytest.mark.parametrize("locale", ["en-US", "pt-BR"])
def test_data_em_dd_mm_aaaa_mesmo_num_navegador_em_ingles(navegador, live_server, dados, locale):
    contexto = navegador.new_context(locale=locale, viewport={"width": 1366, "height": 900})
    page = contexto.new_page()
    assert page.evaluate("navigator.language") == locale
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(f"{live_server.url}/relatorios/saldos/")
    campo = page.get_by_label("Saldos em")
    assert campo.get_attribute("type") == "text" and campo.get_attribute("placeholder") == "dd/mm/aaaa"
    campo.press_sequentially("31022026")  # só os algarismos: as barras entram sozinhas
    assert campo.input_value() == "31/02/2026"
    campo.fill("2026-02-31")  # aaaa-mm-dd colado vira dd/mm/aaaa, e o servidor recusa o dia que não existe
    assert campo.input_value() == "31/02/2026"
    page.get_by_role("button", name="Filtrar").click()
    page.get_by_text("Data inválida: 31/02/2026. Esse dia não existe no calendário.").wait_for()
    assert page.get_by_label("Saldos em").input_value() == "31/02/2026"
    if locale == "en-US":
        # A tabela do relatório (com rolagem própria) é de outra tela; aqui importa o campo de data.
        _fotografar(page, "data-invalida-en-US", conferir_borda=False)
    hoje = timezone.localdate()
    campo = page.get_by_label("Saldos em")
    campo.fill("")
    campo.press_sequentially(hoje.strftime("%d%m%Y"))
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_load_state()
    assert "Data inválida" not in page.locator("main").inner_text()
    assert page.get_by_label("Saldos em").input_value() == hoje.strftime("%d/%m/%Y")
    assert f"dia={hoje:%d}%2F{hoje:%m}%2F{hoje:%Y}" in page.url
    contexto.close()


def test_calendario_do_exercicio_em_ingles_mostra_e_le_dd_mm_aaaa(navegador, live_server, dados):
    contexto = navegador.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = contexto.new_page()
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(f"{live_server.url}/emendas/exercicios/{dados.ano}/editar/")
    liberacao = page.locator("#id_data_liberacao")
    assert liberacao.input_value() == dados.data_liberacao.strftime("%d/%m/%Y")
    fim_livre = page.locator("#id_fim_janela_livre")
    fim_livre.fill("")
    fim_livre.press_sequentially("01011990")
    page.get_by_role("button", name="Salvar").click()
    # No campo, não num aviso solto: a mensagem está no mesmo grupo que o campo (e o resumo no topo a repete).
    grupo = page.locator("#div_id_fim_janela_livre")
    grupo.get_by_text("O fim da janela livre não pode ser anterior à liberação.").wait_for()
    assert "Fim da janela livre: O fim da janela livre não pode ser anterior" in page.locator(
        "[data-resumo-erros]").inner_text()
    _fotografar(page, "calendario-erro-no-campo")
    contexto.close()
