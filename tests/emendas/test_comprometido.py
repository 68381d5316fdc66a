"""Valor comprometido: até onde o valor inicial de um inciso pode baixar sem deixar balde negativo."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from emendas import selectors
from emendas.models import Exercicio, Inciso
from emendas.prazos import Fase, OrigemSaldo
from emendas.saldos import Estado, Movimento, baldes_brutos, valor_comprometido
from emendas.services import corrigir_inciso
from tests.conftest import meio_dia
from tests.emendas.remanejamentos.test_invariante import Desfazer, _executar, operacoes

M = Decimal
LIV, CPR, SPR, NI, PL = (OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO,
                         OrigemSaldo.NAO_IMPOSITIVO, OrigemSaldo.RESERVADO_PL)


@pytest.mark.parametrize("movimentos, esperado", [
    ([], M("0.00")),
    ([Movimento(M("300.00"), Estado.ATIVO, LIV)], M("300.00")),
    ([Movimento(M("300.00"), Estado.PENDENTE, LIV)], M("300.00")),
    ([Movimento(M("300.00"), Estado.SAIU, LIV)], M("300.00")),
    # Voltou ao mesmo balde: nada comprometido.
    ([Movimento(M("300.00"), Estado.DEVOLVIDO, LIV, LIV)], M("0.00")),
    # Voltou para outro balde (cancelada na fase restrita → SPR): o balde livre continua desfalcado.
    ([Movimento(M("300.00"), Estado.DEVOLVIDO, LIV, SPR)], M("300.00")),
    # O SPR é o livre que sobrou na virada da janela: uma indicação do SPR também gasta o dinheiro inicial.
    ([Movimento(M("300.00"), Estado.ATIVO, LIV), Movimento(M("50.00"), Estado.ATIVO, SPR)], M("350.00")),
    # Reserva para projeto de lei nunca se junta ao livre: não conta.
    ([Movimento(M("300.00"), Estado.DEVOLVIDO, LIV, PL)], M("300.00")),
])
def test_comprometido_e_o_que_saiu_do_balde_inicial_menos_o_que_voltou_a_ele(movimentos, esperado):
    assert valor_comprometido(valor_inicial=M("1000.00"), saldo_inicial=LIV, fase_atual=Fase.LIVRE,
                              movimentos=movimentos) == esperado


@pytest.mark.parametrize("fase, esperado", [
    (Fase.LIVRE, M("300.00")),  # o que voltou ao SPR ainda não se juntou ao livre
    (Fase.RESTRITA, M("0.00")),  # na restrita, livre e SPR são o mesmo balde: tudo pode sair
    (Fase.ENCERRADA, M("0.00")),
])
def test_comprometido_depende_da_fase_de_hoje_em_diante(fase, esperado):
    movs = [Movimento(M("300.00"), Estado.DEVOLVIDO, LIV, SPR)]
    assert valor_comprometido(valor_inicial=M("1000.00"), saldo_inicial=LIV, fase_atual=fase, movimentos=movs) == esperado


def test_indicacao_do_spr_na_restrita_conta_contra_o_inicial():
    """O caso que o hypothesis achou: pedidos no livre e uma indicação do SPR; baixar até o comprometido
    não pode deixar o SPR da janela restrita negativo."""
    movs = [Movimento(M("0.07"), Estado.PENDENTE, LIV), Movimento(M("0.01"), Estado.ATIVO, SPR)]
    assert valor_comprometido(valor_inicial=M("1.00"), saldo_inicial=LIV, fase_atual=Fase.RESTRITA,
                              movimentos=movs) == M("0.08")


def test_comprometido_de_inciso_r_conta_o_seu_balde_inicial():
    movs = [Movimento(M("40.00"), Estado.ATIVO, CPR), Movimento(M("10.00"), Estado.DEVOLVIDO, CPR, NI)]
    assert valor_comprometido(valor_inicial=M("100.00"), saldo_inicial=CPR, fase_atual=Fase.LIVRE,
                              movimentos=movs) == M("50.00")
    baldes = baldes_brutos(valor_inicial=M("100.00"), saldo_inicial=CPR, movimentos=movs)
    assert baldes[CPR] == M("50.00") and baldes[NI] == M("10.00") and baldes[LIV] == 0


def test_comprometido_nunca_e_negativo():
    # Dinheiro que entrou no balde inicial vindo de outro (caso teórico) não torna o comprometido negativo.
    movs = [Movimento(M("10.00"), Estado.DEVOLVIDO, SPR, LIV)]
    assert valor_comprometido(valor_inicial=M("5.00"), saldo_inicial=LIV, fase_atual=Fase.LIVRE, movimentos=movs) == 0


@pytest.mark.django_db
def test_seletor_em_lote_usa_consultas_constantes(fabrica, parlamentar, django_assert_num_queries):
    incisos = [fabrica.inciso(parlamentar, "10.00") for _ in range(3)]
    with django_assert_num_queries(2):  # remanejamentos e indicações (UNION ALL), exercícios
        assert selectors.valores_comprometidos(incisos) == {i.pk: M("0.00") for i in incisos}
    mais = incisos + [fabrica.inciso(parlamentar, "10.00") for _ in range(5)]
    with django_assert_num_queries(2):
        selectors.valores_comprometidos(mais)
    with django_assert_num_queries(1):
        assert selectors.incisos_com_movimentos(mais) == set()
    with django_assert_num_queries(0):
        assert selectors.valores_comprometidos([]) == {}


def _conferir_baldes(dias):
    incisos = list(Inciso.objects.select_related("exercicio"))
    for dia in dias:
        saldos = selectors.saldos_incisos(incisos, dia)
        for inciso in incisos:
            s = saldos[inciso.pk]
            assert all(v >= 0 for v in s.baldes().values()), (inciso.numero, dia, s)
            assert sum(s.baldes().values()) == s.valor_inciso, (inciso.numero, dia, s)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operacoes, habilitar=st.booleans(), alvo=st.integers(min_value=0, max_value=20))
def test_baixar_ate_o_comprometido_mantem_os_baldes_e_um_centavo_a_menos_e_recusado(
        ops, habilitar, alvo, programacoes, fabrica, parlamentar, segov, acao_saude_2, grupo_inv, grupo_odc,
        analista_orgao):
    try:
        with transaction.atomic():
            Exercicio.objects.update(nao_impositivo_habilitado=habilitar)
            fabrica.inciso(parlamentar, "1000000.00")
            fabrica.inciso(parlamentar, "123.45", grupo=grupo_odc)
            dia = date(2019, 1, 26)
            for tipo, alvo_op, centavos, passo in ops:
                dia += timedelta(days=passo)
                with time_machine.travel(meio_dia(dia), tick=False):
                    _executar(tipo, alvo_op, centavos, parlamentar, segov, acao_saude_2, grupo_inv, analista_orgao)
            base = list(Inciso.objects.filter(inciso_origem__isnull=True).order_by("pk"))
            inciso = base[alvo % len(base)]
            with time_machine.travel(meio_dia(dia), tick=False):
                # O comprometido depende da fase de hoje: calculado no mesmo dia da correção.
                comprometido = selectors.valor_comprometido(inciso)
                event(f"comprometido>0: {comprometido > 0}")
                if comprometido > 0:
                    with pytest.raises(ValidationError, match="deixaria o saldo negativo"):
                        corrigir_inciso(usuario=segov, inciso=inciso, justificativa="LOA corrigida",
                                        valor_inicial=comprometido - M("0.01"))
                if comprometido != inciso.valor_inicial:
                    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="LOA corrigida",
                                    valor_inicial=comprometido)
            inciso.refresh_from_db()
            assert inciso.valor_inicial == comprometido
            _conferir_baldes([dia, dia + timedelta(days=40)])
            raise Desfazer
    except Desfazer:
        pass
