"""A rajada do dia do prazo pelas telas: parlamentares postando remanejamentos e indicações enquanto a SEGOV
aprova em lote as duas filas. Nenhum erro, nenhuma transação refeita, e o dinheiro fecha em todo inciso.

Threads e conexões reais no PostgreSQL (cenário e motorista em ``tests/rajada.py``).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from emendas import selectors
from emendas.models import Indicacao, Inciso, Remanejamento
from sigcon import transacoes
from tests import rajada
from tests.concorrencia import so_no_postgres
from tests.conftest import meio_dia

pytestmark = [pytest.mark.concorrencia, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _so_no_postgres():
    so_no_postgres()


def conferir_dinheiro():
    total = Decimal("0.00")
    for inciso in Inciso.objects.select_related("exercicio"):
        s = selectors.saldos_inciso(inciso, rajada.DIA_DO_PRAZO)
        assert s.valor_inciso == sum(s.baldes().values()), inciso.numero
        assert min(s.baldes().values()) >= 0, inciso.numero
        total += s.valor_inciso
    base = Inciso.objects.filter(tipo="S").count() * rajada.VALOR_INCISO
    assert total == base


def test_rajada_de_posts_com_aprovacao_em_lote_nas_duas_filas_sem_erro_nem_nova_tentativa():
    agora = meio_dia(rajada.DIA_DO_PRAZO)
    cenario = rajada.montar(parlamentares=16, incisos_por_titular=3, pendentes=50)
    # Entraram 10 minutos antes: o primeiro POST de cada um também regrava a sessão (contas.sessao.RenovaSessao).
    with time_machine.travel(agora - timedelta(minutes=10), tick=False):
        clientes = rajada.entrar(cenario)
    transacoes.zerar_retentativas()
    respostas = []
    with time_machine.travel(agora, tick=True):
        for repeticao in range(3):
            respostas += rajada.disparar(rajada.pedidos(cenario, clientes, repeticao=repeticao))
            # Nas rodadas seguintes a SEGOV aprova o que a rodada anterior pediu; a fila de indicações já foi.
            cenario.remanejamentos_pendentes = list(
                Remanejamento.objects.filter(status="SOLICITADO").values_list("pk", flat=True))
            cenario.indicacoes_pendentes = []
    erros = [(r.tipo, r.status, r.erro) for r in respostas if r.status != 302]
    assert not erros, erros
    assert transacoes.retentativas() == 0
    assert Indicacao.objects.filter(status="APROVADA").count() == 50
    numeros_r = list(Inciso.objects.filter(tipo="R").values_list("numero", flat=True))
    assert len(numeros_r) == len(set(numeros_r)) == Remanejamento.objects.filter(status="APROVADO").count() > 50
    numeros = sorted(Indicacao.objects.values_list("numero", flat=True))
    assert numeros == list(range(1, len(numeros) + 1))  # sem buraco nem repetição, com 2 números por envio
    conferir_dinheiro()
