import csv
import io
import subprocess
from datetime import date
from decimal import Decimal
from shutil import which

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from emendas.models import Inciso, Remanejamento
from emendas.services import solicitar_remanejamento
from tests.conftest import com_token, logado, meio_dia

pytestmark = pytest.mark.django_db
LIVRE = date(2019, 2, 1)


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def cenario(programacoes, inciso, parlamentar, segov, acao_saude_2, grupo_inv):
    return {"inciso": inciso, "parl": parlamentar.usuario, "segov": segov, "acao": acao_saude_2, "grupo": grupo_inv}


def pedido(c, valor="1000.00"):
    return solicitar_remanejamento(usuario=c["parl"], inciso=c["inciso"], acao=c["acao"], grupo_despesa=c["grupo"],
                                   valor=Decimal(valor), detalhamento="UBS Centro")


def test_lista_de_uos_e_incisos(cenario):
    r = logado(cenario["parl"]).get(reverse("emendas:remanejamentos"), {"uo": cenario["inciso"].acao.uo_id})
    html = r.content.decode()
    assert "4291 – Fundo Estadual de Saúde" in html and "S501" in html and "R$ 1.000.000,00" in html
    assert reverse("emendas:novo_remanejamento", args=[cenario["inciso"].pk]) in html


def test_htmx_devolve_so_o_trecho_dos_incisos(cenario):
    r = logado(cenario["parl"]).get(
        reverse("emendas:remanejamentos"), {"uo": cenario["inciso"].acao.uo_id},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="incisos-da-uo",
    )
    html = r.content.decode()
    assert "S501" in html and "<html" not in html


def test_fluxo_salvar_confirmar_sem_javascript(cenario):
    c = logado(cenario["parl"])
    url = reverse("emendas:novo_remanejamento", args=[cenario["inciso"].pk])
    dados = {"acao": cenario["acao"].pk, "grupo_despesa": cenario["grupo"].pk, "valor": "1.234,56", "salvar": "1"}
    r = c.enviar(url, dados)
    assert r.status_code == 200 and "Confirme o pedido" in r.content.decode()
    assert not Remanejamento.objects.exists()  # "Salvar" só leva à confirmação
    r = c.enviar(url, {**dados, "confirmar": "1", "detalhamento": "Reforma"})
    assert r.status_code == 302
    rem = Remanejamento.objects.get()
    assert rem.valor == Decimal("1234.56") and rem.detalhamento == "Reforma"


def test_corrigir_volta_com_os_dados(cenario):
    r = logado(cenario["parl"]).enviar(
        reverse("emendas:novo_remanejamento", args=[cenario["inciso"].pk]),
        {"acao": cenario["acao"].pk, "grupo_despesa": cenario["grupo"].pk, "valor": "10,00", "corrigir": "1"},
    )
    assert 'value="10,00"' in r.content.decode() and not Remanejamento.objects.exists()


@pytest.mark.parametrize("valor, trecho", [
    ("-1,00", "negativo"), ("abc", "Valor inválido"), ("1,001", "duas casas"),
    ("2.000.000,00", "pedido R$ 2.000.000,00, disponível R$ 1.000.000,00"),
])
def test_valor_ruim_mostra_mensagem_e_nao_grava(cenario, valor, trecho):
    r = logado(cenario["parl"]).enviar(
        reverse("emendas:novo_remanejamento", args=[cenario["inciso"].pk]),
        {"acao": cenario["acao"].pk, "grupo_despesa": cenario["grupo"].pk, "valor": valor, "confirmar": "1"},
    )
    assert r.status_code == 200 and trecho in r.content.decode()
    assert not Remanejamento.objects.exists()


def test_campo_forjado_para_grupo_nao_elegivel_e_recusado(cenario, grupo_odc):
    from emendas.models import ProgramacaoElegivel

    ProgramacaoElegivel.objects.filter(acao=cenario["acao"], grupo_despesa=grupo_odc).update(recebe_remanejamento=False)
    r = logado(cenario["parl"]).enviar(
        reverse("emendas:novo_remanejamento", args=[cenario["inciso"].pk]),
        {"acao": cenario["acao"].pk, "grupo_despesa": grupo_odc.pk, "valor": "10,00", "confirmar": "1"},
    )
    assert r.status_code == 200 and not Remanejamento.objects.exists()
    assert "Faça uma escolha válida" in r.content.decode() or "não recebe remanejamento" in r.content.decode()


