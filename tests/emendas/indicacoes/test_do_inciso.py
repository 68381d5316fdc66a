"""As indicações de um inciso, carregadas pelo htmx na página do inciso (e numa página própria sem JavaScript)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from emendas.services import enviar_indicacao
from tests.conftest import logado, meio_dia
from tests.fabricas import convenente

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicacoes(inciso, parlamentar):
    betim = convenente(81, "Prefeitura de Betim", "Betim", "ADM_MUNICIPAL")
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        return [enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                                 valor=Decimal(v), beneficiario=betim, objeto="Reforma") for v in ("123.45", "10.00")]


def test_pagina_do_inciso_carrega_as_indicacoes_pelo_htmx_e_tem_o_link_sem_javascript(inciso, parlamentar, indicacoes):
    html = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[inciso.pk])).content.decode()
    url = reverse("emendas:indicacoes_do_inciso", args=[inciso.pk])
    assert f'hx-get="{url}" hx-trigger="revealed"' in html
    assert f'<a href="{url}">Ver as indicações do inciso {inciso.numero}</a>' in html
    assert "R$ 123,45" not in html  # as linhas não vêm na página: vêm no trecho


def test_sem_javascript_a_lista_abre_numa_pagina_inteira(inciso, parlamentar, indicacoes):
    r = logado(parlamentar.usuario).get(reverse("emendas:indicacoes_do_inciso", args=[inciso.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and "<html" in html and "HX-Request" in r["Vary"]
    assert "2 indicações do inciso S501" in html and "R$ 123,45" in html and "Prefeitura de Betim (Betim)" in html
    assert html.index(f">{indicacoes[0].numero}<") < html.index(f">{indicacoes[1].numero}<")  # por número


def test_o_htmx_recebe_so_o_trecho(inciso, parlamentar, indicacoes):
    r = logado(parlamentar.usuario).get(reverse("emendas:indicacoes_do_inciso", args=[inciso.pk]), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="indicacoes-do-inciso">')
    assert "R$ 10,00" in html and "Em análise no órgão" in html and "HX-Request" in r["Vary"]


def test_inciso_sem_indicacoes(inciso, parlamentar):
    r = logado(parlamentar.usuario).get(reverse("emendas:indicacoes_do_inciso", args=[inciso.pk]), HTTP_HX_REQUEST="true")
    assert "Nenhuma indicação neste inciso." in r.content.decode()


def test_outro_parlamentar_nao_ve_as_indicacoes_do_inciso(inciso, outro_parlamentar, indicacoes, segov):
    url = reverse("emendas:indicacoes_do_inciso", args=[inciso.pk])
    assert logado(outro_parlamentar.usuario).get(url).status_code == 404
    assert logado(outro_parlamentar.usuario).get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert logado(segov).get(url).status_code == 200
