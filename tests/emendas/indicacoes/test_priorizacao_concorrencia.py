"""Priorização com threads e conexões reais no PostgreSQL: repriorizações, envios, cancelamentos (um e em lote) e
reprovações do mesmo titular ao mesmo tempo deixam a ordem 1..n sem buracos nem repetidas, sem deadlock e sem
transação refeita (a trava dos incisos do titular põe todos em fila)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from emendas.models import CategoriaImpedimento, Indicacao
from emendas.services import (
    cancelar_indicacao, cancelar_indicacoes, enviar_indicacao, reprovar_indicacao, repriorizar_indicacao,
)
from sigcon import transacoes
from tests.concorrencia import em_paralelo, so_no_postgres
from tests.conftest import meio_dia

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]
M = Decimal


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def _prioridades(parlamentar):
    return list(Indicacao.objects.filter(inciso__emenda__parlamentar=parlamentar, prioridade__isnull=False)
                .order_by("prioridade").values_list("prioridade", flat=True))


def test_repriorizacoes_e_mudancas_simultaneas_mantem_a_ordem_densa(fabrica, parlamentar, analista_orgao):
    a = fabrica.inciso(parlamentar, "1000000.00")
    b = fabrica.inciso(parlamentar, "1000000.00")
    usuario = parlamentar.usuario
    # As categorias padrão vêm de uma migração de dados, que um teste anterior com transaction=True apaga ao esvaziar
    # o banco: a deste teste é criada aqui se faltar.
    categoria = (CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
                 or CategoriaImpedimento.objects.create(nome="Falta de projeto de engenharia"))
    transacoes.zerar_retentativas()
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        def indicar(inciso):
            return lambda: enviar_indicacao(usuario=usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                            valor=M("100.00"), objeto="Obra")

        for rodada in range(8):
            inds = [indicar(a if k % 2 else b)() for k in range(8)]
            resultados = em_paralelo([
                lambda i=inds[0]: repriorizar_indicacao(usuario=usuario, indicacao=i, posicao=1),
                lambda i=inds[1]: repriorizar_indicacao(usuario=usuario, indicacao=i, posicao=2),
                lambda i=inds[2]: repriorizar_indicacao(usuario=usuario, indicacao=i, posicao=3),
                lambda i=inds[3]: repriorizar_indicacao(usuario=usuario, indicacao=i, posicao=1),
                lambda i=inds[4]: cancelar_indicacao(usuario=usuario, indicacao=i, justificativa="Desisti"),
                lambda i=inds[5], j=inds[6]: cancelar_indicacoes(usuario=usuario, indicacoes=[i, j],
                                                                 justificativa="Lote"),
                lambda i=inds[7]: reprovar_indicacao(usuario=analista_orgao, indicacao=i, categoria=categoria,
                                                     justificativa="IOT"),
                indicar(a), indicar(b),
            ])
            erros = [r for r in resultados if isinstance(r, Exception)]
            assert not erros, (rodada, erros)
            ativas = Indicacao.objects.filter(inciso__emenda__parlamentar=parlamentar, status__in=Indicacao.ATIVAS)
            assert _prioridades(parlamentar) == list(range(1, ativas.count() + 1)), rodada
    assert transacoes.retentativas() == 0
