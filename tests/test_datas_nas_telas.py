"""Datas pt-BR em todas as telas: filtros e parâmetros de URL com data que não existe dão a mensagem no campo
(nunca viram hoje nem outro dia em silêncio), e os formulários mostram e leem dd/mm/aaaa."""

import re
from datetime import date

import pytest
from django.urls import reverse

from emendas.models import Exercicio
from tests.conftest import logado
from tests.fabricas import em

pytestmark = pytest.mark.django_db
MENSAGEM = "Data inválida: 31/02/2026. Esse dia não existe no calendário."


@pytest.fixture(autouse=True)
def _dia():
    with em(date(2019, 2, 1)):
        yield


@pytest.mark.parametrize("rota, campo", [
    ("relatorio_saldos", "dia"),
    ("relatorio_indicacoes", "de"),
    ("relatorio_remanejamentos", "ate"),
    ("emendas:analise_remanejamentos", "de"),
    ("auditoria:lista", "ate"),
])
def test_filtro_com_data_que_nao_existe_mostra_a_mensagem_e_nao_lista_nada(segov, inciso, rota, campo):
    r = logado(segov).get(reverse(rota), {campo: "31/02/2026"})
    html = r.content.decode()
    assert r.status_code == 200 and MENSAGEM in html
    assert 'value="31/02/2026"' in html and 'data-mascara="data"' in html and 'type="date"' not in html
    # A mensagem é ligada ao campo (leitor de tela): aria-invalid e aria-describedby apontando para ela.
    assert f'id="id_{campo}_error"' in html
    assert re.search(rf'aria-describedby="[^"]*id_{campo}_error"', html) and 'aria-invalid="true"' in html


def test_saldos_com_data_invalida_nao_caem_em_hoje(segov, inciso):
    valido = logado(segov).get(reverse("relatorio_saldos"), {"dia": "01/02/2019"}).content.decode()
    assert "Ana Lacerda" in valido  # o titular do inciso aparece com uma data boa...
    r = logado(segov).get(reverse("relatorio_saldos"), {"dia": "31/02/2026"})
    assert MENSAGEM in r.content.decode() and "Ana Lacerda" not in r.content.decode()  # ...e não com a ruim


def test_filtro_com_data_valida_em_dd_mm_aaaa_filtra(segov, inciso):
    r = logado(segov).get(reverse("relatorio_saldos"), {"dia": "01/02/2019"})
    assert r.status_code == 200 and "Data inválida" not in r.content.decode()
    assert 'value="01/02/2019"' in r.content.decode()


def test_calendario_do_exercicio_mostra_dd_mm_aaaa_e_erro_no_campo(segov, inciso):
    ex = Exercicio.objects.get()
    url = reverse("emendas:exercicio_editar", args=[ex.ano])
    html = logado(segov).get(url).content.decode()
    assert f'value="{ex.data_liberacao:%d/%m/%Y}"' in html and 'type="date"' not in html
    dados = {"data_publicacao_loa": ex.data_publicacao_loa.strftime("%d/%m/%Y"), "data_liberacao": "31/02/2019",
             "fim_janela_livre": ex.fim_janela_livre.strftime("%d/%m/%Y"),
             "fim_janela_obrigatoria": ex.fim_janela_obrigatoria.strftime("%d/%m/%Y"),
             "limite_outra_uo_percentual": "10", "regime_cagec": ex.regime_cagec}
    r = logado(segov).enviar(url, dados)
    assert r.status_code == 200
    assert r.context["form"].errors["data_liberacao"] == ["Data inválida: 31/02/2019. Esse dia não existe no calendário."]
    # Fora de ordem: o erro vai para a data errada, não para um aviso solto no topo.
    r = logado(segov).enviar(url, {**dados, "data_liberacao": ex.data_liberacao.strftime("%d/%m/%Y"),
                                 "fim_janela_livre": "01/01/2019"})
    form = r.context["form"]
    assert form.errors["fim_janela_livre"] == ["O fim da janela livre não pode ser anterior à liberação."]
    assert not form.non_field_errors()
    ex.refresh_from_db()
    assert ex.fim_janela_livre != date(2019, 1, 1)
