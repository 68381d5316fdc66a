"""Content-Security-Policy: as telas cumprem a política que o servidor manda.

No navegador (Chromium do Debian), cada tela principal, com o papel certo, abre sem nenhuma violação
(evento securitypolicyviolation e aviso do console); sem navegador, o cabeçalho sai em toda resposta e
nenhum template traz script, atributo on*= ou style= inline, para uma regressão aparecer já no CI comum.
"""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from emendas.models import Exercicio
from tests.conftest import SENHA, criar_usuario
from tests.fabricas import proposta_aprovada
from tests.navegador_util import Vigia, beneficiario, dados, entrar, fotografar, navegador  # noqa: F401 (fixtures)

def _outro_exercicio(dados):
    # Com dois exercícios a página do parlamentar e a da SEGOV mostram o seletor de exercício.
    return Exercicio.objects.create(ano=dados.ano - 1, data_publicacao_loa=dados.data_publicacao_loa - timedelta(days=365))


# ---------------------------------------------------------------- sem navegador


@pytest.mark.django_db
def test_resposta_traz_a_csp_sem_unsafe_inline(client):
    resposta = client.get("/conta/entrar/")
    assert resposta.status_code == 200
    politica = resposta["Content-Security-Policy"]
    diretivas = dict(d.strip().split(" ", 1) for d in politica.split(";") if d.strip())
    assert diretivas["script-src"] == "'self'"
    assert diretivas["style-src"] == "'self'"
    assert diretivas["default-src"] == "'self'"
    assert diretivas["object-src"] == "'none'" and diretivas["frame-ancestors"] == "'none'"
    assert diretivas["form-action"] == "'self'" and diretivas["base-uri"] == "'self'"
    assert diretivas["img-src"] == "'self' data:"
    assert "unsafe-inline" not in politica and "unsafe-eval" not in politica
    assert resposta["Referrer-Policy"] == "same-origin"
    assert resposta["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.pdf
@pytest.mark.parametrize("url", ["/relatorios/incisos.pdf", "/relatorios/remanejamentos.pdf"])
def test_pdf_na_hora_sai_sem_csp_para_o_leitor_de_pdf_do_navegador(dados, segov, url):
    # Um relatório por inciso e um de lista (os dois tipos do framework): a tela tem a CSP, o PDF não.
    c = Client()
    c.force_login(segov)
    resposta = c.get(url)
    assert resposta.status_code == 200 and resposta["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in resposta
    assert resposta["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in c.get(url.replace(".pdf", "/"))["Content-Security-Policy"]


@pytest.mark.django_db
def test_recusa_do_csrf_e_em_portugues_e_sem_estilo_inline(segov):
    # A página padrão do Django traz um <style> (recusado pela CSP) e é em inglês.
    c = Client(enforce_csrf_checks=True)
    c.force_login(segov)
    resposta = c.post("/emendas/importacoes/", {})
    assert resposta.status_code == 403
    html = resposta.content.decode()
    assert "Formulário vencido" in html and "Nada foi gravado" in html
    assert "<style" not in html and "style=" not in html


# Comentários do Django não vão para a página: podem citar o que é proibido. {# #} vale só numa linha.
_COMENTARIO = re.compile(r"\{#.*?#\}|(?s:\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\})")
_EVENTO = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
_ESTILO_ATRIBUTO = re.compile(r"<[^>]*\sstyle\s*=", re.I)
_SCRIPT_SEM_SRC = re.compile(r"<script\b(?![^>]*\ssrc\s*=)[^>]*>", re.I)
_JAVASCRIPT_URL = re.compile(r"""(href|action|src)\s*=\s*["']?\s*javascript:""", re.I)
_BLOCO_STYLE = re.compile(r"<style\b", re.I)
# Modelos que o WeasyPrint transforma em PDF: nunca vão ao navegador, o <style> deles é do PDF.
_SO_PDF = {"relatorios/pdf.html", "relatorios/remanejamentos_pdf.html",
           "relatorios/indicacoes_pdf.html", "relatorios/impedimentos_pdf.html", "relatorios/liberacoes_pdf.html",
           "relatorios/execucao_pdf.html", "relatorios/utilizados_pdf.html",
           "emendas/transferencia/declaracao_pdf.html"}


def _templates():
    raiz = Path(settings.BASE_DIR)
    pastas = [raiz / "templates"] + [p for p in raiz.glob("*/templates") if ".venv" not in p.parts]
    for pasta in pastas:
        for arquivo in sorted(pasta.rglob("*.html")):
            yield arquivo.relative_to(pasta).as_posix(), arquivo


def test_a_varredura_de_templates_acha_os_templates():
    nomes = {nome for nome, _ in _templates()}
    assert {"base.html", "relatorios/_progresso.html", "emendas/indicacao/nova.html"} <= nomes
    assert _SO_PDF <= nomes  # se um PDF mudar de nome, a exceção abaixo não pode ficar sobrando


@pytest.mark.parametrize("regra, padrao", [
    ("atributo de evento (onclick=, onsubmit=, onchange=…)", _EVENTO),
    ("atributo style=", _ESTILO_ATRIBUTO),
    ("<script> sem src", _SCRIPT_SEM_SRC),
    ("link javascript:", _JAVASCRIPT_URL),
])
def test_nenhum_template_tem_script_ou_estilo_inline(regra, padrao):
    achados = []
    for nome, arquivo in _templates():
        texto = _COMENTARIO.sub("", arquivo.read_text(encoding="utf-8"))
        for m in padrao.finditer(texto):
            linha = texto.count("\n", 0, m.start()) + 1
            achados.append(f"{nome}:{linha}: {m.group(0)[:80]}")
    assert not achados, (f"A Content-Security-Policy recusa {regra}. Use um atributo data-* tratado em "
                         f"static/js/sigcon.js ou uma classe em static/css/sigcon.css:\n" + "\n".join(achados))


def test_so_os_modelos_de_pdf_tem_bloco_style():
    com_style = {nome for nome, arquivo in _templates()
                 if _BLOCO_STYLE.search(_COMENTARIO.sub("", arquivo.read_text(encoding="utf-8")))}
    assert com_style <= _SO_PDF, f"<style> inline numa tela: {sorted(com_style - _SO_PDF)}"


def test_a_varredura_pega_os_casos_proibidos():
    assert _EVENTO.search('<select name="ano" onchange="this.form.submit()">')
    assert _EVENTO.search("<button\n  type=submit ONCLICK='x()'>")
    assert _ESTILO_ATRIBUTO.search('<div class="x" style="width: 5%">')
    assert _SCRIPT_SEM_SRC.search("<script>alert(1)</script>")
    assert _JAVASCRIPT_URL.search('<a href="javascript:history.back()">')
    assert not _SCRIPT_SEM_SRC.search('<script src="/static/js/sigcon.js" defer></script>')
    assert not _SCRIPT_SEM_SRC.search('<script id="x"\n  src="/static/a.js"></script>')
    assert not _EVENTO.search('<button data-confirmar="Aprovar?" data-onde="x">')
    assert not _ESTILO_ATRIBUTO.search('<link rel="stylesheet" href="/static/css/sigcon.css">')


# ---------------------------------------------------------------- no navegador


@pytest.mark.browser
def test_o_vigia_acusa_script_estilo_e_evento_inline(navegador):
    # Sem isto um vigia quebrado (evento renomeado, aviso do console com outro texto) passaria tudo.
    from csp.utils import build_policy

    html = ('<!doctype html><html><head><style>p{color:red}</style></head><body>'
            '<p style="color:blue">x</p><script>document.title="x"</script>'
            '<button onclick="alert(1)">b</button></body></html>')
    v = Vigia(navegador)
    v.page.route("http://sigcon.invalid/", lambda r: r.fulfill(
        status=200, body=html, headers={"Content-Type": "text/html", "Content-Security-Policy": build_policy()}))
    v.page.goto("http://sigcon.invalid/")
    v.page.locator("button").click()
    with pytest.raises(AssertionError) as falha:
        v.conferir("página com tudo inline")
    mensagem = str(falha.value)
    for diretiva in ("style-src-elem", "style-src-attr", "script-src-elem", "script-src-attr"):
        assert diretiva in mensagem
    assert "Content Security Policy" in mensagem  # o aviso do console também foi pego
    v.fechar()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_telas_do_parlamentar_sem_violacao(navegador, live_server, dados, acao_saude, acao_saude_2, grupo_inv,
                                           beneficiario):
    from emendas.models import Inciso, ProgramacaoElegivel

    for acao in (acao_saude, acao_saude_2):
        ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao, grupo_despesa=grupo_inv)
    anterior = _outro_exercicio(dados)
    s501 = Inciso.objects.get(numero="S501")
    base = live_server.url
    v = Vigia(navegador)
    page = v.page

    v.abrir(base + "/conta/entrar/")
    entrar(page, base, "ana@almg.test")
    page.get_by_role("heading", name="Meus incisos").wait_for()
    v.conferir("início do parlamentar")

    # O seletor de exercício troca a página ao escolher (data-enviar-ao-mudar, sem onchange inline).
    with page.expect_navigation():
        page.select_option("#seletor-ano", str(anterior.ano))
    assert f"ano={anterior.ano}" in page.url
    v.conferir("início do parlamentar, exercício anterior")

    v.abrir(f"{base}/emendas/incisos/{s501.pk}/")
    page.get_by_role("heading", name="Inciso S501").wait_for()

    # Remanejamento: UO → incisos → ação → grupo, cada passo trocado pelo htmx.
    v.abrir(base + "/emendas/remanejamentos/")
    page.select_option("#id_uo", label="4291 – Fundo Estadual de Saúde")
    page.locator(f"a[href='/emendas/remanejamentos/inciso/{s501.pk}/novo/']").click()
    with page.expect_response(lambda r: "/grupos/" in r.url):
        page.select_option("#id_acao", label="UO 4291 · 4471 – Atenção hospitalar")
    v.conferir("remanejamento, passos do htmx")
    page.select_option("#id_grupo_despesa", label="4 – Investimentos")
    page.get_by_label("Valor a remanejar (R$)").fill("1.000,00")
    page.get_by_role("button", name="Salvar").click()
    page.get_by_role("heading", name="Confirme o pedido de remanejamento").wait_for()
    v.conferir("remanejamento, confirmação")
    page.get_by_role("button", name="Confirmar pedido").click()
    page.get_by_text("solicitado. O valor já foi reservado").wait_for()
    v.conferir("remanejamento, pedido feito")

    # Indicação: a busca acompanha a forma escolhida e "Usar este beneficiário" preenche o CNPJ (sigcon.js).
    v.abrir(f"{base}/emendas/indicacoes/inciso/{s501.pk}/nova/")
    page.locator("#id_forma_execucao").select_option(label="Celebração de convênio / parceria")
    assert page.locator("#forma-busca").input_value() == "CONVENIO"
    page.get_by_label("CNPJ, razão social, município").fill("Itabira")
    page.get_by_role("button", name="Usar este beneficiário").click()
    assert page.locator("input[name=cnpj_1]").input_value() == beneficiario.cnpj_formatado
    assert page.evaluate("document.activeElement.name") == "valor_1"
    v.conferir("nova indicação, busca pelo htmx")

    # A busca sem htmx (página inteira) e a página de requisição recusada: "Voltar" pelo sigcon.js.
    v.abrir(f"{base}/emendas/indicacoes/beneficiarios/?q=Itabira")
    page.get_by_role("link", name="Voltar ao formulário").click()
    page.wait_for_url(f"**/emendas/indicacoes/inciso/{s501.pk}/nova/")
    v.abrir(f"{base}/emendas/indicacoes/?q=%00")
    page.get_by_role("heading", name="Requisição recusada").wait_for()
    page.get_by_role("link", name="Voltar à página anterior").click()
    page.wait_for_url(f"**/emendas/indicacoes/inciso/{s501.pk}/nova/")
    v.fechar()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_telas_da_segov_sem_violacao(navegador, live_server, dados, parlamentar, segov, analista_orgao,
                                     beneficiario, acao_saude_2, grupo_inv):
    from emendas import services as em
    from emendas.models import Inciso, ProgramacaoElegivel, Remanejamento
    from emendas.services import solicitar_remanejamento
    from relatorios.models import RelatorioGerado

    ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao_saude_2, grupo_despesa=grupo_inv)
    _outro_exercicio(dados)
    s501 = Inciso.objects.get(numero="S501")
    rem = solicitar_remanejamento(usuario=parlamentar.usuario, inciso=s501, acao=acao_saude_2,
                                  grupo_despesa=grupo_inv, valor=Decimal("5000.00"))
    ind = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=s501, forma_execucao="CONVENIO",
                              valor=Decimal("1000.00"), beneficiario=beneficiario, objeto="Reforma")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind)
    gerado = RelatorioGerado.objects.create(usuario=segov, nome="incisos", titulo="Incisos", linhas=1200, progresso=40)
    base = live_server.url
    v = Vigia(navegador)
    page = v.page

    entrar(page, base, "segov@segov.test")
    page.get_by_role("heading", name="Totais por titular", exact=False).wait_for()
    v.conferir("início da SEGOV")

    # Fila de remanejamentos: o lote passa pela revisão (quantos e o total); "Voltar sem fazer nada" não envia nada.
    v.abrir(base + "/emendas/remanejamentos/analise/")
    page.get_by_label(f"Selecionar o pedido {rem.pk}").check()
    page.locator("#acao-lote").select_option("aprovar")
    page.get_by_role("button", name="Aplicar aos selecionados").click()
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    assert "1 pedido, total R$ 5.000,00" in page.locator("[data-revisao-resumo]").inner_text()
    v.conferir("revisão do lote de remanejamentos")
    page.get_by_role("link", name="Voltar sem fazer nada").click()
    page.get_by_role("heading", name="Análise de remanejamentos – SEGOV").wait_for()
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.SOLICITADO
    v.conferir("fila de remanejamentos")

    # Um pedido só: a mesma revisão, sem confirm() do JavaScript.
    v.abrir(f"{base}/emendas/remanejamentos/{rem.pk}/")
    fotografar(page, "csp-remanejamento-decisao")
    page.get_by_role("button", name="Aprovar").click()
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    assert f"Aprovar o remanejamento nº {rem.pk}" in page.locator("[data-revisao-resumo]").inner_text()
    v.conferir("revisão do remanejamento")
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.SOLICITADO

    v.abrir(base + "/emendas/indicacoes/segov/")
    page.get_by_role("link", name=str(ind.numero), exact=True).wait_for()
    v.abrir(f"{base}/emendas/indicacoes/{ind.pk}/")
    v.abrir(base + "/relatorios/incisos/")
    page.get_by_role("heading", name="Incisos", exact=False).first.wait_for()
    v.abrir(f"{base}/emendas/exercicios/{dados.ano}/editar/")
    v.abrir(base + "/emendas/importacoes/")
    v.abrir(f"{base}/segov/acessos/uos/{acao_saude_2.uo_id}/")  # largura do campo: classe, não style=
    fotografar(page, "csp-vinculos-editar")

    # Andamento do PDF: <progress> no lugar da barra com style=; o htmx o atualiza a cada 2 s.
    v.abrir(f"{base}/relatorios/gerados/{gerado.pk}/")
    barra = page.locator("progress")
    assert barra.get_attribute("value") == "40" and barra.get_attribute("max") == "100"
    assert "40%" in page.locator("#relatorio-gerado").inner_text()
    fotografar(page, "csp-relatorio-andamento")
    RelatorioGerado.objects.filter(pk=gerado.pk).update(progresso=75)
    page.locator("progress[value='75']").wait_for()
    assert "75%" in page.locator("#relatorio-gerado").inner_text()
    v.conferir("andamento do PDF, depois da troca do htmx")
    v.fechar()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_proposta_de_convenio_sem_violacao_e_assinatura_confirmada(navegador, live_server, dados, parlamentar,
                                                                   analista_orgao, segov):
    from convenios import services as conv
    from convenios.cnpj import gerar_cnpj
    from convenios.models import Convenente
    from emendas import services as em
    from emendas.models import Inciso

    convenente = Convenente.objects.create(cnpj=gerar_cnpj(77), razao_social="Associação Vida Nova", municipio="Mariana",
                                           tipo="OSC")
    cadastrador = criar_usuario("vida@nova.test", "Convenente", "Cadastro Vida Nova")
    convenente.usuarios.add(cadastrador)
    ind = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=Inciso.objects.get(numero="S501"),
                              forma_execucao="CONVENIO", valor=Decimal("200000.00"), beneficiario=convenente,
                              objeto="Reforma da creche")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind)
    em.aprovar_indicacao_segov(usuario=segov, indicacao=ind)
    p = proposta_aprovada(cadastrador=cadastrador, convenente=convenente, indicacao=ind,
                          analista_orgao=analista_orgao)
    conv.autorizar_plano(usuario=segov, proposta=p)
    base = live_server.url
    v = Vigia(navegador)
    page = v.page

    entrar(page, base, "vida@nova.test")
    v.conferir("painel do convenente")
    v.abrir(f"{base}/convenios/propostas/{p.pk}/")
    # A revisão antes de assinar (envios.revisao, sem JavaScript): "Voltar sem fazer nada" não assina; "Confirmar" assina.
    page.get_by_label("Nome da testemunha").fill("Teresa Testemunha")
    page.get_by_label("CPF da testemunha").fill("529.982.247-25")
    page.get_by_role("button", name="Assinar (representante legal)").click()
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    v.conferir("revisão da assinatura")
    page.get_by_role("link", name="Voltar sem fazer nada").click()
    page.get_by_role("button", name="Assinar (representante legal)").wait_for()
    p.refresh_from_db()
    assert p.status == p.Status.PLANO_AUTORIZADO
    page.get_by_label("Nome da testemunha").fill("Teresa Testemunha")
    page.get_by_label("CPF da testemunha").fill("529.982.247-25")
    page.get_by_role("button", name="Assinar (representante legal)").click()
    page.get_by_role("button", name="Confirmar: Assinar (representante legal do convenente)").click()
    page.get_by_text("assinada pelo convenente").first.wait_for()
    v.conferir("proposta assinada pelo convenente")
    v.fechar()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_sem_violacao(navegador, live_server, dados, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@sigcon.test", password=SENHA)
    base = live_server.url
    v = Vigia(navegador)
    page = v.page

    v.abrir(base + "/admin/login/")
    page.fill("#id_username", "admin@sigcon.test")
    page.fill("#id_password", SENHA)
    page.locator("input[type=submit]").click()
    page.get_by_role("heading", name="Cadastros").wait_for()
    v.conferir("índice do admin")
    v.abrir(base + "/admin/emendas/inciso/")
    # Formulário de alteração com datas (atalhos de calendário do admin, em JavaScript).
    v.abrir(f"{base}/admin/emendas/exercicio/{dados.pk}/change/")
    page.locator(".datetimeshortcuts a").first.click()
    v.conferir("admin, calendário aberto")
    # Usuário: grupos e permissões no seletor duplo do admin (SelectFilter2).
    v.abrir(f"{base}/admin/contas/usuario/{admin.pk}/change/")
    v.fechar()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sem_javascript_os_formularios_continuam_funcionando(navegador, live_server, dados, parlamentar, segov,
                                                            acao_saude_2, grupo_inv):
    # Sem JavaScript a revisão antes de aprovar é uma página (envios.revisao), e o seletor de exercício tem o botão "Ver".
    from emendas.models import Inciso, ProgramacaoElegivel, Remanejamento
    from emendas.services import solicitar_remanejamento

    ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao_saude_2, grupo_despesa=grupo_inv)
    anterior = _outro_exercicio(dados)
    rem = solicitar_remanejamento(usuario=parlamentar.usuario, inciso=Inciso.objects.get(numero="S501"),
                                  acao=acao_saude_2, grupo_despesa=grupo_inv, valor=Decimal("5000.00"))
    contexto = navegador.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = contexto.new_page()
    entrar(page, live_server.url, "segov@segov.test")
    page.locator("#seletor-ano").select_option(str(anterior.ano))
    page.get_by_role("button", name="Ver").click()
    assert f"ano={anterior.ano}" in page.url
    assert page.locator("#seletor-ano").input_value() == str(anterior.ano)

    page.goto(f"{live_server.url}/emendas/remanejamentos/{rem.pk}/")
    page.get_by_role("button", name="Aprovar").click()
    page.get_by_role("button", name="Confirmar: Aprovar o remanejamento").click()  # a revisão, sem JavaScript
    page.get_by_text("criado o inciso R1").wait_for()
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.APROVADO
    contexto.close()
