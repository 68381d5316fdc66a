"""O cenário comum dos testes de convênios: indicação aprovada para um convenente com usuário (tests/fabricas.py)."""

import pytest

from tests.fabricas import cenario_convenio


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov,
            "parl": parlamentar.usuario}
