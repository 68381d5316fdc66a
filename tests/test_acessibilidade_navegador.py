"""Acessibilidade no navegador: o axe-core (vendorizado em static/vendor/axe-core) nas telas principais, no
computador (1366×768) e no celular (390×844): nenhuma violação de impacto sério ou crítico e nenhuma violação da CSP.

O axe entra na página como arquivo do próprio site (``<script src>``, que a CSP aceita), nunca inline; cada tela é
aberta com o papel que a usa, pelo endereço, e o teste só depende do caminho e do que cada tela precisa para ser
alcançada (o formulário do remanejamento até a confirmação). As capturas ficam em ``/tmp/sigcon-telas/axe-*.png``.
"""

from decimal import Decimal

import pytest

from tests.fabricas import proposta_aprovada
from tests.navegador_util import (  # noqa: F401 (fixtures)
    TELAS, Vigia, beneficiario, dados, entrar, indicacao_aprovada_da_vida_nova, navegador,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "/static/vendor/axe-core/axe.min.js"
TAMANHOS = [("computador", 1366, 768), ("celular", 390, 844)]
GRAVES = ("serious", "critical")

# Só a lista do que é grave, com onde está: o resto do relatório do axe não entra na mensagem.
RODAR_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.filter(v => ["serious", "critical"].includes(v.impact)).map(v => ({
    id: v.id, impacto: v.impact, ajuda: v.help,
    onde: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1).join("; "))
  }));
}"""


class Auditor(Vigia):
    """A aba com o vigia da CSP que também roda o axe em cada tamanho de tela."""

    def __init__(self, navegador, base):
        super().__init__(navegador)
        self.base = base
        self.achados: list[str] = []

    def avaliar(self, nome: str):
        """Roda o axe na tela já aberta, no computador e no celular, e confere a CSP (o axe incluído)."""
        page = self.page
        page.wait_for_load_state("networkidle")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=self.base + AXE)
        for rotulo, largura, altura in TAMANHOS:
            page.set_viewport_size({"width": largura, "height": altura})
            page.wait_for_timeout(150)  # o layout do celular (media queries) se assenta antes da leitura
            for v in page.evaluate(RODAR_AXE):
                self.achados.append(f"{nome} ({rotulo} {largura}×{altura}): {v['id']} [{v['impacto']}] {v['ajuda']}\n"
                                    + "\n".join(f"      {o}" for o in v["onde"]))
            page.screenshot(path=str(TELAS / f"axe-{nome}-{largura}.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        self.conferir(nome)

    def abrir_e_avaliar(self, caminho: str, nome: str):
        self.page.goto(self.base + caminho)
        self.avaliar(nome)

    def sem_violacoes(self):
        assert not self.achados, "violações sérias ou críticas do axe:\n" + "\n".join(self.achados)


@pytest.fixture
def cenario(dados, parlamentar, segov, analista_orgao, beneficiario, acao_saude_2, grupo_inv):
    """Filas com itens, um inciso com indicações e remanejamento, uma proposta e uma notificação da parlamentar."""
    from emendas import services as em
    from emendas.models import Inciso, ProgramacaoElegivel

    ProgramacaoElegivel.objects.create(exercicio=dados, acao=acao_saude_2, grupo_despesa=grupo_inv)
    s501 = Inciso.objects.get(numero="S501")
    em.solicitar_remanejamento(usuario=parlamentar.usuario, inciso=s501, acao=acao_saude_2, grupo_despesa=grupo_inv,
                               valor=Decimal("5000.00"))
    reprovado = em.solicitar_remanejamento(usuario=parlamentar.usuario, inciso=s501, acao=acao_saude_2,
                                           grupo_despesa=grupo_inv, valor=Decimal("700.00"))
    em.reprovar_remanejamento(usuario=segov, remanejamento=reprovado, justificativa="Fora da política")  # notificação
    no_orgao = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=s501, forma_execucao="CONVENIO",
                                   valor=Decimal("1000.00"), beneficiario=beneficiario, objeto="Reforma da escola")
    na_segov = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=s501, forma_execucao="CONVENIO",
                                   valor=Decimal("2000.00"), beneficiario=beneficiario, objeto="Reforma do posto")
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=na_segov)
    convenente, cadastrador, aprovada = indicacao_aprovada_da_vida_nova(
        inciso=s501, parlamentar=parlamentar, analista_orgao=analista_orgao, segov=segov, n_cnpj=78)
    proposta = proposta_aprovada(cadastrador=cadastrador, convenente=convenente, indicacao=aprovada,
                                 analista_orgao=analista_orgao)
    diligencia = em.abrir_diligencia(usuario=analista_orgao, indicacao=no_orgao, texto="Envie a declaração.")
    return {"inciso": s501, "proposta": proposta, "no_orgao": no_orgao, "diligencia": diligencia}


def test_axe_nas_telas_principais_sem_violacao_seria_nem_de_csp(navegador, live_server, cenario):
    base = live_server.url
    s501 = cenario["inciso"]
    a = Auditor(navegador, base)
    page = a.page
    page.set_viewport_size({"width": 1366, "height": 768})

    a.abrir_e_avaliar("/conta/entrar/", "entrada")

    # Parlamentar: início, inciso, remanejamento (formulário e confirmação), indicação, diligências, notificações.
    entrar(page, base, "ana@almg.test")
    page.wait_for_url(base + "/")
    a.avaliar("parlamentar-inicio")
    a.abrir_e_avaliar(f"/emendas/incisos/{s501.pk}/", "inciso")
    a.abrir_e_avaliar(f"/emendas/remanejamentos/inciso/{s501.pk}/novo/", "remanejamento-pedido")
    with page.expect_response(lambda r: "/grupos/" in r.url):
        page.select_option("#id_acao", label="UO 4291 · 4471 – Atenção hospitalar")
    page.select_option("#id_grupo_despesa", label="4 – Investimentos")
    page.get_by_label("Valor a remanejar (R$)").fill("1.000,00")
    page.get_by_role("button", name="Salvar").click()
    page.get_by_role("heading", name="Confirme o pedido de remanejamento").wait_for()
    a.avaliar("remanejamento-confirmacao")
    a.abrir_e_avaliar(f"/emendas/indicacoes/inciso/{s501.pk}/nova/", "indicacao-formulario")
    a.abrir_e_avaliar("/emendas/indicacoes/lista/", "indicacoes-com-diligencia")
    a.abrir_e_avaliar("/emendas/diligencias/", "diligencias")
    a.abrir_e_avaliar(f"/emendas/diligencias/{cenario['diligencia'].pk}/", "diligencia-responder")
    a.abrir_e_avaliar(f"/emendas/indicacoes/?expandir={s501.pk}", "indicacoes-marcar-para-cancelar")
    a.abrir_e_avaliar("/emendas/indicacoes/priorizacao/", "priorizacao")
    a.abrir_e_avaliar("/notificacoes/", "notificacoes")
    page.locator(".lista-avisos a").first.click()
    a.avaliar("notificacao")
    a.abrir_e_avaliar("/ajuda/", "ajuda")
    page.context.clear_cookies()

    # SEGOV: painel, as duas filas, o relatório de incisos e a proposta.
    entrar(page, base, "segov@segov.test")
    page.wait_for_url(base + "/")
    a.avaliar("segov-painel")
    a.abrir_e_avaliar("/emendas/remanejamentos/analise/", "segov-fila-remanejamentos")
    a.abrir_e_avaliar("/emendas/indicacoes/segov/", "segov-fila-indicacoes")
    a.abrir_e_avaliar("/relatorios/incisos/", "relatorio-incisos")
    a.abrir_e_avaliar(f"/emendas/exercicios/{s501.exercicio.ano}/editar/", "calendario-e-janelas")
    a.abrir_e_avaliar(f"/convenios/propostas/{cenario['proposta'].pk}/", "proposta")
    page.context.clear_cookies()

    # Órgão: a fila da UO, abrir uma diligência e a diligência aberta (com o botão de fechar).
    entrar(page, base, "analista@saude.test")
    page.wait_for_url(base + "/**")
    a.abrir_e_avaliar("/emendas/indicacoes/orgao/", "orgao-fila")
    a.abrir_e_avaliar(f"/emendas/indicacoes/{cenario['no_orgao'].pk}/diligencia/", "diligencia-abrir")
    a.abrir_e_avaliar(f"/emendas/diligencias/{cenario['diligencia'].pk}/", "diligencia-orgao")
    a.fechar()
    a.sem_violacoes()


def test_o_axe_acusa_uma_violacao_seria(navegador, live_server, dados):
    # Sem isto um axe que não rodou (arquivo que não carregou, filtro de impacto errado) passaria tudo: um campo
    # sem rótulo (crítico) e um link sem nome (sério), nos dois tamanhos.
    a = Auditor(navegador, live_server.url)
    a.page.goto(live_server.url + "/conta/entrar/")
    a.page.evaluate("""() => {
      const i = document.createElement('input'); i.type = 'text'; document.querySelector('main').appendChild(i);
      const l = document.createElement('a'); l.href = '/'; document.querySelector('main').appendChild(l);
    }""")
    a.avaliar("auto-teste")
    a.fechar()
    texto = "\n".join(a.achados)
    assert "label [critical]" in texto and "link-name [serious]" in texto
    assert "computador 1366×768" in texto and "celular 390×844" in texto