def test_inciso_de_outro_da_404_e_get_de_acao_mutante_e_recusado(cenario, outro_parlamentar):
    outro = logado(outro_parlamentar.usuario)
    assert outro.get(reverse("emendas:novo_remanejamento", args=[cenario["inciso"].pk])).status_code == 404
    rem = pedido(cenario)
    assert outro.get(reverse("emendas:remanejamento", args=[rem.pk])).status_code == 404
    assert outro.enviar(reverse("emendas:cancelar_remanejamento", args=[rem.pk])).status_code == 404
    segov = logado(cenario["segov"])
    assert segov.get(reverse("emendas:aprovar_remanejamento", args=[rem.pk])).status_code == 405
    rem.refresh_from_db()
    assert rem.status == "SOLICITADO"


def test_membro_de_bloco_so_le(cenario, fabrica, outro_parlamentar, parlamentar):
    from emendas.models import Bloco

    bloco = Bloco.objects.create(nome="Bloco", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fabrica.inciso(bloco, "10.00")
    assert logado(cenario["parl"]).get(reverse("emendas:novo_remanejamento", args=[do_bloco.pk])).status_code == 403
    assert logado(outro_parlamentar.usuario).get(reverse("emendas:novo_remanejamento", args=[do_bloco.pk])).status_code == 200


def test_cancelar_pede_confirmacao_e_devolve_o_saldo(cenario):
    rem = pedido(cenario)
    c = logado(cenario["parl"])
    url = reverse("emendas:cancelar_remanejamento", args=[rem.pk])
    r = c.get(url)
    assert "Sim, cancelar o pedido" in r.content.decode()
    rem.refresh_from_db()
    assert rem.status == "SOLICITADO"
    assert c.enviar(url).status_code == 302
    rem.refresh_from_db()
    assert rem.status == "CANCELADO"
    r = c.get(reverse("emendas:remanejamento", args=[rem.pk]))
    html = r.content.decode()
    assert "Cancelado" in html and "Ana Lacerda" in html  # histórico com quem fez


def test_cancelar_sem_csrf_e_recusado(cenario):
    rem = pedido(cenario)
    c = Client(enforce_csrf_checks=True)
    c.force_login(cenario["parl"])
    assert c.post(reverse("emendas:cancelar_remanejamento", args=[rem.pk]), com_token(cenario["parl"])).status_code == 403
    rem.refresh_from_db()
    assert rem.status == "SOLICITADO"


def test_segov_aprova_pela_tela_e_o_inciso_r_aparece(cenario):
    rem = pedido(cenario)
    r = logado(cenario["segov"]).enviar(reverse("emendas:aprovar_remanejamento", args=[rem.pk]), {"confirmado": "1"},
                                      follow=True)
    assert "criado o inciso R1" in r.content.decode()
    r1 = Inciso.objects.get(numero="R1")
    r = logado(cenario["parl"]).get("/")
    assert "R1" in r.content.decode()
    assert logado(cenario["parl"]).get(reverse("emendas:inciso", args=[r1.pk])).status_code == 200


def test_parlamentar_nao_aprova(cenario):
    rem = pedido(cenario)
    assert logado(cenario["parl"]).enviar(reverse("emendas:aprovar_remanejamento", args=[rem.pk])).status_code == 403
    assert logado(cenario["parl"]).get(reverse("emendas:analise_remanejamentos")).status_code == 403


def test_reprovar_sem_justificativa_pela_tela(cenario):
    rem = pedido(cenario)
    r = logado(cenario["segov"]).enviar(reverse("emendas:reprovar_remanejamento", args=[rem.pk]), {"justificativa": ""}, follow=True)
    assert "Informe a justificativa" in r.content.decode()
    rem.refresh_from_db()
    assert rem.status == "SOLICITADO"


def test_fila_da_segov_filtra_e_decide_em_lote(cenario, fabrica, outro_parlamentar):
    a = pedido(cenario, "10.00")
    b = pedido(cenario, "20.00")
    c_ = pedido(cenario, "30.00")
    segov = logado(cenario["segov"])
    r = segov.get(reverse("emendas:analise_remanejamentos"), {"parlamentar": "Ana", "status": "SOLICITADO"})
    assert [l["rem"]["pk"] for l in r.context["linhas"]] == [a.pk, b.pk, c_.pk]
    assert segov.get(reverse("emendas:analise_remanejamentos"), {"parlamentar": "Bruno"}).context["linhas"] == []
    r = segov.enviar(reverse("emendas:analise_remanejamentos"),
                   {"selecionados": [a.pk, b.pk], "acao_lote": "reprovar", "justificativa": ""}, follow=True)
    assert "informe a justificativa" in r.content.decode()
    r = segov.enviar(reverse("emendas:analise_remanejamentos"),
                   {"selecionados": [a.pk, b.pk], "acao_lote": "reprovar", "justificativa": "Sem meta.", "confirmado": "1"}, follow=True)
    assert "2 pedidos reprovados" in r.content.decode()
    segov.enviar(reverse("emendas:analise_remanejamentos"), {"selecionados": [c_.pk, a.pk], "acao_lote": "aprovar", "confirmado": "1"})
    assert Remanejamento.objects.get(pk=c_.pk).status == "APROVADO"
    assert Remanejamento.objects.get(pk=a.pk).status == "REPROVADO"


def test_fila_tem_consultas_constantes(cenario, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    segov = logado(cenario["segov"])
    pedido(cenario, "1.00")
    with CaptureQueriesContext(connection) as poucos:
        segov.get(reverse("emendas:analise_remanejamentos"))
    for _ in range(30):
        pedido(cenario, "1.00")
    with CaptureQueriesContext(connection) as muitos:
        segov.get(reverse("emendas:analise_remanejamentos"))
    assert len(muitos) == len(poucos)


def _csv(resposta):
    corpo = b"".join(resposta.streaming_content)
    assert corpo.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(corpo.decode("utf-8-sig")), delimiter=";"))


