"""O disjuntor registra a abertura e o fechamento no registro de disponibilidade (a queda que a SEGOV vê)."""

import time

import pytest

from disponibilidade.models import QuedaIntegracao
from integracoes import cagec
from integracoes.errors import IntegracaoIndisponivel

from .conftest import json_, status

pytestmark = pytest.mark.django_db


def test_disjuntor_aberto_e_fechado_fica_na_queda(servidor, cnpj, settings):
    settings.INTEGRACOES_CIRCUITO_FALHAS = 2
    settings.INTEGRACOES_CIRCUITO_SEGUNDOS = 0.3
    servidor.responder(status(500))
    for _ in range(4):
        with pytest.raises(IntegracaoIndisponivel):
            cagec.consultar(cnpj)
    queda = QuedaIntegracao.objects.get()
    assert queda.fim is None and queda.disjuntor_aberto_em is not None
    assert queda.inicio <= queda.disjuntor_aberto_em
    time.sleep(0.35)
    servidor.responder(json_({"situacao": "REGULAR", "pendencias": [], "siafi": {"bloqueado": False}}))
    assert cagec.consultar(cnpj).regular
    queda.refresh_from_db()
    assert queda.disjuntor_fechado_em is not None and queda.fim is not None
    assert QuedaIntegracao.objects.count() == 1
