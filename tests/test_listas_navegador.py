"""Listas e filas no navegador: cabem no celular (390 px), mostram o dinheiro no desktop (1366 px), paginam com o
total e pintam cada situação de uma cor, sempre com o texto (issue 14, itens 2, 7 e 8)."""

import pytest
from django.urls import reverse

from emendas.models import Bloco, Indicacao
from tests.conftest import SENHA
from tests.fabricas import cenario_convenio, convenente as novo_convenente, lote_das_paginas, proposta_aprovada
from tests.navegador_util import TELAS, entrar, navegador  # noqa: F401  (o fixture do Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Cada elemento visível com texto próprio (ou controle) cuja borda direita passa da janela. Os que o Bootstrap
# esconde para leitores de tela (.visually-hidden: 1 px, recortados) e os que não aparecem ficam de fora.
PASSAM_DA_BORDA = """() => {
  const largura = document.documentElement.clientWidth;
  const fora = [];
  for (const el of document.body.querySelectorAll("*")) {
    const temTexto = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
      || ["INPUT", "SELECT", "BUTTON", "TEXTAREA", "IMG"].includes(el.tagName);
    if (!temTexto || el.closest(".visually-hidden, [hidden]")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > largura + 0.5) fora.push(el.tagName + " «" + (el.textContent || el.value || "").trim().slice(0, 40) + "» até " + Math.round(r.right));
  }
  return {largura, rolagem: document.documentElement.scrollWidth, fora: fora.slice(0, 10)};
}"""

# No desktop: as colunas de dinheiro (th.valor e as células .valor) inteiras dentro da janela, sem rolar a tabela.
DINHEIRO_VISIVEL = """() => {
  const largura = document.documentElement.clientWidth;
  const celulas = [...document.querySelectorAll("table th.valor, table td.valor")];
  const escondidas = celulas.filter(c => c.getBoundingClientRect().right > largura + 0.5)
    .map(c => c.textContent.trim().slice(0, 30));
  const rolam = [...document.querySelectorAll(".table-responsive")].filter(d => d.scrollWidth > d.clientWidth + 1).length;
  return {n: celulas.length, escondidas: escondidas.slice(0, 5), rolam};
}"""

NOME_LONGO = "Associação de Pais e Amigos dos Excepcionais de Conceição do Mato Dentro e Região Metropolitana"


@pytest.fixture
def listas(exercicio, inciso, parlamentar, outro_parlamentar, segov, analista_orgao, acao_saude, acao_saude_2,
           grupo_inv, programacoes):
    # A proposta primeiro: a indicação dela sai da sequência do exercício; o lote numera depois da última.
    conv, cadastrador, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar,
                                              analista_orgao=analista_orgao, segov=segov, valor="300.00")
    proposta = proposta_aprovada(cadastrador=cadastrador, convenente=conv, indicacao=ind,
                                 analista_orgao=analista_orgao)
    bloco = Bloco.objects.create(nome="Bloco Minas em Frente", responsavel=parlamentar)
    beneficiario = novo_convenente(77, NOME_LONGO, "Conceição do Mato Dentro")
    lote_das_paginas(exercicio=exercicio, parlamentar=parlamentar, bloco=bloco,
                               acoes=[acao_saude, acao_saude_2], grupo=grupo_inv, usuario=parlamentar.usuario,
                               beneficiario=beneficiario, n=60)
    return {"proposta": proposta, "n_indicacoes": Indicacao.objects.count()}


def _pagina(navegador, live_server, email, largura):  # noqa: F811
    page = navegador.new_page(viewport={"width": largura, "height": 900})
    entrar(page, live_server.url, email)
    page.wait_for_load_state("networkidle")
    return page


def _telas(listas):
    return [
        ("ana@almg.test", "remanejamentos", reverse("emendas:remanejamentos")),
        ("ana@almg.test", "indicacoes-lista", reverse("emendas:visualizar_indicacoes")),
        ("ana@almg.test", "indicacao-de-recursos", reverse("emendas:indicacoes")),
        ("segov@segov.test", "fila-remanejamentos-segov", reverse("emendas:analise_remanejamentos")),
        ("segov@segov.test", "fila-indicacoes-segov", reverse("emendas:analise_segov")),
        ("analista@saude.test", "fila-orgao", reverse("emendas:analise_orgao")),
        ("segov@segov.test", "relatorio-incisos", reverse("relatorio_incisos")),
        ("segov@segov.test", "proposta", reverse("convenios:proposta", args=[listas["proposta"].pk])),
    ]


def _percorrer(navegador, live_server, listas, largura, medir):  # noqa: F811
    """Abre cada tela de ``_telas`` na *largura*, guarda a captura e devolve (nome, medida) de cada uma."""
    sessoes, medidas = {}, []
    for email, nome, url in _telas(listas):
        if email not in sessoes:
            sessoes[email] = _pagina(navegador, live_server, email, largura)
        page = sessoes[email]
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        medidas.append((nome, page.evaluate(medir)))
        page.screenshot(path=str(TELAS / f"listas-{nome}-{largura}.png"), full_page=True)
    for page in sessoes.values():
        page.close()
    return medidas


