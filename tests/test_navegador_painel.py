"""O painel do parlamentar, o da SEGOV e a página do inciso no navegador de verdade: barras, números da tabela iguais
aos de ``saldos_inciso``, botões que seguem a janela e telas de 390 px sem texto passando da borda direita."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from emendas import selectors
from emendas.models import Bloco, Exercicio, Indicacao, OrigemSaldo, Remanejamento
from sigcon.dinheiro import formatar_brl
from tests.conftest import Fabrica
from tests.navegador_util import TELAS, entrar, navegador  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Cada nó de texto visível (fora do que é só para leitores de tela): onde termina, em px, contra a largura da tela.
_TEXTO_PASSANDO = """(largura) => {
  const fora = [];
  const andar = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (andar.nextNode()) {
    const no = andar.currentNode;
    if (!no.textContent.trim() || no.parentElement.closest('.visually-hidden, [hidden], template')) continue;
    const faixa = document.createRange();
    faixa.selectNodeContents(no);
    for (const r of faixa.getClientRects()) {
      if (r.width > 0 && r.right > largura + 0.5) fora.push([no.textContent.trim().slice(0, 40), Math.round(r.right)]);
    }
  }
  return fora;
}"""


def texto_passando_da_borda(page, largura=390):
    return page.evaluate(_TEXTO_PASSANDO, largura)


@pytest.fixture
def painel(parlamentar, outro_parlamentar, segov, acao_saude, grupo_inv):
    """Ana: um inciso com indicação e remanejamento pendente, outro intacto; e o bloco de Bia, em que Ana só lê."""
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    fab = Fabrica(exercicio, acao_saude, grupo_inv)
    movimentado = fab.inciso(parlamentar, "1234567.89")
    fab.inciso(parlamentar, "1000.00")
    bloco = Bloco.objects.create(nome="Bloco Mineiro", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fab.inciso(bloco, "50000.00")
    Indicacao.objects.create(exercicio=exercicio, numero=1, inciso=movimentado, objeto="Ambulância",
                             valor=Decimal("200000.00"), forma_execucao="EXECUCAO_DIRETA",
                             origem_saldo=OrigemSaldo.LIVRE, enviada_por=parlamentar.usuario)
    remanejamento = Remanejamento.objects.create(inciso_origem=movimentado, acao=acao_saude, grupo_despesa=grupo_inv,
                                                 valor=Decimal("34567.89"), saldo_origem=OrigemSaldo.LIVRE,
                                                 solicitado_por=parlamentar.usuario)
    return {"exercicio": exercicio, "movimentado": movimentado, "do_bloco": do_bloco, "remanejamento": remanejamento}


def no_celular(navegador, page, url):
    """A mesma sessão de *page* numa tela de 390 px, já em *url*."""
    celular = navegador.new_page(viewport={"width": 390, "height": 844})
    celular.context.add_cookies(page.context.cookies())
    celular.goto(url)
    return celular


def _celulas(linha) -> dict[str, str]:
    """As células de uma linha da tabela pelo rótulo (data-label), o mesmo que o leitor de tela ouve no celular."""
    return {c.get_attribute("data-label"): c.inner_text().strip() for c in linha.locator("td[data-label]").all()}


def test_painel_do_parlamentar_mostra_barras_e_os_numeros_dos_baldes(navegador, live_server, painel):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    inciso = painel["movimentado"]
    s = selectors.saldos_inciso(inciso)
    # Uma barra por titular (Ana e o bloco), com texto alternativo, e uma por linha de inciso e de total.
    barras = page.locator("svg.barra-baldes[role=img]")
    assert barras.count() == 2
    assert "Indicado R$ 200.000,00" in barras.first.get_attribute("aria-label")
    linha = page.locator("#incisos tr", has=page.get_by_role("link", name=inciso.numero, exact=True))
    assert linha.locator("svg.barra-baldes").count() == 1
    celulas = _celulas(linha)
    assert celulas["Valor do inciso"] == formatar_brl(s.valor_inciso)
    assert celulas["Remanejamento solicitado (pendente)"] == formatar_brl(s.remanejamento_solicitado)
    assert celulas["Indicado"] == formatar_brl(s.indicado)
    assert celulas["Saldo livre"] == formatar_brl(s.livre)
    assert celulas["Disponível p/ indicação"] == formatar_brl(s.disponivel_indicacao)
    # Na janela livre CPR, SPR, não impositivo e reservado PL estão zerados em todos: sem coluna, ditos em texto.
    assert "Com possibilidade de remanejamento" not in celulas
    corpo = page.locator("main").inner_text()
    assert "Baldes sem dinheiro em nenhum inciso" in corpo and "Bloco Mineiro" in corpo
    # A linha do tempo: a fase de hoje e os dias que faltam, em texto.
    assert re.search(r"Janela livre\s+hoje", corpo) and "em curso: faltam" in corpo and "começa em" in corpo
    page.screenshot(path=str(TELAS / "painel-parlamentar-1366.png"), full_page=True)

    celular = no_celular(navegador, page, live_server.url + "/")
    celular.get_by_role("heading", name="Meus incisos").wait_for()
    celular.screenshot(path=str(TELAS / "painel-parlamentar-390.png"), full_page=True)
    assert texto_passando_da_borda(celular) == []
    page.close()
    celular.close()


def test_pagina_do_inciso_barras_tabela_e_botoes_conforme_a_janela(navegador, live_server, painel):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    inciso = painel["movimentado"]
    url = f"{live_server.url}/emendas/incisos/{inciso.pk}/"
    page.goto(url)
    page.get_by_role("heading", name=f"Inciso {inciso.numero}").wait_for()
    s = selectors.saldos_inciso(inciso)
    assert page.locator("svg.barra-baldes[role=img]").count() == 1
    tabela = page.locator("#tabela-saldos")
    for rotulo, valor in (("Indicado", s.indicado), ("Saldo livre", s.livre),
                          ("Remanejamento solicitado (pendente)", s.remanejamento_solicitado),
                          ("Disponível para indicação", s.disponivel_indicacao)):
        assert tabela.locator("tr", has=page.get_by_role("rowheader", name=rotulo, exact=True)).locator(
            "td").inner_text() == formatar_brl(valor)
    # Janela livre, titular: os dois botões; a indicação e o histórico chegam pelo htmx.
    assert page.get_by_role("link", name="Remanejar", exact=True).is_visible()
    assert page.get_by_role("link", name="Indicar", exact=True).is_visible()
    # Os dois trechos do htmx chegam quando a seção aparece na tela (hx-trigger="revealed").
    page.locator("#indicacoes-do-inciso").scroll_into_view_if_needed()
    page.locator("#indicacoes-do-inciso table").wait_for()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.get_by_role("link", name=f"Ver o histórico do inciso {inciso.numero}").wait_for(state="detached")
    remanejamentos = page.locator("#remanejamentos-do-inciso table")
    remanejamentos.wait_for()
    assert "Remanejamentos a partir deste inciso" in page.locator("main").inner_text()
    assert formatar_brl(painel["remanejamento"].valor) in remanejamentos.inner_text()
    page.screenshot(path=str(TELAS / "inciso-livre-1366.png"), full_page=True)

    # Janela restrita: o livre virou SPR; sem CPR, remanejar some (com o motivo), indicar fica.
    hoje = timezone.localdate()
    Exercicio.objects.filter(pk=painel["exercicio"].pk).update(
        data_publicacao_loa=hoje - timedelta(days=50), data_liberacao=hoje - timedelta(days=34),
        fim_janela_livre=hoje - timedelta(days=4), fim_janela_obrigatoria=hoje + timedelta(days=10))
    page.goto(url)
    assert page.get_by_role("link", name="Remanejar", exact=True).count() == 0
    assert page.get_by_role("link", name="Indicar", exact=True).is_visible()
    assert "Remanejar: Não há saldo disponível para remanejamento hoje." in page.locator("#motivos-acoes").inner_text()

    # Sistema fechado: nenhum dos dois, com a data em que abrem.
    Exercicio.objects.filter(pk=painel["exercicio"].pk).update(
        data_publicacao_loa=hoje - timedelta(days=2), data_liberacao=hoje + timedelta(days=14),
        fim_janela_livre=hoje + timedelta(days=44), fim_janela_obrigatoria=hoje + timedelta(days=58))
    page.goto(url)
    assert page.get_by_role("link", name="Remanejar", exact=True).count() == 0
    assert page.get_by_role("link", name="Indicar", exact=True).count() == 0
    assert "O sistema está em atualização" in page.locator("#motivos-acoes").inner_text()

    celular = no_celular(navegador, page, url)
    celular.get_by_role("heading", name=f"Inciso {inciso.numero}").wait_for()
    celular.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    celular.screenshot(path=str(TELAS / "inciso-390.png"), full_page=True)
    assert texto_passando_da_borda(celular) == []
    page.close()
    celular.close()


def test_membro_do_bloco_nao_ve_botoes_no_inciso_do_bloco(navegador, live_server, painel):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/incisos/{painel['do_bloco'].pk}/")
    page.get_by_role("heading", name=f"Inciso {painel['do_bloco'].numero}").wait_for()
    assert page.get_by_role("link", name="Remanejar", exact=True).count() == 0
    assert page.get_by_role("link", name="Indicar", exact=True).count() == 0
    assert "Você só consulta este inciso" in page.locator("#motivos-acoes").inner_text()
    page.close()


def test_painel_da_segov_barras_por_titular_e_totais_da_tramitacao(navegador, live_server, painel):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "segov@segov.test")
    page.get_by_role("heading", name="Totais por fase da tramitação").wait_for()
    tabela = page.locator("table", has=page.locator("caption", has_text="Indicações do exercício"))
    linha = tabela.locator("tr", has=page.get_by_role("link", name="Em análise no órgão"))
    assert linha.locator("td").all_inner_texts() == ["1", "R$ 200.000,00"]
    # A barra de todos os titulares (com texto) e uma por titular na tabela (escondida: a linha diz os números).
    assert page.locator("svg.barra-baldes[role=img]").count() == 1
    assert page.locator("#titulo-totais ~ div svg.barra-baldes").count() >= 3
    page.screenshot(path=str(TELAS / "painel-segov-1366.png"), full_page=True)
    celular = no_celular(navegador, page, live_server.url + "/")
    celular.screenshot(path=str(TELAS / "painel-segov-390.png"), full_page=True)
    page.close()
    celular.close()
