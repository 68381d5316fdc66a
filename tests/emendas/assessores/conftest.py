"""Cenário dos assessores: Ana (titular), Bruno (outro parlamentar), Davi (assessor) e o que uma indicação precisa."""

from datetime import date

import pytest
import time_machine

from contas import perfis
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import CategoriaImpedimento
from emendas.services import associar_assessor
from tests.conftest import criar_usuario, meio_dia

LIVRE = date(2019, 2, 1)


def em(dia=LIVRE):
    return time_machine.travel(meio_dia(dia), tick=False)


@pytest.fixture
def assessor(db):
    return criar_usuario("davi@almg.test", perfis.ASSESSOR, "Davi Assessor")


@pytest.fixture
def a(inciso, parlamentar, outro_parlamentar, fabrica, assessor, analista_orgao, segov, programacoes):
    """Davi já é assessor de Ana; Bruno tem um inciso seu, que Davi não vê."""
    benef = Convenente.objects.create(cnpj=gerar_cnpj(7), razao_social="Prefeitura de Betim", municipio="Betim",
                                      tipo="ADM_MUNICIPAL")
    vinculo = associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email=assessor.email)
    return {"ana": parlamentar, "bruno": outro_parlamentar, "davi": assessor, "inciso": inciso, "vinculo": vinculo,
            "inciso_bruno": fabrica.inciso(outro_parlamentar, "500000.00"),
            "benef": benef, "orgao": analista_orgao, "segov": segov,
            "cat": CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()}
