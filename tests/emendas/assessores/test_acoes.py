"""O assessor age em nome do titular com o próprio login; cada registro guarda quem agiu e por quem."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from auditoria.models import RegistroAuditoria
from emendas import selectors
from emendas.models import Bloco, Diligencia, Indicacao, RegistroIndicacao, RegistroRemanejamento
from emendas.services import (
    abrir_diligencia, ajustar_indicacao, cancelar_indicacao, cancelar_remanejamento, desassociar_assessor,
    devolver_para_ajuste, enviar_indicacao, repriorizar_indicacao, responder_diligencia, solicitar_remanejamento,
)

from .conftest import em

pytestmark = pytest.mark.django_db
M = Decimal


def indicar(a, usuario=None, inciso=None, valor="1000.00"):
    with em():
        return enviar_indicacao(usuario=usuario or a["davi"], inciso=inciso or a["inciso"], forma_execucao="CONVENIO",
                                valor=M(valor), beneficiario=a["benef"], objeto="Reforma da UBS")


def test_assessor_indica_e_o_registro_guarda_quem_agiu_e_por_quem(a):
    ind = indicar(a)
    assert (ind.enviada_por, ind.em_nome_de) == (a["davi"], a["ana"])
    registro = RegistroIndicacao.objects.get(indicacao=ind)
    assert (registro.usuario, registro.em_nome_de) == (a["davi"], a["ana"])
    auditoria = RegistroAuditoria.objects.get(acao="indicacao.enviar")
    assert auditoria.usuario == a["davi"] and auditoria.depois["em_nome_de"] == a["ana"].pk


def test_o_proprio_titular_tambem_fica_como_em_nome_de(a):
    ind = indicar(a, usuario=a["ana"].usuario)
    assert (ind.enviada_por, ind.em_nome_de) == (a["ana"].usuario, a["ana"])


def test_assessor_ajusta_cancela_e_prioriza_em_nome_do_titular(a):
    primeira, segunda = indicar(a), indicar(a)
    with em():
        devolver_para_ajuste(usuario=a["orgao"], indicacao=primeira, justificativa="Detalhe o objeto.")
        ajustar_indicacao(usuario=a["davi"], indicacao=primeira, objeto="Reforma e ampliação da UBS")
        repriorizar_indicacao(usuario=a["davi"], indicacao=segunda, posicao=1)
        cancelar_indicacao(usuario=a["davi"], indicacao=primeira, justificativa="Desistimos.")
    do_titular = RegistroIndicacao.objects.filter(indicacao=primeira).order_by("pk")
    assert [(r.status_novo, r.usuario, r.em_nome_de) for r in do_titular] == [
        ("EM_ANALISE_ORGAO", a["davi"], a["ana"]), ("AGUARDANDO_AJUSTE", a["orgao"], None),
        ("EM_ANALISE_ORGAO", a["davi"], a["ana"]), ("CANCELADA", a["davi"], a["ana"]),
    ]
    for acao in ("indicacao.ajustar", "indicacao.cancelar", "indicacao.repriorizar"):
        registro = RegistroAuditoria.objects.get(acao=acao)
        assert registro.usuario == a["davi"] and registro.depois["em_nome_de"] == a["ana"].pk
    assert RegistroAuditoria.objects.get(acao="indicacao.devolver_para_ajuste").depois.get("em_nome_de") is None


def test_assessor_pede_e_cancela_remanejamento_em_nome_do_titular(a, acao_saude_2, grupo_inv):
    with em():
        rem = solicitar_remanejamento(usuario=a["davi"], inciso=a["inciso"], acao=acao_saude_2,
                                      grupo_despesa=grupo_inv, valor=M("1000.00"))
        cancelar_remanejamento(usuario=a["davi"], remanejamento=rem)
    rem.refresh_from_db()
    assert (rem.solicitado_por, rem.em_nome_de, rem.status) == (a["davi"], a["ana"], "CANCELADO")
    assert [(r.usuario, r.em_nome_de) for r in RegistroRemanejamento.objects.filter(remanejamento=rem)] == [
        (a["davi"], a["ana"]), (a["davi"], a["ana"])]


def test_assessor_responde_diligencia_do_titular(a):
    ind = indicar(a)
    dil = abrir_diligencia(usuario=a["orgao"], indicacao=ind, texto="Envie o projeto.")
    responder_diligencia(usuario=a["davi"], diligencia=dil, texto="Segue o projeto.")
    assert Diligencia.objects.get(pk=dil.pk).respostas.get().usuario == a["davi"]
    registro = RegistroAuditoria.objects.get(acao="diligencia.responder")
    assert registro.usuario == a["davi"] and registro.depois["em_nome_de"] == a["ana"].pk


def test_desassociado_perde_o_acesso_na_hora(a):
    ind = indicar(a)
    inciso = selectors.inciso_para_usuario(a["davi"], a["inciso"].pk)  # vê e escreve enquanto associado
    assert selectors.pode_escrever_no_inciso(a["davi"], inciso)
    desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    # O mesmo objeto de usuário (uma sessão aberta): nada fica guardado nele.
    assert not selectors.pode_escrever_no_inciso(a["davi"], inciso)
    with pytest.raises(Http404):
        selectors.inciso_para_usuario(a["davi"], a["inciso"].pk)
    with pytest.raises(Http404):
        selectors.indicacao_para_usuario(a["davi"], ind.pk)
    with pytest.raises(PermissionDenied):
        indicar(a)
    with em(), pytest.raises(PermissionDenied):
        cancelar_indicacao(usuario=a["davi"], indicacao=ind, justificativa="Tentativa.")
    assert Indicacao.objects.get(pk=ind.pk).status == "EM_ANALISE_ORGAO"


def test_assessor_de_ana_nao_ve_nem_escreve_no_de_bruno(a):
    with pytest.raises(Http404):
        selectors.inciso_para_usuario(a["davi"], a["inciso_bruno"].pk)
    inciso_bruno = selectors.incisos_com_detalhes().get(pk=a["inciso_bruno"].pk)
    assert not selectors.pode_escrever_no_inciso(a["davi"], inciso_bruno)
    with pytest.raises(PermissionDenied):
        indicar(a, inciso=a["inciso_bruno"])
    ind_bruno = indicar(a, usuario=a["bruno"].usuario, inciso=a["inciso_bruno"])
    with pytest.raises(Http404):
        selectors.indicacao_para_usuario(a["davi"], ind_bruno.pk)


def test_assessor_do_responsavel_escreve_no_bloco_e_o_do_membro_so_le(a, fabrica, outro_parlamentar):
    from contas import perfis
    from emendas.services import associar_assessor
    from tests.conftest import criar_usuario

    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=a["ana"])
    bloco.membros.add(a["ana"], outro_parlamentar)
    inciso_bloco = fabrica.inciso(bloco, "200000.00")
    eva = criar_usuario("eva@almg.test", perfis.ASSESSOR, "Eva Assessora")
    associar_assessor(usuario=outro_parlamentar.usuario, parlamentar=outro_parlamentar, email=eva.email)
    do_davi = selectors.inciso_para_usuario(a["davi"], inciso_bloco.pk)
    assert selectors.pode_escrever_no_inciso(a["davi"], do_davi)
    da_eva = selectors.inciso_para_usuario(eva, inciso_bloco.pk)  # membro: lê
    assert not selectors.pode_escrever_no_inciso(eva, da_eva)
    ind = indicar(a, inciso=inciso_bloco)
    assert ind.em_nome_de == a["ana"]  # o responsável pelo bloco
