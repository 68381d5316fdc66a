"""A máquina de estados comum (sigcon.estados) com os três fluxos reais: tabela, histórico e auditoria."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from auditoria.models import RegistroAuditoria
from convenios import services as conv
from emendas import services as em
from emendas.models import Remanejamento
from emendas.indicacoes.services import MAQUINA as MAQUINA_INDICACAO
from sigcon.estados import Maquina
from tests.conftest import D0, meio_dia

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _janela_livre(time_machine):
    time_machine.move_to(meio_dia(D0 + timedelta(days=20)))  # dentro da janela livre do exercício de teste


def test_tabelas_dos_tres_fluxos():
    Rem = Remanejamento.Status
    assert em.MAQUINA.seguintes(Rem.SOLICITADO) == {Rem.APROVADO, Rem.REPROVADO, Rem.CANCELADO}
    assert em.MAQUINA.seguintes(Rem.APROVADO) == frozenset()
    Ind = MAQUINA_INDICACAO
    assert Ind.permite("EM_ANALISE_ORGAO", "EM_ANALISE_SEGOV") and not Ind.permite("CANCELADA", "APROVADA")
    assert conv.MAQUINA.permite("EM_ANALISE", "DEVOLVIDA") and not conv.MAQUINA.permite("VIGENTE", "ENVIADA")
    # Todo destino da tabela tem verbo de auditoria (senão aplicar() quebraria só quando alguém chegasse lá).
    for maquina in (em.MAQUINA, MAQUINA_INDICACAO, conv.MAQUINA):
        destinos = {novo for seguintes in maquina.transicoes.values() for novo in seguintes}
        assert destinos <= set(maquina.verbos), maquina.nome


def test_aplicar_grava_historico_e_auditoria(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv, segov):
    rem = em.solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                     grupo_despesa=grupo_inv, valor=Decimal("10.00"))
    anterior = em.MAQUINA.aplicar(rem, Remanejamento.Status.CANCELADO, usuario=parlamentar.usuario, texto="teste")
    assert anterior == "SOLICITADO" and rem.status == "CANCELADO"
    historico = rem.registros.order_by("-pk").first()
    assert (historico.status_anterior, historico.status_novo, historico.observacao) == ("SOLICITADO", "CANCELADO", "teste")
    auditoria = RegistroAuditoria.objects.filter(acao="remanejamento.cancelar").get()
    assert auditoria.antes == {"status": "SOLICITADO"}
    assert auditoria.depois == {"status": "CANCELADO", "valor": "10.00", "observacao": "teste"}


def test_transicao_fora_da_tabela_e_recusada_sem_mudar_nada(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    rem = em.solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                     grupo_despesa=grupo_inv, valor=Decimal("10.00"))
    rem.status = Remanejamento.Status.APROVADO
    registros = rem.registros.count()
    with pytest.raises(ValidationError, match=rf"O remanejamento nº {rem.pk} está aprovado e não pode passar a cancelado"):
        em.MAQUINA.aplicar(rem, Remanejamento.Status.CANCELADO, usuario=parlamentar.usuario)
    assert rem.status == "APROVADO" and rem.registros.count() == registros
    assert not RegistroAuditoria.objects.filter(acao="remanejamento.cancelar").exists()


def test_mensagem_padrao_com_aspas():
    maquina = Maquina(nome="x", transicoes={}, verbos={}, historico=lambda *a: None,
                      descrever=lambda rem: f"O pedido {rem.pk}")
    rem = Remanejamento(pk=3, status=Remanejamento.Status.SOLICITADO)
    with pytest.raises(ValidationError, match="O pedido 3 está “solicitado” e não pode passar a “aprovado”"):
        maquina.conferir(rem, Remanejamento.Status.APROVADO)
