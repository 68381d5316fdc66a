"""No navegador: a revisão antes do dinheiro mexer nas ações de um item só (remanejamento, indicação, proposta), o
"marcar todos" das filas com e sem JavaScript, o "Exportar CSV" das filas, a legenda das tabelas do painel da SEGOV
e do inciso, as telas largas (saldos a 1366 px, proposta a 390 px) e o aviso de tipo do beneficiário que segue a
forma de execução. Capturas em ``/tmp/sigcon-telas/filas-*.png``."""

import csv
import io
from decimal import Decimal

import pytest

from convenios.models import PropostaPlanoTrabalho as Proposta
from emendas.models import Indicacao, Inciso, Remanejamento
from tests.test_acessibilidade_navegador import cenario  # noqa: F401 (fixture)
from tests.navegador_util import (  # noqa: F401 (fixtures)
    TELAS, Vigia, abrir_formulario_de_indicacao, beneficiario, dados, entrar, navegador,
)
from tests.test_navegador_painel import texto_passando_da_borda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fotografar(page, nome):
    """Captura a 1366 e a 390 px; a 390, nenhum texto termina além da borda direita."""
    for largura in (1366, 390):
        page.set_viewport_size({"width": largura, "height": 900})
        page.wait_for_timeout(100)  # o layout do celular (media queries) se assenta antes da leitura
        page.screenshot(path=str(TELAS / f"filas-{nome}-{largura}.png"), full_page=True)
    assert texto_passando_da_borda(page) == [], nome
    page.set_viewport_size({"width": 1366, "height": 900})


def _resumo_da_revisao(page) -> str:
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    return page.locator("[data-revisao-resumo]").inner_text()


def test_sem_javascript_aprovar_um_remanejamento_passa_pela_revisao(navegador, live_server, cenario):
    rem = Remanejamento.objects.get(status=Remanejamento.Status.SOLICITADO)
    contexto = navegador.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = contexto.new_page()
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(f"{live_server.url}/emendas/remanejamentos/{rem.pk}/")
    page.get_by_role("button", name="Aprovar", exact=True).click()
    assert f"Aprovar o remanejamento nº {rem.pk}: 1 pedido, total R$ 5.000,00" in _resumo_da_revisao(page)
    _fotografar(page, "revisao-remanejamento")
    page.get_by_role("link", name="Voltar sem fazer nada").click()
    page.get_by_role("heading", name=f"Remanejamento nº {rem.pk}").wait_for()
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.SOLICITADO

    page.get_by_label("Justificativa").fill("Fora da política do exercício.")
    page.get_by_role("button", name="Reprovar", exact=True).click()
    resumo = _resumo_da_revisao(page)
    assert "Reprovar o remanejamento" in resumo and "Justificativa: Fora da política do exercício." in resumo
    page.get_by_role("button", name="Confirmar: Reprovar o remanejamento").click()
    page.get_by_text(f"Remanejamento nº {rem.pk} reprovado; o valor voltou").wait_for()
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.REPROVADO
    contexto.close()


