"""Saneamento e remanejamento constitucional simultâneos no mesmo titular: threads e conexões reais no PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from emendas.models import Inciso, LinhaRemanejamentoConstitucional, MovimentoSaneamento
from emendas.selectors import saldos_inciso
from emendas.services import (
    concluir_saneamento, programar_remanejamento_constitucional, reservar_remanejamento_constitucional,
    sanear_indicacao,
)
from tests.concorrencia import em_paralelo, so_no_postgres

from .conftest import as_

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]
M = Decimal


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def test_sanear_e_guardar_ao_mesmo_tempo_nunca_passam_do_saldo_com_iot(ciclo):
    # 500 mil com impedimento no inciso; cada pedido quer 400 mil: só um cabe.
    with as_(ciclo["escolha"][0]):
        resultados = em_paralelo([
            lambda: sanear_indicacao(usuario=ciclo["parl"], indicacao=ciclo["i2"], valor=M("400000.00"),
                                     proposta_saneadora="Licença"),
            lambda: reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["outra"],
                                                          valor=M("400000.00")),
        ])
    erros = [r for r in resultados if isinstance(r, ValidationError)]
    assert len(erros) == 1 and "insuficiente" in erros[0].messages[0], resultados
    assert MovimentoSaneamento.objects.count() == 1
    s = saldos_inciso(Inciso.objects.get(pk=ciclo["outra"].pk), ciclo["escolha"][0])
    assert s.reservado_pl >= 0 and sum(s.baldes().values(), M("0")) == s.valor_inciso


def test_programar_ao_mesmo_tempo_nunca_passa_do_guardado(ciclo, programacoes):
    with as_(ciclo["escolha"][0]):
        reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["outra"], valor=M("300000.00"))
        for i in (ciclo["saude"], ciclo["outra"]):
            concluir_saneamento(usuario=ciclo["parl"], inciso=i)
        p = programacoes[0]
        resultados = em_paralelo([
            lambda: programar_remanejamento_constitucional(usuario=ciclo["parl"], titular=ciclo["titular"],
                                                           acao=p.acao, grupo_despesa=p.grupo_despesa,
                                                           valor=M("200000.00"))] * 3)
    erros = [r for r in resultados if isinstance(r, ValidationError)]
    assert len(erros) == 2 and "insuficiente" in erros[0].messages[0], resultados
    assert LinhaRemanejamentoConstitucional.objects.count() == 1
