"""O servidor de produção de verdade (``make serve``: collectstatic + migrate + gunicorn), por HTTP.

É o "pronto" da issue de produção: sem DEBUG, com chave e hosts, ``/saude/`` responde 200; atrás de um proxy
que diz ``X-Forwarded-Proto: https`` o login sai com a folha de estilos (nome com hash, comprimida, cache longo)
e uma página inexistente dá o 404 em português; por HTTP puro vai para HTTPS (menos ``/saude/``); com o banco
ou o broker fora, ``/saude/`` dá 503 dizendo qual.
"""

import json
import re
import time

import pytest
from django.db import connection

from tests import servidor

HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def producao(django_db_setup, django_db_blocker, tmp_path_factory):
    pasta = tmp_path_factory.mktemp("producao")
    with django_db_blocker.unblock():
        url, _ = servidor.url_do_banco_de_testes(connection, pasta)
    ambiente = servidor.ambiente_de_producao(
        DATABASE_URL=url, PORT=servidor.porta_livre(), DJANGO_STATIC_ROOT=pasta / "estaticos",
    )
    srv = servidor.make_serve(ambiente, pasta / "servidor.log").esperar()
    yield srv
    srv.parar()


def test_saude_responde_200_em_json_por_http_interno(producao):
    r = producao.get("/saude/")
    assert r.status_code == 200, r.text
    corpo = r.json()
    assert corpo["status"] == "ok" and corpo["fora_do_ar"] == []
    assert corpo["partes"]["banco"]["status"] == "ok"
    assert "no-store" in r.headers["Cache-Control"]


def test_login_atras_do_proxy_https_vem_com_a_folha_de_estilos(producao):
    r = producao.get("/conta/entrar/", headers=HTTPS)
    assert r.status_code == 200
    assert "Secure" in r.headers["Set-Cookie"] and "max-age=31536000" in r.headers["Strict-Transport-Security"]
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Referrer-Policy"] == "same-origin"
    folhas = re.findall(r'href="(/static/[^"]+\.css)"', r.text)
    assert any(re.search(r"/css/sigcon\.[0-9a-f]{12}\.css$", f) for f in folhas), folhas
    for folha in folhas:
        css = producao.get(folha, headers={**HTTPS, "Accept-Encoding": "gzip"})
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css"), folha
        assert "immutable" in css.headers["Cache-Control"] and css.headers.get("Content-Encoding") == "gzip"
    # O nome sem hash não é o que as páginas usam, mas continua servido (links antigos, e-mails).
    assert producao.get("/static/css/sigcon.css", headers=HTTPS).status_code == 200


def test_pagina_inexistente_da_404_em_portugues(producao):
    r = producao.get("/nao-existe/", headers=HTTPS)
    assert r.status_code == 404
    assert 'lang="pt-BR"' in r.text and "Not Found" not in r.text


def test_http_puro_vai_para_https_menos_a_saude(producao):
    r = producao.get("/conta/entrar/", follow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"] == f"https://127.0.0.1:{producao.porta}/conta/entrar/"
    assert producao.get("/saude/", follow_redirects=False).status_code == 200


def test_host_fora_da_lista_e_recusado(producao):
    assert producao.get("/conta/entrar/", headers={**HTTPS, "Host": "intruso.example"}).status_code == 400


def test_log_de_acesso_em_json_com_id_da_requisicao_e_sem_token(producao):
    token = "abc123-0123456789abcdef0123456789abcdef"
    r = producao.get(f"/conta/senha/definir/MQ/{token}/", headers={**HTTPS, "X-Request-ID": "teste-log-0001"})
    assert r.headers["X-Request-ID"] == "teste-log-0001"
    # O gunicorn escreve a linha de acesso depois de mandar a resposta: espera por ela um pouco.
    prazo = time.monotonic() + 10
    while True:
        linhas = [json.loads(linha) for linha in producao.log().splitlines() if linha.startswith("{")]
        acesso = [linha for linha in linhas if linha.get("id_requisicao") == "teste-log-0001"]
        if acesso or time.monotonic() > prazo:
            break
        time.sleep(0.2)
    assert acesso and acesso[0]["caminho"] == "/conta/senha/definir/MQ/***/"
    assert {"metodo", "status", "duracao_ms", "ip"} <= set(acesso[0])
    assert token not in producao.log()


def _saude_com(tmp_path, **extra):
    ambiente = servidor.ambiente_de_producao(PORT=servidor.porta_livre(), **extra)
    srv = servidor.gunicorn(ambiente, tmp_path / "servidor.log").esperar()
    try:
        return srv.get("/saude/")
    finally:
        srv.parar()


def test_saude_com_o_banco_fora_do_ar_da_503_dizendo_que_e_o_banco(tmp_path):
    # Uma porta onde nada escuta: o PostgreSQL recusa a conexão na hora.
    r = _saude_com(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{servidor.porta_livre()}/sigcon")
    assert r.status_code == 503
    assert r.json()["fora_do_ar"] == ["banco"] and r.json()["status"] == "indisponível"


@pytest.mark.django_db
def test_saude_com_o_broker_fora_do_ar_da_503_dizendo_que_e_o_broker(tmp_path):
    url, migrar = servidor.url_do_banco_de_testes(connection, tmp_path)
    porta_morta = servidor.porta_livre()
    r = _saude_com(tmp_path, DATABASE_URL=url, CELERY_BROKER_URL=f"redis://127.0.0.1:{porta_morta}/0")
    assert r.status_code == 503
    fora = r.json()["fora_do_ar"]
    # O cache compartilhado usa o mesmo Redis do broker quando não há REDIS_URL: cai junto.
    assert "broker" in fora and "banco" not in fora, r.json()


@pytest.mark.django_db
def test_rajada_de_50_requisicoes_nao_abre_mais_conexoes_que_as_threads(producao):
    # O runserver abria uma conexão por thread de requisição e a deixava aberta (conn_max_age): 50 pedidos
    # simultâneos esgotaram as 100 conexões do PostgreSQL. No gunicorn gthread as threads são fixas
    # (ambiente_de_producao: 1 processo × 2 threads), então as conexões também.
    if connection.vendor != "postgresql":
        pytest.skip("conta as conexões em pg_stat_activity: só no PostgreSQL")
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=50) as pool:
        codigos = list(pool.map(lambda _: producao.get("/saude/", timeout=60).status_code, range(50)))
    assert codigos == [200] * 50
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        abertas = cursor.fetchone()[0]
    assert 1 <= abertas <= 2, abertas
