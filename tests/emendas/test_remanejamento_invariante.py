"""Invariante do dinheiro no banco, depois de qualquer sequência de operações reais."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emendas import selectors
from emendas.models import Exercicio, Inciso, Remanejamento
from emendas.services import (
    aprovar_remanejamento, cancelar_remanejamento, reprovar_remanejamento, solicitar_remanejamento,
)
from tests.conftest import meio_dia

operacoes = st.lists(
    st.tuples(
        st.sampled_from(["pedir", "aprovar", "reprovar", "cancelar", "esperar"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=1, max_value=70_000_000),
        st.integers(min_value=0, max_value=6),
    ),
    max_size=25,
)


class Desfazer(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operacoes, habilitar=st.booleans())
def test_invariante_do_dinheiro_com_servicos_reais(ops, habilitar, programacoes, fabrica, parlamentar, segov,
                                                    acao_saude_2, grupo_inv, grupo_odc):
    try:
        with transaction.atomic():
            Exercicio.objects.update(nao_impositivo_habilitado=habilitar)
            fabrica.inciso(parlamentar, "1000000.00")
            fabrica.inciso(parlamentar, "123.45", grupo=grupo_odc)
            total_s = Decimal("1000123.45")
            dia = date(2019, 1, 26)
            for tipo, alvo, centavos, passo in ops:
                dia += timedelta(days=passo)
                with time_machine.travel(meio_dia(dia), tick=False):
                    _executar(tipo, alvo, centavos, parlamentar, segov, acao_saude_2, grupo_inv)
                _conferir(dia, total_s)
                _conferir(dia + timedelta(days=40), total_s)
            raise Desfazer
    except Desfazer:
        pass


def _executar(tipo, alvo, centavos, parlamentar, segov, acao, grupo):
    incisos = list(Inciso.objects.order_by("pk"))
    pendentes = list(Remanejamento.objects.filter(status="SOLICITADO").order_by("pk"))
    try:
        if tipo == "pedir":
            inciso = incisos[alvo % len(incisos)]
            destino = (acao, grupo) if inciso.acao_id != acao.pk or inciso.grupo_despesa_id != grupo.pk else (
                Inciso.objects.filter(tipo="S").first().acao, Inciso.objects.filter(tipo="S").first().grupo_despesa)
            solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=destino[0],
                                    grupo_despesa=destino[1], valor=Decimal(centavos) / 100)
        elif tipo in ("aprovar", "reprovar", "cancelar") and pendentes:
            rem = pendentes[alvo % len(pendentes)]
            if tipo == "aprovar":
                aprovar_remanejamento(usuario=segov, remanejamento=rem)
            elif tipo == "reprovar":
                reprovar_remanejamento(usuario=segov, remanejamento=rem, justificativa="teste")
            else:
                cancelar_remanejamento(usuario=parlamentar.usuario, remanejamento=rem)
    except ValidationError:
        pass  # recusas legítimas (fora da janela, acima do saldo, destino igual): nada deve mudar


def _conferir(dia, total_s):
    incisos = list(Inciso.objects.select_related("exercicio"))
    saldos = selectors.saldos_incisos(incisos, dia)
    soma = Decimal("0")
    for inciso in incisos:
        s = saldos[inciso.pk]
        assert all(v >= 0 for v in s.baldes().values()), (inciso.numero, s)
        assert sum(s.baldes().values()) == s.valor_inciso, (inciso.numero, s)
        assert s.disponivel_remanejamento <= s.disponivel_indicacao + s.nao_impositivo
        soma += s.valor_inciso
    assert soma == total_s
