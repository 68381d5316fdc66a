"""Pedidos simultâneos no mesmo inciso, com threads e conexões reais no PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from emendas import selectors
from emendas.models import Inciso, Remanejamento
from emendas.services import aprovar_remanejamento, cancelar_remanejamento, solicitar_remanejamento
from tests.concorrencia import em_paralelo, so_no_postgres
from tests.conftest import meio_dia

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def test_pedidos_simultaneos_nunca_passam_do_saldo(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        def pedir():
            return solicitar_remanejamento(
                usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv,
                valor=Decimal("300000.00"),
            )

        resultados = em_paralelo([pedir] * 5)
    aceitos = [r for r in resultados if isinstance(r, Remanejamento)]
    recusados = [r for r in resultados if isinstance(r, ValidationError)]
    assert len(aceitos) == 3 and len(recusados) == 2, resultados
    assert "disponível R$ 100.000,00" in recusados[0].messages[0]
    s = selectors.saldos_inciso(Inciso.objects.get(pk=inciso.pk), date(2019, 2, 1))
    assert (s.remanejamento_solicitado, s.livre) == (Decimal("900000.00"), Decimal("100000.00"))


def test_aprovar_e_cancelar_ao_mesmo_tempo_so_um_vale(programacoes, inciso, parlamentar, segov, acao_saude_2, grupo_inv):
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        rem = solicitar_remanejamento(
            usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv,
            valor=Decimal("10.00"),
        )
        resultados = em_paralelo([
            lambda: aprovar_remanejamento(usuario=segov, remanejamento=rem),
            lambda: cancelar_remanejamento(usuario=parlamentar.usuario, remanejamento=rem),
            lambda: aprovar_remanejamento(usuario=segov, remanejamento=rem),
        ])
    erros = [r for r in resultados if isinstance(r, ValidationError)]
    assert len(erros) == 2, resultados
    rem.refresh_from_db()
    assert Inciso.objects.filter(tipo="R").count() == (1 if rem.status == "APROVADO" else 0)


def test_indicacoes_e_remanejamentos_simultaneos_disputam_o_mesmo_saldo(programacoes, inciso, parlamentar,
                                                                        acao_saude_2, grupo_inv):
    from emendas.models import Indicacao
    from emendas.services import enviar_indicacao

    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        def indicar():
            return enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                    valor=Decimal("400000.00"), objeto="Obra")

        def remanejar():
            return solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                           grupo_despesa=grupo_inv, valor=Decimal("400000.00"))

        resultados = em_paralelo([indicar, remanejar, indicar, remanejar])
    aceitos = [r for r in resultados if isinstance(r, (Indicacao, Remanejamento))]
    assert len(aceitos) == 2, resultados
    s = selectors.saldos_inciso(Inciso.objects.get(pk=inciso.pk), date(2019, 2, 1))
    assert s.livre == Decimal("200000.00")
    assert s.indicado + s.remanejamento_solicitado == Decimal("800000.00")
    # Os números das indicações aceitas não se repetem.
    assert len(set(Indicacao.objects.values_list("numero", flat=True))) == Indicacao.objects.count()
