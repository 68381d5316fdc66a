"""Sessão de um dia de trabalho, renovada sem gravar a cada requisição, e a volta à mesma página quando ela vence
(navegação comum, trecho htmx e POST), sem nunca mandar ``next`` para fora do site."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from contas.sessao import RENOVAR_A_CADA
from emendas.models import Remanejamento
from tests.conftest import SENHA, logado

pytestmark = pytest.mark.django_db

AVISO = "Sua sessão expirou; entre de novo para continuar."
PAGINA = "/emendas/remanejamentos/?uo=7&ano=2019"
INICIO = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))


def _vencer_sessoes():
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def _login_e_parametros(url: str):
    partes = urlsplit(url)
    assert partes.path == "/conta/entrar/", url
    return {k: v[0] for k, v in parse_qs(partes.query).items()}


def _gravacoes_da_sessao(capturadas) -> list[str]:
    return [q["sql"] for q in capturadas if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def test_sessao_dura_um_dia_de_trabalho_sem_gravar_a_cada_requisicao():
    assert django_settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is False
    assert RENOVAR_A_CADA == 5 * 60


def test_sessao_desliza_enquanto_a_pessoa_usa_e_vence_9_horas_depois_do_ultimo_uso(parlamentar):
    with time_machine.travel(INICIO, tick=False) as relogio:
        cliente = logado(parlamentar.usuario)  # o login grava a sessão com a marca da renovação
        for minutos in (0, 2, 2):  # 0, 2 e 4 minutos depois do login
            relogio.shift(timedelta(minutes=minutos))
            with CaptureQueriesContext(connection) as capturadas:
                resposta = cliente.get("/")
            # Dentro dos 5 minutos (também logo depois do login): nada gravado no banco e nenhum cookie novo.
            assert resposta.status_code == 200 and _gravacoes_da_sessao(capturadas) == []
            assert django_settings.SESSION_COOKIE_NAME not in resposta.cookies
        relogio.shift(timedelta(hours=8))
        with CaptureQueriesContext(connection) as capturadas:
            resposta = cliente.get("/")
        # Passados os 5 minutos: uma gravação, o prazo recomeça e o cookie volta com 9 h.
        assert resposta.status_code == 200 and len(_gravacoes_da_sessao(capturadas)) == 1
        assert resposta.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 60 * 60
        relogio.shift(timedelta(hours=8, minutes=50))
        assert cliente.get("/").status_code == 200  # 16 h 52 depois do login, ainda dentro
        relogio.shift(timedelta(hours=9, minutes=1))
        resposta = cliente.get(PAGINA)
    assert resposta.status_code == 302
    assert _login_e_parametros(resposta.url) == {"next": PAGINA, "sessao": "expirou"}


def test_get_sem_sessao_vai_ao_login_com_next_e_volta_a_pagina(parlamentar):
    cliente = Client()
    resposta = cliente.get(PAGINA)
    assert resposta.status_code == 302
    # Quem nunca entrou (sem cookie de sessão) não ouve que a sessão expirou.
    assert _login_e_parametros(resposta.url) == {"next": PAGINA}
    resposta = cliente.post(resposta.url, {"username": parlamentar.usuario.email, "password": SENHA, "next": PAGINA})
    assert resposta.status_code == 302 and resposta.url == PAGINA


def test_get_com_sessao_vencida_avisa_na_pagina_de_login(parlamentar):
    cliente = logado(parlamentar.usuario)
    _vencer_sessoes()
    resposta = cliente.get(PAGINA, follow=True)
    html = resposta.content.decode()
    assert resposta.redirect_chain[-1][0].startswith("/conta/entrar/?")
    assert AVISO in html and f'name="next" value="{PAGINA}"' in html.replace("&amp;", "&")


def test_pagina_de_login_sem_aviso_nao_fala_de_sessao(client):
    assert AVISO not in client.get("/conta/entrar/").content.decode()


def test_sessao_anonima_com_dados_nao_e_sessao_vencida(client):
    sessao = client.session
    sessao["qualquer"] = 1
    sessao.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = sessao.session_key
    assert _login_e_parametros(client.get(PAGINA).url) == {"next": PAGINA}


def test_htmx_com_sessao_vencida_troca_a_pagina_inteira_e_volta_onde_estava(parlamentar):
    cliente = logado(parlamentar.usuario)
    _vencer_sessoes()
    resposta = cliente.get("/emendas/remanejamentos/?uo=7", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="incisos-da-uo",
                           HTTP_HX_CURRENT_URL=f"http://testserver{PAGINA}#tabela")
    # Nada da página de login dentro do trecho: o htmx troca a página inteira pelo HX-Redirect.
    assert resposta.status_code == 200 and resposta.content == b""
    assert _login_e_parametros(resposta["HX-Redirect"]) == {"next": PAGINA, "sessao": "expirou"}


def test_post_com_sessao_vencida_volta_ao_formulario_e_nao_grava(programacoes, inciso, parlamentar, acao_saude_2,
                                                                 grupo_inv):
    cliente = logado(parlamentar.usuario)
    _vencer_sessoes()
    formulario = f"/emendas/remanejamentos/inciso/{inciso.pk}/novo/"
    resposta = cliente.post(formulario, {"acao": acao_saude_2.pk, "grupo_despesa": grupo_inv.pk, "valor": "10,00",
                                         "confirmar": "1"}, HTTP_REFERER=f"http://testserver{formulario}?de=lista")
    assert resposta.status_code == 302
    assert _login_e_parametros(resposta.url) == {"next": f"{formulario}?de=lista", "sessao": "expirou-envio"}
    assert not Remanejamento.objects.exists()
    html = cliente.get(resposta.url).content.decode()
    assert AVISO in html and "O formulário que você enviou não foi gravado" in html
    # Entrou de novo: volta ao mesmo formulário.
    resposta = cliente.post(resposta.url, {"username": parlamentar.usuario.email, "password": SENHA,
                                           "next": f"{formulario}?de=lista"})
    assert resposta.status_code == 302 and resposta.url == f"{formulario}?de=lista"


def test_post_sem_referer_volta_ao_endereco_do_envio(parlamentar):
    cliente = logado(parlamentar.usuario)
    _vencer_sessoes()
    resposta = cliente.post("/conta/senha/alterar/", {"old_password": "x"})
    assert _login_e_parametros(resposta.url) == {"next": "/conta/senha/alterar/", "sessao": "expirou-envio"}


def test_sair_continua_levando_ao_login_sem_aviso(parlamentar):
    resposta = logado(parlamentar.usuario).post("/conta/sair/")
    assert resposta.status_code == 302 and resposta.url == "/conta/entrar/"


FORA_DO_SITE = [
    "https://evil.example/roubar",
    "//evil.example/roubar",
    "http://testserver//evil.example/roubar",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "http://testserver/ok\r\nSet-Cookie: x=1",
    "/\\evil.example",
]


def _next_seguro(url: str):
    proximo = _login_e_parametros(url).get("next")
    if proximo is not None:
        assert proximo.startswith("/") and not proximo.startswith(("//", "/\\")), proximo
        assert url_has_allowed_host_and_scheme(proximo, allowed_hosts={"testserver"}), proximo
    return proximo


@pytest.mark.parametrize("endereco", FORA_DO_SITE)
def test_htmx_nunca_manda_next_para_fora_do_site(parlamentar, endereco):
    cliente = logado(parlamentar.usuario)
    _vencer_sessoes()
    resposta = cliente.get("/emendas/remanejamentos/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=endereco)
    # Sem a página de origem, nenhum next (o endereço do trecho não serve): depois de entrar, o início.
    assert _next_seguro(resposta["HX-Redirect"]) is None


@pytest.mark.parametrize("endereco", FORA_DO_SITE)
def test_post_nunca_manda_next_para_fora_do_site(parlamentar, endereco):
    cliente = logado(parlamentar.usuario)
    _vencer_sessoes()
    resposta = cliente.post("/emendas/remanejamentos/analise/", {"acao_lote": "aprovar"}, HTTP_REFERER=endereco)
    assert _next_seguro(resposta.url) == "/emendas/remanejamentos/analise/"


def test_login_recusa_next_de_fora_mesmo_com_o_aviso(parlamentar):
    # O ?next= da página de login pode ser digitado por qualquer um: o LoginView só segue endereços deste site.
    cliente = Client()
    resposta = cliente.post("/conta/entrar/?next=https://evil.example/&sessao=expirou",
                            {"username": parlamentar.usuario.email, "password": SENHA, "next": "https://evil.example/"})
    assert resposta.status_code == 302 and resposta.url == "/"