def test_no_celular_nenhum_texto_passa_da_borda_direita(navegador, live_server, listas):  # noqa: F811
    for nome, medida in _percorrer(navegador, live_server, listas, 390, PASSAM_DA_BORDA):
        assert medida["fora"] == [], f"{nome}: {medida}"
        assert medida["rolagem"] <= 390, f"{nome}: a página rola para o lado ({medida['rolagem']} px)"


def test_no_desktop_as_colunas_de_dinheiro_aparecem_inteiras(navegador, live_server, listas):  # noqa: F811
    for nome, medida in _percorrer(navegador, live_server, listas, 1366, DINHEIRO_VISIVEL):
        assert medida["n"] > 0, f"{nome}: nenhuma coluna de dinheiro"
        assert medida["escondidas"] == [] and medida["rolam"] == 0, f"{nome}: {medida}"


def test_paginacao_mostra_o_total_e_anda_pelas_paginas(navegador, live_server, listas):  # noqa: F811
    n = listas["n_indicacoes"]
    page = _pagina(navegador, live_server, "segov@segov.test", 1366)
    page.goto(live_server.url + reverse("emendas:visualizar_indicacoes"))
    assert n > 100
    assert f"Mostrando 1–50 de {n} indicações" in page.locator("main").inner_text()
    atual = page.locator(".pagination [aria-current='page']")
    assert atual.inner_text().strip().endswith("1")
    page.get_by_role("link", name="Próxima").click()
    page.get_by_text(f"Mostrando 51–100 de {n} indicações").wait_for()
    assert "pagina=2" in page.url
    page.get_by_role("link", name="Página 3").click()
    page.get_by_text(f"Mostrando 101–{min(150, n)} de {n} indicações").wait_for()
    # Os filtros ficam no endereço das páginas.
    page.goto(live_server.url + reverse("emendas:visualizar_indicacoes") + "?status=EM_ANALISE_SEGOV")
    so_segov = Indicacao.objects.filter(status="EM_ANALISE_SEGOV").count()
    assert f"de {so_segov} indicações" in page.locator("main").inner_text()
    assert "status=EM_ANALISE_SEGOV" in page.get_by_role("link", name="Próxima").get_attribute("href")
    page.screenshot(path=str(TELAS / "listas-paginacao.png"), full_page=True)
    page.close()


def test_selos_de_situacao_tem_cores_distintas_e_texto(navegador, live_server, listas):  # noqa: F811
    page = _pagina(navegador, live_server, "segov@segov.test", 1366)
    selos = []
    # A primeira página (as mais novas: em análise) e as aprovadas (a da proposta).
    for consulta in ("", "?status=APROVADA"):
        page.goto(live_server.url + reverse("emendas:visualizar_indicacoes") + consulta)
        selos += page.evaluate("""() => [...document.querySelectorAll(".badge.situacao")].map(b => ({
            situacao: b.dataset.situacao, texto: b.textContent.trim(), fundo: getComputedStyle(b).backgroundColor}))""")
    por_situacao = {s["situacao"]: s for s in selos}
    assert {"EM_ANALISE_ORGAO", "EM_ANALISE_SEGOV", "APROVADA"} <= set(por_situacao)
    assert all(s["texto"] for s in selos)
    assert len({por_situacao[s]["fundo"] for s in ("EM_ANALISE_ORGAO", "EM_ANALISE_SEGOV", "APROVADA")}) == 3
    assert por_situacao["APROVADA"]["texto"] == "Aprovada"
    page.close()


def test_formulario_com_erro_mostra_o_resumo_e_leva_o_foco_ao_primeiro_campo(navegador, live_server, parlamentar):  # noqa: F811
    page = _pagina(navegador, live_server, "ana@almg.test", 390)
    page.goto(live_server.url + reverse("password_change"))
    page.locator("#id_old_password").fill(SENHA)  # certa: o erro fica só na confirmação, longe do autofocus
    page.locator("#id_new_password1").fill("Outra-senha-2026")
    page.locator("#id_new_password2").fill("Outra-senha-2027")
    page.get_by_role("button", name="Alterar senha").click()
    resumo = page.locator("[data-resumo-erros]")
    resumo.wait_for()
    assert "1 campo precisa de correção" in resumo.inner_text()
    # O foco no primeiro campo errado (a confirmação), não no primeiro campo (autofocus) nem no topo da página.
    assert page.evaluate("document.activeElement.id") == "id_new_password2"
    # O link do resumo leva o foco ao campo dele.
    resumo.locator("a").last.click()
    assert page.evaluate("document.activeElement.id") == resumo.locator("a").last.get_attribute("data-ir-ao-campo")
    page.screenshot(path=str(TELAS / "listas-resumo-erros-390.png"), full_page=True)
    page.close()
