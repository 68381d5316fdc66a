"""As peças comuns das telas: plural, selo de situação, paginação com total e resumo de erros."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from convenios.models import Liberacao, PropostaPlanoTrabalho
from emendas.models import Indicacao, Remanejamento
from sigcon import situacoes
from sigcon.texto import numero_pt, plural


@pytest.mark.parametrize("n, esperado", [
    (0, "0 indicações"), (1, "1 indicação"), (2, "2 indicações"), (1234, "1.234 indicações"), (-1, "-1 indicação"),
])
def test_plural_usa_o_singular_so_para_um(n, esperado):
    assert plural(n, "indicação", "indicações") == esperado


def test_filtro_plural_e_quantos_no_template():
    html = Template('{% load sigcon_ui %}{{ a|plural:"pedido reprovado,pedidos reprovados" }} / '
                    '{% quantos b "inciso" "incisos" %}').render(Context({"a": 1, "b": 1000}))
    assert html == "1 pedido reprovado / 1.000 incisos"
    assert numero_pt(1234567) == "1.234.567"


@pytest.mark.parametrize("modelo", [Indicacao, Remanejamento, PropostaPlanoTrabalho, Liberacao])
def test_cada_situacao_de_um_fluxo_tem_um_tom_proprio(modelo):
    valores = [v for v, _ in modelo.Status.choices]
    tons = [situacoes.tom(v) for v in valores]
    assert all(v in situacoes.TOM_DA_SITUACAO for v in valores), "situação sem cor declarada"
    assert len(set(tons)) == len(tons), dict(zip(valores, tons))


def test_selo_traz_o_texto_escapado_e_a_classe_do_tom():
    objeto = SimpleNamespace(status="REPROVADA", get_status_display=lambda: "Reprovada <IOT>")
    html = Template("{% load sigcon_ui %}{% situacao o %}").render(Context({"o": objeto}))
    assert html == ('<span class="badge situacao situacao-vermelho" data-situacao="REPROVADA">'
                    'Reprovada &lt;IOT&gt;</span>')
    # Cada tom tem a sua regra de cor no CSS (senão o selo sairia sem fundo).
    from pathlib import Path
    css = (Path(__file__).resolve().parents[2] / "static/css/sigcon.css").read_text(encoding="utf-8")
    assert all(f".situacao-{t} {{" in css for t in set(situacoes.TOM_DA_SITUACAO.values()))


def _paginacao(numero, n=1234, consulta="status=APROVADA&pagina=9"):
    pagina = Paginator(list(range(n)), 50).get_page(numero)
    request = RequestFactory().get("/lista/?" + consulta)
    return Template('{% load sigcon_ui %}{% paginacao pagina "indicação" "indicações" %}').render(
        Context({"pagina": pagina, "request": request}))


def test_paginacao_diz_o_intervalo_e_o_total_e_guarda_os_filtros():
    html = _paginacao(2)
    assert "Mostrando 51–100 de 1.234 indicações" in html
    assert 'href="?status=APROVADA&amp;pagina=3" rel="next"' in html
    assert 'href="?status=APROVADA&amp;pagina=1" rel="prev"' in html
    assert 'aria-current="page"' in html and "…" in html  # 25 páginas: as do meio viram reticências
    assert 'href="?status=APROVADA&amp;pagina=25"' in html  # a última sempre aparece


def test_paginacao_de_uma_pagina_so_mostra_o_total_e_vazia_nao_mostra_nada():
    html = _paginacao(1, n=1)
    assert "1 indicação" in html and "Mostrando" not in html and "pagination" not in html
    assert _paginacao(1, n=0).strip() == ""


class _Form(forms.Form):
    nome = forms.CharField(label="Nome do beneficiário")
    valor = forms.DecimalField(label="Valor (R$)")

    def clean(self):
        raise forms.ValidationError("O saldo não cobre o total.")


def test_resumo_de_erros_lista_cada_campo_com_link_e_os_gerais():
    form = _Form({"nome": "", "valor": "x"})
    assert not form.is_valid()
    html = Template("{% load sigcon_ui %}{% resumo_de_erros form %}").render(Context({"form": form}))
    assert "2 campos precisam de correção" in html and "data-resumo-erros" in html
    assert 'href="#id_nome" data-ir-ao-campo="id_nome">Nome do beneficiário</a>' in html
    assert "O saldo não cobre o total." in html
    so = Template("{% load sigcon_ui %}{% resumo_de_erros form so_campos=True %}").render(Context({"form": form}))
    assert "O saldo não cobre o total." not in so
    limpo = Template("{% load sigcon_ui %}{% resumo_de_erros form %}").render(Context({"form": _Form()}))
    assert limpo.strip() == ""
