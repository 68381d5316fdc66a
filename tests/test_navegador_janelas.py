"""No navegador de verdade: a SEGOV ajusta uma janela de operação no calendário; o parlamentar vê os prazos no
painel, reprioriza uma indicação e cancela várias de uma vez (marcar, revisar, confirmar). Telas em 1366 e 390 px."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from emendas.models import Exercicio, Indicacao
from emendas.prazos import TipoJanela, Trilha
from emendas.services import enviar_indicacao
from tests.conftest import Fabrica
from tests.navegador_util import TELAS, entrar, navegador  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cenario(parlamentar, segov, acao_saude, grupo_inv):
    """Exercício deste ano na janela livre (publicado há 20 dias) e quatro indicações de Ana, na ordem de criação."""
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    inciso = Fabrica(exercicio, acao_saude, grupo_inv).inciso(parlamentar, "1000000.00")
    indicacoes = [enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                   valor=Decimal(v), objeto=f"Obra {k}")
                  for k, v in enumerate(("100.00", "250.00", "40.00", "9.99"), start=1)]
    return {"exercicio": exercicio, "inciso": inciso, "indicacoes": indicacoes}


def _pagina(navegador, largura=1366):
    return navegador.new_page(viewport={"width": largura, "height": 900})


def _foto_no_celular(navegador, base, email, caminho, nome):
    """A mesma tela em 390 px, para olhar (guardada em TELAS)."""
    celular = _pagina(navegador, 390)
    entrar(celular, base, email)
    celular.goto(base + caminho)
    celular.screenshot(path=str(TELAS / nome), full_page=True)
    celular.close()


def test_segov_ajusta_uma_janela_no_calendario_com_data_em_pt_br(navegador, live_server, cenario):
    ex = cenario["exercicio"]
    page = _pagina(navegador)
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(f"{live_server.url}/emendas/exercicios/{ex.ano}/editar/")
    inicio = page.get_by_label("Início – Priorização das indicações impositivas (Incisos P (remanejamento constitucional))")
    fim = page.get_by_label("Fim – Priorização das indicações impositivas (Incisos P (remanejamento constitucional))")
    inicio.fill(f"01/10/{ex.ano}")
    fim.fill(f"15/09/{ex.ano}")
    page.get_by_role("button", name="Salvar").click()
    erro = page.locator(f"#{fim.get_attribute('id')}_error")
    assert "não pode ser anterior ao início" in erro.inner_text()
    assert fim.get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(TELAS / "calendario_janela_errada_1366.png"), full_page=True)
    page.get_by_label("Fim – Priorização das indicações impositivas (Incisos P (remanejamento constitucional))").fill(
        f"31/10/{ex.ano}")
    page.get_by_role("button", name="Salvar").click()
    page.get_by_text(f"Calendário, janelas e regras do exercício {ex.ano} salvos.").wait_for()
    janelas = Exercicio.objects.get(pk=ex.pk).janelas
    assert janelas[(Trilha.P, TipoJanela.PRIORIZACAO)] == (date(ex.ano, 10, 1), date(ex.ano, 10, 31))
    _foto_no_celular(navegador, live_server.url, "segov@segov.test", f"/emendas/exercicios/{ex.ano}/editar/",
                     "calendario_janelas_390.png")
    page.close()


def test_parlamentar_ve_os_prazos_e_reprioriza_sem_javascript_obrigatorio(navegador, live_server, cenario):
    a, b, c, d = cenario["indicacoes"]
    page = _pagina(navegador)
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_text("Prazos de cada operação").click()
    assert "Priorização das indicações impositivas" in page.locator(".janelas-operacao").inner_text()
    page.screenshot(path=str(TELAS / "painel_prazos_1366.png"), full_page=True)
    page.goto(f"{live_server.url}/emendas/indicacoes/priorizacao/")
    page.get_by_label(f"Nova posição da indicação nº {a.numero} (de 1 a 4)").fill("3")
    page.get_by_role("button", name=f"Repriorizar a indicação nº {a.numero}").click()
    page.get_by_text(f"Indicação nº {a.numero} agora é a 3ª na ordem de prioridade.").wait_for()
    numeros = page.locator(".tabela-priorizacao tbody tr td[data-label='Nº']").all_inner_texts()
    assert numeros == [str(i.numero) for i in (b, c, a, d)]
    page.screenshot(path=str(TELAS / "priorizacao_1366.png"), full_page=True)
    _foto_no_celular(navegador, live_server.url, "ana@almg.test", "/emendas/indicacoes/priorizacao/",
                     "priorizacao_390.png")
    page.close()


def test_parlamentar_marca_revisa_e_cancela_varias_de_uma_vez(navegador, live_server, cenario):
    a, b, c, d = cenario["indicacoes"]
    page = _pagina(navegador)
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(f"{live_server.url}/emendas/indicacoes/")
    page.get_by_text(f"Expandir inciso {cenario['inciso'].numero}").click()
    page.get_by_label(f"Marcar a indicação nº {a.numero} para cancelar").check()
    page.get_by_label(f"Marcar a indicação nº {c.numero} para cancelar").check()
    page.get_by_label("Justificativa do cancelamento").fill("Recursos vão para a saúde")
    page.get_by_role("button", name="Revisar o cancelamento das marcadas").click()
    resumo = page.locator("[data-revisao-resumo]").inner_text()
    assert "2 indicações, total R$ 140,00" in resumo and "Recursos vão para a saúde" in resumo
    page.screenshot(path=str(TELAS / "cancelar_varias_revisao_1366.png"), full_page=True)
    page.get_by_role("button", name="Confirmar: cancelar todas").click()
    page.get_by_text("Canceladas: 2 indicações, total R$ 140,00").wait_for()
    situacoes = dict(Indicacao.objects.values_list("numero", "status"))
    assert situacoes == {a.numero: "CANCELADA", b.numero: "EM_ANALISE_ORGAO", c.numero: "CANCELADA",
                         d.numero: "EM_ANALISE_ORGAO"}
    assert [Indicacao.objects.get(pk=i.pk).prioridade for i in (b, d)] == [1, 2]
    _foto_no_celular(navegador, live_server.url, "ana@almg.test",
                     f"/emendas/indicacoes/?expandir={cenario['inciso'].pk}", "cancelar_varias_lista_390.png")
    page.close()
