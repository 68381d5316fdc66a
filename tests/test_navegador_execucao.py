"""O controle de execução de ponta a ponta no navegador: o órgão abre "Controle de execução" pelo menu, registra a
execução de uma indicação aprovada com valor utilizado menor que o indicado, revisa o impedimento parcial e
confirma; o parlamentar vê a execução no painel e na indicação; a SEGOV vê o relatório.

Capturas (1366 e 390 px) em ``/tmp/sigcon-telas/execucao-*.png``; em cada uma nada passa da borda direita.
"""

from decimal import Decimal

import pytest

from emendas.models import ExecucaoIndicacao, Inciso
from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao
from tests.navegador_util import Vigia, confirmar_revisao, dados, entrar, fotografar, navegador  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sem_passar_da_borda(page, largura):
    assert page.evaluate("document.documentElement.scrollWidth") <= largura, f"a página passa de {largura} px"


def capturar(page, nome):
    fotografar(page, f"execucao-{nome}", conferir=sem_passar_da_borda)


def test_orgao_registra_execucao_com_iot_parcial_e_parlamentar_ve(navegador, live_server, dados, parlamentar,
                                                                  analista_orgao, segov):
    from emendas.models import CategoriaImpedimento

    base = live_server.url
    categoria = (CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
                 or CategoriaImpedimento.objects.create(nome="Falta de projeto de engenharia"))
    inciso = Inciso.objects.get(numero="S501")
    ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                           valor=Decimal("80000.00"), objeto="Aquisição de ambulância para o SAMU regional")
    aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind)
    aprovar_indicacao_segov(usuario=segov, indicacao=ind)

    orgao = Vigia(navegador)
    o = orgao.page
    entrar(o, base, "analista@saude.test")
    o.wait_for_url(base + "/**")
    o.get_by_role("button", name="Órgão").or_(o.get_by_role("link", name="Órgão")).first.click()
    o.get_by_role("link", name="Controle de execução").click()
    o.get_by_role("heading", name="Controle de execução").wait_for()
    orgao.conferir("lista")
    capturar(o, "lista")
    o.get_by_role("link", name=f"{ind.numero} – abrir a execução").click()
    o.get_by_role("heading", name=f"Controle de execução da indicação nº {ind.numero}").wait_for()
    o.get_by_label("Valor utilizado").fill("50.000,00")
    o.get_by_label("Valor empenhado").fill("50.000,00")
    o.get_by_label("Número do empenho").fill("2026NE000321")
    o.get_by_label("Valor liquidado").fill("20.000,00")
    o.get_by_label("Valor pago").fill("10.000,00")
    o.get_by_label("Categoria do impedimento (IOT parcial)").select_option(label=categoria.nome)
    o.get_by_label("Justificativa do impedimento").fill("A licitação saiu abaixo do estimado.")
    capturar(o, "registrar")
    o.get_by_role("button", name="Registrar execução").click()
    capturar(o, "revisao")
    assert not ExecucaoIndicacao.objects.exists()
    confirmar_revisao(o, "registrar o impedimento parcial", "1 indicação, total R$ 30.000,00")
    o.get_by_text(f"Execução da indicação nº {ind.numero} registrada.").wait_for()
    assert "Impedimento de ordem técnica parcial" in o.locator("main").inner_text()
    assert o.get_by_label("Valor utilizado").input_value() == "50.000,00"  # como a pessoa digita
    orgao.conferir("registrada")
    capturar(o, "registrada")
    ex = ExecucaoIndicacao.objects.get()
    assert ex.valor_impedido == Decimal("30000.00") and ex.pago == Decimal("10000.00")

    parl = Vigia(navegador)
    p = parl.page
    entrar(p, base, "ana@almg.test")
    p.get_by_role("heading", name="Meus incisos").wait_for()
    secao = p.locator("section", has=p.get_by_role("heading", name="Execução das indicações aprovadas"))
    assert "IOT parcial: R$ 30.000,00 devolvidos" in secao.inner_text()
    parl.conferir("painel")
    capturar(p, "painel")
    p.goto(f"{base}/emendas/indicacoes/{ind.pk}/")
    assert "R$ 10.000,00" in p.locator("#titulo-execucao").locator("..").inner_text()
    assert p.get_by_role("link", name="Registrar execução").count() == 0

    s = Vigia(navegador)
    entrar(s.page, base, "segov@segov.test")
    s.page.wait_for_url(base + "/**")
    s.abrir(base + "/relatorios/execucao/")
    assert "2026NE000321" in s.page.locator("main").inner_text()
    capturar(s.page, "relatorio")
