"""``registrar_execucao``: as desigualdades, o impedimento parcial (e para onde vai o valor em cada dia), quem pode
e as formas automáticas."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from auditoria.models import RegistroAuditoria
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import selectors
from emendas.models import ExecucaoIndicacao, Inciso, Indicacao, RegistroExecucao
from emendas.prazos import OrigemSaldo
from emendas.services import (
    cancelar_indicacao, registrar_execucao, registrar_execucao_automatica, reprovar_indicacao,
)
from notificacoes.models import EmailPendente
from tests.conftest import criar_usuario

from .conftest import ENCERRADA, FORA_DA_JANELA, LIVRE, RESTRITA, aprovada, em

pytestmark = pytest.mark.django_db
M = Decimal
LIV, CPR, SPR, PL = (OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO,
                     OrigemSaldo.RESERVADO_PL)


def registrar(e, ind, utilizado, empenhado="0", liquidado="0", pago="0", *, usuario=None, numero_empenho="",
              categoria=None, justificativa=""):
    return registrar_execucao(usuario=usuario or e["orgao"], indicacao=ind, utilizado=M(utilizado),
                              empenhado=M(empenhado), liquidado=M(liquidado), pago=M(pago),
                              numero_empenho=numero_empenho, categoria=categoria, justificativa=justificativa)


def saldos(e, dia):
    return selectors.saldos_inciso(Inciso.objects.get(pk=e["inciso"].pk), dia)


def test_registro_completo_grava_valores_historico_e_auditoria(e):
    ind = aprovada(e)
    with em(LIVRE):
        antes = saldos(e, LIVRE)
        ex = registrar(e, ind, "100000.00", "90000.00", "80000.00", "70000.00", numero_empenho="2019NE000123")
    ex.refresh_from_db()
    assert (ex.utilizado, ex.empenhado, ex.liquidado, ex.pago) == (M("100000.00"), M("90000.00"), M("80000.00"),
                                                                    M("70000.00"))
    assert ex.numero_empenho == "2019NE000123" and ex.valor_impedido == 0 and not ex.automatica
    assert ex.registros.get().fonte == RegistroExecucao.Fonte.ORGAO
    assert RegistroAuditoria.objects.filter(acao="indicacao.execucao").count() == 1
    assert saldos(e, LIVRE) == antes  # sem impedimento, o dinheiro não se mexe
    # E um segundo registro atualiza a mesma linha e soma ao histórico.
    with em(LIVRE + timedelta(days=3)):
        registrar(e, ind, "100000.00", "100000.00", "100000.00", "100000.00", numero_empenho="2019NE000123")
    assert ExecucaoIndicacao.objects.count() == 1 and RegistroExecucao.objects.count() == 2
    assert ExecucaoIndicacao.objects.get().pago == M("100000.00")


@pytest.mark.parametrize("valores, trecho", [
    (("100000.00", "50000.00", "40000.00", "40000.01"), "pago (R$ 40.000,01) não pode passar do valor liquidado"),
    (("100000.00", "50000.00", "50000.01", "0"), "liquidado (R$ 50.000,01) não pode passar do valor empenhado"),
    (("90000.00", "90000.01", "0", "0"), "empenhado (R$ 90.000,01) não pode passar do valor utilizado"),
    (("100000.01", "0", "0", "0"), "utilizado (R$ 100.000,01) não pode passar do valor indicado"),
    (("100000.00", "-1", "0", "0"), "não pode ser negativo"),
])
def test_cada_desigualdade_e_recusada_e_nada_muda(e, valores, trecho):
    ind = aprovada(e)
    with em(LIVRE), pytest.raises(ValidationError) as erro:
        registrar(e, ind, *valores, numero_empenho="NE1", categoria=e["cat"], justificativa="Sobrou")
    assert trecho in " ".join(erro.value.messages)
    assert not ExecucaoIndicacao.objects.exists() and not RegistroExecucao.objects.exists()


def test_empenho_sem_numero_e_recusado(e):
    ind = aprovada(e)
    with em(LIVRE), pytest.raises(ValidationError, match="número do empenho"):
        registrar(e, ind, "100000.00", "10.00")
    assert not ExecucaoIndicacao.objects.exists()


def test_valor_com_mais_de_duas_casas_e_recusado(e):
    ind = aprovada(e)
    with em(LIVRE), pytest.raises(ValidationError, match="duas casas"):
        registrar(e, ind, "100000.001")


def test_restricoes_do_banco_recusam_valores_fora_de_ordem(e):
    ind = aprovada(e)
    base = {"indicacao": ind, "valor_indicado": ind.valor, "utilizado": ind.valor, "empenhado": M("10"),
            "numero_empenho": "NE", "liquidado": M("5"), "pago": M("5")}
    for ruim in ({"pago": M("6")}, {"liquidado": M("11")}, {"empenhado": ind.valor + 1},
                 {"utilizado": ind.valor + 1}, {"numero_empenho": ""}, {"utilizado": M("50000.00")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExecucaoIndicacao.objects.create(**{**base, **ruim})


def test_iot_parcial_devolve_so_a_parte_nao_utilizada_e_a_indicacao_continua_aprovada(e):
    ind = aprovada(e)
    dia = LIVRE + timedelta(days=5)
    with em(dia):
        antes = saldos(e, dia)
        ex = registrar(e, ind, "60000.00", "60000.00", "50000.00", "0", numero_empenho="NE7", categoria=e["cat"],
                       justificativa="A obra custou menos.")
        depois = saldos(e, dia)
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.APROVADA and ind.valor == M("100000.00")
    assert ex.valor_impedido == M("40000.00") and ex.saldo_devolucao == LIV and ex.categoria_impedimento == e["cat"]
    assert depois.indicado == antes.indicado - M("40000.00")
    assert depois.livre == antes.livre + M("40000.00")
    assert depois.valor_inciso == antes.valor_inciso == sum(depois.baldes().values())
    # Nos dias anteriores ao impedimento, nada mudou.
    assert saldos(e, dia - timedelta(days=1)).indicado == M("100000.00")
    # O parlamentar recebe o e-mail.
    email = EmailPendente.objects.get(assunto__contains="impedimento de ordem técnica parcial")
    assert e["parl"].email in email.destinatarios and "R$ 40.000,00" in email.corpo


@pytest.mark.parametrize("enviada, origem, dia_iot, destino", [
    (LIVRE, None, LIVRE, LIV),  # enviada e impedida na janela livre: volta ao livre
    (LIVRE, None, RESTRITA, CPR),  # enviada na livre, impedida na restrita: CPR
    (LIVRE, None, ENCERRADA, PL),  # depois do prazo: reservado para o PL
    (RESTRITA, CPR, RESTRITA, CPR),
    (RESTRITA, SPR, RESTRITA, PL),
])
def test_destino_da_parte_impedida_segue_a_tabela_no_dia(e, enviada, origem, dia_iot, destino):
    if origem == CPR:
        # Dinheiro no CPR: uma indicação da janela livre reprovada (inteira) na restrita.
        outra = aprovada(e, "200000.00")
        with em(RESTRITA):
            reprovar_indicacao(usuario=e["orgao"], indicacao=outra, categoria=e["cat"], justificativa="Sem projeto.")
    ind = aprovada(e, dia=enviada, origem=origem)
    with em(dia_iot):
        antes = saldos(e, dia_iot)
        ex = registrar(e, ind, "75000.00", categoria=e["cat"], justificativa="Parte não executada.")
        depois = saldos(e, dia_iot)
    assert ex.saldo_devolucao == destino
    assert depois.saldo_do_balde(destino) == antes.saldo_do_balde(destino) + M("25000.00")
    assert depois.indicado == antes.indicado - M("25000.00")
    assert sum(depois.baldes().values()) == depois.valor_inciso
    # Dias depois (viradas de fase), o invariante continua.
    depois_mais = saldos(e, dia_iot + timedelta(days=40))
    assert sum(depois_mais.baldes().values()) == depois_mais.valor_inciso
    assert all(v >= 0 for v in depois_mais.baldes().values())


def test_iot_parcial_exige_categoria_e_justificativa(e):
    ind = aprovada(e)
    with em(LIVRE):
        with pytest.raises(ValidationError, match="justificativa"):
            registrar(e, ind, "60000.00", categoria=e["cat"])
        with pytest.raises(ValidationError, match="categoria"):
            registrar(e, ind, "60000.00", justificativa="Sobrou")
    assert not ExecucaoIndicacao.objects.exists()


def test_iot_parcial_fora_da_janela_e_recusado(e):
    ind = aprovada(e)
    with em(FORA_DA_JANELA), pytest.raises(ValidationError, match="não está aberta"):
        registrar(e, ind, "60000.00", categoria=e["cat"], justificativa="Sobrou")
    # Sem impedimento, o registro continua possível fora da janela.
    with em(FORA_DA_JANELA):
        registrar(e, ind, "100000.00")


def test_nada_utilizado_pede_a_reprovacao_inteira(e):
    ind = aprovada(e)
    with em(LIVRE), pytest.raises(ValidationError, match="reprove-a"):
        registrar(e, ind, "0", categoria=e["cat"], justificativa="Nada")


def test_iot_parcial_e_irreversivel_e_nao_devolve_duas_vezes(e):
    ind = aprovada(e)
    with em(LIVRE):
        registrar(e, ind, "60000.00", categoria=e["cat"], justificativa="Sobrou")
        meio = saldos(e, LIVRE)
        with pytest.raises(ValidationError, match="irreversível"):
            registrar(e, ind, "70000.00", categoria=e["cat"], justificativa="Mudei")
        with pytest.raises(ValidationError, match="irreversível"):
            registrar(e, ind, "100000.00")
        # O mesmo utilizado, com o empenho andando: aceito, sem nova devolução.
        registrar(e, ind, "60000.00", "60000.00", "60000.00", "60000.00", numero_empenho="NE9")
        assert saldos(e, LIVRE) == meio
    assert ExecucaoIndicacao.objects.get().valor_impedido == M("40000.00")


def test_a_parte_utilizada_nunca_volta_reprovar_ou_cancelar_e_recusado(e):
    ind = aprovada(e)
    with em(LIVRE):
        registrar(e, ind, "60000.00", categoria=e["cat"], justificativa="Sobrou")
        with pytest.raises(ValidationError, match="controle de execução"):
            reprovar_indicacao(usuario=e["orgao"], indicacao=ind, categoria=e["cat"], justificativa="Tudo")
        with pytest.raises(ValidationError, match="controle de execução"):
            cancelar_indicacao(usuario=e["parl"], indicacao=ind, justificativa="Desisti")
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.APROVADA


def test_so_o_orgao_da_uo_ou_a_segov_registra(e, uo_saude, outro_parlamentar):
    from contas import perfis
    from emendas.models import UnidadeOrcamentaria

    ind = aprovada(e)
    outra_uo = UnidadeOrcamentaria.objects.create(codigo="1261", nome="Secretaria de Educação")
    de_fora = criar_usuario("analista@educacao.test", perfis.ORGAO, "Analista de outra UO")
    outra_uo.analistas.add(de_fora)
    with em(LIVRE):
        for usuario in (de_fora, e["parl"], outro_parlamentar.usuario):
            with pytest.raises(PermissionDenied):
                registrar(e, ind, "100000.00", usuario=usuario)
        assert not ExecucaoIndicacao.objects.exists()
        registrar(e, ind, "100000.00", usuario=e["segov"])
    assert ExecucaoIndicacao.objects.get().atualizada_por == e["segov"]


def test_so_indicacao_aprovada(e):
    with em(LIVRE):
        from emendas.services import enviar_indicacao

        ind = enviar_indicacao(usuario=e["parl"], inciso=e["inciso"], forma_execucao="EXECUCAO_DIRETA",
                               valor=M("10.00"), objeto="Compra")
        with pytest.raises(ValidationError, match="só a indicação aprovada"):
            registrar(e, ind, "10.00")


@pytest.fixture
def instituto(db):
    return Convenente.objects.create(cnpj=gerar_cnpj(91), razao_social="Instituto Vida", municipio="Contagem",
                                     tipo="OSC")


def test_forma_automatica_e_recusada_no_registro_manual(e, instituto):
    ind = aprovada(e, forma="CONVENIO", beneficiario=instituto)
    with em(LIVRE), pytest.raises(ValidationError, match="automaticamente"):
        registrar(e, ind, "100000.00")
    assert not ExecucaoIndicacao.objects.exists()


def test_automatica_com_valores_do_instrumento(e, instituto):
    ind = aprovada(e)
    # Uma Resolução SES aprovada (o fundo de saúde e a UO da saúde não importam aqui: só a forma).
    Indicacao.objects.filter(pk=ind.pk).update(forma_execucao="RESOLUCAO_SES", beneficiario=instituto)
    with em(LIVRE):
        ex = registrar_execucao_automatica(indicacao=ind, utilizado=M("100000.00"), empenhado=M("100000.00"),
                                           liquidado=M("50000.00"), pago=M("0"), numero_empenho="2019NE1")
        assert ex.automatica and ex.registros.get().fonte == RegistroExecucao.Fonte.AUTOMATICA
        # Idempotente: a mesma chamada não repete histórico.
        registrar_execucao_automatica(indicacao=ind, utilizado=M("100000.00"), empenhado=M("100000.00"),
                                      liquidado=M("50000.00"), pago=M("0"), numero_empenho="2019NE1")
        assert RegistroExecucao.objects.count() == 1
        with pytest.raises(ValidationError, match="pago"):
            registrar_execucao_automatica(indicacao=ind, utilizado=M("100000.00"), empenhado=M("10"),
                                          liquidado=M("10"), pago=M("11"), numero_empenho="2019NE1")
        with pytest.raises(ValidationError, match="Informe os valores"):
            registrar_execucao_automatica(indicacao=ind)


def test_automatica_recusada_para_forma_manual(e):
    ind = aprovada(e)
    with em(LIVRE), pytest.raises(ValidationError, match="registrada pelo órgão"):
        registrar_execucao_automatica(indicacao=ind, utilizado=M("1"), empenhado=M("0"), liquidado=M("0"),
                                      pago=M("0"))