def test_reprovar_indicacao_e_assinar_e_cancelar_proposta_revisam_antes(navegador, live_server, cenario):
    from emendas.models import CategoriaImpedimento

    # As categorias da migração somem no flush dos testes com transação: a deste teste, criada aqui.
    CategoriaImpedimento.objects.get_or_create(nome="Ausência de projeto de engenharia", exercicio=None)
    base = live_server.url
    v = Vigia(navegador)
    page = v.page
    ind = cenario["no_orgao"]
    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    v.abrir(f"{base}/emendas/indicacoes/{ind.pk}/")
    page.get_by_text("Reprovar por impedimento de ordem técnica").click()
    page.get_by_label("Categoria").select_option(index=1)
    page.locator("#reprovar_justificativa").fill("Sem projeto básico.")
    page.get_by_role("button", name="Reprovar", exact=True).click()
    resumo = _resumo_da_revisao(page)
    assert f"Reprovar a indicação nº {ind.numero}" in resumo and "1 indicação, total R$ 1.000,00" in resumo
    assert "Justificativa: Sem projeto básico." in resumo
    v.conferir("revisão da reprovação")
    _fotografar(page, "revisao-reprovar-indicacao")
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.EM_ANALISE_ORGAO
    page.get_by_role("button", name="Confirmar: Reprovar").click()
    page.get_by_text("reprovada por impedimento de ordem técnica").first.wait_for()
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.REPROVADA
    page.context.clear_cookies()

    p = cenario["proposta"]
    entrar(page, base, "vida@nova.test")
    v.abrir(f"{base}/convenios/propostas/{p.pk}/")
    page.locator("summary", has_text="Cancelar a proposta").click()
    page.get_by_label("Justificativa").fill("Desistência do convenente.")
    page.get_by_role("button", name="Cancelar a proposta").click()
    resumo = _resumo_da_revisao(page)
    assert f"Cancelar a proposta nº {p.pk}" in resumo and "1 indicação, total R$ 200.000,00" in resumo
    page.get_by_role("link", name="Voltar sem fazer nada").click()
    page.get_by_role("button", name="Assinar (convenente)").click()
    resumo = _resumo_da_revisao(page)
    assert f"Assinar (convenente) nº {p.pk} (Associação Vida Nova): 1 indicação, total R$ 200.000,00" in resumo
    p.refresh_from_db()
    assert p.status == Proposta.Status.APROVADA  # nem cancelada nem assinada ainda
    page.get_by_role("button", name="Confirmar: Assinar (convenente)").click()
    page.get_by_text("assinada pelo convenente").first.wait_for()
    page.context.clear_cookies()

    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    v.abrir(f"{base}/convenios/propostas/{p.pk}/")
    page.get_by_role("button", name="Assinar e publicar (concedente)").click()
    assert "total R$ 200.000,00" in _resumo_da_revisao(page)
    page.get_by_role("button", name="Confirmar: Assinar e publicar (concedente)").click()
    page.get_by_text("assinada e vigente").first.wait_for()
    p.refresh_from_db()
    assert p.status == Proposta.Status.VIGENTE
    v.conferir("proposta vigente")
    v.fechar()


def _mais_pedidos(cenario, parlamentar, acao_saude_2, grupo_inv):
    from emendas import services as em

    for valor in ("100.00", "23.45"):
        em.solicitar_remanejamento(usuario=parlamentar.usuario, inciso=cenario["inciso"], acao=acao_saude_2,
                                   grupo_despesa=grupo_inv, valor=Decimal(valor))


def _caixas(page):
    return page.locator("input[name='selecionados']")


def test_marcar_todos_sem_javascript_recarrega_com_as_caixas_marcadas(navegador, live_server, cenario, parlamentar,
                                                                     acao_saude_2, grupo_inv):
    _mais_pedidos(cenario, parlamentar, acao_saude_2, grupo_inv)
    contexto = navegador.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = contexto.new_page()
    entrar(page, live_server.url, "segov@segov.test")
    page.goto(f"{live_server.url}/emendas/remanejamentos/analise/")
    assert _caixas(page).count() == 3 and not any(c.is_checked() for c in _caixas(page).all())
    # No celular o cabeçalho da tabela não aparece: o link fica acima dela.
    page.get_by_role("link", name="Marcar todos desta página").click()
    page.wait_for_url("**todos=1**")
    assert all(c.is_checked() for c in _caixas(page).all())
    page.screenshot(path=str(TELAS / "filas-marcar-todos-sem-js-390.png"), full_page=True)
    assert texto_passando_da_borda(page) == []
    page.get_by_label("Ação", exact=True).select_option("aprovar")
    page.get_by_role("button", name="Aplicar aos selecionados").click()
    assert "Aprovar remanejamentos: 3 pedidos, total R$ 5.123,45" in _resumo_da_revisao(page)
    page.go_back()
    page.get_by_role("link", name="Desmarcar todos desta página").click()
    page.wait_for_url(lambda url: "todos=1" not in url)
    assert not any(c.is_checked() for c in _caixas(page).all())
    contexto.close()


