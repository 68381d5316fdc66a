"""O registro de disponibilidade: batimentos do app, quedas observadas do CAGEC/SIAFI-MG e os minutos de queda."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from convenios.cnpj import gerar_cnpj
from disponibilidade import selectors
from disponibilidade.models import PeriodoNoAr, QuedaIntegracao
from disponibilidade.services import registrar_batimento, registrar_queda, registrar_retorno
from disponibilidade.tasks import bater
from integracoes import cagec
from integracoes.errors import IntegracaoIndisponivel
from integracoes.models import ServicoSimulado

pytestmark = pytest.mark.django_db
BRT = ZoneInfo("America/Sao_Paulo")


def _as(h, m, dia=3):
    return datetime(2026, 3, dia, h, m, tzinfo=BRT)


def test_batimentos_seguidos_esticam_um_trecho_e_a_falta_abre_outro(celery_na_hora):
    for minuto in (0, 1, 2):
        with time_machine.travel(_as(10, minuto), tick=False):
            bater.delay()
    with time_machine.travel(_as(10, 2), tick=False):
        bater.delay()  # repetido no mesmo instante: nada a mais
    for minuto in (30, 31):
        with time_machine.travel(_as(10, minuto), tick=False):
            bater.delay()
    trechos = list(PeriodoNoAr.objects.order_by("inicio").values_list("inicio", "ultimo_batimento", "batimentos"))
    assert trechos == [(_as(10, 0), _as(10, 2), 3), (_as(10, 30), _as(10, 31), 2)]
    registros = selectors.carregar(_as(9, 0), _as(11, 0), agora=_as(10, 32))
    # De 10:00 a 10:32: no ar 10:00–10:05 (último batimento + 3 min de tolerância) e 10:30–10:32.
    assert selectors.minutos_fora(registros, _as(9, 0), _as(11, 0)).app == 25
    # Antes do primeiro batimento não há como saber.
    assert selectors.minutos_fora(selectors.carregar(_as(8, 0), _as(9, 0)), _as(8, 0), _as(9, 0)).app is None


def test_quedas_somam_minutos_so_dentro_do_intervalo_e_a_aberta_conta_ate_agora():
    registrar_batimento(agora=_as(0, 0, dia=1))
    QuedaIntegracao.objects.create(sistema="CAGEC", inicio=_as(23, 30, dia=2), fim=_as(1, 0))
    registrar_queda(sistema="SIAFI", detalhe="tempo esgotado", agora=_as(11, 0))
    registros = selectors.carregar(_as(0, 0), _as(0, 0, dia=4), agora=_as(12, 15))
    minutos = selectors.minutos_fora(registros, _as(0, 0), _as(0, 0, dia=4))
    assert (minutos.cagec, minutos.siafi) == (60, 75)  # 00:00–01:00 do dia 3; 11:00–12:15 (em curso)


def test_queda_observada_no_simulador_abre_uma_vez_e_fecha_na_resposta_boa(segov):
    cnpj = gerar_cnpj(555)
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    for _ in range(3):
        with pytest.raises(IntegracaoIndisponivel):
            cagec.consultar(cnpj, usuario=segov)
    queda = QuedaIntegracao.objects.get()
    assert queda.sistema == "CAGEC" and queda.fim is None and "fora do ar" in queda.detalhe
    ServicoSimulado.objects.filter(sistema="CAGEC").update(fora_do_ar=False)
    cagec.consultar(cnpj, usuario=segov)
    queda.refresh_from_db()
    assert queda.fim is not None and queda.fim >= queda.inicio
    cagec.consultar(cnpj, usuario=segov)
    assert QuedaIntegracao.objects.count() == 1


def test_retorno_sem_queda_marcada_nao_toca_a_tabela_das_quedas(django_assert_max_num_queries):
    # Toda consulta boa chama registrar_retorno: sem queda marcada no cache, só a leitura do cache (no banco, quando
    # não há Redis), nunca a tabela das quedas.
    with django_assert_max_num_queries(1) as consultas:
        assert registrar_retorno(sistema="SIAFI") == 0
    assert not any("quedaintegracao" in q["sql"] for q in consultas.captured_queries)


def test_intervalo_futuro_nao_conta_nada():
    registrar_queda(sistema="CAGEC", agora=_as(9, 0))
    agora = _as(10, 0)
    registros = selectors.carregar(_as(11, 0), _as(12, 0), agora=agora)
    assert selectors.minutos_fora(registros, _as(11, 0), _as(12, 0)).cagec == 0


@given(
    trechos=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 120)), max_size=8),
    quedas=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 120)), max_size=6),
    janela=st.tuples(st.integers(0, 600), st.integers(1, 600)),
)
def test_minutos_fora_nunca_passam_do_intervalo(trechos, quedas, janela):
    """Invariante (puro, sem banco): nenhuma contagem fica negativa; o tempo fora do app e o das quedas (que não se
    sobrepõem: uma aberta por sistema) nunca passam da duração do intervalo; um trecho que cobre tudo dá zero."""
    base = _as(0, 0)
    periodos = tuple(sorted((base + timedelta(minutes=a), base + timedelta(minutes=a + d + 3)) for a, d in trechos))
    registros = selectors.Registros(
        periodos=periodos,
        quedas={"CAGEC": tuple((base + timedelta(minutes=a), base + timedelta(minutes=a + d)) for a, d in quedas),
                "SIAFI": ()},
        primeiro_batimento=periodos[0][0] if periodos else None,
        agora=base + timedelta(minutes=2000),
    )
    inicio = base + timedelta(minutes=janela[0])
    fim = inicio + timedelta(minutes=janela[1])
    m = selectors.minutos_fora(registros, inicio, fim)
    assert m.app is None or 0 <= m.app <= janela[1]
    assert m.cagec >= 0 and m.siafi == 0
    # Sem sobreposição entre quedas, o total nunca passa do intervalo.
    if all(a1 <= b0 or b1 <= a0 for i, (a0, a1) in enumerate(registros.quedas["CAGEC"])
           for (b0, b1) in registros.quedas["CAGEC"][i + 1:]):
        assert m.cagec <= janela[1]
    if periodos and periodos[0][0] <= inicio and all(p1 >= fim for _, p1 in periodos[:1]):
        assert m.app == 0  # um trecho cobrindo o intervalo inteiro: nada fora
