"""Saneamento (§7.12): sanear indicação reprovada, guardar para o remanejamento constitucional, concluir; janela,
saldos, mínimo em saúde e o que perde a impositividade no fim da escolha."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from auditoria.models import RegistroAuditoria
from emendas.models import MovimentoSaneamento
from emendas.saneamento.selectors import painel_saneamento
from emendas.selectors import saldos_inciso
from emendas.services import concluir_saneamento, reservar_remanejamento_constitucional, sanear_indicacao

from .conftest import as_

pytestmark = pytest.mark.django_db
M = Decimal


def sanear(c, valor, ind="i2", proposta="Licença ambiental obtida"):
    return sanear_indicacao(usuario=c["parl"], indicacao=c[ind], valor=M(valor), proposta_saneadora=proposta)


def test_saldo_com_iot_por_inciso_e_o_reservado_pl(ciclo):
    with as_(ciclo["escolha"][0]):
        painel = {l.inciso.pk: l for l in painel_saneamento(ciclo["titular"], ciclo["saude"].exercicio)}
    assert painel[ciclo["saude"].pk].saldo_iot == M("300000.00")
    assert painel[ciclo["outra"].pk].saldo_iot == M("500000.00")
    assert [l.indicacao.pk for l in painel[ciclo["outra"].pk].indicacoes] == [ciclo["i2"].pk]


def test_sanear_tira_do_reservado_pl_e_volta_a_ser_indicado(ciclo):
    dia = ciclo["escolha"][0]
    antes = saldos_inciso(ciclo["outra"], dia)
    with as_(dia):
        mov = sanear(ciclo, "120000.00")
    depois = saldos_inciso(ciclo["outra"], dia)
    assert mov.tipo == MovimentoSaneamento.Tipo.SANEAMENTO
    assert depois.reservado_pl == antes.reservado_pl - M("120000.00")
    assert depois.indicado == antes.indicado + M("120000.00")
    assert depois.valor_inciso == antes.valor_inciso == sum(depois.baldes().values(), M("0"))
    assert RegistroAuditoria.objects.filter(acao="saneamento.sanear").exists()


def test_sanear_de_novo_troca_o_valor_e_zero_apaga(ciclo):
    with as_(ciclo["escolha"][0]):
        sanear(ciclo, "100000.00")
        sanear(ciclo, "150000.00")
        assert MovimentoSaneamento.objects.get().valor == M("150000.00")
        assert sanear(ciclo, "0") is None
    assert not MovimentoSaneamento.objects.exists()


def test_valor_sanado_nao_passa_do_nao_utilizado_nem_do_saldo(ciclo):
    with as_(ciclo["escolha"][0]):
        with pytest.raises(ValidationError, match="passa do valor não utilizado"):
            sanear(ciclo, "500000.01")
        reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["outra"], valor=M("400000.00"))
        with pytest.raises(ValidationError, match="ainda a escolher R\\$ 100.000,00"):
            sanear(ciclo, "100000.01")
        sanear(ciclo, "100000.00")


def test_sem_proposta_saneadora_e_recusado(ciclo):
    with as_(ciclo["escolha"][0]), pytest.raises(ValidationError, match="proposta saneadora"):
        sanear(ciclo, "1.00", proposta="  ")


def test_so_o_titular_saneia(ciclo, outro_parlamentar):
    with as_(ciclo["escolha"][0]), pytest.raises(PermissionDenied):
        sanear_indicacao(usuario=outro_parlamentar.usuario, indicacao=ciclo["i2"], valor=M("1.00"),
                         proposta_saneadora="x")


@pytest.mark.parametrize("quando, aceita", [
    ("antes", False), ("inicio", True), ("fim_23h59", True), ("depois_0h00", False)])
def test_janela_da_escolha_nas_bordas_no_fuso_de_sao_paulo(ciclo, quando, aceita):
    inicio, fim = ciclo["escolha"]
    momento = {"antes": as_(inicio - ciclo["um"], 23, 59, 59), "inicio": as_(inicio, 0, 0, 1),
               "fim_23h59": as_(fim, 23, 59, 30), "depois_0h00": as_(fim + ciclo["um"], 0, 0, 30)}[quando]
    with momento:
        if aceita:
            sanear(ciclo, "1.00")
        else:
            with pytest.raises(ValidationError, match="escolha entre saneamento e remanejamento constitucional está "
                                                      "fechada"):
                sanear(ciclo, "1.00")


def test_no_fim_da_escolha_o_nao_sanado_nem_guardado_perde_a_impositividade(ciclo):
    inicio, fim = ciclo["escolha"]
    with as_(inicio):
        sanear(ciclo, "100000.00")
        reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["outra"], valor=M("150000.00"))
    no_fim = saldos_inciso(ciclo["outra"], fim)
    assert (no_fim.reservado_pl, no_fim.nao_impositivo) == (M("400000.00"), M("500000.00"))
    depois = saldos_inciso(ciclo["outra"], fim + ciclo["um"])
    # 500 mil de não indicado no D+60 já eram não impositivos; mais 250 mil do saldo com impedimento não escolhido.
    assert (depois.reservado_pl, depois.nao_impositivo, depois.indicado) == (
        M("150000.00"), M("750000.00"), M("100000.00"))
    assert sum(depois.baldes().values(), M("0")) == depois.valor_inciso == M("1000000.00")


def test_concluir_deixa_a_escolha_so_para_leitura(ciclo):
    with as_(ciclo["escolha"][0]):
        sanear(ciclo, "10.00")
        concluir_saneamento(usuario=ciclo["parl"], inciso=ciclo["outra"])
        with pytest.raises(ValidationError, match="já foi concluído"):
            sanear(ciclo, "20.00")
        with pytest.raises(ValidationError, match="já foi concluído"):
            concluir_saneamento(usuario=ciclo["parl"], inciso=ciclo["outra"])
    assert RegistroAuditoria.objects.filter(acao="saneamento.concluir").exists()


def test_minimo_em_saude_bloqueia_sanear_outra_area_quando_nao_pode_mais_ser_atingido(ciclo, exercicio):
    # Montante 2 milhões; 50 % = 1 milhão em saúde. Em saúde: 200 mil ativos; saldo com impedimento: 800 mil.
    exercicio.minimo_saude_percentual = M("50")
    exercicio.save()
    with as_(ciclo["escolha"][0]):
        with pytest.raises(ValidationError, match=r"Mínimo em saúde não atendido: 50(\.00)?% do montante impositivo é "
                                                  r"R\$ 1\.000\.000,00; já em saúde R\$ 200\.000,00"):
            sanear(ciclo, "0.01")
        # Sanear em saúde nunca é bloqueado por esta regra.
        sanear(ciclo, "300000.00", ind="i1")


def test_minimo_em_saude_atingivel_deixa_sanear_outra_area(ciclo, exercicio):
    exercicio.minimo_saude_percentual = M("30")  # 600 mil: 200 mil ativos + 800 mil de saldo com impedimento
    exercicio.save()
    with as_(ciclo["escolha"][0]):
        sanear(ciclo, "400000.00")
        with pytest.raises(ValidationError, match="Mínimo em saúde"):
            sanear(ciclo, "400000.01")
