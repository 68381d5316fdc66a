from datetime import date, timedelta

import pytest

from emendas import prazos
from emendas.prazos import Calendario, Fase, OrigemSaldo

D0 = date(2019, 1, 10)
CAL = Calendario.padrao(D0)


def test_datas_padrao_seguem_o_calendario_de_2019_do_manual():
    assert CAL.data_liberacao == date(2019, 1, 26)  # D+16
    assert CAL.fim_janela_livre == date(2019, 2, 25)  # D+46, liberação + 30
    assert CAL.fim_janela_obrigatoria == date(2019, 3, 11)  # D+60, "até 11/03/2019"


def _esperada(n: int) -> Fase:
    # Tabela do DOMAIN.md §5.3, escrita por faixas de D+n e não pela função testada.
    if n <= 15:
        return Fase.FECHADO
    if n <= 46:
        return Fase.LIVRE
    if n <= 60:
        return Fase.RESTRITA
    return Fase.ENCERRADA


@pytest.mark.parametrize("n", range(-3, 75))
def test_fase_de_cada_dia_da_tabela(n):
    assert prazos.fase(CAL, D0 + timedelta(days=n)) is _esperada(n)


@pytest.mark.parametrize(
    "dia, fase",
    [
        (date(2019, 1, 10), Fase.FECHADO),  # publicação
        (date(2019, 1, 25), Fase.FECHADO),  # D15, véspera da liberação
        (date(2019, 1, 26), Fase.LIVRE),  # D16, liberação
        (date(2019, 2, 25), Fase.LIVRE),  # D46, último dia da janela livre (inclusive)
        (date(2019, 2, 26), Fase.RESTRITA),  # D47, 31º dia após a liberação
        (date(2019, 3, 11), Fase.RESTRITA),  # D60, inclusive
        (date(2019, 3, 12), Fase.ENCERRADA),  # D61
    ],
)
def test_fronteiras_nomeadas(dia, fase):
    assert prazos.fase(CAL, dia) is fase


def test_fase_usa_as_datas_editadas_e_nao_os_deslocamentos():
    cal = Calendario(D0, date(2019, 2, 1), date(2019, 2, 1), date(2019, 2, 3))
    assert prazos.fase(cal, date(2019, 1, 31)) is Fase.FECHADO
    assert prazos.fase(cal, date(2019, 2, 1)) is Fase.LIVRE
    assert prazos.fase(cal, date(2019, 2, 2)) is Fase.RESTRITA
    assert prazos.fase(cal, date(2019, 2, 3)) is Fase.RESTRITA
    assert prazos.fase(cal, date(2019, 2, 4)) is Fase.ENCERRADA


def test_fim_da_fase_em_cada_fase():
    assert prazos.fim_da_fase(CAL, date(2019, 1, 12)) == date(2019, 1, 25)
    assert prazos.fim_da_fase(CAL, date(2019, 2, 1)) == date(2019, 2, 25)
    assert prazos.fim_da_fase(CAL, date(2019, 3, 1)) == date(2019, 3, 11)
    assert prazos.fim_da_fase(CAL, date(2019, 4, 1)) is None


def test_calendario_fora_de_ordem_tem_mensagens():
    ruim = Calendario(D0, date(2019, 1, 5), date(2019, 1, 4), date(2019, 1, 3))
    erros = prazos.erros_calendario(ruim)
    assert len(erros) == 3
    assert any("liberação não pode ser anterior à publicação" in e for e in erros)
    assert prazos.erros_calendario(CAL) == []


