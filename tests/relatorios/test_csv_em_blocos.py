"""CSV em blocos: o mesmo arquivo de antes (linha a linha, com ``localtime``/``strftime`` e ``formatar_brl``), e o
CSV grande vira pedido ao Celery (302 para a página de acompanhamento) em vez de segurar o worker."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone as tz
from decimal import Decimal
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from emendas.models import Indicacao, Remanejamento
from relatorios import base, registro
from relatorios.models import RelatorioGerado
from sigcon.csv_seguro import LINHAS_POR_BLOCO, celula_segura, data_hora, dinheiro, linhas_csv
from sigcon.dinheiro import formatar_brl
from tests.fabricas import ler_csv
from tests.relatorios.conftest import logado

UTC = tz.utc


def _antes(cabecalho, linhas) -> str:
    """O CSV como era feito antes dos blocos: uma linha por ``writerow``, ``celula_segura`` em cada célula."""
    saida = io.StringIO()
    escritor = csv.writer(saida, delimiter=";")
    saida.write("\ufeff")
    escritor.writerow([celula_segura(c) for c in cabecalho])
    for linha in linhas:
        escritor.writerow([celula_segura(c) for c in linha])
    return saida.getvalue()


def _lento(valor) -> str:
    return timezone.localtime(valor).strftime("%d/%m/%Y %H:%M")


def test_csv_em_blocos_e_igual_ao_de_uma_linha_por_vez():
    textos = ["Prefeitura", "=1+1", "-1.234,56", "+55 31", "@SUM", "\tx", "\rx", "", "a;b", 'aspas "x"',
              "linha\nquebrada", "ç ã é"]
    linhas = [[k, textos[k % len(textos)], Decimal(k) / 100, None, textos[(k * 7) % len(textos)]]
              for k in range(LINHAS_POR_BLOCO * 2 + 17)]
    pedacos = list(linhas_csv(["Nº", "Texto", "Valor", "Vazio", "=Outro"], linhas))
    assert "".join(pedacos) == _antes(["Nº", "Texto", "Valor", "Vazio", "=Outro"], linhas)
    # Cabeçalho e três blocos: um yield por bloco de linhas, não por linha.
    assert len(pedacos) == 4


@pytest.mark.parametrize("instante", [
    # Horário de verão de 2018/2019 (UTC-2) e as duas viradas: começo (04/11/2018 00:00 local, que pula para 01:00)
    # e fim (17/02/2019 00:00 local, que volta para 23:00 do dia 16).
    datetime(2018, 11, 4, 2, 59, 59, tzinfo=UTC), datetime(2018, 11, 4, 3, 0, tzinfo=UTC),
    datetime(2018, 11, 4, 3, 0, 1, tzinfo=UTC), datetime(2019, 2, 1, 14, 30, 59, 999999, tzinfo=UTC),
    datetime(2019, 2, 2, 1, 30, tzinfo=UTC), datetime(2019, 2, 17, 1, 59, tzinfo=UTC),
    datetime(2019, 2, 17, 2, 0, tzinfo=UTC), datetime(2019, 2, 17, 2, 1, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC), datetime(1999, 10, 3, 3, 0, tzinfo=UTC),
])
def test_data_hora_e_a_mesma_de_localtime_nas_viradas_do_horario_de_verao(instante):
    assert data_hora(instante) == _lento(instante)


def test_data_hora_de_cada_minuto_de_dois_dias_com_virada_de_fuso():
    inicio = datetime(2019, 2, 16, 0, 0, tzinfo=UTC)
    for minuto in range(0, 2 * 24 * 60, 7):
        instante = inicio + timedelta(minutes=minuto, seconds=minuto % 60)
        assert data_hora(instante) == _lento(instante)
    assert data_hora(None) == ""
    assert data_hora(datetime(2019, 2, 1, 9, 5)) == "01/02/2019 09:05"  # sem fuso: já local


@pytest.mark.parametrize("texto", ["0.00", "0.01", "-0.05", "12.30", "999.99", "1000.00", "-1000.00", "1234.56",
                                   "-1234567.89", "9999999999999.99", "1E+2", "12.3", "0.005", "7"])
def test_dinheiro_e_o_mesmo_de_formatar_brl(texto):
    assert dinheiro(Decimal(texto)) == formatar_brl(Decimal(texto), simbolo=False)
    assert dinheiro(None) == ""


@pytest.mark.django_db
def test_datas_e_centavos_do_csv_celula_a_celula_com_horario_de_verao(cenario):
    """As datas caem em horário de verão e perto da meia-noite (o dia local é outro que o UTC)."""
    ind = Indicacao.objects.order_by("pk")
    datas = [datetime(2019, 2, 2, 1, 30, tzinfo=UTC), datetime(2019, 2, 17, 2, 30, tzinfo=UTC),
             datetime(2019, 2, 17, 1, 59, tzinfo=UTC), datetime(2018, 11, 4, 3, 0, 30, tzinfo=UTC),
             datetime(2019, 1, 31, 23, 0, tzinfo=UTC)]
    for i, (indicacao, quando) in enumerate(zip(ind, datas)):
        Indicacao.objects.filter(pk=indicacao.pk).update(enviada_em=quando, valor=Decimal("1234.56") + i)
    Remanejamento.objects.update(solicitado_em=datas[0])
    segov = logado(cenario["segov"])

    _, linhas = ler_csv(segov.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"}))
    por_numero = {int(l["Nº"]): l for l in linhas}
    assert len(por_numero) == Indicacao.objects.count()
    for indicacao in Indicacao.objects.select_related("aprovada_orgao_por"):
        linha = por_numero[indicacao.numero]
        assert linha["Enviada em"] == _lento(indicacao.enviada_em)
        assert linha["Valor"] == formatar_brl(indicacao.valor, simbolo=False)
        assert linha["Aprovada pelo órgão em"] == (_lento(indicacao.aprovada_orgao_em)
                                                   if indicacao.aprovada_orgao_em else "")
        assert linha["Reprovada/cancelada em"] == (_lento(indicacao.encerrada_em) if indicacao.encerrada_em else "")
    assert {l["Enviada em"] for l in linhas} >= {"01/02/2019 23:30", "16/02/2019 23:30", "16/02/2019 23:59",
                                                   "04/11/2018 01:00"}
    assert "1.234,56" in {l["Valor"] for l in linhas}

    _, remanejamentos = ler_csv(segov.get(reverse("relatorio_remanejamentos_csv")))
    assert {l["Solicitado em"] for l in remanejamentos} == {"01/02/2019 23:30"}
    assert {l["Valor"] for l in remanejamentos} == {"100.000,00", "20.000,00"}
    decididos = {r.pk: r for r in Remanejamento.objects.all()}
    for l in remanejamentos:
        decidido = decididos[int(l["Nº"])].decidido_em
        assert l["Decidido em"] == (_lento(decidido) if decidido else "")


# --- limite na requisição ------------------------------------------------------------------------------------

def _limite(monkeypatch, url, linhas):
    """O CSV de *url* sai na requisição até *linhas* linhas (o limite conta o custo de cada linha)."""
    relatorio = registro.obter(url.removeprefix("relatorio_").removesuffix("_csv"))
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", linhas * relatorio.custo_csv)


@pytest.mark.django_db
@pytest.mark.parametrize("url, parametros, linhas", [
    ("relatorio_indicacoes_csv", {"mostrar_encerradas": "1"}, 5),
    ("relatorio_incisos_csv", {}, 5),
    ("relatorio_remanejamentos_csv", {}, 2),
])
def test_abaixo_do_limite_o_csv_sai_inteiro_na_requisicao(cenario, monkeypatch, url, parametros, linhas):
    _limite(monkeypatch, url, linhas)  # exatamente no limite: ainda na hora
    r = logado(cenario["segov"]).get(reverse(url), parametros)
    assert r.status_code == 200 and r.streaming and r["Content-Type"] == "text/csv; charset=utf-8"
    _, lidas = ler_csv(r)
    assert len(lidas) == linhas
    assert not RelatorioGerado.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url, parametros, linhas, arquivo", [
    ("relatorio_indicacoes_csv", {"mostrar_encerradas": "1"}, 5, "valores-indicados.csv"),
    ("relatorio_incisos_csv", {"uo": "4291"}, 3, "incisos-2019.csv"),
])
def test_acima_do_limite_o_csv_vira_pedido_e_o_dono_baixa_o_mesmo_arquivo(
        cenario, monkeypatch, celery_na_hora, django_capture_on_commit_callbacks, url, parametros, linhas, arquivo):
    segov = logado(cenario["segov"])
    na_hora = b"".join(segov.get(reverse(url), parametros).streaming_content)
    _limite(monkeypatch, url, linhas - 1)
    with django_capture_on_commit_callbacks(execute=True):
        r = segov.get(reverse(url), parametros)
    gerado = RelatorioGerado.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("relatorio_gerado", args=[gerado.pk])
    gerado.refresh_from_db()
    assert gerado.formato == "csv" and gerado.status == RelatorioGerado.Status.PRONTO and gerado.linhas == linhas
    assert gerado.nome_arquivo == arquivo and gerado.parametros == parametros

    pagina = segov.get(reverse("relatorio_gerado", args=[gerado.pk])).content.decode()
    assert f"CSV pronto ({linhas} linhas)" in pagina and "Baixar CSV" in pagina and "hx-trigger" not in pagina
    baixado = segov.get(reverse("relatorio_gerado_baixar", args=[gerado.pk]))
    assert baixado["Content-Type"] == "text/csv; charset=utf-8"
    assert baixado["Content-Disposition"] == f'attachment; filename="{arquivo}"'
    # O mesmo gerador na tarefa e na requisição: o mesmo arquivo, byte a byte.
    assert b"".join(baixado.streaming_content) == na_hora


@pytest.mark.django_db
@pytest.mark.parametrize("outro", ["bruno", "segov", "visualizador"])
def test_csv_em_segundo_plano_so_o_dono_ve_e_baixa(cenario, monkeypatch, celery_na_hora,
                                                    django_capture_on_commit_callbacks, outro):
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", 1)
    with django_capture_on_commit_callbacks(execute=True):
        logado(cenario["ana"]).get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"})
    gerado = RelatorioGerado.objects.get()
    assert gerado.usuario == cenario["ana"]
    assert logado(cenario["ana"]).get(reverse("relatorio_gerado_baixar", args=[gerado.pk])).status_code == 200
    c = logado(cenario[outro])
    assert c.get(reverse("relatorio_gerado", args=[gerado.pk])).status_code == 404
    assert c.get(reverse("relatorio_gerado_baixar", args=[gerado.pk])).status_code == 404


@pytest.mark.django_db
def test_pagina_do_csv_pendente_atualiza_com_htmx_e_sem_js_e_reaproveita_o_pedido(cenario, monkeypatch):
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", 1)
    ana = logado(cenario["ana"])
    r = ana.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"})  # sem os callbacks: pendente
    gerado = RelatorioGerado.objects.get()
    assert r.status_code == 302 and gerado.pendente and gerado.formato == "csv"
    url = reverse("relatorio_gerado", args=[gerado.pk])
    html = ana.get(url).content.decode()
    assert "Valores Indicados – CSV" in html and "Preparando o CSV (4 linhas)" in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert ana.get(reverse("relatorio_gerado_baixar", args=[gerado.pk])).status_code == 404
    # O segundo clique reaproveita o pedido; o PDF com os mesmos filtros é outro pedido.
    assert ana.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"})["Location"] == url
    assert RelatorioGerado.objects.count() == 1


@pytest.mark.django_db
def test_csv_com_a_fila_fora_do_ar_avisa_e_oferece_pedir_de_novo(cenario, monkeypatch, broker_fora_do_ar,
                                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", 1)
    segov = logado(cenario["segov"])
    with django_capture_on_commit_callbacks(execute=True):
        r = segov.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1", "uo": "4291"})
    gerado = RelatorioGerado.objects.get()
    assert r.status_code == 302 and gerado.status == RelatorioGerado.Status.ERRO
    # Nada perdido: o pedido fica gravado, com os filtros, e a página diz o que houve e como pedir de novo.
    assert gerado.parametros == {"mostrar_encerradas": "1", "uo": "4291"}
    html = segov.get(reverse("relatorio_gerado", args=[gerado.pk])).content.decode()
    assert "Não foi possível gerar o CSV" in html and "fila de processamento está indisponível" in html
    assert "hx-trigger" not in html and 'role="alert"' in html
    (link,) = re.findall(r'href="([^"]*)">Pedir de novo</a>', html)
    caminho, _, consulta = unescape(link).partition("?")
    assert caminho == reverse("relatorio_indicacoes_csv") and QueryDict(consulta).dict() == gerado.parametros
