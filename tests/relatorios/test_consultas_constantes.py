"""Cada tela de relatório e cada CSV faz o mesmo número de consultas com 10 ou com 500 incisos (e indicações e
remanejamentos): nada de uma consulta por linha. Conta consultas, nunca tempo (os tempos vão para o ``make bench``)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emendas.models import Remanejamento
from relatorios import registro
from tests.fabricas import lote_incisos
from tests.relatorios.conftest import logado

pytestmark = pytest.mark.django_db

NOMES = [r.nome for r in registro.todos()]
QUEM = ["segov", "ana", "orgao"]
# Os parâmetros de cada relatório: todas as linhas (encerradas também) e uma ordem que não é a padrão.
PARAMETROS = {"indicacoes": {"mostrar_encerradas": "1", "ordem": "valor"}, "impedimentos": {"ordem": "-valor"},
              "execucao": {"ordem": "-utilizado"}, "utilizados": {"ordem": "-pago"},
              "remanejamentos": {"ordem": "valor"}, "incisos": {"ordem": "-valor_inicial"},
              "parlamentares": {"ordem": "inciso"}, "totalizacao": {"ordem": "-incisos"}, "saldos": {"ordem": "titular"},
              "saneamento": {"ordem": "-guardado"},
              # As filas: todas as situações (sem o filtro, só as que esperam decisão).
              **{f"fila_{n}": {"status": "", "ordem": "valor"}
                 for n in ("remanejamentos", "indicacoes_orgao", "indicacoes_segov")},
              "fila_liberacoes": {}}


def _consultas(cliente, url, parametros) -> int:
    with CaptureQueriesContext(connection) as capturadas:
        resposta = cliente.get(url, parametros)
        if resposta.streaming:
            b"".join(resposta.streaming_content)  # o CSV consulta enquanto sai
    assert resposta.status_code == 200, resposta.status_code
    return len(capturadas.captured_queries)


def _mais_dados(cenario, n, acao, grupo):
    """*n* incisos da Ana (UO 4291: o analista do órgão vê), uma indicação e um remanejamento em cada."""
    novos = lote_incisos(cenario, n, indicacoes_por_inciso=1)
    Remanejamento.objects.bulk_create([
        Remanejamento(inciso_origem=i, acao=acao, grupo_despesa=grupo, saldo_origem="LIVRE", valor=Decimal("1.00"),
                      solicitado_por=cenario["ana"]) for i in novos
    ])


@pytest.mark.parametrize("saida", ["", "_csv"], ids=["tela", "csv"])
@pytest.mark.parametrize("quem", QUEM)
@pytest.mark.parametrize("nome", NOMES)
def test_consultas_nao_crescem_de_10_para_500_incisos(cenario, acao_saude_2, grupo_inv, nome, quem, saida):
    if nome in ("saldos", "saneamento") and quem != "segov":
        pytest.skip("Saldos por janela e saneamento: só quem vê tudo (os outros recebem 403, conferido em test_matriz_acesso)")
    relatorio = registro.obter(nome)
    if relatorio.fora_do_menu and (saida == "" or not relatorio.pode_ver(cenario[quem])):
        pytest.skip("Fila: a tela é a da fila (redireciona) e só quem abre a fila exporta (test_matriz_acesso)")
    cliente = logado(cenario[quem])
    url = reverse(f"relatorio_{nome}{saida}")
    parametros = PARAMETROS[nome]
    _consultas(cliente, url, parametros)  # caches do processo (tipos de conteúdo, perfis) já carregados
    _mais_dados(cenario, 10, acao_saude_2, grupo_inv)
    com_10 = _consultas(cliente, url, parametros)
    _mais_dados(cenario, 490, acao_saude_2, grupo_inv)
    com_500 = _consultas(cliente, url, parametros)
    assert com_500 == com_10


@pytest.mark.parametrize("ordem, esperado", [
    ("", '"emendas_indicacao"."enviada_em" DESC, "emendas_indicacao"."id" DESC'),
    ("enviada", '"emendas_indicacao"."enviada_em" ASC, "emendas_indicacao"."id" ASC'),
    # Campo que pode ser nulo: vazios no fim nos dois bancos.
    ("-titular", '"emendas_parlamentar"."nome" DESC NULLS LAST'),
])
def test_ordem_da_pagina_de_indicacoes_casa_com_o_indice(cenario, ordem, esperado):
    """``DESC NULLS LAST`` num campo que nunca é nulo não usa o índice ``(enviada_em DESC, id DESC)``: o
    PostgreSQL ordenava as 156 mil indicações a cada página."""
    with CaptureQueriesContext(connection) as capturadas:
        logado(cenario["segov"]).get(reverse("relatorio_indicacoes"), {"ordem": ordem} if ordem else {})
    (pagina,) = [q["sql"] for q in capturadas.captured_queries
                 if q["sql"].startswith('SELECT "emendas_indicacao"') and " LIMIT " in q["sql"]]
    assert f"ORDER BY {esperado}" in pagina