def test_relatorio_csv_da_segov_e_do_parlamentar(cenario, fabrica, outro_parlamentar):
    pedido(cenario, "1234.56")

    dele = fabrica.inciso(outro_parlamentar, "500.00")
    solicitar_remanejamento(usuario=outro_parlamentar.usuario, inciso=dele, acao=cenario["acao"],
                            grupo_despesa=cenario["grupo"], valor=Decimal("7.00"))
    linhas = _csv(logado(cenario["segov"]).get(reverse("relatorio_remanejamentos_csv")))
    assert linhas[0][:4] == ["Nº", "Exercício", "Titular", "Emenda"] and "Solicitado por" in linhas[0]
    assert len(linhas) == 3
    linha_ana = next(l for l in linhas[1:] if l[2] == "Ana Lacerda")
    assert linha_ana[11] == "1.234,56" and linha_ana[12] == "Solicitado"
    assert "ana@almg.test" in linha_ana[14] and linha_ana[15] == "01/02/2019 12:00"
    so_ana = _csv(logado(cenario["parl"]).get(reverse("relatorio_remanejamentos_csv")))
    assert [l[2] for l in so_ana[1:]] == ["Ana Lacerda"]
    # Filtro que pede dados de outro parlamentar devolve vazio, não erro.
    vazio = _csv(logado(cenario["parl"]).get(reverse("relatorio_remanejamentos_csv"), {"parlamentar": "Bruno"}))
    assert len(vazio) == 1


def test_relatorio_na_tela(cenario):
    pedido(cenario, "99.90")
    r = logado(cenario["parl"]).get(reverse("relatorio_remanejamentos"))
    assert "R$ 99,90" in r.content.decode()


@pytest.mark.pdf
@pytest.mark.skipif(which("pdftotext") is None, reason="pdftotext (poppler-utils) não instalado")
def test_relatorio_pdf_tem_os_valores_e_paginas(cenario, tmp_path):
    for k in range(60):
        pedido(cenario, f"{k + 1}.50")
    r = logado(cenario["segov"]).get(reverse("relatorio_remanejamentos_pdf"))
    assert r["Content-Type"] == "application/pdf"
    arquivo = tmp_path / "r.pdf"
    arquivo.write_bytes(r.content)
    texto = subprocess.run(["pdftotext", "-layout", str(arquivo), "-"], capture_output=True, text=True, check=True).stdout
    assert "Lista de Remanejamento de Incisos" in texto
    assert "R$ 60,50" in texto and "Atenção hospitalar" in texto
    assert "R$ 1.860,00" in texto  # total: soma de 1,50 a 60,50
    assert "Página 1 de" in texto and "Página 2 de" in texto


def test_relatorio_ordena_por_valor(cenario):
    for v in ("30.00", "10.00", "20.00"):
        pedido(cenario, v)
    r = logado(cenario["segov"]).get(reverse("relatorio_remanejamentos"), {"ordem": "-valor"})
    assert [rem["valor"] for rem in r.context["pagina"].object_list] == [Decimal("30"), Decimal("20"), Decimal("10")]
