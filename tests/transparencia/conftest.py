"""A fixture ``publico``: o cenário de ``tests/transparencia/cenario.py``."""

import pytest

from tests.transparencia.cenario import montar_cenario_publico


@pytest.fixture
def publico(db, parlamentar, outro_parlamentar, segov, analista_orgao, acao_saude, grupo_inv):
    return montar_cenario_publico(parlamentar=parlamentar, outro_parlamentar=outro_parlamentar, segov=segov,
                                  analista_orgao=analista_orgao, acao_saude=acao_saude, grupo_inv=grupo_inv)
