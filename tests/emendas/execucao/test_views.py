"""Telas do controle de execução: a lista do órgão, o registro (com a revisão antes do impedimento parcial), a
importação com prévia, a seção na página da indicação e a execução no painel do parlamentar."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emendas.models import ExecucaoIndicacao
from tests.conftest import logado

from .conftest import LIVRE, aprovada, em
from .test_importacao import csv_de

pytestmark = pytest.mark.django_db
M = Decimal


def _dados(**extra):
    return {"utilizado": "100.000,00", "empenhado": "50.000,00", "numero_empenho": "2019NE000001",
            "data_empenho": "01/02/2019", "liquidado": "40.000,00", "pago": "30.000,00", "data_pagamento": "",
            "categoria": "", "justificativa": "", **extra}


def test_lista_do_orgao_e_link_para_registrar(e, django_assert_max_num_queries):
    ind = aprovada(e)
    orgao = logado(e["orgao"])
    with django_assert_max_num_queries(15):
        r = orgao.get(reverse("emendas:execucoes"))
    assert r.status_code == 200 and reverse("emendas:registrar_execucao", args=[ind.pk]) in r.content.decode()
    assert "Não registrada" in r.content.decode()
    assert logado(e["parl"]).get(reverse("emendas:execucoes")).status_code == 403


def test_registro_completo_pela_tela(e):
    ind = aprovada(e)
    orgao = logado(e["orgao"])
    url = reverse("emendas:registrar_execucao", args=[ind.pk])
    assert orgao.get(url).status_code == 200
    with em(LIVRE):
        r = orgao.enviar(url, _dados())
    assert r.status_code == 302
    ex = ExecucaoIndicacao.objects.get()
    assert (ex.utilizado, ex.pago, ex.numero_empenho) == (M("100000.00"), M("30000.00"), "2019NE000001")
    # A página da indicação mostra os valores e o botão para o órgão.
    html = orgao.get(reverse("emendas:indicacao", args=[ind.pk])).content.decode()
    assert "Controle de execução" in html and "R$ 30.000,00" in html and "Registrar execução" in html


def test_valor_ruim_volta_com_a_mensagem(e):
    ind = aprovada(e)
    with em(LIVRE):
        r = logado(e["orgao"]).enviar(reverse("emendas:registrar_execucao", args=[ind.pk]),
                                      _dados(pago="45.000,00"))
    assert r.status_code == 200 and "não pode passar do valor liquidado" in r.content.decode()
    assert not ExecucaoIndicacao.objects.exists()


def test_iot_parcial_passa_pela_revisao(e):
    ind = aprovada(e)
    orgao = logado(e["orgao"])
    url = reverse("emendas:registrar_execucao", args=[ind.pk])
    dados = _dados(utilizado="60.000,00", categoria=str(e["cat"].pk), justificativa="A obra custou menos.")
    with em(LIVRE):
        r = orgao.enviar(url, dados)
        assert r.status_code == 200 and "irreversível" in r.content.decode() and "R$ 40.000,00" in r.content.decode()
        assert not ExecucaoIndicacao.objects.exists()  # a revisão não grava nada
        r = orgao.enviar(url, {**dados, "confirmado": "1"})
    assert r.status_code == 302
    assert ExecucaoIndicacao.objects.get().valor_impedido == M("40000.00")
    # Sem categoria: a mensagem do serviço, sem revisão.
    outra = aprovada(e)
    with em(LIVRE):
        r = orgao.enviar(reverse("emendas:registrar_execucao", args=[outra.pk]), _dados(utilizado="1,00"))
    assert "justificativa" in r.content.decode() and not ExecucaoIndicacao.objects.filter(indicacao=outra).exists()


def test_outro_orgao_e_o_parlamentar_nao_registram(e):
    ind = aprovada(e)
    url = reverse("emendas:registrar_execucao", args=[ind.pk])
    assert logado(e["parl"]).get(url).status_code == 403
    with em(LIVRE):
        assert logado(e["parl"]).enviar(url, _dados()).status_code == 403
    assert not ExecucaoIndicacao.objects.exists()


def test_get_nao_grava(e):
    ind = aprovada(e)
    logado(e["orgao"]).get(reverse("emendas:registrar_execucao", args=[ind.pk]), _dados())
    assert not ExecucaoIndicacao.objects.exists()


def test_importacao_pela_tela_previa_e_confirmacao(e):
    ind = aprovada(e)
    orgao = logado(e["orgao"])
    url = reverse("emendas:importar_execucao")
    conteudo = csv_de((str(ind.numero), "100.000,00", "0", "", "", "0", "0", "", "", ""))
    with em(LIVRE):
        r = orgao.enviar(url, {"ano": "2019", "arquivo": SimpleUploadedFile("execucao.csv", conteudo)})
        assert r.status_code == 200 and "nada foi gravado ainda" in r.content.decode()
        assert not ExecucaoIndicacao.objects.exists()
        previa = r.context["previa"]
        r = orgao.enviar(url, {"confirmar": "1", "previa": str(previa.pk)})
    assert r.status_code == 302 and ExecucaoIndicacao.objects.get().utilizado == M("100000.00")


def test_importacao_com_linha_ruim_mostra_os_erros(e):
    ind = aprovada(e)
    conteudo = csv_de((str(ind.numero), "100.000,00", "1,00", "", "", "0", "0", "", "", ""))
    with em(LIVRE):
        r = logado(e["orgao"]).enviar(reverse("emendas:importar_execucao"),
                                      {"ano": "2019", "arquivo": SimpleUploadedFile("e.csv", conteudo)})
    assert "Nada foi importado" in r.content.decode() and "Linha 2" in r.content.decode()
    assert not ExecucaoIndicacao.objects.exists()


def test_painel_do_parlamentar_mostra_a_execucao(e):
    ind = aprovada(e)
    with em(LIVRE):
        logado(e["orgao"]).enviar(reverse("emendas:registrar_execucao", args=[ind.pk]),
                                  _dados(utilizado="60.000,00", empenhado="0", numero_empenho="", liquidado="0",
                                         pago="0", categoria=str(e["cat"].pk), justificativa="Sobrou",
                                         confirmado="1"))
        html = logado(e["parl"]).get(reverse("inicio"), {"ano": 2019}).content.decode()
    assert "Execução das indicações aprovadas" in html
    assert "IOT parcial: R$ 40.000,00 devolvidos" in html