def test_marcar_todos_com_javascript_marca_na_hora(navegador, live_server, cenario, parlamentar, acao_saude_2,
                                                  grupo_inv):
    _mais_pedidos(cenario, parlamentar, acao_saude_2, grupo_inv)
    v = Vigia(navegador)
    page = v.page
    entrar(page, live_server.url, "segov@segov.test")
    v.abrir(f"{live_server.url}/emendas/remanejamentos/analise/")
    page.evaluate("window.__mesma_pagina = true")
    page.get_by_role("link", name="Marcar todos desta página").click()
    assert all(c.is_checked() for c in _caixas(page).all()) and _caixas(page).count() == 3
    assert page.get_by_label("Selecionar todos desta página").is_checked()  # a caixa do cabeçalho acompanha
    page.get_by_role("link", name="Desmarcar todos desta página").click()
    assert not any(c.is_checked() for c in _caixas(page).all())
    # A caixa do cabeçalho marca tudo e o link passa a oferecer "Desmarcar".
    page.get_by_label("Selecionar todos desta página").check()
    assert all(c.is_checked() for c in _caixas(page).all())
    assert page.get_by_role("link", name="Desmarcar todos desta página").is_visible()
    assert page.evaluate("window.__mesma_pagina") is True and "todos=1" not in page.url
    v.conferir("marcar todos")
    v.fechar()


def _baixar_csv(page, nome_do_link="Exportar CSV"):
    with page.expect_download() as baixado:
        page.get_by_role("link", name=nome_do_link).click()
    with open(baixado.value.path(), encoding="utf-8-sig") as arquivo:
        linhas = list(csv.reader(io.StringIO(arquivo.read()), delimiter=";"))
    return linhas[0], linhas[1:]


def test_exportar_csv_das_filas_com_o_filtro_da_tela(navegador, live_server, cenario):
    base = live_server.url
    page = navegador.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/")
    page.goto(f"{base}/emendas/remanejamentos/analise/")
    cabecalho, linhas = _baixar_csv(page, "Exportar CSV desta fila (todas as páginas, com estes filtros)")
    assert cabecalho[0] == "Nº" and [l[cabecalho.index("Valor")] for l in linhas] == ["5.000,00"]
    # Com "Todas" as situações na tela, o CSV traz também o reprovado.
    page.get_by_label("Situação").select_option("")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**status=**")
    _, linhas = _baixar_csv(page, "Exportar CSV desta fila (todas as páginas, com estes filtros)")
    assert sorted(l[cabecalho.index("Valor")] for l in linhas) == ["5.000,00", "700,00"]
    page.goto(f"{base}/emendas/indicacoes/segov/")
    cabecalho, linhas = _baixar_csv(page, "Exportar CSV desta fila (todas as páginas, com estes filtros)")
    assert [l[cabecalho.index("Valor")] for l in linhas] == ["2.000,00"]
    page.context.clear_cookies()

    # O analista do órgão exporta a fila dele; a da SEGOV, não.
    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    page.goto(f"{base}/emendas/indicacoes/orgao/")
    cabecalho, linhas = _baixar_csv(page, "Exportar CSV desta fila (todas as páginas, com estes filtros)")
    assert [l[cabecalho.index("Valor")] for l in linhas] == ["1.000,00"]
    assert page.goto(f"{base}/relatorios/fila_indicacoes_segov.csv").status == 403
    assert page.goto(f"{base}/relatorios/fila_remanejamentos.csv").status == 403
    page.close()


_SEM_LEGENDA = """() => [...document.querySelectorAll('main table')]
    .filter(t => !t.caption || !t.caption.textContent.trim()).map(t => t.id || t.className)"""


def test_toda_tabela_do_painel_da_segov_e_do_inciso_tem_legenda(navegador, live_server, cenario):
    base = live_server.url
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/")
    assert page.locator("main table").count() >= 2
    assert page.evaluate(_SEM_LEGENDA) == []
    page.goto(f"{base}/emendas/incisos/{cenario['inciso'].pk}/")
    page.locator("#indicacoes-do-inciso").scroll_into_view_if_needed()
    page.locator("#indicacoes-do-inciso table").wait_for()  # a tabela que o htmx traz também
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert page.locator("main table").count() >= 3
    assert page.evaluate(_SEM_LEGENDA) == []
    assert "Saldos do inciso S501 por balde" in page.locator("#tabela-saldos caption").inner_text()
    page.close()


# Cada cabeçalho e célula de dinheiro visível termina dentro da janela, e nenhuma tabela rola de lado.
_DINHEIRO_FORA = """(largura) => [...document.querySelectorAll('main table .valor')]
    .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > largura + 0.5)
    .map(e => e.textContent.trim().slice(0, 30) + ' ' + Math.round(e.getBoundingClientRect().right))"""
_ROLA_DE_LADO = """() => [...document.querySelectorAll('main .table-responsive')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.getAttribute('aria-label') || e.className)"""


