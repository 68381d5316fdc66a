"""E-mails do titular vão também aos assessores ativos dele (emails_do_titular, um lugar só)."""

from decimal import Decimal

import pytest

from contas import perfis
from emendas.services import (
    abrir_diligencia, aprovar_remanejamento, desassociar_assessor, devolver_para_ajuste, enviar_indicacao,
    fechar_diligencia, reprovar_indicacao, reprovar_remanejamento, solicitar_remanejamento,
)
from emendas.visibilidade import emails_do_titular
from notificacoes.models import Aviso, EmailPendente
from tests.conftest import criar_usuario

from .conftest import em

pytestmark = pytest.mark.django_db
M = Decimal


def test_emails_do_titular_sao_o_dele_e_os_dos_assessores_ativos(a):
    from emendas.services import associar_assessor

    eva = criar_usuario("eva@almg.test", perfis.ASSESSOR, "Eva Assessora")
    associar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], email=eva.email)
    assert emails_do_titular(a["ana"]) == ["ana@almg.test", "davi@almg.test", "eva@almg.test"]
    desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=eva)
    a["davi"].is_active = False
    a["davi"].save()
    assert emails_do_titular(a["ana"]) == ["ana@almg.test"]  # nem o desassociado, nem a conta desativada
    assert emails_do_titular(a["bruno"]) == ["bruno@almg.test"]


def _destinos(trecho):
    return EmailPendente.objects.filter(assunto__contains=trecho).get().destinatarios


def test_decisoes_do_remanejamento_vao_ao_titular_e_ao_assessor(a, acao_saude_2, grupo_inv):
    with em():
        um = solicitar_remanejamento(usuario=a["davi"], inciso=a["inciso"], acao=acao_saude_2,
                                     grupo_despesa=grupo_inv, valor=M("1000.00"))
        outro = solicitar_remanejamento(usuario=a["ana"].usuario, inciso=a["inciso"], acao=acao_saude_2,
                                        grupo_despesa=grupo_inv, valor=M("2000.00"))
        aprovar_remanejamento(usuario=a["segov"], remanejamento=um)
        reprovar_remanejamento(usuario=a["segov"], remanejamento=outro, justificativa="Sem destino.")
    assert _destinos("remanejamento aprovado") == ["ana@almg.test", "davi@almg.test"]
    assert _destinos("remanejamento reprovado") == ["ana@almg.test", "davi@almg.test"]
    # A notificação no sistema também chega ao assessor.
    assert Aviso.objects.filter(usuario=a["davi"]).count() == 2


def test_devolucao_reprovacao_e_diligencia_vao_ao_titular_e_ao_assessor(a):
    with em():
        ajuste = enviar_indicacao(usuario=a["davi"], inciso=a["inciso"], forma_execucao="CONVENIO",
                                  valor=M("1000.00"), beneficiario=a["benef"], objeto="Reforma")
        reprovada = enviar_indicacao(usuario=a["davi"], inciso=a["inciso"], forma_execucao="CONVENIO",
                                     valor=M("500.00"), beneficiario=a["benef"], objeto="Ambulância")
        devolver_para_ajuste(usuario=a["orgao"], indicacao=ajuste, justificativa="Detalhe.")
        reprovar_indicacao(usuario=a["orgao"], indicacao=reprovada, categoria=a["cat"], justificativa="Sem projeto.")
        dil = abrir_diligencia(usuario=a["orgao"], indicacao=ajuste, texto="Envie o projeto.")
        fechar_diligencia(usuario=a["orgao"], diligencia=dil)
    esperado = ["ana@almg.test", "davi@almg.test"]
    assert _destinos("devolvida para ajuste") == esperado
    assert _destinos("reprovada") == esperado
    assert _destinos("aberta") == esperado and _destinos("fechada") == esperado


def test_desassociado_nao_recebe_mais(a):
    desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    with em():
        ind = enviar_indicacao(usuario=a["ana"].usuario, inciso=a["inciso"], forma_execucao="CONVENIO",
                               valor=M("1000.00"), beneficiario=a["benef"], objeto="Reforma")
        devolver_para_ajuste(usuario=a["orgao"], indicacao=ind, justificativa="Detalhe.")
    assert _destinos("devolvida para ajuste") == ["ana@almg.test"]
