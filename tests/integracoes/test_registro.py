"""Toda consulta fica registrada em ConsultaIntegracao — com sucesso ou não, e mesmo com rollback do chamador."""

import logging
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from convenios.cnpj import formatar_cnpj, gerar_cnpj
from convenios.models import Convenente
from integracoes import cagec, siafi
from integracoes.consultas import ultimas
from integracoes.errors import IntegracaoIndisponivel
from integracoes.models import ConsultaIntegracao, ServicoSimulado
from integracoes.tipos import RespostaSiafi
from tests.conftest import criar_usuario


class SiafiLento:
    """Implementação de teste: demora 60 ms, para medir a latência registrada."""

    def consultar(self, cnpj):
        time.sleep(0.06)
        return RespostaSiafi(cnpj=cnpj, bloqueado=False)


class CagecComDefeito:
    def consultar(self, cnpj):
        raise RuntimeError("defeito nosso, não do CAGEC")


def _desligar(sistema):
    ServicoSimulado.objects.update_or_create(sistema=sistema, defaults={"fora_do_ar": True})


@pytest.mark.django_db
def test_sucesso_registrado_com_usuario_resposta_e_latencia(cnpj, segov, settings):
    r = cagec.consultar(formatar_cnpj(cnpj), usuario=segov)
    c = ConsultaIntegracao.objects.get()
    assert (c.sistema, c.cnpj, c.usuario, c.sucesso, c.erro) == ("CAGEC", cnpj, segov, True, "")
    assert c.resposta == r.como_dict()
    assert isinstance(c.latencia_ms, int) and c.latencia_ms >= 0

    settings.INTEGRACOES = {**settings.INTEGRACOES, "SIAFI": "tests.integracoes.test_registro.SiafiLento"}
    siafi.consultar(cnpj)
    c = ConsultaIntegracao.objects.filter(sistema="SIAFI").get()
    assert c.usuario is None and c.sucesso
    assert c.latencia_ms >= 60


@pytest.mark.django_db
def test_falha_registrada_e_reerguida(cnpj, segov):
    _desligar("SIAFI")
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj, usuario=segov)
    c = ConsultaIntegracao.objects.get()
    assert (c.sistema, c.cnpj, c.usuario, c.sucesso, c.resposta) == ("SIAFI", cnpj, segov, False, None)
    assert "SIAFI-MG" in c.erro and "fora do ar" in c.erro  # mensagem + detalhe técnico
    assert c.latencia_ms >= 0


@pytest.mark.django_db
def test_erro_inesperado_tambem_e_registrado_e_sai_como_esta(cnpj, settings):
    settings.INTEGRACOES = {**settings.INTEGRACOES, "CAGEC": "tests.integracoes.test_registro.CagecComDefeito"}
    with pytest.raises(RuntimeError):
        cagec.consultar(cnpj)
    c = ConsultaIntegracao.objects.get()
    assert not c.sucesso and c.erro == "RuntimeError: defeito nosso, não do CAGEC"


@pytest.mark.django_db
def test_usuario_anonimo_fica_sem_usuario(cnpj):
    cagec.consultar(cnpj, usuario=AnonymousUser())
    assert ConsultaIntegracao.objects.get().usuario is None


@pytest.mark.django_db
def test_cnpj_invalido_nao_consulta_nem_registra():
    with pytest.raises(ValidationError):
        cagec.consultar("12.345.678/0001-00")
    assert not ConsultaIntegracao.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_registro_sobrevive_ao_rollback_do_chamador(cnpj):
    usuario = criar_usuario("analista@orgao.test")

    class Desistiu(Exception):
        pass

    # O padrão documentado: consultar fora do atomic; a regra de negócio grava dentro dele.
    resposta = cagec.consultar(cnpj, usuario=usuario)
    with pytest.raises(Desistiu), transaction.atomic():
        Convenente.objects.create(cnpj=cnpj, razao_social="X", municipio="Y", situacao_cagec=resposta.situacao)
        raise Desistiu

    _desligar("SIAFI")
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj, usuario=usuario)
    with pytest.raises(Desistiu), transaction.atomic():
        Convenente.objects.create(cnpj=cnpj, razao_social="X", municipio="Y")
        raise Desistiu

    assert not Convenente.objects.exists()
    assert list(ConsultaIntegracao.objects.order_by("pk").values_list("sistema", "sucesso", "usuario")) == [
        ("CAGEC", True, usuario.pk), ("SIAFI", False, usuario.pk),
    ]


@pytest.mark.django_db(transaction=True)
def test_aviso_so_quando_chamado_dentro_de_atomic(cnpj, caplog):
    with caplog.at_level(logging.WARNING, logger="integracoes"):
        cagec.consultar(cnpj)
        assert not caplog.records
        with transaction.atomic():
            r = cagec.consultar(cnpj)  # funciona mesmo assim
    assert r.regular
    assert [rec.levelno for rec in caplog.records] == [logging.WARNING]
    assert "transaction.atomic" in caplog.records[0].getMessage()


@pytest.mark.django_db
def test_ultimas_consultas_do_cnpj(cnpj):
    outro = gerar_cnpj(87654321)
    for _ in range(4):
        cagec.consultar(cnpj)
        siafi.consultar(cnpj)
    siafi.consultar(outro)
    recentes = ultimas(formatar_cnpj(cnpj))
    assert len(recentes) == 5
    assert all(c.cnpj == cnpj for c in recentes)
    assert [c.pk for c in recentes] == sorted((c.pk for c in recentes), reverse=True)
    assert recentes[0].sistema == "SIAFI"
    assert len(ultimas(cnpj, limite=2)) == 2
    assert ultimas("nada") == []
