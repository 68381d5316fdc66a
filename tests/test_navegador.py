"""Testes no navegador de verdade (Chromium do Debian, via Playwright)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from emendas.models import Exercicio
from tests.conftest import SENHA, Fabrica
from tests.fabricas import convenio_vigente, proposta_aprovada
from tests.navegador_util import (  # noqa: F401 (fixtures)
    TELAS, beneficiario, confirmar_revisao, dados, entrar, indicacao_aprovada_da_vida_nova, navegador,
    indicar_pelo_navegador, pedir_remanejamento_pelo_navegador,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parlamentar_entra_e_le_os_seus_incisos(navegador, live_server, dados):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    corpo = page.locator("main").inner_text()
    assert "R$ 1.234.567,89" in corpo and "R$ 1.000,00" in corpo
    assert "R$ 555,55" not in corpo  # inciso de outro parlamentar
    assert "Janela livre" in corpo and "dias restantes" in corpo
    page.screenshot(path=str(TELAS / "parlamentar-inicio.png"), full_page=True)

    page.get_by_role("link", name="S501").click()
    page.get_by_role("heading", name="Inciso S501").wait_for()
    assert "Disponível para indicação" in page.locator("main").inner_text()

    celular = navegador.new_page(viewport={"width": 390, "height": 844})
    celular.context.add_cookies(page.context.cookies())
    celular.goto(live_server.url + "/")
    celular.get_by_role("heading", name="Meus incisos").wait_for()
    celular.screenshot(path=str(TELAS / "parlamentar-celular.png"), full_page=True)
    page.close()
    celular.close()


def test_segov_ve_calendario_e_totais(navegador, live_server, dados):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "segov@segov.test")
    page.get_by_role("heading", name="Totais por titular", exact=False).wait_for()
    corpo = page.locator("main").inner_text()
    assert "Ana Lacerda" in corpo and "Bruno Tavares" in corpo
    assert "R$ 1.236.123,44" in corpo  # soma dos três incisos
    page.screenshot(path=str(TELAS / "segov-inicio.png"), full_page=True)
    page.close()


def test_pagina_do_inciso_traz_as_indicacoes_pelo_htmx(navegador, live_server, dados, parlamentar):
    from decimal import Decimal

    from emendas.models import Inciso
    from emendas.services import enviar_indicacao

    inciso = Inciso.objects.filter(emenda__parlamentar=parlamentar).order_by("pk").first()
    enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                     valor=Decimal("321.00"), beneficiario=None, objeto="Compra de ambulância")
    page = navegador.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    page.goto(f"{live_server.url}/emendas/incisos/{inciso.pk}/")
    # A seção começa com o link (sem JavaScript) e o htmx a troca pela tabela quando ela aparece na tela.
    page.locator("#indicacoes-do-inciso").scroll_into_view_if_needed()
    page.locator("#indicacoes-do-inciso table").wait_for()
    assert "R$ 321,00" in page.locator("#indicacoes-do-inciso").inner_text()
    assert page.get_by_role("link", name=f"Ver as indicações do inciso {inciso.numero}").count() == 0
    page.close()


def test_teclado_alcanca_o_conteudo_pelo_link_de_pular(navegador, live_server, dados):
    page = navegador.new_page()
    entrar(page, live_server.url, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    page.keyboard.press("Tab")
    focado = page.evaluate("document.activeElement.textContent")
    assert "Pular para o conteúdo" in focado
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "conteudo"
    page.close()


def test_remanejamento_de_ponta_a_ponta(navegador, live_server, dados, acao_saude, acao_saude_2, grupo_inv):
    from emendas.models import Inciso, ProgramacaoElegivel

    for acao in (acao_saude, acao_saude_2):
        ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao, grupo_despesa=grupo_inv)

    s501 = Inciso.objects.get(numero="S501")
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    pedir_remanejamento_pelo_navegador(page, live_server.url, s501.pk, "100.000,00")
    pedir_remanejamento_pelo_navegador(page, live_server.url, s501.pk, "34.567,89")
    linha = page.locator("#incisos-da-uo tr", has_text="S501")
    assert "R$ 1.100.000,00" in linha.inner_text()  # 1.234.567,89 − 134.567,89, na hora
    page.screenshot(path=str(TELAS / "remanejamento-lista.png"), full_page=True)

    # Cancela o segundo, com confirmação.
    page.locator("tr", has_text="R$ 34.567,89").get_by_role("link", name="Cancelar").click()
    page.get_by_role("button", name="Sim, cancelar o pedido").click()
    page.get_by_text("cancelado; o valor voltou").wait_for()

    # SEGOV aprova o primeiro.
    segov = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(segov, live_server.url, "segov@segov.test")
    segov.goto(live_server.url + "/emendas/remanejamentos/analise/")
    segov.screenshot(path=str(TELAS / "segov-fila.png"), full_page=True)
    segov.locator("tr", has_text="R$ 100.000,00").get_by_role("link").first.click()
    segov.get_by_role("button", name="Aprovar").click()
    confirmar_revisao(segov, "Aprovar o remanejamento", "1 pedido, total R$ 100.000,00")
    segov.get_by_text("criado o inciso R1").wait_for()

    # O inciso R aparece para o parlamentar com o seu saldo.
    page.goto(live_server.url + "/")
    corpo = page.locator("main").inner_text()
    assert "R1" in corpo
    linha_r1 = page.locator("tr", has_text="R1").first.inner_text()
    assert linha_r1.count("R$ 100.000,00") >= 3  # valor inicial, valor do inciso, disponíveis
    linha_s501 = page.locator("tr", has_text="S501").first.inner_text()
    assert "R$ 1.134.567,89" in linha_s501
    page.screenshot(path=str(TELAS / "parlamentar-com-r1.png"), full_page=True)
    page.close()
    segov.close()


def test_indicacao_parlamentar_orgao_segov_aprovada(navegador, live_server, dados, analista_orgao, beneficiario):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    indicar_pelo_navegador(page, live_server.url, "S501", "Construção – Prédio Público (centro de saúde)", "234.567,89",
                           antes_de_revisar=lambda p: p.screenshot(path=str(TELAS / "indicacao-nova.png"), full_page=True))
    assert "R$ 1.000.000,00" in page.locator("tr", has_text="S501").first.inner_text()  # disponível caiu na hora

    orgao = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(orgao, live_server.url, "analista@saude.test")
    orgao.goto(live_server.url + "/emendas/indicacoes/orgao/")
    orgao.get_by_label("Selecionar a indicação 1").check()
    orgao.get_by_label("Ação", exact=True).select_option("aprovar_orgao")
    orgao.get_by_role("button", name="Aplicar às selecionadas").click()
    confirmar_revisao(orgao, "Aprovar indicações", "1 indicação, total R$ 234.567,89")
    orgao.get_by_text("1 indicação aprovada e enviada à SEGOV").wait_for()

    segov = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(segov, live_server.url, "segov@segov.test")
    segov.goto(live_server.url + "/emendas/indicacoes/segov/")
    segov.get_by_role("link", name="1", exact=True).click()
    segov.get_by_role("button", name="Aprovar").click()
    segov.get_by_text("Indicação nº 1 aprovada.").wait_for()
    segov.screenshot(path=str(TELAS / "indicacao-aprovada.png"), full_page=True)

    page.goto(live_server.url + "/emendas/indicacoes/lista/")
    assert "Aprovada" in page.locator("tr", has_text="Itabira").inner_text()
    for p in (page, orgao, segov):
        p.close()


def test_reprovacao_na_janela_restrita_vira_cpr_e_e_remanejada(navegador, live_server, parlamentar, analista_orgao,
                                                               segov, acao_saude, acao_saude_2, grupo_inv, beneficiario):
    from datetime import datetime, time
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    import time_machine

    from emendas.models import ProgramacaoElegivel
    from emendas.services import enviar_indicacao

    from emendas.models import CategoriaImpedimento

    # Testes com transaction=True esvaziam o banco: a lista padrão da migração não está aqui.
    CategoriaImpedimento.objects.create(nome="Ausência de projeto de engenharia")
    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=50))  # D+50: restrita
    for acao in (acao_saude, acao_saude_2):
        ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=acao, grupo_despesa=grupo_inv)
    inciso = Fabrica(exercicio, acao_saude, grupo_inv).inciso(parlamentar, "500000.00")
    na_janela_livre = datetime.combine(exercicio.fim_janela_livre, time(12), tzinfo=ZoneInfo("America/Sao_Paulo"))
    with time_machine.travel(na_janela_livre, tick=False):
        enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                         valor=Decimal("80000.00"), beneficiario=beneficiario, objeto="Obra")

    orgao = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(orgao, live_server.url, "analista@saude.test")
    orgao.goto(live_server.url + "/emendas/indicacoes/orgao/")
    orgao.get_by_role("link", name="1", exact=True).click()
    orgao.get_by_text("Reprovar por impedimento de ordem técnica").click()
    orgao.get_by_label("Categoria do impedimento de ordem técnica").select_option(index=1)
    orgao.get_by_label("Justificativa").last.fill("Projeto de engenharia não apresentado.")
    orgao.get_by_role("button", name="Reprovar").click()
    confirmar_revisao(orgao, "Reprovar", "1 indicação, total")
    orgao.get_by_text("reprovada por impedimento de ordem técnica").wait_for()
    assert "Com possibilidade de remanejamento" in orgao.locator("main").inner_text()

    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "ana@almg.test")
    page.goto(live_server.url + "/emendas/remanejamentos/")
    painel = page.locator("section", has_text="Remanejamento hoje").inner_text()
    assert "R$ 80.000,00" in painel and "com possibilidade de remanejamento" in painel
    pedir_remanejamento_pelo_navegador(page, live_server.url, inciso.pk, "80.000,00")
    celulas = page.locator("#incisos-da-uo tr", has_text=inciso.numero).locator("td").all_inner_texts()
    assert celulas[3:6] == ["R$ 500.000,00", "R$ 500.000,00", "R$ 0,00"]  # valor, inicial, disponível (CPR usado)
    assert "R$ 80.000,00" in page.locator("tbody tr", has_text="Solicitado").inner_text()
    page.screenshot(path=str(TELAS / "cpr-remanejado.png"), full_page=True)
    from emendas.models import Remanejamento

    assert Remanejamento.objects.get().saldo_origem == "COM_REMANEJAMENTO"
    orgao.close()
    page.close()


def test_convenio_cagec_bloqueia_regulariza_e_siafi_bloqueia_libera(navegador, live_server, inciso, parlamentar,
                                                                     analista_orgao, segov, django_user_model):
    from integracoes.models import SituacaoSimulada
    from tests.fabricas import cenario_convenio

    conv, cadastrador, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                              segov=segov)
    SituacaoSimulada.objects.create(cnpj=conv.cnpj, cagec_regular=False, pendencias="Certidão do FGTS vencida | 05/01/2019",
                                    siafi_bloqueado=True, siafi_motivo="Omissão na prestação de contas")
    django_user_model.objects.create_superuser(email="admin@sigcon.test", password=SENHA)

    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, cadastrador.email)
    page.get_by_role("link", name="Gerar proposta").click()
    page.get_by_label(f"Valor a usar da indicação nº {ind.numero}").fill("120.000,00")
    page.get_by_label("Objeto").fill("Reforma da sede do instituto")
    page.get_by_role("button", name="Gerar proposta").click()
    page.get_by_text("Convenente IRREGULAR no CAGEC").first.wait_for()
    assert "Certidão do FGTS vencida (validade 05/01/2019)" in page.locator("main").inner_text()
    page.screenshot(path=str(TELAS / "convenio-cagec-irregular.png"), full_page=True)

    # Regularização na tabela do CAGEC simulado, pelo admin do Django.
    admin_page = navegador.new_page(viewport={"width": 1366, "height": 900})
    admin_page.goto(live_server.url + "/admin/login/")
    admin_page.fill("#id_username", "admin@sigcon.test")
    admin_page.fill("#id_password", SENHA)
    admin_page.locator("input[type=submit]").click()
    admin_page.goto(live_server.url + "/admin/integracoes/situacaosimulada/")
    admin_page.get_by_role("link", name=conv.cnpj_formatado).click()
    admin_page.get_by_label("Regular no CAGEC").check()
    admin_page.get_by_label("Pendências no CAGEC").fill("")
    admin_page.locator("input[name=_save]").click()
    admin_page.get_by_text("foi alterado com sucesso").wait_for()

    # O convenente repete o passo (os dados continuam no formulário) e a proposta é aceita.
    page.get_by_role("button", name="Gerar proposta").click()
    page.get_by_text("gerada. Confira e envie ao concedente").wait_for()
    page.get_by_role("button", name="Enviar ao concedente").click()
    confirmar_revisao(page, "Enviar ao concedente", "1 indicação, total R$ 120.000,00")
    page.get_by_text("enviada ao concedente").first.wait_for()
    proposta_url = page.url

    orgao = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(orgao, live_server.url, "analista@saude.test")
    orgao.goto(proposta_url)
    orgao.get_by_role("button", name="Receber para análise").click()
    orgao.get_by_role("button", name="Aprovar a proposta").click()
    confirmar_revisao(orgao, "Aprovar a proposta", "1 indicação, total R$ 120.000,00")
    orgao.get_by_text("aprovada").first.wait_for()
    segov_plano = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(segov_plano, live_server.url, "segov@segov.test")
    segov_plano.goto(proposta_url)
    segov_plano.get_by_role("button", name="Autorizar o plano (SEGOV)").click()
    confirmar_revisao(segov_plano, "Autorizar o plano e numerar o instrumento", "1 indicação, total R$ 120.000,00")
    segov_plano.get_by_text("o instrumento tem número").first.wait_for()
    segov_plano.close()
    page.goto(proposta_url)
    page.get_by_label("Nome da testemunha").fill("Teresa Testemunha")
    page.get_by_label("CPF da testemunha").fill("529.982.247-25")
    page.get_by_role("button", name="Assinar (representante legal)").click()
    confirmar_revisao(page, "Assinar (representante legal do convenente)", "1 indicação, total R$ 120.000,00")
    page.get_by_text("assinada pelo convenente").first.wait_for()
    orgao.goto(proposta_url)
    orgao.get_by_role("button", name="Assinar (concedente)").click()
    confirmar_revisao(orgao, "Assinar (concedente)", "1 indicação, total R$ 120.000,00")
    orgao.get_by_text("aguarda a publicação").first.wait_for()
    orgao.get_by_role("button", name="Registrar a publicação").click()
    confirmar_revisao(orgao, "Registrar a publicação", "1 indicação, total R$ 120.000,00")
    orgao.get_by_text("o instrumento está vigente").first.wait_for()

    # Liberação: bloqueada no SIAFI-MG, desbloqueada, autorizada pela SEGOV.
    orgao.get_by_label("Valor da parcela (R$)").fill("60.000,00")
    orgao.get_by_role("button", name="Solicitar liberação").click()
    confirmar_revisao(orgao, "Solicitar liberação", "1 parcela, total R$ 60.000,00")
    orgao.get_by_text("Omissão na prestação de contas").first.wait_for()
    orgao.screenshot(path=str(TELAS / "convenio-siafi-bloqueado.png"), full_page=True)
    admin_page.goto(live_server.url + "/admin/integracoes/situacaosimulada/")
    admin_page.get_by_role("link", name=conv.cnpj_formatado).click()
    admin_page.get_by_label("Bloqueado no SIAFI-MG").uncheck()
    admin_page.locator("input[name=_save]").click()
    admin_page.get_by_text("foi alterado com sucesso").wait_for()
    orgao.goto(proposta_url)
    orgao.get_by_label("Valor da parcela (R$)").fill("60.000,00")
    orgao.get_by_role("button", name="Solicitar liberação").click()
    confirmar_revisao(orgao, "Solicitar liberação", "1 parcela, total R$ 60.000,00")
    orgao.get_by_text("Parcela 1 solicitada").wait_for()

    segov_page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(segov_page, live_server.url, "segov@segov.test")
    segov_page.goto(live_server.url + "/convenios/liberacoes/")
    segov_page.get_by_role("button", name="Autorizar").click()
    confirmar_revisao(segov_page, "Autorizar a liberação", "1 parcela, total R$ 60.000,00")
    segov_page.get_by_text("Parcela 1 da proposta").wait_for()
    segov_page.goto(proposta_url)
    assert "Autorizada pela SEGOV" in segov_page.locator("main").inner_text()
    segov_page.screenshot(path=str(TELAS / "convenio-liberacao-autorizada.png"), full_page=True)
    for p in (page, admin_page, orgao, segov_page):
        p.close()


def test_parlamentar_nao_cancela_indicacao_de_convenio_vigente_e_ve_por_que(navegador, live_server, dados, parlamentar,
                                                                           analista_orgao, segov):
    from decimal import Decimal

    from convenios import services as conv
    from emendas.models import Inciso

    # Na janela livre de hoje: sem o convênio, o cancelamento seria aceito.
    inciso = Inciso.objects.get(numero="S501")
    convenente, cadastrador, ind = indicacao_aprovada_da_vida_nova(
        inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao, segov=segov, n_cnpj=99)
    p = proposta_aprovada(cadastrador=cadastrador, convenente=convenente, indicacao=ind,
                          analista_orgao=analista_orgao)
    convenio_vigente(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=p)
    parcela = conv.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=Decimal("50000.00"))
    conv.autorizar_liberacao(usuario=segov, liberacao=parcela)

    for largura, nome in ((1366, "indicacao-presa-convenio.png"), (390, "indicacao-presa-convenio-celular.png")):
        page = navegador.new_page(viewport={"width": largura, "height": 900})
        entrar(page, live_server.url, "ana@almg.test")
        page.goto(f"{live_server.url}/emendas/indicacoes/{ind.pk}/")
        page.get_by_role("link", name="Cancelar indicação").click()
        aviso = page.get_by_role("alert")
        aviso.wait_for()
        texto = aviso.inner_text()
        assert f"vinculada à proposta nº {p.pk} (vigente, usa R$ 200.000,00)" in texto
        assert "só a parte não utilizada" in texto
        assert page.get_by_role("button", name="Cancelar a indicação").is_disabled()
        assert page.evaluate("document.documentElement.scrollWidth") <= largura  # nada passa da borda
        page.screenshot(path=str(TELAS / nome), full_page=True)
        page.close()
    ind.refresh_from_db()
    assert ind.status == "APROVADA"


def test_segov_importa_a_loa_pela_tela_com_previa_e_confirmacao(navegador, live_server, segov):
    from django.core.files.storage import default_storage

    from emendas.models import ArquivoImportacao, Inciso
    from tests.emendas.test_importacao import BOA

    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(live_server.url + "/emendas/importacoes/")
    page.select_option("#id_tipo", "loa")
    page.fill("#id_ano", "2027")
    page.fill("#id_publicacao", "08/01/2027")
    page.set_input_files("#id_arquivo", files=[{"name": "loa-2027.csv", "mimeType": "text/csv", "buffer": BOA}])
    page.get_by_role("button", name="Ver prévia").click()
    page.get_by_role("heading", name="Prévia de “loa-2027.csv”", exact=False).wait_for()
    corpo = page.locator("main").inner_text()
    assert "4 linhas lidas" in corpo and "Incisos da LOA, exercício 2027, LOA publicada em 08/01/2027" in corpo
    assert not Inciso.objects.exists()
    # O formulário de confirmação leva só o id da prévia, nunca o arquivo.
    campos = page.eval_on_selector_all("form:has(button:text('Confirmar importação')) input",
                                       "els => els.map(e => e.name).sort()")
    assert campos == ["confirmar", "csrfmiddlewaretoken", "envio_unico", "previa"]
    page.screenshot(path=str(TELAS / "importar-previa.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # a amostra rola dentro da caixa
    page.screenshot(path=str(TELAS / "importar-previa-celular.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Confirmar importação").click()
    page.get_by_role("alert").filter(has_text="Importação concluída").wait_for()
    assert "4 linhas lidas" in page.get_by_role("alert").inner_text()
    page.screenshot(path=str(TELAS / "importar-concluida.png"), full_page=True)
    assert Inciso.objects.count() == 4
    previa = ArquivoImportacao.objects.get()
    assert previa.usado_em is not None and not default_storage.exists(previa.caminho)  # apagado depois do commit
    page.close()
