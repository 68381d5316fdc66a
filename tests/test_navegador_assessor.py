"""O assessor de ponta a ponta no navegador: a parlamentar o associa em "Meus assessores", ele entra, escolhe no
seletor do topo o parlamentar (atende dois), faz uma indicação, e a indicação mostra quem agiu e por quem; a
parlamentar o desassocia com confirmação e ele perde o acesso.

Capturas (1366 e 390 px) em ``/tmp/sigcon-telas/assessor-*.png``; em cada uma, nada passa da borda direita.
"""

import pytest

from contas import perfis
from emendas.models import Indicacao, VinculoAssessor
from emendas.services import associar_assessor
from tests.conftest import criar_usuario
from tests.navegador_util import (  # noqa: F401 (fixtures)
    Vigia, beneficiario, dados, entrar, fotografar, indicar_pelo_navegador, navegador, passam_da_borda,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def capturar(page, nome):
    def nada_passa_da_borda(page, largura):
        assert passam_da_borda(page, "body") == [], f"{nome} a {largura} px"  # o seletor do topo também
        assert page.evaluate("document.documentElement.scrollWidth") <= largura, f"{nome} a {largura} px"

    fotografar(page, f"assessor-{nome}", conferir=nada_passa_da_borda)


def test_assessor_escolhe_o_parlamentar_indica_e_o_registro_mostra_quem_agiu_e_por_quem(
        navegador, live_server, dados, parlamentar, outro_parlamentar, beneficiario):
    base = live_server.url
    criar_usuario("davi@almg.test", perfis.ASSESSOR, "Davi Assessor")
    associar_assessor(usuario=outro_parlamentar.usuario, parlamentar=outro_parlamentar, email="davi@almg.test")

    # Ana associa Davi pelo login, pelo menu.
    ana = Vigia(navegador)
    p = ana.page
    entrar(p, base, "ana@almg.test")
    p.get_by_role("heading", name="Meus incisos").wait_for()
    p.get_by_role("button", name="Emendas").or_(p.get_by_role("link", name="Emendas")).first.click()
    p.get_by_role("link", name="Meus assessores").click()
    p.get_by_role("heading", name="Meus assessores").wait_for()
    p.get_by_label("E-mail (login) do assessor").fill("davi@almg.test")
    p.get_by_role("button", name="Associar").click()
    p.get_by_text("Davi Assessor (davi@almg.test) agora é seu assessor").wait_for()
    capturar(p, "meus-assessores")
    ana.conferir("assessor associado")

    # Davi entra: atende Ana e Bruno; começa pela Ana e troca para o Bruno no seletor do topo.
    davi = Vigia(navegador)
    d = davi.page
    entrar(d, base, "davi@almg.test")
    d.wait_for_url(base + "/**")
    seletor = d.locator("[data-seletor-titular]")
    assert "Agindo em nome de Ana Lacerda" in seletor.inner_text()
    d.get_by_role("heading", name="Incisos de Ana Lacerda").wait_for()
    assert d.locator("tr", has_text="S501").count() and not d.locator("tr", has_text="S503").count()
    capturar(d, "painel-ana")
    d.get_by_label("Parlamentar", exact=True).select_option(label="Bruno Tavares")
    d.get_by_role("button", name="Trocar").click()
    d.locator("[data-titular-atual]", has_text="Bruno Tavares").wait_for()
    assert d.locator("tr", has_text="S503").count() and not d.locator("tr", has_text="S501").count()
    capturar(d, "painel-bruno")
    d.get_by_role("button", name="Emendas").or_(d.get_by_role("link", name="Emendas")).first.click()
    d.get_by_role("link", name="Ver todos").click()
    d.get_by_role("heading", name="Parlamentares que atendo").wait_for()
    capturar(d, "atendidos")

    # A indicação, em nome do Bruno (o escolhido): o mesmo formulário do parlamentar.
    indicar_pelo_navegador(d, base, "S503", "Aquisição de equipamentos para a UBS", "100,00")
    davi.conferir("indicação enviada")
    ind = Indicacao.objects.get()
    assert (ind.enviada_por.email, ind.em_nome_de, ind.inciso.numero) == ("davi@almg.test", outro_parlamentar, "S503")
    d.goto(f"{base}/emendas/indicacoes/{ind.pk}/")
    enviada = d.locator("[data-enviada-por]").inner_text()
    assert "Davi Assessor" in enviada and "em nome de Bruno Tavares" in enviada
    assert "Davi Assessor em nome de Bruno Tavares" in d.locator("tr", has_text="Enviada usando o saldo").inner_text()
    capturar(d, "indicacao")

    # Bruno vê o mesmo registro.
    bruno = Vigia(navegador)
    entrar(bruno.page, base, "bruno@almg.test")
    bruno.page.wait_for_url(base + "/**")
    bruno.page.goto(f"{base}/emendas/indicacoes/{ind.pk}/")
    assert "Davi Assessor em nome de Bruno Tavares" in bruno.page.locator("[data-enviada-por]").inner_text()

    # Ana desassocia Davi, com confirmação; no próximo pedido dele, ela sumiu do seletor.
    p.goto(base + "/emendas/assessores/")
    p.locator("tr", has_text="davi@almg.test").get_by_role("link", name="Desassociar").click()
    p.get_by_role("heading", name="Desassociar assessor").wait_for()
    capturar(p, "desassociar")
    p.get_by_role("button", name="Confirmar: desassociar").click()
    p.get_by_text("Davi Assessor foi desassociado").wait_for()
    assert not VinculoAssessor.objects.filter(parlamentar=parlamentar, ativo=True).exists()
    d.goto(base + "/")
    assert "Ana Lacerda" not in d.locator("[data-seletor-titular]").inner_text()
    assert d.get_by_label("Parlamentar", exact=True).count() == 0  # só o Bruno: sem seletor
    for aba in (ana, davi, bruno):
        aba.page.close()
