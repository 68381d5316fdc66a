"""O que os testes no navegador de verdade (``tests/test_*navegador*.py``, ``tests/envios/test_navegador_envio.py``)
usam em comum: o Chromium do Debian (Playwright), a entrada pela tela de login, o vigia da CSP, as capturas de tela
no computador e no celular, o passo de revisão e os cenários que mais de um módulo monta.

As fixtures (``navegador``, ``dados``, ``beneficiario``) são importadas pelo módulo que as usa::

    from tests.navegador_util import dados, entrar, navegador  # noqa: F401 (fixtures)
"""

import os
import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import SENHA, Fabrica, criar_usuario

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
TELAS = Path(os.environ.get("SIGCON_TELAS", "/tmp/sigcon-telas"))
LARGURAS = (1366, 390)  # computador e celular


@pytest.fixture(scope="module")
def navegador():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("SIGCON_EXIGIR_CHROMIUM"):
            pytest.fail("Chromium do Debian ausente: instale o pacote apt 'chromium'.")
        pytest.skip("Chromium do Debian não instalado (apt-get install chromium); teste de navegador não rodou.")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    TELAS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def dados(parlamentar, outro_parlamentar, segov, acao_saude, grupo_inv):
    """O exercício de hoje (LOA há 20 dias: janela livre), dois incisos de Ana (S501, S502) e um de Bruno."""
    from emendas.models import Exercicio

    hoje = timezone.localdate()
    exercicio = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    fab = Fabrica(exercicio, acao_saude, grupo_inv)
    fab.inciso(parlamentar, "1234567.89")
    fab.inciso(parlamentar, "1000.00")
    fab.inciso(outro_parlamentar, "555.55")
    return exercicio


@pytest.fixture
def beneficiario(db):
    from convenios.cnpj import gerar_cnpj
    from convenios.models import Convenente

    return Convenente.objects.create(cnpj=gerar_cnpj(321), razao_social="Prefeitura Municipal de Itabira",
                                     municipio="Itabira", tipo="ADM_MUNICIPAL", situacao_cagec="REGULAR",
                                     siafi_bloqueado=False)


def entrar(page, base, email):
    page.goto(base + "/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha").fill(SENHA)
    page.get_by_role("button", name="Entrar").click()


def confirmar_revisao(page, botao, resumo):
    """O passo de revisão antes do dinheiro mexer: confere o resumo (quantos itens e o total) e confirma."""
    page.get_by_role("heading", name="Revise antes de confirmar").wait_for()
    assert resumo in page.locator("[data-revisao-resumo]").inner_text()
    page.get_by_role("button", name=f"Confirmar: {botao}").click()


def pedir_remanejamento_pelo_navegador(page, base, inciso_pk, valor):
    """Da lista de incisos até o "Confirmar pedido": UO, inciso (htmx), ação, grupo, valor e detalhamento."""
    page.goto(f"{base}/emendas/remanejamentos/")
    page.select_option("#id_uo", label="4291 – Fundo Estadual de Saúde")
    page.locator(f"a[href='/emendas/remanejamentos/inciso/{inciso_pk}/novo/']").click()  # carregado via htmx
    # Espera o htmx trocar a lista de grupos; escolher antes seria desfeito pela troca.
    with page.expect_response(lambda r: "/grupos/" in r.url):
        page.select_option("#id_acao", label="UO 4291 · 4471 – Atenção hospitalar")
    page.wait_for_load_state("networkidle")
    page.select_option("#id_grupo_despesa", label="4 – Investimentos")
    page.get_by_label("Valor a remanejar (R$)").fill(valor)
    page.get_by_role("button", name="Salvar").click()
    page.get_by_role("heading", name="Confirme o pedido de remanejamento").wait_for()
    page.get_by_label("Detalhamento (opcional)").fill("Ampliação do pronto-socorro")
    page.get_by_role("button", name="Confirmar pedido").click()
    page.get_by_text("solicitado. O valor já foi reservado").wait_for()


