"""O caminho inteiro da formalização no navegador (issue 16, item 6): proposta APROVADA → SEGOV autoriza (número) →
representante legal assina com testemunha → concedente assina → publicação (data) → VIGENTE → liberação pedida e
autorizada; antes, um impedimento de ordem técnica dado dentro da proposta. Capturas em 1366 e 390 px."""

from decimal import Decimal

import pytest

from convenios.models import PropostaPlanoTrabalho as Proposta
from emendas.models import CategoriaImpedimento, Inciso, Indicacao
from tests.fabricas import proposta_aprovada
from tests.navegador_util import (  # noqa: F401 (fixtures)
    Vigia, confirmar_revisao, dados, entrar, fotografar, indicacao_aprovada_da_vida_nova, navegador, passam_da_borda,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sem_passar_da_borda(page, largura):
    assert passam_da_borda(page) == [], f"{largura} px"


def test_formalizacao_de_aprovada_a_vigente_e_liberacao(navegador, live_server, dados, parlamentar, analista_orgao,
                                                        segov):
    from emendas import services as em

    CategoriaImpedimento.objects.get_or_create(nome="Ausência de projeto de engenharia", exercicio=None)
    inciso = Inciso.objects.get(numero="S501")
    convenente, cadastrador, ind = indicacao_aprovada_da_vida_nova(
        inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao, segov=segov, n_cnpj=91)
    outra = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                                valor=Decimal("30000.00"), beneficiario=convenente, objeto="Equipamentos")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=outra)
    em.aprovar_indicacao_segov(usuario=segov, indicacao=outra)
    p = proposta_aprovada(cadastrador=cadastrador, convenente=convenente, indicacao=ind, analista_orgao=analista_orgao)
    from convenios import services as conv
    from convenios.models import UsoIndicacao

    # A segunda indicação entra na proposta antes da aprovação (o caminho de gerar já é testado em outro lugar).
    UsoIndicacao.objects.create(proposta=p, indicacao=outra, valor=Decimal("30000.00"))
    base = live_server.url
    url = f"{base}/convenios/propostas/{p.pk}/"

    # SEGOV: autoriza o plano, com revisão; o instrumento recebe o número.
    v = Vigia(navegador)
    page = v.page
    entrar(page, base, "segov@segov.test")
    v.abrir(url)
    fotografar(page, "formalizacao-aprovada-segov", conferir=_sem_passar_da_borda)
    page.get_by_role("button", name="Autorizar o plano (SEGOV)").click()
    fotografar(page, "formalizacao-revisao-autorizar", conferir=_sem_passar_da_borda)
    confirmar_revisao(page, "Autorizar o plano e numerar o instrumento", "2 indicações, total R$ 230.000,00")
    page.get_by_text("o instrumento tem número").first.wait_for()
    p.refresh_from_db()
    assert p.status == Proposta.Status.PLANO_AUTORIZADO and p.numero_instrumento.endswith(f"/{dados.ano}")
    assert p.numero_instrumento in page.locator("main").inner_text()
    page.context.clear_cookies()

    # Órgão: impedimento de ordem técnica da segunda indicação, dentro da proposta, com revisão.
    entrar(page, base, "analista@saude.test")
    v.abrir(url)
    page.locator("summary", has_text="Impedimento de ordem técnica").click()
    page.locator("#id_iot_indicacao").select_option(str(outra.pk))
    page.locator("#id_iot_categoria").select_option(index=1)
    page.locator("#id_iot_justificativa").fill("Sem projeto de engenharia.")
    fotografar(page, "formalizacao-iot-na-proposta", conferir=_sem_passar_da_borda)
    page.get_by_role("button", name="Reprovar a indicação").click()
    confirmar_revisao(page, "Reprovar a indicação", "1 indicação, total R$ 30.000,00")
    page.get_by_text("retirada da proposta").first.wait_for()
    outra.refresh_from_db()
    assert outra.status == Indicacao.Status.REPROVADA and p.usos.count() == 1
    page.context.clear_cookies()

    # Convenente: o representante legal assina com uma testemunha.
    entrar(page, base, "vida@nova.test")
    v.abrir(url)
    page.get_by_label("Nome da testemunha").fill("Teresa Testemunha")
    page.get_by_label("CPF da testemunha").fill("529.982.247-25")
    fotografar(page, "formalizacao-assinatura-convenente", conferir=_sem_passar_da_borda)
    page.get_by_role("button", name="Assinar (representante legal)").click()
    assert "Testemunha: Teresa Testemunha" in page.locator("main").inner_text()
    confirmar_revisao(page, "Assinar (representante legal do convenente)", "1 indicação, total R$ 200.000,00")
    page.get_by_text("assinada pelo convenente").first.wait_for()
    page.context.clear_cookies()

    # Concedente: assina, registra a publicação e pede a liberação.
    entrar(page, base, "analista@saude.test")
    v.abrir(url)
    page.get_by_role("button", name="Assinar (concedente)").click()
    confirmar_revisao(page, "Assinar (concedente)", "1 indicação, total R$ 200.000,00")
    page.get_by_text("aguarda a publicação").first.wait_for()
    assert "Impedimento de ordem técnica" not in page.locator("main").inner_text()
    fotografar(page, "formalizacao-em-publicacao", conferir=_sem_passar_da_borda)
    page.get_by_role("button", name="Registrar a publicação").click()
    confirmar_revisao(page, "Registrar a publicação", "1 indicação, total R$ 200.000,00")
    page.get_by_text("o instrumento está vigente").first.wait_for()
    v.conferir("proposta vigente")
    fotografar(page, "formalizacao-vigente", conferir=_sem_passar_da_borda)
    p.refresh_from_db()
    assert p.status == Proposta.Status.VIGENTE and p.data_publicacao is not None
    assert "Extrato do convênio de saída nº" in page.locator("main").inner_text()
    page.get_by_label("Valor da parcela (R$)").fill("50.000,00")
    page.get_by_role("button", name="Solicitar liberação").click()
    confirmar_revisao(page, "Solicitar liberação", "1 parcela, total R$ 50.000,00")
    page.get_by_text("Parcela 1 solicitada").wait_for()
    page.context.clear_cookies()

    entrar(page, base, "segov@segov.test")
    v.abrir(f"{base}/convenios/liberacoes/")
    page.get_by_role("button", name="Autorizar").click()
    confirmar_revisao(page, "Autorizar a liberação", "1 parcela, total R$ 50.000,00")
    page.get_by_text("autorizada").first.wait_for()
    assert p.liberacoes.get().status == "AUTORIZADA"
    assert conv.valor_a_liberar(p) == Decimal("150000.00")
    v.fechar()
