"""Associar e desassociar com threads e conexões reais no PostgreSQL: as travas valem sob corrida."""

import pytest
from django.core.exceptions import ValidationError

from emendas.models import VinculoAssessor
from emendas.services import associar_assessor, desassociar_assessor
from notificacoes.models import EmailPendente
from tests.concorrencia import em_paralelo, so_no_postgres

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def test_dois_associar_do_mesmo_assessor_ao_mesmo_tempo_criam_um_vinculo(parlamentar, assessor):
    for rodada in range(4):
        resultados = em_paralelo([lambda: associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar,
                                                            email=assessor.email)] * 2)
        assert sum(isinstance(r, VinculoAssessor) for r in resultados) == 1, resultados
        recusa = next(r for r in resultados if not isinstance(r, VinculoAssessor))
        assert isinstance(recusa, ValidationError) and "já é assessor" in str(recusa)
        assert VinculoAssessor.objects.filter(ativo=True).count() == 1
        desassociar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, assessor=assessor)
    assert VinculoAssessor.objects.count() == 4


def test_dois_desassociar_ao_mesmo_tempo_encerram_uma_vez_com_um_email(parlamentar, assessor):
    associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email=assessor.email)
    resultados = em_paralelo([lambda: desassociar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar,
                                                           assessor=assessor)] * 2)
    assert sum(isinstance(r, VinculoAssessor) for r in resultados) == 1, resultados
    assert sum(isinstance(r, ValidationError) for r in resultados) == 1
    assert EmailPendente.objects.filter(assunto__contains="desassociado").count() == 1
