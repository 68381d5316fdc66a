"""Invariante do dinheiro no banco, depois de qualquer sequência de remanejamentos e indicações reais."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emendas import selectors
from django.utils import timezone

from emendas import prazos
from emendas.models import CategoriaImpedimento, Exercicio, Indicacao, Inciso, Remanejamento
from emendas.prazos import OrigemSaldo
from emendas.services import (
    aprovar_indicacao_orgao, aprovar_remanejamento, cancelar_indicacao, cancelar_remanejamento, enviar_indicacao,
    reprovar_indicacao, reprovar_remanejamento, solicitar_remanejamento,
)
from tests.conftest import meio_dia

operacoes = st.lists(
    st.tuples(
        st.sampled_from(["pedir", "aprovar", "reprovar", "cancelar", "esperar",
                         "indicar", "indicar_spr", "reprovar_ind", "cancelar_ind", "aprovar_ind"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=1, max_value=70_000_000),
        st.integers(min_value=0, max_value=6),
    ),
    max_size=30,
)


class Desfazer(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operacoes, habilitar=st.booleans())
def test_invariante_do_dinheiro_com_servicos_reais(ops, habilitar, programacoes, fabrica, parlamentar, segov,
                                                    acao_saude_2, grupo_inv, grupo_odc, analista_orgao):
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
                    _executar(tipo, alvo, centavos, parlamentar, segov, acao_saude_2, grupo_inv, analista_orgao)
                _conferir(dia, total_s)
                _conferir(dia + timedelta(days=40), total_s)
            raise Desfazer
    except Desfazer:
        pass


def _executar(tipo, alvo, centavos, parlamentar, segov, acao, grupo, analista):
    incisos = list(Inciso.objects.order_by("pk"))
    pendentes = list(Remanejamento.objects.filter(status="SOLICITADO").order_by("pk"))
    ativas = list(Indicacao.objects.filter(status__in=Indicacao.ATIVAS).order_by("pk"))
    try:
        if tipo in ("indicar", "indicar_spr"):
            origem = OrigemSaldo.SEM_REMANEJAMENTO if tipo == "indicar_spr" else OrigemSaldo.COM_REMANEJAMENTO
            if prazos.fase(incisos[0].exercicio, timezone.localdate()) is not prazos.Fase.RESTRITA:
                origem = None
            enviar_indicacao(usuario=parlamentar.usuario, inciso=incisos[alvo % len(incisos)],
                             forma_execucao="EXECUCAO_DIRETA", valor=Decimal(centavos) / 100, objeto="Obra",
                             origem_saldo=origem)
        elif tipo in ("reprovar_ind", "cancelar_ind", "aprovar_ind") and ativas:
            ind = ativas[alvo % len(ativas)]
            if tipo == "reprovar_ind":
                reprovar_indicacao(usuario=analista, indicacao=ind, justificativa="IOT",
                                   categoria=CategoriaImpedimento.objects.filter(exercicio__isnull=True).first())
            elif tipo == "cancelar_ind":
                cancelar_indicacao(usuario=parlamentar.usuario, indicacao=ind, justificativa="desisti")
            else:
                aprovar_indicacao_orgao(usuario=analista, indicacao=ind)
        elif tipo == "pedir":
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
