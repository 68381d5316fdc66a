"""Os movimentos de um inciso pelo SQL compilado uma vez (``movimentos.movimentos_de_um_inciso``, issue 13) são os
mesmos do ORM (``movimentos.movimentos``) em todo dia e em toda situação; no PostgreSQL o caminho compilado está
de fato em uso (senão a página do inciso volta a pagar a montagem das duas consultas a cada requisição)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from emendas import movimentos, selectors
from emendas.models import CategoriaImpedimento, ExecucaoIndicacao, Indicacao
from emendas.prazos import OrigemSaldo
from tests.emendas.test_selectors import momento, remanejamento

M = Decimal
DIAS = [None, date(2019, 1, 27), date(2019, 1, 28), date(2019, 1, 29), date(2019, 2, 5), date(2019, 2, 6),
        date(2019, 3, 1), date(2019, 12, 31)]


def _indicar(inciso, valor, enviada, numero, origem=OrigemSaldo.LIVRE, status="EM_ANALISE_ORGAO"):
    aprovada = {"aprovada_orgao_em": enviada, "aprovada_segov_em": enviada} if status == "APROVADA" else {}
    return Indicacao.objects.create(exercicio=inciso.exercicio, numero=numero, inciso=inciso, objeto="Obra",
                                    valor=M(valor), forma_execucao="EXECUCAO_DIRETA", origem_saldo=origem,
                                    enviada_por=inciso.emenda.parlamentar.usuario, enviada_em=enviada,
                                    status=status, **aprovada)


@pytest.fixture
def movimentado(fabrica, parlamentar, outro_parlamentar):
    a = fabrica.inciso(parlamentar, "1000000.00")
    b = fabrica.inciso(outro_parlamentar, "500000.00")
    remanejamento(a, "200000.00", momento(date(2019, 1, 28)), status="APROVADO", decidido=momento(date(2019, 1, 30)))
    remanejamento(a, "100000.00", momento(date(2019, 2, 4)), status="REPROVADO", decidido=momento(date(2019, 2, 6)),
                  devolucao=OrigemSaldo.LIVRE)
    remanejamento(a, "333.33", momento(date(2019, 2, 5), 23, 50))  # 23h50 em Brasília: ainda o dia 5
    remanejamento(b, "1.01", momento(date(2019, 1, 28)))  # o outro inciso não entra nas somas do primeiro
    _indicar(a, "12345.67", momento(date(2019, 1, 29)), 1)
    _indicar(a, "0.01", momento(date(2019, 2, 6)), 2, origem=OrigemSaldo.COM_REMANEJAMENTO)
    _indicar(b, "999.99", momento(date(2019, 1, 29)), 3)
    # Impedimentos parciais do controle de execução (emendas/execucao): o do dia 5 às 23h50 ainda é do dia 5.
    _impedir_em_parte(_indicar(a, "5000.00", momento(date(2019, 1, 29)), 4, status="APROVADA"), "1234.56",
                      momento(date(2019, 2, 5), 23, 50), OrigemSaldo.LIVRE)
    _impedir_em_parte(_indicar(b, "800.00", momento(date(2019, 1, 29)), 5, status="APROVADA"), "0.02",
                      momento(date(2019, 3, 1)), OrigemSaldo.COM_REMANEJAMENTO)
    return a, b


def _impedir_em_parte(ind, valor_impedido, quando, destino):
    ExecucaoIndicacao.objects.create(
        indicacao=ind, valor_indicado=ind.valor, utilizado=ind.valor - M(valor_impedido), empenhado=M("0"),
        liquidado=M("0"), pago=M("0"), valor_impedido=M(valor_impedido), saldo_devolucao=destino, impedido_em=quando,
        impedido_por=ind.enviada_por, categoria_impedimento=CategoriaImpedimento.objects.first(),
        justificativa_impedimento="Sobrou",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("dia", DIAS)
def test_compilado_e_orm_dao_os_mesmos_movimentos(movimentado, dia):
    for inciso in movimentado:
        esperado = movimentos.movimentos(dia, {"pk": inciso.pk})
        assert dict(movimentos.movimentos_de_um_inciso(dia, inciso.pk)) == dict(esperado)
    a, _ = movimentado
    if dia is None:
        # Todos os movimentos de a, de qualquer data: 3 remanejamentos (um por situação), as três indicações e o
        # impedimento parcial (−1234,56 ativo e +1234,56 devolvido: soma zero).
        movs = movimentos.movimentos_de_um_inciso(None, a.pk)[(a.pk,)]
        assert sum(m.valor for m in movs) == M("317679.01")
        assert sorted(m.valor for m in movs if m.origem == OrigemSaldo.LIVRE and abs(m.valor) == M("1234.56")) == [
            M("-1234.56"), M("1234.56")]


@pytest.mark.django_db
def test_impedimento_parcial_conta_a_partir_do_dia(movimentado):
    a, b = movimentado
    # Até o dia 4 a indicação 4 está inteira no "indicado"; a partir do dia 5 (23h50), 1234,56 voltaram ao livre.
    s4, s5 = selectors.saldos_inciso(a, date(2019, 2, 4)), selectors.saldos_inciso(a, date(2019, 2, 5))
    assert s5.indicado == s4.indicado - M("1234.56")
    assert s5.livre - s4.livre == M("1234.56") - M("333.33")  # e o remanejamento do dia 5 saiu do livre
    sb = selectors.saldos_inciso(b, date(2019, 3, 1))
    assert sb.com_remanejamento == M("0.02") and sb.indicado == M("999.99") + M("799.98")
    for dia in DIAS[1:]:
        for inciso in (a, b):
            s = selectors.saldos_inciso(inciso, dia)
            assert sum(s.baldes().values()) == s.valor_inciso


@pytest.mark.django_db
def test_saldos_da_pagina_seguem_o_dia(movimentado):
    a, _ = movimentado
    # Os saldos (que usam o caminho compilado) mudam com o dia como os do ORM de vários incisos.
    for dia in DIAS[1:]:
        assert selectors.saldos_inciso(a, dia) == selectors.saldos_incisos([a], dia)[a.pk]
    assert selectors.saldos_inciso(a, date(2019, 2, 5)).remanejamento_solicitado == M("100333.33")
    assert selectors.saldos_inciso(a, date(2019, 2, 5) - timedelta(days=1)).remanejamento_solicitado == M("100000.00")


@pytest.mark.django_db
def test_inciso_sem_movimento_nenhum(fabrica, parlamentar):
    vazio = fabrica.inciso(parlamentar, "10.00")
    for dia in DIAS:
        assert dict(movimentos.movimentos_de_um_inciso(dia, vazio.pk)) == {}


@pytest.mark.django_db
def test_no_postgresql_o_sql_compilado_esta_em_uso(movimentado):
    if connection.vendor != "postgresql":
        pytest.skip("o SQL compilado só é usado no PostgreSQL (no SQLite os conversores do ORM são necessários)")
    for com_dia in (True, False):
        modelo = movimentos.sql_de_um_inciso(com_dia)
        assert modelo is not None, "o formato deixou de ser guardado: a marca sumiu dos parâmetros"
        sql, parametros, no_pk, no_limite = modelo
        # Uma marca do id por lado do UNION (remanejamento, indicação, impedimento parcial, saneamento); do instante,
        # 2 + 2 + 2 + 1.
        assert len(no_pk) == 4 and len(no_limite) == (7 if com_dia else 0)
    # E uma consulta por chamada, como o ORM.
    from django.test.utils import CaptureQueriesContext

    a, _ = movimentado
    with CaptureQueriesContext(connection) as consultas:
        movimentos.movimentos_de_um_inciso(date(2019, 2, 5), a.pk)
    assert len(consultas.captured_queries) == 1
