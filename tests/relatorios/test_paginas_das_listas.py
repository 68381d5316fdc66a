"""Os atalhos das telas de relatório dão o mesmo que o caminho geral: a página lida em duas consultas (ids primeiro,
depois os objetos) mostra as mesmas linhas na mesma ordem; as somas de "todos os incisos do exercício" (quem vê
tudo, sem filtro) dão o mesmo que as somas pelos ids dos incisos filtrados."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emendas.models import Remanejamento
from sigcon.dinheiro import formatar_brl
from tests.fabricas import lote_incisos
from tests.relatorios.conftest import logado

pytestmark = pytest.mark.django_db


def test_remanejamentos_segunda_pagina_na_ordem_pedida(cenario, acao_saude_2, grupo_inv):
    novos = lote_incisos(cenario, 105, indicacoes_por_inciso=0)
    # Valores fora da ordem dos ids: a ordem da página tem de vir do ORDER BY, não do ``pk IN (...)``.
    Remanejamento.objects.bulk_create([
        Remanejamento(inciso_origem=i, acao=acao_saude_2, grupo_despesa=grupo_inv, saldo_origem="LIVRE",
                      valor=Decimal((k * 37) % 105 + 1), solicitado_por=cenario["ana"]) for k, i in enumerate(novos)
    ])
    esperado = list(Remanejamento.objects.order_by("-valor", "-pk").values_list("pk", flat=True))
    cliente = logado(cenario["segov"])
    paginas = [cliente.get(reverse("relatorio_remanejamentos"), {"ordem": "-valor", "pagina": p}) for p in (1, 2)]
    vistos = [r["pk"] for resposta in paginas for r in resposta.context["pagina"].object_list]
    assert vistos == esperado
    assert len(paginas[0].context["pagina"].object_list) == 100
    primeiro = paginas[0].context["pagina"].object_list[0]
    html = paginas[0].content.decode()
    assert f'href="{reverse("emendas:remanejamento", args=[primeiro["pk"]])}"' in html
    assert f'<td data-label="Inciso">{primeiro["inciso"]}</td>' in html and "R$ 105,00" in html


def _sql_dos_movimentos(cliente, url, parametros=None):
    with CaptureQueriesContext(connection) as capturadas:
        resposta = cliente.get(url, parametros or {})
    # A consulta dos movimentos agrupados (``saldos_agrupados``): remanejamentos e indicações somados num UNION ALL,
    # com o balde inicial do inciso na chave (a dos saldos de cada inciso tem só o id).
    movimentos = [q["sql"] for q in capturadas.captured_queries if "SUM(" in q["sql"] and "UNION ALL" in q["sql"]
                  and '"emendas_inciso"."saldo_inicial" AS "k' in q["sql"]]
    return resposta, movimentos


def test_totalizacao_de_todos_do_exercicio_igual_a_soma_das_filtradas(cenario):
    segov = logado(cenario["segov"])
    r, movimentos = _sql_dos_movimentos(segov, reverse("relatorio_totalizacao"))
    # Sem filtro, quem vê tudo: os movimentos pelo exercício, sem a subconsulta dos ids dos incisos.
    assert len(movimentos) == 1 and not any("IN (SELECT" in m for m in movimentos)
    todas = {(l.uo, l.acao, l.grupo): (l.n, l.saldos) for l in r.context["pagina"].object_list}
    por_uo = {}
    for uo in sorted({chave[0].split(" – ")[0] for chave in todas}):
        filtrada, movimentos = _sql_dos_movimentos(segov, reverse("relatorio_totalizacao"), {"uo": uo})
        assert len(movimentos) == 1 and all("IN (SELECT" in m for m in movimentos)
        por_uo.update({(l.uo, l.acao, l.grupo): (l.n, l.saldos) for l in filtrada.context["pagina"].object_list})
    assert por_uo == todas and len(todas) == 3


def test_total_dos_incisos_de_todos_do_exercicio_igual_ao_filtrado(cenario):
    segov = logado(cenario["segov"])
    r, movimentos = _sql_dos_movimentos(segov, reverse("relatorio_incisos"))
    assert movimentos and not any("IN (SELECT" in m for m in movimentos)
    # O parlamentar (poucos incisos): o total é a soma dos saldos de cada um dos seus, sem as somas agrupadas.
    ana, movimentos_ana = _sql_dos_movimentos(logado(cenario["ana"]), reverse("relatorio_incisos"))
    assert movimentos_ana == []
    assert r.context["total"]["celulas"][0]["texto"] == "Total (5 incisos)"
    assert ana.context["total"]["celulas"][0]["texto"] == "Total (4 incisos)"


@pytest.mark.parametrize("nome", ["incisos", "parlamentares"])
@pytest.mark.parametrize("ordem", ["", "-valor_inicial"])
def test_poucos_incisos_dao_a_mesma_tela_que_o_caminho_geral(cenario, monkeypatch, nome, ordem):
    """Até ``POUCOS_INCISOS`` a tela lê todos os incisos filtrados de uma vez e soma os saldos de cada um; o caminho
    geral (COUNT, ids da página, total agrupado no banco) dá as mesmas linhas, na mesma ordem, e o mesmo total."""
    from relatorios.definicoes import por_inciso

    lote_incisos(cenario, 105)  # Ana passa de uma página (100 linhas)
    ana = logado(cenario["ana"])

    def telas():
        saida = []
        for pagina in (1, 2):
            r, agrupadas = _sql_dos_movimentos(ana, reverse(f"relatorio_{nome}"), {"pagina": pagina, "ordem": ordem})
            saida.append((r.context["pagina"].paginator.count, r.context["linhas"], r.context["total"], agrupadas))
        return saida

    poucos = telas()
    monkeypatch.setattr(por_inciso, "POUCOS_INCISOS", 0)
    geral = telas()
    assert all(not agrupadas for *_, agrupadas in poucos) and all(agrupadas for *_, agrupadas in geral)
    assert [t[:3] for t in poucos] == [t[:3] for t in geral]
    assert poucos[0][0] > 100 and len(poucos[1][1]) == poucos[0][0] - 100


def test_celulas_da_tela_escapadas_como_no_template(cenario):
    from relatorios.celulas import html_da_linha

    assert html_da_linha([{"rotulo": "Titular", "texto": "A & B <i>'x'</i>", "numero": False},
                          {"rotulo": "Valor \"R$\"", "texto": "1.234,56", "numero": True}]) == (
        '<td data-label="Titular">A &amp; B &lt;i&gt;&#x27;x&#x27;&lt;/i&gt;</td>'
        '<td data-label="Valor &quot;R$&quot;" class="valor">1.234,56</td>')
    ana = cenario["parlamentar"]
    ana.nome = "Ana <script>alert(1)</script>"
    ana.save(update_fields=["nome"])
    r = logado(cenario["segov"]).get(reverse("relatorio_incisos"))
    html = r.content.decode()
    # A tela desenha as linhas sem os dicionários das células (``html_das_linhas``): o mesmo HTML.
    relatorio = r.context["relatorio"]
    assert r.context["linhas"] == [html_da_linha(relatorio.celulas(l)) for l in r.context["pagina"].object_list]
    assert "<script>alert(1)" not in html
    assert '<td data-label="Titular">Ana &lt;script&gt;alert(1)&lt;/script&gt;</td>' in html
    assert '<td data-label="Valor inicial" class="valor">' in html


def test_reprovados_do_total_dos_parlamentares_pelo_exercicio(cenario):
    from emendas.models import Indicacao

    lote_incisos(cenario, 3, indicacoes_por_inciso=2)  # uma reprovada de R$ 10,00 em cada inciso
    encerradas = (Indicacao.Status.REPROVADA, Indicacao.Status.CANCELADA)
    esperado = sum(i.valor for i in Indicacao.objects.filter(inciso__exercicio=cenario["exercicio"],
                                                               status__in=encerradas))
    assert esperado >= Decimal("30.00")
    with CaptureQueriesContext(connection) as capturadas:
        r = logado(cenario["segov"]).get(reverse("relatorio_parlamentares"))
    assert r.context["total"]["celulas"][-2]["texto"] == formatar_brl(esperado, simbolo=False)
    (soma,) = [q["sql"] for q in capturadas.captured_queries
               if 'SUM("emendas_indicacao"."valor")' in q["sql"] and "GROUP BY" not in q["sql"]]
    assert "IN (SELECT" not in soma
    # O parlamentar: só as dos seus incisos, pela subconsulta dos ids.
    ana = logado(cenario["ana"]).get(reverse("relatorio_parlamentares"))
    dela = sum(i.valor for i in Indicacao.objects.filter(status__in=encerradas, inciso__in=[
        l.inciso.pk for l in ana.context["pagina"].object_list]))
    assert ana.context["total"]["celulas"][-2]["texto"] == formatar_brl(dela, simbolo=False)
