"""Redirecionamento só para este site; busca de convenentes e motivo do SIAFI só para quem precisa."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contas import perfis
from convenios import services as convenios
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente, Liberacao
from emendas.models import Remanejamento
from emendas.services import enviar_indicacao, solicitar_remanejamento
from tests.conftest import criar_usuario, logado, meio_dia
from tests.fabricas import cenario_convenio, convenio_vigente, proposta_aprovada

pytestmark = pytest.mark.django_db
LIVRE = date(2019, 2, 1)

FORJADOS = [
    "https://atacante.test/login",
    "//atacante.test/login",
    "http://atacante.test/",
    "javascript:alert(document.cookie)",
    "\\\\atacante.test/login",
    "https:/\\atacante.test/",
    "/emendas/\r\nSet-Cookie: sessionid=roubada",
]


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def rem(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    return solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                   grupo_despesa=grupo_inv, valor=Decimal("10.00"))


# --- redirecionamentos ------------------------------------------------------------------------------

@pytest.mark.parametrize("voltar", FORJADOS)
def test_aprovar_remanejamento_com_voltar_forjado_volta_para_o_proprio_pedido(rem, segov, voltar):
    r = logado(segov).enviar(reverse("emendas:aprovar_remanejamento", args=[rem.pk]), {"voltar": voltar, "confirmado": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("emendas:remanejamento", args=[rem.pk])
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.APROVADO  # a ação vale; só o destino forjado é ignorado


@pytest.mark.parametrize("voltar", FORJADOS)
def test_reprovar_remanejamento_com_voltar_forjado_nao_sai_do_site(rem, segov, voltar):
    r = logado(segov).enviar(reverse("emendas:reprovar_remanejamento", args=[rem.pk]),
                           {"voltar": voltar, "justificativa": "Fora da política.", "confirmado": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("emendas:remanejamento", args=[rem.pk])


def test_voltar_para_uma_pagina_do_site_continua_valendo(rem, segov):
    fila = reverse("emendas:analise_remanejamentos") + "?status=SOLICITADO"
    r = logado(segov).enviar(reverse("emendas:aprovar_remanejamento", args=[rem.pk]), {"voltar": fila, "confirmado": "1"})
    assert r["Location"] == fila


@pytest.mark.parametrize("voltar", FORJADOS)
def test_acao_do_orgao_na_indicacao_com_voltar_forjado_nao_sai_do_site(inciso, parlamentar, analista_orgao, voltar):
    ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                           valor=Decimal("10.00"), beneficiario=None, objeto="Obra")
    r = logado(analista_orgao).enviar(reverse("emendas:agir_indicacao", args=[ind.pk, "aprovar_orgao"]),
                                    {"voltar": voltar, "confirmado": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("emendas:indicacao", args=[ind.pk])


@pytest.mark.parametrize("voltar", FORJADOS)
def test_autorizar_liberacao_com_voltar_forjado_volta_para_a_proposta(inciso, parlamentar, analista_orgao, segov,
                                                                     voltar):
    conv, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                          segov=segov)
    p = proposta_aprovada(cadastrador=usuario, convenente=conv, indicacao=ind, analista_orgao=analista_orgao,
                          valor=Decimal("1000.00"), objeto="x")
    convenio_vigente(cadastrador=usuario, analista_orgao=analista_orgao, proposta=p)
    lib = convenios.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=Decimal("500.00"))
    r = logado(segov).enviar(reverse("convenios:autorizar", args=[lib.pk]), {"voltar": voltar, "confirmado": "1"})
    assert r.status_code == 302 and r["Location"] == reverse("convenios:proposta", args=[p.pk])
    assert Liberacao.objects.get().status == Liberacao.Status.AUTORIZADA


# --- busca de convenentes ---------------------------------------------------------------------------

@pytest.fixture
def bloqueado(db):
    return Convenente.objects.create(cnpj=gerar_cnpj(77), razao_social="Prefeitura de Betim", municipio="Betim",
                                     tipo="ADM_MUNICIPAL", siafi_bloqueado=True,
                                     siafi_motivo="Inscrição em dívida ativa nº 123")


def _busca(usuario):
    return logado(usuario).get(reverse("emendas:buscar_beneficiarios"), {"q": "betim"})


def test_convenente_nao_procura_outros_convenentes(bloqueado, convenente):
    bloqueado.usuarios.add(convenente)
    r = _busca(convenente)
    assert r.status_code == 403
    assert "dívida ativa" not in r.content.decode()


@pytest.mark.parametrize("perfil", [perfis.VISUALIZADOR, None])
def test_outros_perfis_nao_procuram_convenentes(bloqueado, perfil):
    assert _busca(criar_usuario("alguem@x.test", perfil)).status_code == 403


def test_parlamentar_procura_e_ve_o_bloqueio_mas_nao_o_motivo(bloqueado, parlamentar):
    r = _busca(parlamentar.usuario)
    html = r.content.decode()
    assert r.status_code == 200 and "Prefeitura de Betim" in html and "bloqueado" in html
    assert "dívida ativa" not in html


def test_orgao_e_segov_veem_o_motivo_do_bloqueio(bloqueado, analista_orgao, segov):
    for usuario in (analista_orgao, segov):
        r = _busca(usuario)
        assert r.status_code == 200 and "Inscrição em dívida ativa nº 123" in r.content.decode()
