"""A migração 0016 preenche "em nome de" nos pedidos e históricos de antes: até ali só o titular agia."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps

from emendas.models import Bloco, Indicacao, RegistroIndicacao, RegistroRemanejamento, Remanejamento
from emendas.services import aprovar_indicacao_orgao, enviar_indicacao, solicitar_remanejamento
from tests.conftest import meio_dia

pytestmark = pytest.mark.django_db
migracao = importlib.import_module("emendas.migrations.0016_assessor_vinculos_e_em_nome_de")


def test_preenche_o_titular_e_o_responsavel_do_bloco(a, fabrica, acao_saude_2, grupo_inv):
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=a["bruno"])
    inciso_bloco = fabrica.inciso(bloco, "1000.00")
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        ind = enviar_indicacao(usuario=a["ana"].usuario, inciso=a["inciso"], forma_execucao="CONVENIO",
                               valor=Decimal("10.00"), beneficiario=a["benef"], objeto="Reforma")
        aprovar_indicacao_orgao(usuario=a["orgao"], indicacao=ind)
        do_bloco = enviar_indicacao(usuario=a["bruno"].usuario, inciso=inciso_bloco, forma_execucao="CONVENIO",
                                    valor=Decimal("10.00"), beneficiario=a["benef"], objeto="Reforma")
        rem = solicitar_remanejamento(usuario=a["ana"].usuario, inciso=a["inciso"], acao=acao_saude_2,
                                      grupo_despesa=grupo_inv, valor=Decimal("10.00"))
    for modelo in (Indicacao, RegistroIndicacao, Remanejamento, RegistroRemanejamento):
        modelo.objects.update(em_nome_de=None)  # como estavam antes da migração
    migracao.preencher_em_nome_de(apps, None)
    assert Indicacao.objects.get(pk=ind.pk).em_nome_de == a["ana"]
    assert Indicacao.objects.get(pk=do_bloco.pk).em_nome_de == a["bruno"]  # o responsável pelo bloco
    assert Remanejamento.objects.get(pk=rem.pk).em_nome_de == a["ana"]
    assert RegistroRemanejamento.objects.get(remanejamento=rem).em_nome_de == a["ana"]
    assert dict(RegistroIndicacao.objects.filter(indicacao=ind).values_list("status_novo", "em_nome_de")) == {
        "EM_ANALISE_ORGAO": a["ana"].pk, "EM_ANALISE_SEGOV": None}  # a análise do órgão não é do titular
