from datetime import date

import pytest
import time_machine

from contas import perfis
from tests.conftest import criar_usuario, meio_dia
from tests.fabricas import transferencias_aprovadas


@pytest.fixture(autouse=True)
def _dia_na_janela_livre():
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        yield


@pytest.fixture
def analista_segov_uo(db):
    """O analista do órgão da UO 1491 (quem gere as transferências especiais)."""
    return criar_usuario("analista@governo.test", perfis.ORGAO, "Gabriela Governo")


@pytest.fixture
def tes(exercicio, parlamentar, segov, analista_segov_uo, grupo_inv, programacoes):
    """Três indicações de transferência especial aprovadas (Itabira, Mariana, Sabará)."""
    return transferencias_aprovadas(exercicio=exercicio, parlamentar=parlamentar, segov=segov,
                                    analista=analista_segov_uo, grupo=grupo_inv,
                                    valores=("100000.00", "50000.00", "25000.50"))
