"""O cenário do controle de execução: uma indicação de execução direta aprovada, o órgão da UO e a SEGOV."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from emendas.models import CategoriaImpedimento, Indicacao
from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao
from tests.conftest import meio_dia

M = Decimal
LIVRE, RESTRITA, ENCERRADA = date(2019, 2, 1), date(2019, 3, 1), date(2019, 3, 20)
FORA_DA_JANELA = date(2019, 7, 1)  # depois de D0+164, o fim da janela "Informar valor utilizado e reprovação"


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


def aprovada(e, valor="100000.00", *, dia=LIVRE, origem=None, forma="EXECUCAO_DIRETA", beneficiario=None,
             inciso=None) -> Indicacao:
    with em(dia):
        ind = enviar_indicacao(usuario=e["parl"], inciso=inciso or e["inciso"], forma_execucao=forma,
                               valor=M(valor), beneficiario=beneficiario, objeto="Aquisição de ambulância",
                               origem_saldo=origem)
        aprovar_indicacao_orgao(usuario=e["orgao"], indicacao=ind)
        aprovar_indicacao_segov(usuario=e["segov"], indicacao=ind)
    ind.refresh_from_db()
    return ind


@pytest.fixture
def e(inciso, parlamentar, analista_orgao, segov):
    return {"inciso": inciso, "parl": parlamentar.usuario, "orgao": analista_orgao, "segov": segov,
            "cat": CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()}
