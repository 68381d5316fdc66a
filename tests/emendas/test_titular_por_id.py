"""Totais por titular agrupados pelo id (homônimos não se somam) e a reprovação em lote com as categorias
do exercício de cada indicação."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import selectors
from emendas.models import CategoriaImpedimento, Exercicio, Indicacao, Parlamentar
from emendas.services import enviar_indicacao
from tests.conftest import Fabrica, criar_usuario, logado, meio_dia

pytestmark = pytest.mark.django_db
M = Decimal


@pytest.fixture
def homonimos(db, parlamentar):
    outro = Parlamentar.objects.create(usuario=criar_usuario("ana2@almg.test", "Parlamentar", "Ana"),
                                       nome=parlamentar.nome)
    return parlamentar, outro


def test_dois_parlamentares_com_o_mesmo_nome_sao_duas_linhas_com_os_seus_totais(fabrica, homonimos, exercicio):
    ana1, ana2 = homonimos
    fabrica.inciso(ana1, "100.10")
    fabrica.inciso(ana1, "200.20")
    fabrica.inciso(ana2, "0.70")
    linhas, total = selectors.totais_por_titular(exercicio, date(2019, 2, 1))
    assert sorted((l.parlamentar_id, l.titular, l.incisos, l.saldos.valor_inciso) for l in linhas) == sorted([
        (ana1.pk, ana1.nome, 2, M("300.30")), (ana2.pk, ana1.nome, 1, M("0.70")),
    ])
    assert total.valor_inciso == M("301.00")


def test_painel_da_segov_e_relatorio_de_saldos_mostram_os_homonimos_separados(fabrica, homonimos, segov):
    ana1, ana2 = homonimos
    fabrica.inciso(ana1, "300.30")
    fabrica.inciso(ana2, "0.70")
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        r = logado(segov).get(reverse("inicio"))
        assert sorted(l.saldos.valor_inciso for l in r.context["linhas"]) == [M("0.70"), M("300.30")]
        r = logado(segov).get(reverse("relatorio_saldos"), {"ano": 2019})
    html = r.content.decode()
    assert 'class="valor">300,30</td>' in html and 'class="valor">0,70</td>' in html
    assert html.count("Ana Lacerda</td>") == 2


def test_relatorio_de_parlamentares_nao_mistura_os_incisos_de_homonimos(fabrica, homonimos, segov):
    ana1, ana2 = homonimos
    # Números de emenda intercalados: ordenar só pelo nome deixaria ana1, ana2, ana1.
    a = fabrica.inciso(ana1, "1.00")
    b = fabrica.inciso(ana2, "2.00")
    c = fabrica.inciso(ana1, "3.00")
    for emenda, numero in ((a.emenda, 10), (b.emenda, 20)):
        emenda.numero = numero
        emenda.save()
    outra = type(a.emenda).objects.create(exercicio=a.exercicio, numero=30, parlamentar=ana1)
    c.emenda = outra
    c.save()
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        r = logado(segov).get(reverse("relatorio_parlamentares"))
    titulares = [l.inciso.emenda.parlamentar_id for l in r.context["pagina"].object_list]
    assert titulares in ([ana1.pk, ana1.pk, ana2.pk], [ana2.pk, ana1.pk, ana1.pk])


# --- Reprovação em lote: categorias do exercício de cada linha ---------------------------------------

@pytest.fixture
def dois_exercicios(exercicio, inciso, parlamentar, analista_orgao, acao_saude, grupo_inv):
    """Uma indicação em 2019 e outra em 2020, cada exercício com a sua lista de categorias."""
    ex2020 = Exercicio.objects.create(ano=2020, data_publicacao_loa=date(2020, 1, 10))
    cat19 = CategoriaImpedimento.objects.create(exercicio=exercicio, nome="Falta de projeto (2019)")
    cat20 = CategoriaImpedimento.objects.create(exercicio=ex2020, nome="Falta de licença ambiental (2020)")
    inciso20 = Fabrica(ex2020, acao_saude, grupo_inv).inciso(parlamentar, "1000.00")
    prefeitura = Convenente.objects.create(cnpj=gerar_cnpj(1), razao_social="Prefeitura", municipio="Betim",
                                           tipo="ADM_MUNICIPAL")

    def indicar(no_inciso, dia):
        with time_machine.travel(meio_dia(dia), tick=False):
            return enviar_indicacao(usuario=parlamentar.usuario, inciso=no_inciso, forma_execucao="CONVENIO",
                                    valor=M("10.00"), beneficiario=prefeitura, objeto="Obra")

    return {"i19": indicar(inciso, date(2019, 2, 1)), "i20": indicar(inciso20, date(2020, 2, 1)),
            "cat19": cat19, "cat20": cat20, "orgao": analista_orgao}


def _grupos(html):
    """{rótulo do optgroup: [nomes]} do campo de categoria da fila."""
    inicio = html.index('name="categoria"')
    select = html[inicio:html.index("</select>", inicio)]
    return {rotulo: re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', corpo)
            for rotulo, corpo in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)}


def test_fila_oferece_as_categorias_de_cada_exercicio_da_pagina(dois_exercicios):
    d = dois_exercicios
    with time_machine.travel(meio_dia(date(2020, 2, 2)), tick=False):
        cli = logado(d["orgao"])
        r = cli.get(reverse("emendas:analise_orgao"))
        assert {i.pk for i in r.context["pagina"].object_list} == {d["i19"].pk, d["i20"].pk}
        assert _grupos(r.content.decode()) == {
            "Exercício 2019": ["Falta de projeto (2019)"], "Exercício 2020": ["Falta de licença ambiental (2020)"],
        }
        # Só um exercício na página: a lista dele, sem grupos.
        r = cli.get(reverse("emendas:analise_orgao"), {"ano": 2020})
    campo = r.context["form_reprovar"].fields["categoria"]
    assert list(campo.choices) == [("", "Escolha a categoria"), (d["cat20"].pk, d["cat20"].nome)]


def test_categoria_de_um_exercicio_e_recusada_na_linha_de_outro(dois_exercicios):
    d = dois_exercicios
    with time_machine.travel(meio_dia(date(2020, 2, 2)), tick=False):
        cli = logado(d["orgao"])
        r = cli.enviar(reverse("emendas:analise_orgao"), {
            "selecionados": [d["i19"].pk, d["i20"].pk], "acao_lote": "reprovar", "categoria": d["cat19"].pk,
            "justificativa": "Sem projeto.", "confirmado": "1",
        }, follow=True)
        html = r.content.decode()
        assert f"1 indicação reprovada por impedimento de ordem técnica: nº {d['i19'].numero}" in html
        assert "não é da lista de impedimentos do exercício 2020" in html
        i19, i20 = (Indicacao.objects.get(pk=d[k].pk) for k in ("i19", "i20"))
        assert (i19.status, i19.categoria_impedimento) == ("REPROVADA", d["cat19"])
        assert (i20.status, i20.categoria_impedimento) == ("EM_ANALISE_ORGAO", None)
        cli.enviar(reverse("emendas:analise_orgao"), {
            "selecionados": [d["i20"].pk], "acao_lote": "reprovar", "categoria": d["cat20"].pk,
            "justificativa": "Sem licença.", "confirmado": "1",
        })
    i20.refresh_from_db()
    assert (i20.status, i20.categoria_impedimento) == ("REPROVADA", d["cat20"])
