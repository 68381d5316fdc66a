"""Diligência com threads e conexões reais no PostgreSQL: as travas dos serviços valem sob corrida."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from emendas.models import Diligencia, Indicacao, RespostaDiligencia
from emendas.services import (
    abrir_diligencia, cancelar_indicacao, enviar_indicacao, fechar_diligencia, responder_diligencia,
)
from notificacoes.models import EmailPendente
from tests.concorrencia import em_paralelo, so_no_postgres
from tests.emendas.diligencias.conftest import LIVRE
from tests.fabricas import em

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def test_fechar_e_responder_ao_mesmo_tempo_nunca_deixam_resposta_depois_do_fechamento(c):
    for rodada in range(8):
        dil = abrir_diligencia(usuario=c["orgao"], indicacao=c["ind"], texto=f"Dúvida {rodada}")
        resultados = em_paralelo([
            lambda: responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Resposta"),
            lambda: fechar_diligencia(usuario=c["orgao"], diligencia=dil),
        ])
        resposta, fechada = resultados
        assert isinstance(fechada, Diligencia), fechada
        dil.refresh_from_db()
        assert dil.status == "FECHADA"
        if isinstance(resposta, RespostaDiligencia):
            # A resposta ganhou a trava: foi gravada antes de a diligência ser fechada.
            assert resposta.criada_em <= dil.fechada_em
        else:
            assert isinstance(resposta, ValidationError) and "já foi fechada" in str(resposta)
            assert not dil.respostas.exists()


def test_dois_fechamentos_ao_mesmo_tempo_fecham_uma_vez_com_um_email(c):
    dil = abrir_diligencia(usuario=c["orgao"], indicacao=c["ind"], texto="Dúvida")
    resultados = em_paralelo([lambda: fechar_diligencia(usuario=c["orgao"], diligencia=dil)] * 2)
    assert sum(isinstance(r, Diligencia) for r in resultados) == 1
    assert sum(isinstance(r, ValidationError) for r in resultados) == 1
    assert EmailPendente.objects.filter(assunto__contains="fechada").count() == 1


def test_aberturas_simultaneas_recebem_numeros_distintos_sem_buraco(c, parlamentar):
    with em(LIVRE):
        outras = [enviar_indicacao(usuario=parlamentar.usuario, inciso=c["inciso"], forma_execucao="EXECUCAO_DIRETA",
                                   valor=Decimal("10.00"), objeto=f"Item {k}") for k in range(3)]
    resultados = em_paralelo([
        lambda i=i: abrir_diligencia(usuario=c["orgao"], indicacao=i, texto="Dúvida") for i in [c["ind"], *outras]
    ])
    assert all(isinstance(r, Diligencia) for r in resultados), resultados
    assert sorted(r.numero for r in resultados) == [1, 2, 3, 4]


def test_abrir_e_cancelar_a_indicacao_ao_mesmo_tempo(c):
    with em(LIVRE):
        abrir_, cancelar = em_paralelo([
            lambda: abrir_diligencia(usuario=c["orgao"], indicacao=c["ind"], texto="Dúvida"),
            lambda: cancelar_indicacao(usuario=c["ana"], indicacao=c["ind"], justificativa="Desisti"),
        ])
    ind = Indicacao.objects.get(pk=c["ind"].pk)
    assert isinstance(cancelar, Indicacao) and ind.status == "CANCELADA"
    if isinstance(abrir_, Diligencia):
        assert abrir_.aberta_em <= ind.encerrada_em  # aberta antes do cancelamento, nunca numa encerrada
    else:
        assert isinstance(abrir_, ValidationError) and "encerrada" in str(abrir_)
        assert not Diligencia.objects.exists()
