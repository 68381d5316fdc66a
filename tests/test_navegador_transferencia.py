"""A transferência especial de ponta a ponta no navegador: o órgão da UO 1491 marca duas indicações aprovadas e
cadastra a resolução nas duas ("aplicar a todas"), envia uma ao SIAFI com o SIAFI fora do ar ("não enviado", com o
motivo), reenvia (registrada), baixa a declaração; a SEGOV vê a lista sem poder cadastrar.

Capturas (1366 e 390 px) em ``/tmp/sigcon-telas/transferencia-*.png``.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from contas import perfis
from emendas import services as em
from emendas.models import Exercicio, TransferenciaEspecial
from integracoes.models import ServicoSimulado
from tests.conftest import criar_usuario
from tests.fabricas import transferencias_aprovadas
from tests.navegador_util import TELAS, Vigia, confirmar_revisao, entrar, fotografar, navegador  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = TransferenciaEspecial.Status


def sem_rolagem_lateral(page, largura):
    assert page.evaluate("document.documentElement.scrollWidth") <= largura, f"passa da borda a {largura} px"


def _foto(page, nome):
    fotografar(page, f"transferencia-{nome}", pasta=TELAS, conferir=sem_rolagem_lateral)


def _siafi_fora_do_ar(fora: bool) -> None:
    ServicoSimulado.objects.update_or_create(sistema="SIAFI", defaults={"fora_do_ar": fora})


@pytest.fixture
def cenario(parlamentar, segov, grupo_inv):
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    analista = criar_usuario("analista@governo.test", perfis.ORGAO, "Gabriela Governo")
    inds = transferencias_aprovadas(exercicio=exercicio, parlamentar=parlamentar, segov=segov, analista=analista,
                                    grupo=grupo_inv, valores=("150000.00", "80000.00"))
    return {"inds": inds, "publicada": hoje - timedelta(days=3), "analista": analista}


def test_orgao_cadastra_as_marcadas_envia_com_siafi_fora_do_ar_e_reenvia(navegador, live_server, cenario):
    base = live_server.url
    itabira, mariana = cenario["inds"]
    orgao = Vigia(navegador)
    o = orgao.page
    entrar(o, base, "analista@governo.test")
    o.wait_for_url(base + "/**")
    o.get_by_role("button", name="Órgão").or_(o.get_by_role("link", name="Órgão")).first.click()
    o.get_by_role("link", name="Transferências Especiais").click()
    o.get_by_role("heading", name="Transferências Especiais").wait_for()
    assert "2 transferências especiais" in o.locator("main").inner_text()
    o.get_by_label(f"Marcar a indicação nº {itabira.numero}").check()
    o.get_by_label(f"Marcar a indicação nº {mariana.numero}").check()
    o.get_by_label("Nº da resolução").fill("Resolução SEGOV 1.234/2026")
    o.get_by_label("Data de publicação").fill(cenario["publicada"].isoformat())
    o.get_by_label("Dotação orçamentária (opcional)").fill("1491.04.122.081.2090.0001.4.4.40.42")
    _foto(o, "lista-marcadas")
    o.get_by_role("button", name="Cadastrar nas marcadas").click()
    o.get_by_text("2 transferências especiais cadastradas").wait_for()
    assert o.locator('[data-situacao="CADASTRADO"]').count() == 2
    orgao.conferir("cadastro das marcadas")
    _foto(o, "lista-cadastradas")

    # O SIAFI-MG fora do ar: "não enviado", com o motivo, e os dados continuam lá.
    _siafi_fora_do_ar(True)
    o.get_by_role("link", name=f"nº {itabira.numero} – abrir a transferência").click()
    o.get_by_role("heading", name=f"Transferência especial – indicação nº {itabira.numero}").wait_for()
    o.get_by_role("button", name="Enviar para o SIAFI").click()
    confirmar_revisao(o, "enviar para o SIAFI", "1 transferência especial, total R$ 150.000,00")
    o.locator("#erro-siafi").wait_for()
    assert "não respondeu" in o.locator("#erro-siafi").inner_text()
    assert "Resolução SEGOV 1.234/2026" in o.locator("main").inner_text()
    orgao.conferir("não enviado")
    _foto(o, "nao-enviado")

    # De volta no ar: o reenvio registra.
    _siafi_fora_do_ar(False)
    o.get_by_role("button", name="Reenviar para o SIAFI").click()
    confirmar_revisao(o, "enviar para o SIAFI", "1 transferência especial, total R$ 150.000,00")
    o.get_by_text("Transferência especial registrada no SIAFI-MG").wait_for()
    te = TransferenciaEspecial.objects.get(indicacao=itabira)
    assert te.status == Status.REGISTRADO_SIAFI and te.tentativas == 2
    assert f"nº {te.numero_siafi}" in o.locator("main").inner_text()
    orgao.conferir("registrada")
    _foto(o, "registrada")
    pdf = o.request.get(base + o.get_by_role("link", name="Declaração (PDF)").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    o.get_by_role("link", name="Voltar a Transferências Especiais").click()
    linha = o.locator("tr", has_text=f"nº {itabira.numero}")
    assert "Registrado no SIAFI" in linha.inner_text()
    orgao.fechar()

    # A SEGOV vê, pelo menu, sem caixas nem cadastro.
    segov = Vigia(navegador)
    s = segov.page
    entrar(s, base, "segov@segov.test")
    s.wait_for_url(base + "/**")
    s.get_by_role("button", name="SEGOV").or_(s.get_by_role("link", name="SEGOV")).first.click()
    s.get_by_role("link", name="Transferências Especiais").click()
    s.get_by_role("heading", name="Transferências Especiais").wait_for()
    assert s.locator('input[name="selecionados"]').count() == 0
    assert s.get_by_role("button", name="Cadastrar nas marcadas").count() == 0
    segov.conferir("lista da SEGOV")
    _foto(s, "lista-segov")
    s.get_by_role("link", name=f"nº {itabira.numero} – abrir a transferência").click()
    s.get_by_role("link", name="Declaração (PDF)").wait_for()
    assert s.get_by_role("button", name="Encerrar").count() == 0
    segov.fechar()


def test_axe_nas_telas_da_transferencia(navegador, live_server, cenario):
    from tests.test_acessibilidade_navegador import Auditor

    base = live_server.url
    itabira, mariana = cenario["inds"]
    analista = cenario["analista"]
    em.cadastrar_transferencia_especial(usuario=analista, indicacoes=[itabira], numero_resolucao="RES 9/2026",
                                        data_publicacao=cenario["publicada"], dotacao="")
    _siafi_fora_do_ar(True)
    em.enviar_transferencia_ao_siafi(usuario=analista, transferencia=TransferenciaEspecial.objects.get())
    a = Auditor(navegador, base)
    entrar(a.page, base, "analista@governo.test")
    a.page.wait_for_url(base + "/**")
    a.abrir_e_avaliar("/emendas/transferencias/", "transferencias-lista")
    a.abrir_e_avaliar(f"/emendas/transferencias/{itabira.pk}/", "transferencia-nao-enviada")
    a.abrir_e_avaliar(f"/emendas/transferencias/{mariana.pk}/", "transferencia-cadastro")
    a.page.goto(f"{base}/emendas/transferencias/{itabira.pk}/")
    a.page.get_by_role("button", name="Reenviar para o SIAFI").click()
    a.avaliar("transferencia-revisao-envio")
    a.fechar()
    a.sem_violacoes()
