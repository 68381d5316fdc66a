"""Incisos P (Decisões, "P incisos"): a fase do dinheiro segue a janela de indicação da trilha P, não as quatro datas."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from emendas import prazos
from emendas.prazos import Calendario, Fase, OrigemSaldo, TipoJanela, Trilha
from emendas.saldos import Estado, Movimento, calcular_saldos

D0 = date(2019, 1, 10)
CAL = Calendario.padrao(D0)
INICIO_P, FIM_P = CAL.janelas[(Trilha.P, TipoJanela.INDICACAO_CANCELAMENTO)]
UM = timedelta(days=1)
M = Decimal


def saldos_p(dia, movimentos=(), cal=CAL):
    return calcular_saldos(exercicio=cal, dia=dia, valor_inicial=M("500000.00"), movimentos=movimentos, tipo="P")


def test_janela_p_padrao_e_d225_a_d250():
    assert (INICIO_P, FIM_P) == (D0 + timedelta(days=225), D0 + timedelta(days=250))


@pytest.mark.parametrize("dia, esperada", [
    (D0, Fase.FECHADO),
    (INICIO_P - UM, Fase.FECHADO),
    (INICIO_P, Fase.LIVRE),
    (FIM_P, Fase.LIVRE),  # o fim é inclusive
    (FIM_P + UM, Fase.ENCERRADA),
    (date(2020, 6, 1), Fase.ENCERRADA),
])
def test_fase_p_em_cada_borda(dia, esperada):
    assert prazos.fase_p(CAL, dia) is esperada


def test_fase_p_nunca_e_restrita_nem_segue_as_quatro_datas():
    fases = {prazos.fase_p(CAL, D0 + timedelta(days=n)) for n in range(0, 400)}
    assert fases == {Fase.FECHADO, Fase.LIVRE, Fase.ENCERRADA}
    assert prazos.fase_p(CAL, CAL.fim_janela_livre) is Fase.FECHADO  # a janela livre S/R não abre o P


def test_sem_janela_p_o_inciso_p_fica_so_para_leitura():
    sem = replace(CAL, janelas={k: v for k, v in CAL.janelas.items() if k[0] != Trilha.P})
    assert prazos.fase_p(sem, date(2030, 1, 1)) is Fase.FECHADO


def test_inciso_p_carregado_depois_do_d60_nao_vai_para_o_nao_impositivo():
    # Antes: a fase do exercício (ENCERRADA depois de D+60) levava 100 % do P ao não impositivo, disponível 0.
    s = saldos_p(CAL.fim_janela_obrigatoria + UM)
    assert s.fase is Fase.FECHADO
    assert (s.livre, s.nao_impositivo, s.disponivel_indicacao) == (M("500000.00"), M("0"), M("0"))


def test_inciso_p_e_indicavel_so_dentro_da_janela_p_e_nunca_remanejavel():
    for dia in (INICIO_P, FIM_P):
        s = saldos_p(dia)
        assert s.fase is Fase.LIVRE and s.disponivel_indicacao == M("500000.00")
        assert s.disponivel_remanejamento == M("0")


def test_depois_da_janela_p_o_livre_vira_nao_impositivo():
    movs = [Movimento(M("100000.00"), Estado.ATIVO, OrigemSaldo.LIVRE)]
    s = saldos_p(FIM_P + UM, movs)
    assert (s.livre, s.sem_remanejamento, s.nao_impositivo, s.indicado) == (
        M("0"), M("0"), M("400000.00"), M("100000.00"))
    assert s.disponivel_indicacao == M("0")
    habilitado = replace(CAL, nao_impositivo_habilitado=True)
    assert saldos_p(FIM_P + UM, movs, habilitado).disponivel_indicacao == M("400000.00")


@pytest.mark.parametrize("dia, cancelamento, destino", [
    (FIM_P, False, OrigemSaldo.LIVRE),
    (FIM_P, True, OrigemSaldo.LIVRE),
    (FIM_P + UM, False, OrigemSaldo.RESERVADO_PL),
])
def test_indicacao_de_inciso_p_volta_pela_tabela_com_a_janela_p(dia, cancelamento, destino):
    cal = prazos.calendario_do_inciso(CAL, "P")
    assert prazos.destino_devolucao_indicacao(cal, dia, OrigemSaldo.LIVRE, cancelamento=cancelamento) == destino


def test_cancelar_indicacao_de_inciso_p_depois_da_janela_e_recusado():
    cal = prazos.calendario_do_inciso(CAL, "P")
    with pytest.raises(prazos.CancelamentoRecusado, match=f"{FIM_P:%d/%m/%Y}"):
        prazos.destino_devolucao_indicacao(cal, FIM_P + UM, OrigemSaldo.LIVRE, cancelamento=True)


def test_conferir_janela_do_inciso_p_explica_a_abertura_e_o_fim():
    from django.core.exceptions import ValidationError

    cal = prazos.calendario_do_inciso(CAL, "P")
    with pytest.raises(ValidationError, match=f"abrem em {INICIO_P:%d/%m/%Y}"):
        prazos.conferir_janela(cal, INICIO_P - UM, "indicacao")
    assert prazos.conferir_janela(cal, FIM_P, "indicacao") == (OrigemSaldo.LIVRE,)
    with pytest.raises(ValidationError, match=f"terminou em {FIM_P:%d/%m/%Y}"):
        prazos.conferir_janela(cal, FIM_P + UM, "indicacao")


def test_incisos_s_e_r_continuam_com_as_quatro_datas():
    assert prazos.calendario_do_inciso(CAL, "S") is CAL
    assert prazos.calendario_do_inciso(CAL, "R") is CAL
