"""Transferência especial com threads e conexões reais no PostgreSQL: dois envios ao mesmo tempo chamam o SIAFI uma
vez só; dois cadastros da mesma indicação não criam duas transferências."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from emendas import services as em
from emendas.models import TransferenciaEspecial
from integracoes.models import ConsultaIntegracao
from tests.concorrencia import em_paralelo, so_no_postgres

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def _cadastrar(analista, ind, numero="RES 1/2019"):
    return em.cadastrar_transferencia_especial(usuario=analista, indicacoes=[ind], numero_resolucao=numero,
                                               data_publicacao=date(2019, 1, 25), dotacao="")


def test_dois_envios_ao_mesmo_tempo_chamam_o_siafi_uma_vez(tes, analista_segov_uo):
    for ind in tes:
        (te,) = _cadastrar(analista_segov_uo, ind)
        resultados = em_paralelo([lambda: em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo,
                                                                          transferencia=te)] * 2)
        ok = [r for r in resultados if isinstance(r, TransferenciaEspecial)]
        recusas = [r for r in resultados if isinstance(r, ValidationError)]
        assert len(ok) == 1 and len(recusas) == 1, resultados
        assert ok[0].status == TransferenciaEspecial.Status.REGISTRADO_SIAFI
        texto = " ".join(recusas[0].messages)
        assert "já está sendo enviada" in texto or "registrado no siafi" in texto
    assert ConsultaIntegracao.objects.count() == len(tes)
    assert all(te.tentativas == 1 for te in TransferenciaEspecial.objects.all())


def test_dois_cadastros_da_mesma_indicacao_criam_uma_transferencia(tes, analista_segov_uo):
    resultados = em_paralelo([lambda n=n: _cadastrar(analista_segov_uo, tes[0], f"RES {n}/2019") for n in (1, 2)])
    assert all(isinstance(r, list) for r in resultados), resultados
    te = TransferenciaEspecial.objects.get()
    assert te.status == TransferenciaEspecial.Status.CADASTRADO and te.registros.count() == 1