def abrir_formulario_de_indicacao(navegador, base, *, inciso="S501", email="ana@almg.test"):
    """Entra como *email* e abre o formulário de indicação do *inciso* (pelo número); devolve o Vigia aberto nele."""
    from emendas.models import Inciso

    alvo = Inciso.objects.get(numero=inciso)
    v = Vigia(navegador)
    entrar(v.page, base, email)
    v.page.get_by_role("heading", name="Meus incisos").wait_for()
    v.abrir(f"{base}/emendas/indicacoes/inciso/{alvo.pk}/nova/")
    return v


def passam_da_borda(page):
    """Textos e campos visíveis que terminam depois da borda direita da janela."""
    return page.evaluate("""() => {
        const largura = document.documentElement.clientWidth;
        return [...document.querySelectorAll('main *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > largura + 1 && getComputedStyle(e).visibility !== 'hidden'
                && !e.closest('.visually-hidden');
        }).map(e => e.tagName + ' ' + (e.id || e.className) + ' ' + Math.round(e.getBoundingClientRect().right));
    }""")


def fotografar(page, nome, *, pasta=TELAS, conferir=None):
    """A tela em ``pasta/<nome>-<largura>.png`` no computador e no celular (a página inteira); *conferir(page,
    largura)*, se dado, roda em cada largura (ex.: nada passa da borda direita). Volta a 1366 px."""
    pasta.mkdir(parents=True, exist_ok=True)
    for largura in LARGURAS:
        page.set_viewport_size({"width": largura, "height": 900})
        page.screenshot(path=str(pasta / f"{nome}-{largura}.png"), full_page=True)
        if conferir is not None:
            conferir(page, largura)
    page.set_viewport_size({"width": 1366, "height": 900})


# --- o vigia da CSP ------------------------------------------------------------------------------------------------

# Roda antes de qualquer script da página, a cada navegação: guarda as violações que o navegador relata.
VIGIA = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " bloqueou " + (e.blockedURI || "?") + " em " + (e.sourceFile || e.documentURI)
                    + ":" + e.lineNumber + (e.sample ? " «" + e.sample + "»" : ""));
}, true);
"""


class Vigia:
    """Uma aba com o vigia da CSP; ``conferir`` falha com a lista do que o navegador recusou."""

    def __init__(self, navegador):
        self.page = navegador.new_page(viewport={"width": 1366, "height": 900})
        self.console, self.erros = [], []
        self.page.add_init_script(VIGIA)
        self.page.on("console", lambda m: "Content Security Policy" in m.text and self.console.append(m.text))
        # Um erro no sigcon.js (ex.: elemento que não existe) quebraria o comportamento sem violar a CSP.
        self.page.on("pageerror", lambda e: self.erros.append(str(e)))

    def abrir(self, url):
        self.page.goto(url)
        self.conferir(url)

    def conferir(self, onde):
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(100)  # o evento de violação chega numa tarefa depois da carga
        violacoes = self.page.evaluate("window.__csp || []") + self.console
        erros = list(self.erros)
        self.page.evaluate("window.__csp = []")
        self.console.clear()
        self.erros.clear()
        assert not violacoes, f"{onde}: violações da CSP: {violacoes}"
        assert not erros, f"{onde}: erros de JavaScript: {erros}"

    def fechar(self):
        self.page.close()


# --- cenários -------------------------------------------------------------------------------------------------------

def indicacao_aprovada_da_vida_nova(*, inciso, parlamentar, analista_orgao, segov, n_cnpj):
    """A Associação Vida Nova (com o seu cadastrador) e uma indicação de R$ 200.000,00 de *inciso* para ela, já
    aprovada pelo órgão e pela SEGOV, no exercício de hoje: (convenente, cadastrador, indicação)."""
    from convenios.cnpj import gerar_cnpj
    from convenios.models import Convenente
    from emendas import services as em

    convenente = Convenente.objects.create(cnpj=gerar_cnpj(n_cnpj), razao_social="Associação Vida Nova",
                                           municipio="Mariana", tipo="OSC")
    cadastrador = criar_usuario("vida@nova.test", "Convenente", "Cadastro Vida Nova")
    convenente.usuarios.add(cadastrador)
    ind = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                              valor=Decimal("200000.00"), beneficiario=convenente, objeto="Reforma da creche")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind)
    em.aprovar_indicacao_segov(usuario=segov, indicacao=ind)
    return convenente, cadastrador, ind
