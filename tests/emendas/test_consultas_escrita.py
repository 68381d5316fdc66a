"""Consultas de cada escrita do dia do prazo.

O POST de remanejamento e o de indicação contam o mesmo com 10 e com 100 incisos no titular (e a indicação, o
mesmo com 1 e com 2 beneficiários: as linhas são buscadas, conferidas e gravadas juntas). A aprovação em lote
decide cada item na sua transação (um erro não desfaz os outros): o custo por item é fixo e medido com 10 e 50
itens; uma consulta a mais por item (ou por inciso do titular) faz o teste falhar.
"""

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emendas.models import Indicacao, Remanejamento
from tests import rajada
from tests.conftest import meio_dia

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dia_do_prazo():
    with time_machine.travel(meio_dia(rajada.DIA_DO_PRAZO), tick=False):
        yield


def _contar(cliente, url, dados):
    """As consultas do POST, fora as do envio único (custo fixo por POST, conferido à parte em ``ENVIO_UNICO``)."""
    ContentType.objects.clear_cache()  # toda contagem parte do mesmo cache (senão a primeira paga uma a mais)
    with CaptureQueriesContext(connection) as consultas:
        resposta = cliente.post(url, dados)
    assert resposta.status_code == 302, resposta
    do_envio = [q["sql"] for q in consultas.captured_queries if "envios_enviounico" in q["sql"] or "advisory" in q["sql"]]
    assert len(do_envio) == (4 if connection.vendor == "postgresql" else 2), do_envio  # a vez, a reserva, o resultado
    return len(consultas) - ENVIO_UNICO[connection.vendor]


def _posts(incisos):
    cenario = rajada.montar(parlamentares=2, incisos_por_titular=incisos, pendentes=0)
    clientes = rajada.entrar(cenario)
    return {tipo: (cliente, url, dados) for tipo, cliente, url, dados in rajada.pedidos(cenario, clientes)}


# Antes (main): remanejamento 26, indicação com 2 beneficiários 33 (13 por linha a mais); lote de remanejamentos
# 21 por item, de indicações 6 por item. Com os movimentos num UNION ALL e o titular lido com o inciso: 22 e 17.
# Cada e-mail sobre o trabalho grava também as notificações dos destinatários (um INSERT … SELECT): o pedido de
# remanejamento (e-mail à SEGOV) e a decisão de cada remanejamento (e-mail ao titular) pagam uma consulta a mais.
# Indicação: os CNPJs das linhas numa consulta só; a priorização do titular, duas (ler a ordem, gravar as novas).
# O envio único (envios.unico) soma um custo fixo por POST, não por item: reservar a chave (savepoint, INSERT,
# release) e gravar o resultado (UPDATE); no PostgreSQL também a vez do token (savepoint, SET LOCAL lock_timeout,
# pg_advisory_lock, rollback to e release do savepoint, e o pg_advisory_unlock no fim). Fora da transação do teste
# os savepoints não existem.
# Os e-mails ao titular vão também aos assessores ativos dele (visibilidade.emails_do_titular): a decisão de cada
# remanejamento lê os assessores do seu titular, uma consulta por item (15; eram 14).
# O tipo de atendimento/aplicação (catálogo do GD, emendas.catalogo.services.conferir_tipo): uma consulta a mais
# por envio, não por linha — o escolhido, ativo e do grupo, ou, sem escolha, se o grupo tem catálogo.
ENVIO_UNICO = {"sqlite": 4, "postgresql": 10}
REMANEJAMENTO, INDICACAO = 23, 19
POR_ITEM_REMANEJAMENTO, POR_ITEM_INDICACAO = 15, 6


@pytest.mark.parametrize("incisos", [10, 100])
def test_post_de_remanejamento_e_de_indicacao_com_consultas_constantes(incisos):
    posts = _posts(incisos)
    assert _contar(*posts["remanejamento"]) == REMANEJAMENTO
    assert _contar(*posts["indicacao"]) == INDICACAO


def test_indicacao_com_um_ou_dois_beneficiarios_custa_o_mesmo_no_servico():
    posts = _posts(10)
    cliente, url, dados = posts["indicacao"]
    so_uma = {k: v for k, v in dados.items() if not k.endswith("_2")}
    # O formulário busca os CNPJs de todas as linhas numa consulta só; o serviço, nenhuma a mais por linha.
    assert _contar(cliente, url, so_uma) == INDICACAO


@pytest.mark.parametrize("itens", [10, 50])
def test_aprovacao_em_lote_nas_duas_filas_com_custo_fixo_por_item(itens):
    cenario = rajada.montar(parlamentares=5, incisos_por_titular=2, pendentes=itens)
    clientes = rajada.entrar(cenario)
    lotes = {tipo: (cliente, url, dados) for tipo, cliente, url, dados in rajada.pedidos(cenario, clientes)}
    # Fora dos itens: sessão, usuário, perfis, a lista dos marcados e o tipo da auditoria (5 consultas) em cada fila.
    assert _contar(*lotes["lote_remanejamentos"]) <= 5 + POR_ITEM_REMANEJAMENTO * itens
    assert _contar(*lotes["lote_indicacoes"]) <= 5 + POR_ITEM_INDICACAO * itens
    assert Remanejamento.objects.filter(status="APROVADO").count() == itens
    assert Indicacao.objects.filter(status="APROVADA").count() == itens
