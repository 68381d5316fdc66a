"""No navegador: o “Vai passar?” do formulário de indicação (htmx), do bloqueio à correção, no computador e no celular."""

from pathlib import Path

import pytest
from django.utils import timezone

from emendas.models import Indicacao
from tests.navegador_util import (  # noqa: F401 (fixtures)
    abrir_formulario_de_indicacao, beneficiario, dados, fotografar, navegador, passam_da_borda,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TELAS_PREFLIGHT = Path("/tmp/shots-preflight")


def _fotografar(page, nome):
    def nada_passa_da_borda(page, largura):
        assert passam_da_borda(page) == [], f"{nome} a {largura} px"

    fotografar(page, nome, pasta=TELAS_PREFLIGHT, conferir=nada_passa_da_borda)


def test_vai_passar_mostra_o_bloqueio_a_correcao_e_depois_libera(navegador, live_server, dados, beneficiario):
    beneficiario.situacao_cagec = "IRREGULAR"
    beneficiario.situacao_consultada_em = timezone.now()
    beneficiario.save()
    v = abrir_formulario_de_indicacao(navegador, live_server.url)
    page = v.page
    page.locator("#id_forma_execucao").select_option("CONVENIO")
    page.get_by_label("Objeto / tipo de atendimento").fill("Reforma do centro de saúde")
    page.get_by_label("CNPJ do beneficiário 1").press_sequentially(beneficiario.cnpj)
    page.locator("#beneficiario-1").get_by_text("Prefeitura Municipal de Itabira").wait_for()
    page.get_by_label("Valor 1 (R$)").fill("2.000.000,00")

    # Sem sair da página (htmx): a lista aparece embaixo do formulário, com o bloqueio na linha e como resolver.
    page.evaluate("window.__mesma_pagina = true")
    page.get_by_role("button", name="Vai passar?").click()
    lista = page.locator("#preflight")
    lista.wait_for()
    assert page.evaluate("window.__mesma_pagina") is True
    saldo = lista.locator('[data-regra="saldo"]')
    assert saldo.get_attribute("data-resultado") == "BLOQUEIO"
    assert "Linha 1:" in saldo.inner_text() and "Como resolver" in saldo.inner_text()
    assert "1 impedimento" in lista.inner_text()
    # Município com emenda impositiva: isento da regularidade no convênio (o CAGEC irregular não pesa aqui).
    assert lista.locator('[data-regra="isencao"]').get_attribute("data-resultado") == "OK"
    assert page.get_by_label("Valor 1 (R$)").input_value() == "2.000.000,00"  # nada do que foi digitado se perde
    v.conferir("vai passar com bloqueio")
    _fotografar(page, "vai-passar-bloqueio")

    page.get_by_label("Valor 1 (R$)").fill("1.000.000,00")
    page.get_by_role("button", name="Vai passar?").click()
    page.locator("#preflight").get_by_text("Nenhum impedimento").wait_for()
    assert page.locator('#preflight [data-regra="saldo"]').get_attribute("data-resultado") == "OK"
    _fotografar(page, "vai-passar-ok")

    # A revisão repete a lista e deixa confirmar.
    page.get_by_role("button", name="Revisar indicações").click()
    page.get_by_role("heading", name="Revise antes de enviar").wait_for()
    assert page.locator("#preflight").get_by_text("Nenhum impedimento").is_visible()
    _fotografar(page, "vai-passar-revisao")
    page.get_by_role("button", name="Confirmar e enviar 1 indicação").click()
    page.get_by_text("1 indicação(ões) enviada(s) ao órgão").wait_for()
    assert Indicacao.objects.count() == 1
    v.conferir("enviada")
    v.fechar()
