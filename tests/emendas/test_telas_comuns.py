"""O que as telas de remanejamento e indicação fazem do mesmo jeito: botões a partir da tabela de transições,
ação desconhecida na URL é 404, e a URL que serve página e trecho manda ``Vary: HX-Request``."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from emendas.models import Remanejamento
from emendas.remanejamentos.services import transicoes_do_usuario
from emendas.services import solicitar_remanejamento
from tests.conftest import logado, meio_dia

pytestmark = pytest.mark.django_db
LIVRE = date(2019, 2, 1)
Status = Remanejamento.Status


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def rem(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    return solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                   grupo_despesa=grupo_inv, valor=Decimal("1000.00"))


def test_botoes_do_remanejamento_saem_da_tabela_e_de_quem_pode(rem, parlamentar, segov, outro_parlamentar):
    assert transicoes_do_usuario(usuario=parlamentar.usuario, remanejamento=rem) == {Status.CANCELADO}
    assert transicoes_do_usuario(usuario=segov, remanejamento=rem) == {Status.APROVADO, Status.REPROVADO}
    assert transicoes_do_usuario(usuario=outro_parlamentar.usuario, remanejamento=rem) == set()
    rem.status = Status.CANCELADO
    assert transicoes_do_usuario(usuario=segov, remanejamento=rem) == set()


def test_pagina_e_trecho_dos_incisos_da_uo_variam_pelo_htmx(rem, inciso, parlamentar):
    cliente = logado(parlamentar.usuario)
    url = reverse("emendas:remanejamentos")
    pagina = cliente.get(url, {"uo": inciso.acao.uo_id})
    trecho = cliente.get(url, {"uo": inciso.acao.uo_id}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="incisos-da-uo")
    for resposta in (pagina, trecho):
        assert "HX-Request" in resposta["Vary"]
    assert "<html" in pagina.content.decode() and "<html" not in trecho.content.decode()


def test_busca_de_beneficiarios_varia_pelo_htmx(parlamentar):
    resposta = logado(parlamentar.usuario).get(reverse("emendas:buscar_beneficiarios"), {"q": "Mar"})
    assert "HX-Request" in resposta["Vary"]


def test_acao_desconhecida_na_url_da_indicacao_e_404(segov):
    assert logado(segov).enviar(reverse("emendas:agir_indicacao", args=[1, "inexistente"])).status_code == 404
