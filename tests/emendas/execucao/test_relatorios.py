"""Relatórios "Controle de Execução" e "Valores Utilizados": tela, CSV, PDF, quem vê quais linhas e o número de
consultas (que não cresce com as linhas)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from convenios import services as conv
from emendas.services import registrar_execucao
from tests.conftest import logado
from tests.fabricas import cenario_convenio, convenio_vigente, ler_csv, proposta_aprovada, texto_do_pdf

from .conftest import LIVRE, aprovada, em

pytestmark = pytest.mark.django_db
M = Decimal


@pytest.fixture
def executadas(e, outro_parlamentar, parlamentar, analista_orgao, segov):
    direta = aprovada(e, "100000.00")
    parcial = aprovada(e, "50000.00")
    with em(LIVRE):
        registrar_execucao(usuario=e["orgao"], indicacao=direta, utilizado=M("100000.00"), empenhado=M("80000.00"),
                           liquidado=M("70000.00"), pago=M("60000.00"), numero_empenho="2019NE000777")
        registrar_execucao(usuario=e["orgao"], indicacao=parcial, utilizado=M("30000.00"), empenhado=M("0"),
                           liquidado=M("0"), pago=M("0"), categoria=e["cat"], justificativa="Sobrou.")
    pendente = aprovada(e, "1234.56")  # aprovada, execução ainda não registrada
    convenente, cadastrador, ind_conv = cenario_convenio(inciso=e["inciso"], parlamentar=parlamentar,
                                                         analista_orgao=analista_orgao, segov=segov, valor="20000.00")
    with em(LIVRE):
        p = proposta_aprovada(cadastrador=cadastrador, convenente=convenente, indicacao=ind_conv,
                              analista_orgao=analista_orgao)
        convenio_vigente(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=p)
        lib = conv.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=M("5000.00"))
        conv.autorizar_liberacao(usuario=segov, liberacao=lib)
    return {"direta": direta, "parcial": parcial, "pendente": pendente, "convenio": ind_conv, "proposta": p}


def test_controle_de_execucao_tela_csv_e_visibilidade(e, executadas, outro_parlamentar, django_assert_max_num_queries):
    orgao = logado(e["orgao"])
    with django_assert_max_num_queries(20):
        r = orgao.get(reverse("relatorio_execucao"))
    html = r.content.decode()
    assert r.status_code == 200 and "2019NE000777" in html and "R$ 20.000,00" in html  # impedido da parcial
    assert "Execução ainda não registrada" in html
    cabecalho, linhas = ler_csv(orgao.get(reverse("relatorio_execucao_csv")))
    assert cabecalho[:3] == ["Nº da indicação", "Exercício", "Titular"]
    por_numero = {int(l["Nº da indicação"]): l for l in linhas}
    # Convênio fica de fora (vai para "Valores Utilizados"); a pendente aparece sem valores.
    assert set(por_numero) == {executadas["direta"].numero, executadas["parcial"].numero,
                               executadas["pendente"].numero}
    parcial = por_numero[executadas["parcial"].numero]
    assert parcial["Valor utilizado"] == "30.000,00" and parcial["Valor impedido (IOT parcial)"] == "20.000,00"
    assert parcial["Valor impedido devolvido para"] == "Livre" and parcial["Registro"] == "do órgão"
    # O titular vê as suas; outro parlamentar não vê nenhuma linha.
    assert str(executadas["direta"].numero) in logado(e["parl"]).get(reverse("relatorio_execucao")).content.decode()
    _, de_outro = ler_csv(logado(outro_parlamentar.usuario).get(reverse("relatorio_execucao_csv")))
    assert de_outro == []


def test_consultas_nao_crescem_com_as_linhas(e, executadas, django_assert_max_num_queries):
    segov = logado(e["segov"])
    for _ in range(6):
        ind = aprovada(e, "10.00")
        with em(LIVRE):
            registrar_execucao(usuario=e["orgao"], indicacao=ind, utilizado=M("10.00"), empenhado=M("0"),
                               liquidado=M("0"), pago=M("0"))
    for nome in ("relatorio_execucao", "relatorio_utilizados"):
        with django_assert_max_num_queries(20):
            assert segov.get(reverse(nome)).status_code == 200


def test_valores_utilizados_mostra_o_instrumento_e_o_liberado(e, executadas):
    segov = logado(e["segov"])
    html = segov.get(reverse("relatorio_utilizados")).content.decode()
    assert f"Proposta nº {executadas['proposta'].pk}" in html and "vigente" in html
    cabecalho, linhas = ler_csv(segov.get(reverse("relatorio_utilizados_csv")))
    assert "Situação dos instrumentos" in cabecalho
    por_numero = {int(l["Nº da indicação"]): l for l in linhas}
    conv_linha = por_numero[executadas["convenio"].numero]
    assert conv_linha["Valor utilizado"] == "20.000,00" and conv_linha["Valor pago/liberado"] == "5.000,00"
    assert conv_linha["Situação dos instrumentos"] == "Vigente"
    assert executadas["pendente"].numero not in por_numero  # sem execução nem proposta
    assert logado(e["parl"]).get(reverse("relatorio_utilizados")).status_code == 200


@pytest.mark.pdf
def test_pdfs(e, executadas, tmp_path):
    segov = logado(e["segov"])
    texto = texto_do_pdf(segov.get(reverse("relatorio_execucao_pdf")), tmp_path)
    assert "Controle de Execução" in texto and "2019NE000777" in texto
    texto = texto_do_pdf(segov.get(reverse("relatorio_utilizados_pdf")), tmp_path)
    assert "Valores Utilizados" in texto and f"Proposta nº {executadas['proposta'].pk}" in texto
