"""Logs estruturados: uma linha JSON por registro, com id da requisição e usuário, pilha nos erros, sem token."""

import io
import json
import logging
import sys

import pytest
from django.test import Client

from sigcon.logs import FormatoJSON, MascararTokens
from tests.conftest import logado


@pytest.fixture
def linhas():
    """Um handler com o formatador de produção no logger raiz, lido como JSON no fim."""
    saida = io.StringIO()
    handler = logging.StreamHandler(saida)
    handler.setFormatter(FormatoJSON())
    handler.addFilter(MascararTokens())
    raiz = logging.getLogger()
    raiz.addHandler(handler)
    try:
        yield lambda: [json.loads(linha) for linha in saida.getvalue().splitlines()]
    finally:
        raiz.removeHandler(handler)


@pytest.mark.django_db
def test_aviso_durante_a_requisicao_leva_id_e_usuario(linhas, parlamentar):
    resposta = logado(parlamentar.usuario).get("/nao-existe/", HTTP_X_REQUEST_ID="req-teste-0001")
    assert resposta.status_code == 404 and resposta["X-Request-ID"] == "req-teste-0001"
    aviso = [linha for linha in linhas() if linha["logger"] == "django.request"]
    assert aviso and aviso[0]["nivel"] == "WARNING" and "/nao-existe/" in aviso[0]["mensagem"]
    assert aviso[0]["id_requisicao"] == "req-teste-0001"
    assert aviso[0]["usuario_id"] == str(parlamentar.usuario.pk)


@pytest.mark.django_db
def test_id_recebido_fora_do_formato_e_trocado_por_um_novo(linhas):
    resposta = Client().get("/nao-existe/", HTTP_X_REQUEST_ID="x\"}{ injetado")
    novo = resposta["X-Request-ID"]
    assert len(novo) == 32 and novo.isalnum()
    assert [linha["id_requisicao"] for linha in linhas() if linha["logger"] == "django.request"] == [novo]
    assert "usuario_id" not in linhas()[0]


@pytest.mark.django_db
def test_caminho_com_token_sai_mascarado(linhas):
    Client().get("/conta/senha/definir/MQ/abc123-0123456789abcdef/x/")
    texto = json.dumps(linhas())
    assert "0123456789abcdef" not in texto and "/senha/definir/MQ/***" in texto


def test_erro_leva_a_pilha_mascarada():
    try:
        raise RuntimeError("falhou em /conta/senha/definir/MQ/abc123-0123456789abcdef/")
    except RuntimeError:
        registro = logging.LogRecord("sigcon", logging.ERROR, __file__, 1, "erro: %s", ("x",), sys.exc_info())
    dados = json.loads(FormatoJSON().format(registro))
    assert dados["nivel"] == "ERROR" and dados["mensagem"] == "erro: x"
    assert "Traceback" in dados["pilha"] and "RuntimeError" in dados["pilha"]
    assert "0123456789abcdef" not in dados["pilha"]


def test_linha_de_acesso_do_gunicorn_vira_campos():
    atomos = {"m": "GET", "U": "/conta/senha/definir/MQ/abc-0123456789abcdef/", "q": "", "s": "200", "B": 10,
              "M": 12, "h": "10.0.0.1", "a": 'curl "x"', "{x-request-id}o": "abcdefgh1", "{sigcon.usuario_id}e": "7"}
    registro = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(m)s", None, None)
    registro.args = atomos  # o gunicorn passa os átomos num dicionário
    MascararTokens().filter(registro)
    dados = json.loads(FormatoJSON().format(registro))
    assert dados["caminho"] == "/conta/senha/definir/MQ/***/" and dados["status"] == 200
    assert dados["usuario_id"] == "7" and dados["id_requisicao"] == "abcdefgh1" and dados["agente"] == 'curl "x"'
    assert "consulta" not in dados  # vazio não entra
