"""No navegador de verdade, o segundo ciclo inteiro: o parlamentar saneia uma indicação reprovada e guarda parte do
saldo com impedimento para o remanejamento constitucional, conclui (com revisão), programa a dotação de destino com as
quatro figuras e conclui; a SEGOV registra a lei (revisão); o inciso P nasce e é indicado na janela P. Telas em 1366 e
390 px, nada passando da borda direita."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from emendas.models import Exercicio, Inciso, Indicacao, JanelaOperacao, ProgramacaoElegivel
from emendas.prazos import TipoJanela, Trilha
from tests.conftest import Fabrica
from tests.emendas.saneamento.conftest import indicacao_reprovada
from tests.navegador_util import TELAS, confirmar_revisao, entrar, fotografar, navegador, passam_da_borda  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASTA = TELAS / "saneamento"


@pytest.fixture
def cenario(parlamentar, segov, acao_saude, grupo_inv):
    """Exercício do ano passado de calendário, com as janelas de escolha, programação e indicação P abertas hoje."""
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=200))
    JanelaOperacao.objects.filter(exercicio=exercicio, tipo__in=[
        TipoJanela.ESCOLHA_SANEAMENTO, TipoJanela.REMANEJAMENTO_CONSTITUCIONAL]).update(inicio=hoje, fim=hoje)
    JanelaOperacao.objects.filter(exercicio=exercicio, trilha=Trilha.P,
                                  tipo=TipoJanela.INDICACAO_CANCELAMENTO).update(inicio=hoje, fim=hoje)
    ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=acao_saude, grupo_despesa=grupo_inv)
    inciso = Fabrica(exercicio, acao_saude, grupo_inv).inciso(parlamentar, "1000000.00")
    ind = indicacao_reprovada(inciso, "300000.00", 1)
    from emendas.models import SequenciaExercicio
    SequenciaExercicio.objects.filter(exercicio=exercicio, nome="INDICACAO").update(ultimo=1)
    return {"exercicio": exercicio, "inciso": inciso, "ind": ind}


def _foto(page, nome):
    def nada_passa_da_borda(page, largura):
        assert passam_da_borda(page) == [], f"{nome} a {largura} px"

    fotografar(page, nome, pasta=PASTA, conferir=nada_passa_da_borda)


def test_saneamento_remanejamento_constitucional_lei_e_inciso_p(navegador, live_server, cenario):
    base, inciso = live_server.url, cenario["inciso"]
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, base, "ana@almg.test")
    page.get_by_role("button", name="Emendas").click() if page.get_by_role("button", name="Emendas").count() else \
        page.get_by_role("link", name="Emendas").click()
    page.get_by_role("link", name="Saneamento (escolha)").click()
    assert "R$ 300.000,00" in page.locator("[data-total-iot]").inner_text()
    _foto(page, "painel")

    page.get_by_role("link", name=inciso.numero).click()
    page.get_by_label("Valor a sanear (R$)").fill("100.000,00")
    page.get_by_label("Proposta saneadora").fill("Licença ambiental obtida")
    page.get_by_role("button", name="Salvar").first.click()
    page.get_by_text("Saneamento da indicação nº 1 salvo").wait_for()
    page.get_by_label("Remanejamento constitucional (R$)").fill("150.000,00")
    page.get_by_role("button", name="Salvar").last.click()
    page.get_by_text("Valor do remanejamento constitucional salvo").wait_for()
    assert "R$ 50.000,00" in page.locator("[data-figuras]").inner_text()  # a escolher
    _foto(page, "inciso")
    page.get_by_role("button", name="Concluir saneamento").click()
    _foto(page, "revisao-concluir")
    confirmar_revisao(page, f"Concluir o saneamento do inciso {inciso.numero}", "total R$ 300.000,00")
    page.get_by_text(f"Saneamento do inciso {inciso.numero} concluído").wait_for()

    page.get_by_role("link", name="Ir ao remanejamento constitucional").click()
    figuras = page.locator("[data-quatro-figuras]").inner_text()
    assert "R$ 150.000,00" in figuras
    page.get_by_label("Dotação de destino (UO · ação · grupo de despesa)").select_option(index=1)
    page.get_by_label("Valor (R$)").fill("120.000,00")
    page.get_by_role("button", name="Salvar linha").click()
    page.get_by_text("Linha do remanejamento constitucional salva").wait_for()
    assert "R$ 30.000,00" in page.locator("[data-quatro-figuras]").inner_text()  # disponível
    _foto(page, "constitucional")
    page.get_by_role("button", name="Concluir remanejamento constitucional").click()
    confirmar_revisao(page, "Concluir o remanejamento constitucional", "1 linha, total R$ 120.000,00")
    page.get_by_text("Remanejamento constitucional concluído").first.wait_for()
    page.close()

    segov = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(segov, base, "segov@segov.test")
    segov.goto(base + "/emendas/segov/lei-remanejamento/")
    segov.get_by_label("Número da lei").fill("23.765")
    segov.get_by_label("Data da sanção").fill(timezone.localdate().strftime("%d/%m/%Y"))
    _foto(segov, "lei")
    segov.get_by_role("button", name="Registrar a lei").click()
    confirmar_revisao(segov, "Registrar a lei nº 23.765", "1 inciso P, total R$ 120.000,00")
    segov.get_by_text("1 inciso(s) P criado(s)").wait_for()
    segov.close()
    inciso_p = Inciso.objects.get(tipo="P")
    assert inciso_p.valor_inicial == Decimal("120000.00") and inciso_p.inciso_origem_id == inciso.pk

    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, base, "ana@almg.test")
    page.goto(f"{base}/emendas/indicacoes/inciso/{inciso_p.pk}/nova/")
    page.locator("#id_forma_execucao").select_option("EXECUCAO_DIRETA")
    page.get_by_label("Objeto / tipo de atendimento").fill("Equipamentos para a UBS")
    page.get_by_label("Valor 1 (R$)").fill("20.000,00")
    page.get_by_role("button", name="Revisar indicações").click()
    page.get_by_role("heading", name="Revise antes de enviar").wait_for()
    page.get_by_role("button", name=re.compile("Confirmar e enviar")).click()
    page.get_by_text(re.compile("enviada")).first.wait_for()
    assert Indicacao.objects.get(inciso=inciso_p).valor == Decimal("20000.00")
    page.goto(f"{base}/emendas/incisos/{inciso_p.pk}/")
    _foto(page, "inciso-p")
    page.close()
