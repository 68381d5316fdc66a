"""Telas do segundo ciclo: caminho feliz, GET onde só vale POST, objeto de outro titular, valor ruim com a mensagem,
revisão antes do irreversível, e a consulta constante."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emendas.models import ConclusaoSaneamento, Inciso, LinhaRemanejamentoConstitucional, MovimentoSaneamento
from tests.conftest import logado

from .conftest import as_

pytestmark = pytest.mark.django_db
M = Decimal


def test_painel_mostra_o_saldo_com_iot_por_inciso(ciclo):
    with as_(ciclo["escolha"][0]):
        r = logado(ciclo["parl"]).get(reverse("emendas:saneamento"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "R$ 800.000,00" in html and ciclo["saude"].numero in html and ciclo["outra"].numero in html
    assert "aberta hoje" in html


def test_sanear_pela_tela(ciclo):
    url = reverse("emendas:saneamento_inciso", args=[ciclo["outra"].pk])
    with as_(ciclo["escolha"][0]):
        c = logado(ciclo["parl"])
        assert "Indicação nº 2" in c.get(url).content.decode()
        r = c.enviar(url, {"acao": "sanear", "indicacao": ciclo["i2"].pk, "valor": "1.234,56",
                           "proposta_saneadora": "Licença obtida"}, follow=True)
    assert "Saneamento da indicação nº 2 salvo" in r.content.decode()
    assert MovimentoSaneamento.objects.get().valor == M("1234.56")


def test_valor_acima_do_nao_utilizado_mostra_a_mensagem(ciclo):
    url = reverse("emendas:saneamento_inciso", args=[ciclo["outra"].pk])
    with as_(ciclo["escolha"][0]):
        r = logado(ciclo["parl"]).enviar(url, {"acao": "sanear", "indicacao": ciclo["i2"].pk, "valor": "600.000,00",
                                               "proposta_saneadora": "x"}, follow=True)
    assert "passa do valor não utilizado" in r.content.decode()
    assert not MovimentoSaneamento.objects.exists()


def test_valor_ilegivel_mostra_a_mensagem(ciclo):
    url = reverse("emendas:saneamento_inciso", args=[ciclo["outra"].pk])
    with as_(ciclo["escolha"][0]):
        r = logado(ciclo["parl"]).enviar(url, {"acao": "reservar", "valor": "abc"}, follow=True)
    assert r.status_code == 200 and "alert-danger" in r.content.decode()


def test_inciso_de_outro_titular_e_recusado(ciclo, outro_parlamentar):
    url = reverse("emendas:saneamento_inciso", args=[ciclo["outra"].pk])
    c = logado(outro_parlamentar.usuario)
    assert c.get(url).status_code in (403, 404)
    assert c.enviar(url, {"acao": "reservar", "valor": "1,00"}).status_code in (403, 404)


def test_concluir_so_por_post_e_passa_pela_revisao(ciclo):
    url = reverse("emendas:concluir_saneamento", args=[ciclo["outra"].pk])
    with as_(ciclo["escolha"][0]):
        c = logado(ciclo["parl"])
        assert c.get(url).status_code == 405
        r = c.enviar(url)
        assert "Revise antes de confirmar" in r.content.decode() and not ConclusaoSaneamento.objects.exists()
        c.enviar(url, {"confirmado": "1"})
    assert ConclusaoSaneamento.objects.filter(inciso=ciclo["outra"]).exists()


def _concluir_tudo(ciclo):
    from emendas.services import concluir_saneamento, reservar_remanejamento_constitucional

    with as_(ciclo["escolha"][0]):
        reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["saude"], valor=M("300000.00"))
        for i in (ciclo["saude"], ciclo["outra"]):
            concluir_saneamento(usuario=ciclo["parl"], inciso=i)


def test_remanejamento_constitucional_pela_tela(ciclo, programacoes):
    _concluir_tudo(ciclo)
    url = reverse("emendas:remanejamento_constitucional")
    with as_(ciclo["programacao"][0]):
        c = logado(ciclo["parl"])
        html = c.get(url).content.decode()
        assert "Saldo remanejamento constitucional" in html and "R$ 300.000,00" in html
        r = c.enviar(url, {"acao": "programar", "programacao": programacoes[0].pk, "valor": "100.000,00"},
                     follow=True)
        assert "Linha do remanejamento constitucional salva" in r.content.decode()
        r = c.enviar(url, {"acao": "programar", "programacao": programacoes[0].pk, "valor": "999.999,00"})
        assert "Saldo do remanejamento constitucional insuficiente" in r.content.decode()
        linha = LinhaRemanejamentoConstitucional.objects.get()
        r = c.enviar(url, {"acao": "refazer"})
        assert "Revise antes de confirmar" in r.content.decode()
        c.enviar(url, {"acao": "excluir", "linha": linha.pk})
    assert not LinhaRemanejamentoConstitucional.objects.exists()


def test_segov_registra_a_lei_pela_tela_com_revisao(ciclo, programacoes, segov):
    from emendas.services import programar_remanejamento_constitucional

    _concluir_tudo(ciclo)
    with as_(ciclo["programacao"][0]):
        programar_remanejamento_constitucional(usuario=ciclo["parl"], titular=ciclo["titular"],
                                               acao=programacoes[0].acao, grupo_despesa=programacoes[0].grupo_despesa,
                                               valor=M("100000.00"))
    url = reverse("emendas:lei_remanejamento")
    dia = ciclo["programacao"][1] + ciclo["um"]
    with as_(dia):
        c = logado(segov)
        assert "Linhas programadas sem lei" in c.get(url).content.decode()
        dados = {"numero_lei": "23.500", "data": dia.strftime("%d/%m/%Y")}
        assert "Revise antes de confirmar" in c.enviar(url, dados).content.decode()
        assert not Inciso.objects.filter(tipo="P").exists()
        r = c.enviar(url, {**dados, "confirmado": "1"}, follow=True)
    assert "1 inciso(s) P criado(s)" in r.content.decode()
    assert Inciso.objects.get(tipo="P").valor_inicial == M("100000.00")


def test_parlamentar_nao_abre_a_tela_da_lei(ciclo):
    assert logado(ciclo["parl"]).get(reverse("emendas:lei_remanejamento")).status_code == 403


def test_painel_com_consultas_constantes(ciclo, fabrica, django_assert_max_num_queries):
    from .conftest import indicacao_reprovada

    url = reverse("emendas:saneamento")
    with as_(ciclo["escolha"][0]):
        c = logado(ciclo["parl"])
        c.get(url)
        with django_assert_max_num_queries(30) as poucos:
            c.get(url)
        for n in range(5):
            indicacao_reprovada(fabrica.inciso(ciclo["titular"], "1000.00"), "10.00", 100 + n)
        with django_assert_max_num_queries(len(poucos.captured_queries)):
            c.get(url)


def test_relatorio_saneamento_na_tela_csv_e_pdf(ciclo, programacoes, segov, tmp_path):
    from emendas.services import programar_remanejamento_constitucional, registrar_lei_remanejamento
    from tests.fabricas import ler_csv, texto_de_pdf

    _concluir_tudo(ciclo)
    with as_(ciclo["programacao"][0]):
        programar_remanejamento_constitucional(usuario=ciclo["parl"], titular=ciclo["titular"],
                                               acao=programacoes[0].acao, grupo_despesa=programacoes[0].grupo_despesa,
                                               valor=M("100000.00"))
    dia = ciclo["programacao"][1] + ciclo["um"]
    with as_(dia):
        registrar_lei_remanejamento(usuario=segov, exercicio=ciclo["saude"].exercicio, numero_lei="1", data=dia)
        c = logado(segov)
        html = c.get(reverse("relatorio_saneamento")).content.decode()
        _, csv = ler_csv(c.get(reverse("relatorio_saneamento_csv")))
        pdf = texto_de_pdf(c.get(reverse("relatorio_saneamento_pdf")).content, tmp_path)
    assert "Saneamento / Remanejamento Constitucional" in html and "Ana Lacerda" in html
    linha = next(l for l in csv if l["Titular"] == "Ana Lacerda")
    # guardado 300 mil; programado e saído 100 mil; perdeu 200 mil na lei; um inciso P de 100 mil.
    assert (linha["Guardado p/ remanejamento constitucional"], linha["Programado (dotações de destino)"],
            linha["Saiu para incisos P (lei)"], linha["Não programado (perdeu a impositividade)"],
            linha["Incisos P"], linha["Valor dos incisos P"]) == (
        "300.000,00", "100.000,00", "100.000,00", "200.000,00", "1", "100.000,00"), linha
    assert "Ana Lacerda" in pdf
    assert logado(ciclo["parl"]).get(reverse("relatorio_saneamento")).status_code == 403
