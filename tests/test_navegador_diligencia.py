"""A diligência de ponta a ponta no navegador: o órgão abre na indicação, o parlamentar vê o número na lista e a
notificação, responde pelo menu "Gerenciar Diligências" com um anexo, o órgão baixa o anexo e fecha.

Capturas (1366 e 390 px) em ``/tmp/sigcon-telas/diligencia-*.png``.
"""

from decimal import Decimal

import pytest

from emendas.models import Diligencia, Inciso
from emendas.services import enviar_indicacao
from notificacoes.models import EmailPendente
from tests.navegador_util import TELAS, Vigia, dados, entrar, navegador  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def capturar(page, nome):
    for largura in (1366, 390):
        page.set_viewport_size({"width": largura, "height": 900})
        page.screenshot(path=str(TELAS / f"diligencia-{nome}-{largura}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_diligencia_orgao_abre_parlamentar_responde_com_anexo_orgao_fecha(navegador, live_server, dados, parlamentar,
                                                                          analista_orgao, tmp_path):
    base = live_server.url
    inciso = Inciso.objects.get(numero="S501")
    ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                           valor=Decimal("4321.00"), objeto="Compra de ambulância")

    # Órgão: pela fila, a indicação e "Informar diligência".
    orgao = Vigia(navegador)
    o = orgao.page
    entrar(o, base, "analista@saude.test")
    o.wait_for_url(base + "/**")
    o.goto(base + "/emendas/indicacoes/orgao/")
    o.get_by_role("link", name=str(ind.numero), exact=True).click()
    o.get_by_role("link", name="Informar diligência").click()
    o.get_by_label("Texto da diligência").fill("Envie a declaração de contrapartida com o valor.")
    capturar(o, "abrir")
    o.get_by_role("button", name="Enviar diligência").click()
    o.get_by_text(f"Diligência nº 1 aberta na indicação nº {ind.numero}").wait_for()
    orgao.conferir("diligência aberta")

    # Parlamentar: o número na linha da indicação, a notificação e o menu.
    parl = Vigia(navegador)
    p = parl.page
    entrar(p, base, "ana@almg.test")
    p.get_by_role("heading", name="Meus incisos").wait_for()
    p.goto(base + "/emendas/indicacoes/lista/")
    assert "Diligência nº 1 aberta" in p.locator("tr", has_text="R$ 4.321,00").inner_text()
    p.goto(f"{base}/emendas/indicacoes/{ind.pk}/")
    assert "Diligência nº 1 aberta" in p.get_by_role("heading", level=1).inner_text()
    capturar(p, "indicacao")
    p.goto(base + "/notificacoes/")
    assert "diligência nº 1 aberta" in p.locator("main").inner_text()
    p.get_by_role("button", name="Emendas").or_(p.get_by_role("link", name="Emendas")).first.click()
    p.get_by_role("link", name="Gerenciar Diligências").click()
    p.get_by_role("heading", name="Gerenciar Diligências").wait_for()
    capturar(p, "lista")
    p.get_by_role("link", name="1 – abrir a diligência").click()
    p.get_by_role("heading", name="Diligência nº 1").wait_for()
    assert "Envie a declaração de contrapartida com o valor." in p.locator("main").inner_text()
    arquivo = tmp_path / "Declaração de contrapartida.pdf"
    arquivo.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    p.get_by_role("textbox", name="Resposta").fill("Segue a declaração assinada, com o valor de R$ 432,10.")
    p.get_by_label("Anexos").set_input_files(str(arquivo))
    capturar(p, "responder")
    p.get_by_role("button", name="Enviar resposta").click()
    p.get_by_text("Resposta à diligência nº 1 enviada ao órgão.").wait_for()
    assert p.get_by_role("link", name="Declaração de contrapartida.pdf").count() == 1
    parl.conferir("resposta enviada")

    # Órgão: lê a resposta, baixa o anexo e fecha.
    o.reload()
    assert "Segue a declaração assinada" in o.locator("main").inner_text()
    with o.expect_download() as baixado:
        o.get_by_role("link", name="Declaração de contrapartida.pdf").click()
    assert baixado.value.suggested_filename == "Declaração de contrapartida.pdf"
    o.once("dialog", lambda d: d.accept())
    o.get_by_role("button", name="Fechar diligência").click()
    o.get_by_text("Diligência nº 1 fechada; o titular foi avisado por e-mail.").wait_for()
    assert o.get_by_role("button", name="Fechar diligência").count() == 0
    capturar(o, "fechada")
    orgao.conferir("diligência fechada")

    # Parlamentar: fechada, sem formulário; o selo saiu da lista.
    p.reload()
    assert "Diligência fechada: não recebe mais respostas." in p.locator("main").inner_text()
    assert p.get_by_role("button", name="Enviar resposta").count() == 0
    p.goto(base + "/emendas/indicacoes/lista/")
    assert "Diligência nº 1 aberta" not in p.locator("main").inner_text()
    assert Diligencia.objects.get().status == "FECHADA"
    assert [sorted(e.destinatarios) for e in EmailPendente.objects.filter(tipo="DILIGENCIA").order_by("pk")] == [
        ["ana@almg.test"], ["analista@saude.test"], ["ana@almg.test"]]
    orgao.fechar()
    parl.fechar()
