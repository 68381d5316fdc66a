"""“Vai passar?” nas telas: o formulário (htmx e sem JavaScript), a revisão e a indicação vista pelo analista."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import Indicacao
from emendas.services import enviar_indicacao
from tests.conftest import criar_usuario, logado

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("na_janela_livre")]


@pytest.fixture
def c(inciso, parlamentar):
    osc = Convenente.objects.create(cnpj=gerar_cnpj(31), razao_social="APAE de Contagem", municipio="Contagem",
                                    tipo="OSC", situacao_cagec="IRREGULAR", siafi_bloqueado=False,
                                    situacao_consultada_em=timezone.now())
    fundo = Convenente.objects.create(cnpj=gerar_cnpj(32), razao_social="Fundo de Saúde de Betim", municipio="Betim",
                                      tipo="FUNDO_MUNICIPAL_SAUDE")
    return {"inciso": inciso, "usuario": parlamentar.usuario, "osc": osc, "fundo": fundo,
            "url": reverse("emendas:nova_indicacao", args=[inciso.pk])}


def _dados(c, **extra):
    return {"forma_execucao": "CONVENIO", "objeto": "Reforma", "cnpj_1": c["osc"].cnpj_formatado,
            "valor_1": "100.000,00", **extra}


def _itens(html):
    return html.count('data-regra="')


def test_htmx_devolve_so_a_lista_e_nada_e_gravado(c):
    r = logado(c["usuario"]).enviar(c["url"], _dados(c, acao="verificar"), HTTP_HX_REQUEST="true",
                                    HTTP_HX_TARGET="preflight-lugar")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert 'data-regra="cagec" data-resultado="ALERTA"' in html and "irregular no CAGEC" in html
    assert 'data-regra="saldo" data-resultado="OK"' in html
    assert "Nenhum impedimento" in html and "1 alerta" in html
    assert not Indicacao.objects.exists()


def test_sem_javascript_a_pagina_toda_volta_com_o_formulario_preenchido(c):
    r = logado(c["usuario"]).enviar(c["url"], _dados(c, acao="verificar", cnpj_2=c["fundo"].cnpj, valor_2="2.000.000,00"))
    html = r.content.decode()
    assert r.status_code == 200 and "<html" in html and 'id="form-indicacao"' in html
    assert 'value="2.000.000,00"' in html  # nada do que foi digitado se perde
    # A linha 2 não serve para a forma: bloqueio na linha 2, com a correção.
    assert "<strong>Linha 2:</strong>" in html and "Fundo municipal de saúde" in html
    assert 'data-resultado="BLOQUEIO"' in html and "impedimento" in html
    assert not Indicacao.objects.exists()


def test_erros_do_formulario_tambem_entram_na_lista(c):
    r = logado(c["usuario"]).enviar(c["url"], _dados(c, acao="verificar", cnpj_1="11.111.111/1111-11"),
                                    HTTP_HX_REQUEST="true", HTTP_HX_TARGET="preflight-lugar")
    html = r.content.decode()
    assert 'data-regra="formulario" data-resultado="BLOQUEIO"' in html


def test_a_revisao_mostra_a_lista_e_a_confirmacao_fica_ligada_quando_passa(c):
    r = logado(c["usuario"]).enviar(c["url"], _dados(c))
    html = r.content.decode()
    assert "Revise antes de enviar" in html and 'data-regra="cagec"' in html
    botao = html.split('value="confirmar"', 1)[1].split(">", 1)[0]
    assert "disabled" not in botao


def test_quem_so_consulta_o_inciso_nao_verifica(c, outro_parlamentar):
    r = logado(outro_parlamentar.usuario).enviar(c["url"], _dados(c, acao="verificar"))
    assert r.status_code in (403, 404)


def test_o_analista_da_uo_ve_a_lista_na_indicacao_e_o_titular_nao(c, analista_orgao):
    ind = enviar_indicacao(usuario=c["usuario"], inciso=c["inciso"], forma_execucao="CONVENIO",
                           valor=Decimal("10.00"), beneficiario=c["osc"], objeto="Obra")
    url = reverse("emendas:indicacao", args=[ind.pk])
    do_analista = logado(analista_orgao).get(url).content.decode()
    assert 'id="titulo-preflight"' in do_analista and 'data-regra="cagec" data-resultado="ALERTA"' in do_analista
    assert 'id="titulo-preflight"' not in logado(c["usuario"]).get(url).content.decode()
    outro_orgao = criar_usuario("outro@orgao.test", "Órgão")
    assert logado(outro_orgao).get(url).status_code in (403, 404)


def test_a_fila_do_orgao_mostra_o_selo_com_os_alertas_e_leva_a_lista(c, analista_orgao):
    limpa = Convenente.objects.create(cnpj=gerar_cnpj(33), razao_social="Prefeitura de Sabará", municipio="Sabará",
                                      tipo="ADM_MUNICIPAL", situacao_cagec="REGULAR", siafi_bloqueado=False,
                                      situacao_consultada_em=timezone.now())
    com_alerta = enviar_indicacao(usuario=c["usuario"], inciso=c["inciso"], forma_execucao="CONVENIO",
                                  valor=Decimal("10.00"), beneficiario=c["osc"], objeto="Obra")
    sem_alerta = enviar_indicacao(usuario=c["usuario"], inciso=c["inciso"], forma_execucao="CONVENIO",
                                  valor=Decimal("10.00"), beneficiario=limpa, objeto="Obra")
    html = logado(analista_orgao).get(reverse("emendas:analise_orgao")).content.decode()
    linhas = {ind.pk: html.split(f'value="{ind.pk}"', 1)[1].split("</tr>", 1)[0] for ind in (com_alerta, sem_alerta)}
    assert "1 alerta" in linhas[com_alerta.pk] and f'/{com_alerta.pk}/#preflight' in linhas[com_alerta.pk]
    assert "#preflight" not in linhas[sem_alerta.pk]
