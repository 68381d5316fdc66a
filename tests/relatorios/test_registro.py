"""O registro de relatórios: as 42 URLs saem das declarações, o menu também, e um relatório novo é uma declaração."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from relatorios import acesso, base, registro
from relatorios.base import DINHEIRO, Coluna, Consulta, RelatorioEmMemoria, Total
from relatorios.models import RelatorioGerado
from relatorios.urls import rotas
from sigcon import urls as urls_do_sistema
from tests.relatorios.conftest import logado
from tests.fabricas import ler_csv, texto_de_pdf

pytestmark = pytest.mark.django_db

NOMES = ["incisos", "remanejamentos", "totalizacao", "indicacoes", "impedimentos", "execucao", "utilizados",
         "parlamentares", "saldos", "saneamento",
         "fila_remanejamentos", "fila_indicacoes_orgao", "fila_indicacoes_segov", "fila_liberacoes"]


def _rotas(padroes, prefixo=""):
    for p in padroes:
        if isinstance(p, URLResolver):
            yield from _rotas(p.url_patterns, prefixo + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefixo + str(p.pattern), p.name


def test_o_registro_gera_exatamente_as_42_urls_dos_relatorios():
    assert [r.nome for r in registro.todos()] == NOMES
    geradas = {(f"relatorios/{caminho}", nome) for caminho, nome in _rotas(rotas(registro.todos()))}
    esperadas = {
        (caminho, nome)
        for n in NOMES
        for caminho, nome in [(f"relatorios/{n}/", f"relatorio_{n}"), (f"relatorios/{n}.csv", f"relatorio_{n}_csv"),
                              (f"relatorios/{n}.pdf", f"relatorio_{n}_pdf")]
    }
    assert len(esperadas) == 42 and geradas == esperadas
    # No sistema: essas 42 e as duas do acompanhamento dos PDFs em segundo plano, nada mais sob /relatorios/.
    no_sistema = {r for r in _rotas(get_resolver().url_patterns) if r[0].startswith("relatorios/")}
    assert no_sistema == esperadas | {("relatorios/gerados/<int:pk>/", "relatorio_gerado"),
                                      ("relatorios/gerados/<int:pk>/baixar/", "relatorio_gerado_baixar")}


def _menu(cliente):
    html = cliente.get(reverse("inicio"), follow=True).content.decode()
    if ">Relatórios</a>" not in html:
        return []
    menu = html.split(">Relatórios</a>", 1)[1].split("</ul>", 1)[0]
    return [item.split("</a>")[0].rsplit(">", 1)[1] for item in menu.split('class="dropdown-item"')[1:]]


def test_menu_lista_os_relatorios_do_registro_para_quem_pode_ve_los(cenario):
    todos = ["Incisos", "Remanejamento de Incisos", "Totalização", "Valores Indicados",
             "Impedimento de Ordem Técnica", "Controle de Execução", "Valores Utilizados", "Parlamentares",
             "Saldos por janela", "Saneamento / Remanejamento Constitucional"]
    assert _menu(logado(cenario["segov"])) == todos
    assert _menu(logado(cenario["visualizador"])) == todos
    assert _menu(logado(cenario["ana"])) == todos[:-2]  # saldos por janela e saneamento: só quem vê tudo
    assert _menu(logado(cenario["orgao"])) == todos[:-2]
    assert _menu(logado(cenario["convenente"])) == []


# --- um relatório novo: só a declaração --------------------------------------------------------------

class FiltroExemplo(forms.Form):
    contem = forms.CharField(label="Contém", required=False)

    def descricao(self):
        return [f"Contém: {self.cleaned_data['contem']}"] if self.is_valid() and self.cleaned_data["contem"] else []


@dataclass
class LinhaExemplo:
    nome: str
    valor: Decimal


@dataclass
class TotalExemplo(Total):
    valor: Decimal = Decimal("0.00")


class RelatorioExemplo(RelatorioEmMemoria):
    """Declaração de exemplo (só do teste): colunas, filtro, linhas e quem vê."""

    nome = "exemplo"
    titulo = "Exemplo de relatório"
    rotulo_menu = "Exemplo"
    regra_acesso = acesso.SO_QUEM_VE_TUDO
    unidade, unidade_total = "item", "itens"
    colunas = [
        Coluna("nome", "Nome", lambda l: l.nome),
        Coluna("valor", "Valor", lambda l: l.valor, DINHEIRO, somar=True),
    ]
    ordem_padrao = "nome"

    def consultar(self, usuario, parametros):
        acesso.exigir(usuario, self.regra_acesso)
        filtro = FiltroExemplo(parametros)
        return Consulta(usuario=usuario, filtro=filtro, valido=filtro.is_valid(),
                        ordem=self.ordem_pedida(parametros))

    def montar(self, consulta):
        texto = consulta.filtro.cleaned_data["contem"]
        todas = [LinhaExemplo(f"Item {i:03d}", Decimal("1234.50") * i) for i in (1, 2, 3)]
        return [l for l in todas if texto in l.nome]

    def somar(self, linhas):
        if not linhas:
            return None
        return TotalExemplo(len(linhas), valor=sum((l.valor for l in linhas), Decimal("0.00")))


EXEMPLO = RelatorioExemplo()
# URLconf deste teste: o sistema inteiro e as três rotas do exemplo, geradas como as dos outros.
urlpatterns = [*urls_do_sistema.urlpatterns, path("relatorios/", include(rotas([EXEMPLO])))]


@pytest.fixture
def exemplo(settings):
    registro.registrar(EXEMPLO)
    settings.ROOT_URLCONF = __name__
    yield EXEMPLO
    registro.remover(EXEMPLO.nome)


def test_relatorio_declarado_ganha_tela_ordenavel_csv_e_menu(exemplo, cenario):
    segov = logado(cenario["segov"])
    r = segov.get("/relatorios/exemplo/", {"ordem": "-valor"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Exemplo de relatório" in html and "3 itens" in html
    assert html.index("Item 003") < html.index("Item 001")  # ordenado pela coluna pedida, decrescente
    assert 'aria-sort="descending"' in html and "7.407,00" in html  # total: 1.234,50 × (1 + 2 + 3)
    assert "Exemplo" in _menu(segov)
    assert "Exemplo" not in _menu(logado(cenario["ana"]))

    cabecalho, linhas = ler_csv(segov.get(reverse("relatorio_exemplo_csv"), {"contem": "2"}))
    assert cabecalho == ["Nome", "Valor"] and linhas == [{"Nome": "Item 002", "Valor": "2.469,00"}]

    assert logado(cenario["ana"]).get(reverse("relatorio_exemplo")).status_code == 403
    assert logado(cenario["ana"]).get(reverse("relatorio_exemplo_csv")).status_code == 403


@pytest.mark.pdf
def test_relatorio_declarado_ganha_pdf_na_hora_e_em_segundo_plano(exemplo, cenario, tmp_path, monkeypatch,
                                                                   celery_na_hora, django_capture_on_commit_callbacks):
    segov = logado(cenario["segov"])
    r = segov.get(reverse("relatorio_exemplo_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'inline; filename="exemplo.pdf"'
    texto = texto_de_pdf(r.content, tmp_path)
    assert "Exemplo de relatório" in texto and "Item 003" in texto and "7.407,00" in texto

    # Acima do limite o mesmo relatório vai para a fila, com a página de acompanhamento.
    monkeypatch.setattr(base, "LIMITE_PDF_NA_HORA", 2)
    with django_capture_on_commit_callbacks(execute=True):
        r = segov.get(reverse("relatorio_exemplo_pdf"), {"contem": "Item"})
    gerado = RelatorioGerado.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("relatorio_gerado", args=[gerado.pk])
    assert gerado.nome == "exemplo" and gerado.linhas == 3 and gerado.status == RelatorioGerado.Status.PRONTO
    baixado = segov.get(reverse("relatorio_gerado_baixar", args=[gerado.pk]))
    assert "Contém: Item" in texto_de_pdf(b"".join(baixado.streaming_content), tmp_path)