def test_saldos_cabem_em_1366_e_a_proposta_em_390(navegador, live_server, cenario, parlamentar, outro_parlamentar):
    from emendas.models import Bloco

    # Valores da ordem de centenas de milhões e nomes longos: o pior caso da largura das colunas.
    inciso = cenario["inciso"]
    Inciso.objects.filter(pk=inciso.pk).update(valor_inicial=Decimal("987654321.98"))
    bloco = Bloco.objects.create(nome="Bloco Parlamentar Democracia e Desenvolvimento de Minas Gerais",
                                 responsavel=outro_parlamentar)
    from tests.conftest import Fabrica

    fabrica = Fabrica(inciso.exercicio, inciso.acao, inciso.grupo_despesa)
    fabrica.n = 90  # depois dos incisos do cenário
    fabrica.inciso(bloco, "876543210.99")
    base = live_server.url
    page = navegador.new_page(viewport={"width": 1366, "height": 768})
    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/")
    page.goto(f"{base}/relatorios/saldos/")
    page.get_by_role("columnheader", name="Reservado para projeto de lei").wait_for()
    page.screenshot(path=str(TELAS / "filas-relatorio-saldos-1366.png"), full_page=True)
    assert page.evaluate(_ROLA_DE_LADO) == []
    assert page.evaluate(_DINHEIRO_FORA, 1366) == []
    page.set_viewport_size({"width": 390, "height": 844})  # no celular, cartões por titular
    page.wait_for_timeout(100)
    page.screenshot(path=str(TELAS / "filas-relatorio-saldos-390.png"), full_page=True)
    assert texto_passando_da_borda(page) == [] and page.evaluate(_ROLA_DE_LADO) == []
    page.set_viewport_size({"width": 1366, "height": 768})

    # A proposta com as tabelas cheias: vigente, uma parcela autorizada e outra à espera (botão "Autorizar").
    from convenios import services as conv
    from contas.models import Usuario
    from tests.fabricas import convenio_vigente

    p, orgao = cenario["proposta"], Usuario.objects.get(email="analista@saude.test")
    convenio_vigente(cadastrador=Usuario.objects.get(email="vida@nova.test"), analista_orgao=orgao, proposta=p)
    primeira = conv.solicitar_liberacao(usuario=orgao, proposta=p, valor=Decimal("123456.78"))
    conv.autorizar_liberacao(usuario=Usuario.objects.get(email="segov@segov.test"), liberacao=primeira)
    conv.solicitar_liberacao(usuario=orgao, proposta=p, valor=Decimal("76543.22"))
    page.goto(f"{base}/convenios/propostas/{cenario['proposta'].pk}/")
    page.get_by_role("heading", name=f"Proposta nº {cenario['proposta'].pk}").wait_for()
    _fotografar(page, "proposta")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(100)
    assert page.evaluate(_ROLA_DE_LADO) == []
    page.close()


def test_trocar_a_forma_de_execucao_refaz_o_aviso_do_beneficiario_ja_digitado(navegador, live_server, dados):
    from convenios.cnpj import gerar_cnpj
    from convenios.models import Convenente

    hospital = Convenente.objects.create(cnpj=gerar_cnpj(555), razao_social="Hospital Regional de Itabira",
                                         municipio="Itabira", tipo="ENTIDADE_PUBLICA")
    v = abrir_formulario_de_indicacao(navegador, live_server.url)
    page = v.page
    page.locator("#id_forma_execucao").select_option("CONVENIO")
    page.get_by_label("CNPJ do beneficiário 1").press_sequentially(hospital.cnpj)
    linha = page.locator("#beneficiario-1")
    linha.get_by_text("Hospital Regional de Itabira").wait_for()
    assert "não aceita" not in linha.inner_text()
    # Doação de bens não vai para entidade pública (do Estado): o aviso aparece sem tocar no CNPJ.
    page.locator("#id_forma_execucao").select_option("DOACAO_BENS")
    linha.get_by_text("não aceita beneficiário do tipo “Entidade pública”").wait_for()
    _fotografar(page, "forma-recusa")
    # De volta a convênio, o aviso some.
    page.locator("#id_forma_execucao").select_option("CONVENIO")
    linha.get_by_text("não aceita").wait_for(state="detached")
    assert "Hospital Regional de Itabira" in linha.inner_text()
    v.conferir("aviso de tipo seguindo a forma")
    v.fechar()