def test_saldos_de_uso_por_fase():
    assert prazos.saldo_de_uso(CAL, date(2019, 1, 20)) == {"remanejamento": (), "indicacao": ()}
    assert prazos.saldo_de_uso(CAL, date(2019, 2, 1))["remanejamento"] == (OrigemSaldo.LIVRE,)
    restrita = prazos.saldo_de_uso(CAL, date(2019, 3, 1))
    assert restrita["remanejamento"] == (OrigemSaldo.COM_REMANEJAMENTO,)
    assert restrita["indicacao"] == (OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO)
    assert prazos.saldo_de_uso(CAL, date(2019, 4, 1)) == {"remanejamento": (), "indicacao": ()}
    habilitado = Calendario.padrao(D0, nao_impositivo_habilitado=True)
    assert prazos.saldo_de_uso(habilitado, date(2019, 4, 1))["indicacao"] == (OrigemSaldo.NAO_IMPOSITIVO,)


LIVRE, CPR, SPR, NI = (
    OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO, OrigemSaldo.NAO_IMPOSITIVO,
)
EM_LIVRE, EM_RESTRITA, EM_ENCERRADA = date(2019, 2, 1), date(2019, 3, 1), date(2019, 4, 1)


@pytest.mark.parametrize(
    "origem, dia, destino",
    [
        # "remanejamento requested in LIVRE, reproved or cancelled": LIVRE / SPR / NAO_IMPOSITIVO
        (LIVRE, EM_LIVRE, LIVRE),
        (LIVRE, EM_RESTRITA, SPR),
        (LIVRE, EM_ENCERRADA, NI),
        # "remanejamento requested from CPR": — / CPR / NAO_IMPOSITIVO
        (CPR, EM_RESTRITA, CPR),
        (CPR, EM_ENCERRADA, NI),
        (NI, EM_ENCERRADA, NI),
    ],
)
def test_devolucao_de_remanejamento_segue_a_tabela_das_decisoes(origem, dia, destino):
    assert prazos.destino_devolucao_remanejamento(CAL, dia, origem) == destino


@pytest.mark.parametrize(
    "origem, dia, balde",
    [
        (LIVRE, EM_LIVRE, LIVRE),
        (LIVRE, EM_RESTRITA, SPR),  # pedido na janela livre, aprovado na restrita
        (CPR, EM_RESTRITA, CPR),
        (LIVRE, EM_ENCERRADA, NI),
        (CPR, EM_ENCERRADA, NI),
    ],
)
def test_inciso_r_nasce_no_balde_das_decisoes(origem, dia, balde):
    assert prazos.saldo_inicial_inciso_r(CAL, dia, origem) == balde


PL = OrigemSaldo.RESERVADO_PL


@pytest.mark.parametrize(
    "origem, dia, cancelamento, destino",
    [
        # indicação enviada na janela livre
        (LIVRE, EM_LIVRE, False, LIVRE), (LIVRE, EM_RESTRITA, False, CPR), (LIVRE, EM_ENCERRADA, False, PL),
        (LIVRE, EM_LIVRE, True, LIVRE), (LIVRE, EM_RESTRITA, True, SPR),
        # enviada com CPR
        (CPR, EM_RESTRITA, False, CPR), (CPR, EM_RESTRITA, True, CPR), (CPR, EM_ENCERRADA, False, PL),
        # enviada com SPR
        (SPR, EM_RESTRITA, False, PL), (SPR, EM_ENCERRADA, False, PL), (SPR, EM_RESTRITA, True, SPR),
        # enviada com saldo não impositivo
        (NI, EM_ENCERRADA, False, NI), (NI, EM_ENCERRADA, True, NI),
    ],
)
def test_devolucao_de_indicacao_segue_a_tabela_das_decisoes(origem, dia, cancelamento, destino):
    assert prazos.destino_devolucao_indicacao(CAL, dia, origem, cancelamento=cancelamento) == destino


@pytest.mark.parametrize("origem", [LIVRE, CPR, SPR])
def test_cancelamento_de_indicacao_impositiva_depois_do_prazo_e_recusado(origem):
    with pytest.raises(prazos.CancelamentoRecusado, match="11/03/2019"):
        prazos.destino_devolucao_indicacao(CAL, EM_ENCERRADA, origem, cancelamento=True)
