"""Tempos de espera do banco: as options da libpq por tipo de processo, a página 503 quando uma trava ou uma
consulta passa do limite, e nenhuma nova tentativa nesses casos.

O teste com trava de verdade roda só no PostgreSQL (uma segunda conexão segura a linha do inciso).
"""

import json
import logging
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg.errors
import pytest
import time_machine
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from emendas.models import Inciso, Remanejamento
from sigcon.views_util import decidir_em_lote
from sigcon import transacoes
from sigcon.banco import e_o_celery, opcoes_postgres, processo_atual, tempo_esgotado
from tests.concorrencia import so_no_postgres
from tests.conftest import logado, meio_dia
from tests.urls_erros import SEGREDO

RAIZ = Path(django_settings.BASE_DIR)
TEMPOS = django_settings.SIGCON_TEMPOS_DO_BANCO


# --- options da libpq (funções puras) ---------------------------------------------------------------------

@pytest.mark.parametrize("processo, esperado", [
    ("web", "-c lock_timeout=5000 -c statement_timeout=30000"),
    ("worker", "-c lock_timeout=30000 -c statement_timeout=600000"),
    ("comando", "-c lock_timeout=60000 -c statement_timeout=0"),
])
def test_options_de_cada_processo(processo, esperado):
    assert opcoes_postgres(processo, {}, TEMPOS) == esperado


def test_variaveis_trocam_os_tempos_so_do_processo_delas():
    env = {"SIGCON_DB_LOCK_TIMEOUT_WEB": "1500", "SIGCON_DB_STATEMENT_TIMEOUT_WEB": "0",
           "SIGCON_DB_LOCK_TIMEOUT_WORKER": "7"}
    assert opcoes_postgres("web", env, TEMPOS) == "-c lock_timeout=1500 -c statement_timeout=0"
    assert opcoes_postgres("comando", env, TEMPOS) == "-c lock_timeout=60000 -c statement_timeout=0"


@pytest.mark.parametrize("valor", ["5s", "-1", "1.5", "cinco", "٣"])
def test_tempo_que_nao_e_inteiro_de_ms_e_recusado_com_mensagem(valor):
    with pytest.raises(ImproperlyConfigured, match="SIGCON_DB_LOCK_TIMEOUT_WEB deve ser um número inteiro de milissegundos"):
        opcoes_postgres("web", {"SIGCON_DB_LOCK_TIMEOUT_WEB": valor}, TEMPOS)


@pytest.mark.parametrize("env, argv, esperado", [
    ({}, ["manage.py", "runserver", "0.0.0.0:8000"], "web"),
    ({}, ["manage.py", "migrate"], "comando"),
    ({}, ["/x/.venv/bin/pytest", "-q"], "comando"),
    ({"SIGCON_PROCESSO": "worker"}, ["manage.py", "runserver"], "worker"),
    ({"SIGCON_PROCESSO": "web"}, ["/x/.venv/bin/gunicorn"], "web"),
    ({"SIGCON_PROCESSO": " "}, ["manage.py", "shell"], "comando"),
])
def test_processo_atual(env, argv, esperado):
    assert processo_atual(env, argv) == esperado


def test_processo_desconhecido_e_recusado_com_mensagem():
    with pytest.raises(ImproperlyConfigured, match="SIGCON_PROCESSO='servidor' não existe: use web, worker, comando"):
        processo_atual({"SIGCON_PROCESSO": "servidor"}, [])


@pytest.mark.parametrize("argv, esperado", [
    (["/srv/sigcon/.venv/bin/celery", "-A", "sigcon", "worker", "-l", "info"], True),
    (["/srv/sigcon/.venv/bin/celery", "-A", "sigcon", "beat"], True),
    (["/usr/lib/python3/site-packages/celery/__main__.py", "-A", "sigcon", "worker"], True),
    (["manage.py", "runserver"], False),
    (["/x/.venv/bin/gunicorn", "sigcon.wsgi"], False),
    (["-c"], False),
    ([], False),
])
def test_e_o_celery(argv, esperado):
    assert e_o_celery(argv) is esperado


def _settings_num_processo(argv0: str, env_extra: dict) -> dict:
    """Carrega o settings num processo novo (sem conectar) e devolve o que importa do banco."""
    codigo = (
        "import sys, json; sys.argv = [%r, '-A', 'sigcon', 'worker'];"
        "import django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default'];"
        "print(json.dumps({'options': d['OPTIONS'].get('options'), 'saude': d['CONN_HEALTH_CHECKS'],"
        " 'idade': d['CONN_MAX_AGE'], 'processo': s.SIGCON_PROCESSO}))"
    ) % argv0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGCON_", "DATABASE_URL", "DJANGO_CONN"))}
    env.update({"DJANGO_SETTINGS_MODULE": "sigcon.settings", "DJANGO_DEBUG": "1",
                "DATABASE_URL": "postgres://sigcon@127.0.0.1:1/qualquer?options=-c%20search_path%3Dsigcon", **env_extra})
    saida = subprocess.run([sys.executable, "-c", codigo], cwd=RAIZ, env=env, capture_output=True, text=True, timeout=60)
    assert saida.returncode == 0, saida.stderr
    return json.loads(saida.stdout.strip().splitlines()[-1])


def test_settings_monta_a_conexao_do_web_sem_conectar():
    d = _settings_num_processo("/x/.venv/bin/gunicorn", {"SIGCON_PROCESSO": "web", "DJANGO_CONN_MAX_AGE": "120"})
    # O que a DATABASE_URL trouxe em ?options= continua lá.
    assert d == {"options": "-c search_path=sigcon -c lock_timeout=5000 -c statement_timeout=30000", "saude": True,
                 "idade": 120, "processo": "web"}


def test_worker_do_celery_ganha_os_tempos_do_worker_e_o_resto_nao():
    # sigcon/celery.py é importado por todo processo (sigcon/__init__.py): só o programa celery vira worker.
    celery = _settings_num_processo("/x/.venv/bin/celery", {})
    assert celery["processo"] == "worker" and celery["idade"] == 60
    assert celery["options"].endswith("-c lock_timeout=30000 -c statement_timeout=600000")
    outro = _settings_num_processo("manage.py", {})
    assert outro["processo"] == "comando" and outro["options"].endswith("-c lock_timeout=60000 -c statement_timeout=0")


# --- página 503 ---------------------------------------------------------------------------------------------

@pytest.fixture
def urls_de_teste(settings):
    settings.ROOT_URLCONF = "tests.urls_erros"


@pytest.mark.django_db
def test_trava_esgotada_da_503_em_portugues_e_avisa_no_log(urls_de_teste, parlamentar, caplog):
    with caplog.at_level(logging.WARNING, logger="sigcon.middleware"):
        resposta = logado(parlamentar.usuario).post("/teste/trava/", {"senha": "nao-logar-isto"})
    html = resposta.content.decode()
    assert resposta.status_code == 503 and resposta["Retry-After"] == "5"
    assert "Registro em uso" in html
    assert "Outra pessoa está alterando este mesmo registro agora." in html
    assert "Nada do que você enviou foi gravado. Tente de novo em alguns segundos." in html
    assert 'aria-label="Menu principal"' in html  # a página tem o menu
    assert SEGREDO not in html and "lock timeout" not in html
    avisos = [r for r in caplog.records if r.name == "sigcon.middleware"]
    assert len(avisos) == 1 and avisos[0].levelno == logging.WARNING
    texto = avisos[0].getMessage()
    assert "55P03" in texto and "/teste/trava/" in texto and f"usuário {parlamentar.usuario.pk}" in texto
    assert SEGREDO not in texto and "nao-logar-isto" not in texto


@pytest.mark.django_db
def test_consulta_cancelada_da_503_que_diz_que_demorou_demais(urls_de_teste, parlamentar):
    resposta = logado(parlamentar.usuario).get("/teste/consulta/")
    html = resposta.content.decode()
    assert resposta.status_code == 503
    assert "A operação demorou mais que o limite e foi interrompida." in html and "Nada do que você enviou" in html


@pytest.mark.django_db
def test_htmx_recebe_so_o_trecho_com_a_mensagem(urls_de_teste, parlamentar):
    resposta = logado(parlamentar.usuario).get("/teste/trava/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="incisos-da-uo")
    html = resposta.content.decode()
    # 200: o htmx 2 não troca o conteúdo de respostas 4xx/5xx; o trecho entra no alvo (innerHTML).
    assert resposta.status_code == 200 and resposta["HX-Reswap"] == "innerHTML"
    assert "<html" not in html and "<nav" not in html
    assert "Outra pessoa está alterando este mesmo registro agora." in html


@pytest.mark.django_db
def test_outro_erro_do_banco_segue_para_a_pagina_500(urls_de_teste, parlamentar):
    cliente = Client(raise_request_exception=False)
    cliente.force_login(parlamentar.usuario)
    resposta = cliente.get("/teste/banco-fora/")
    assert resposta.status_code == 500 and "Erro no sistema" in resposta.content.decode()


def _erro(causa):
    try:
        raise causa
    except psycopg.Error as exc:
        try:
            raise OperationalError(str(exc)) from exc
        except OperationalError as erro:
            return erro


def test_tempo_esgotado_reconhece_so_os_dois_codigos():
    assert tempo_esgotado(_erro(psycopg.errors.LockNotAvailable("x"))) == "55P03"
    assert tempo_esgotado(_erro(psycopg.errors.QueryCanceled("x"))) == "57014"
    assert tempo_esgotado(_erro(psycopg.errors.DeadlockDetected("x"))) is None
    assert tempo_esgotado(OperationalError("database is locked")) is None  # SQLite: sem causa com código
    assert tempo_esgotado(ValueError("x")) is None


# --- sem nova tentativa ---------------------------------------------------------------------------------------

# transaction=True: dentro da transação de um teste comum o atomico nunca refaz nada (não há como refazer só um
# pedaço), e o teste passaria sem provar coisa alguma.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("causa", [psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled])
def test_atomico_nao_refaz_trava_esgotada_nem_consulta_cancelada(causa):
    chamadas = []

    @transacoes.atomico
    def servico():
        chamadas.append(1)
        raise _erro(causa("tempo esgotado"))

    transacoes.zerar_retentativas()
    assert not connection.in_atomic_block
    with pytest.raises(OperationalError):
        servico()
    assert len(chamadas) == 1 and transacoes.retentativas() == 0


@pytest.mark.django_db(transaction=True)
def test_atomico_continua_refazendo_deadlock():
    # O contraste: deadlock (40P01) é refeito até TENTATIVAS vezes.
    chamadas = []

    @transacoes.atomico
    def servico():
        chamadas.append(1)
        raise _erro(psycopg.errors.DeadlockDetected("deadlock"))

    transacoes.zerar_retentativas()
    with pytest.raises(OperationalError):
        servico()
    assert len(chamadas) == transacoes.TENTATIVAS and transacoes.retentativas() == transacoes.TENTATIVAS - 1
    transacoes.zerar_retentativas()


@pytest.mark.django_db
def test_lote_para_na_trava_esgotada_e_diz_o_que_ficou_de_fora():
    # Cada item tem a sua transação: os anteriores já valeram, então não pode sair a página "nada foi gravado".
    request = RequestFactory().post("/emendas/remanejamentos/analise/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    feitos = []

    def executar(n):
        if n == 3:
            raise _erro(psycopg.errors.LockNotAvailable("lock timeout"))
        feitos.append(n)

    decidir_em_lote(request, iter([1, 2, 3, 4, 5]), executar, numero=lambda n: n, feitos_em=("pedido aprovado", "pedidos aprovados"),
                    falha="Não processado")
    assert feitos == [1, 2]  # o 4 e o 5 nem foram tentados: cada um esperaria a trava de novo
    textos = [str(m) for m in get_messages(request)]
    assert textos == [
        "2 pedidos aprovados: nº 1, 2.",
        "Não processado — nº 3, 4, 5: Outra pessoa está alterando este mesmo registro agora. "
        "Tente de novo em alguns segundos.",
    ]


@pytest.mark.django_db
def test_lote_com_deadlock_num_item_segue_para_os_outros_e_diz_qual_falhou():
    # O deadlock que sobrou às novas tentativas do atomico desfez só aquele item: antes virava página 500 depois
    # de os itens anteriores já terem sido gravados.
    request = RequestFactory().post("/emendas/remanejamentos/analise/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    feitos = []

    def executar(n):
        if n == 2:
            raise _erro(psycopg.errors.DeadlockDetected("deadlock detected"))
        feitos.append(n)

    decidir_em_lote(request, [1, 2, 3], executar, numero=lambda n: n, feitos_em=("pedido aprovado", "pedidos aprovados"),
                    falha="Não processado")
    assert feitos == [1, 3]
    assert [str(m) for m in get_messages(request)] == [
        "2 pedidos aprovados: nº 1, 3.",
        "Não processado — nº 2: conflito com outra gravação simultânea; nada foi gravado neste item. "
        "Tente de novo em alguns segundos.",
    ]


@pytest.mark.django_db
def test_lote_deixa_subir_os_outros_erros_do_banco():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    def executar(n):
        raise _erro(psycopg.errors.ConnectionException("caiu"))

    with pytest.raises(OperationalError):
        decidir_em_lote(request, [1], executar, numero=lambda n: n, feitos_em=("x", "xs"), falha="y")


# --- PostgreSQL de verdade ------------------------------------------------------------------------------------

def _estado_do_banco():
    contagens = {
        m._meta.label: m.objects.count()
        for app in ("contas", "emendas", "convenios", "notificacoes", "auditoria")
        for m in apps.get_app_config(app).get_models()
    }
    return contagens, sorted(Inciso.objects.values_list("pk", "valor_inicial", "numero"))


@contextmanager
def _opcoes_da_conexao(options: str):
    """As options da libpq da conexão deste teste trocadas por *options* (a conexão reabre com elas)."""
    opcoes = connection.settings_dict.setdefault("OPTIONS", {})
    antes = opcoes.get("options")
    connection.close()
    opcoes["options"] = options
    try:
        yield
    finally:
        connection.close()
        if antes is None:
            opcoes.pop("options", None)
        else:
            opcoes["options"] = antes


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_pedido_de_remanejamento_com_o_inciso_travado_recebe_503_rapido_e_nada_muda(
    programacoes, inciso, parlamentar, acao_saude_2, grupo_inv,
):
    so_no_postgres()
    cliente = logado(parlamentar.usuario)
    url = reverse("emendas:novo_remanejamento", args=[inciso.pk])
    dados = {"acao": acao_saude_2.pk, "grupo_despesa": grupo_inv.pk, "valor": "1.000,00", "detalhamento": "UBS",
             "confirmar": "1"}
    antes = _estado_do_banco()
    travado, soltar = threading.Event(), threading.Event()

    def outra_pessoa():
        # Outra conexão (outra thread) com a linha do inciso travada numa transação aberta, como um serviço que
        # está no meio de uma mudança no mesmo titular.
        try:
            with transaction.atomic():
                Inciso.objects.select_for_update().get(pk=inciso.pk)
                travado.set()
                soltar.wait(30)
        finally:
            connection.close()

    segurando = threading.Thread(target=outra_pessoa)
    segurando.start()
    transacoes.zerar_retentativas()
    try:
        assert travado.wait(10), "a outra conexão não conseguiu travar o inciso"
        with _opcoes_da_conexao("-c lock_timeout=1000"), time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
            inicio = time.monotonic()
            resposta = cliente.enviar(url, dados)
            duracao = time.monotonic() - inicio
    finally:
        soltar.set()
        segurando.join(30)
    html = resposta.content.decode()
    assert resposta.status_code == 503, html[:500]
    assert "Outra pessoa está alterando este mesmo registro agora." in html
    assert "Nada do que você enviou foi gravado." in html
    # Esperou a trava (o lock_timeout de 1 s) e desistiu: nunca pendurado, nunca refeito.
    assert 0.9 <= duracao < 4, duracao
    assert transacoes.retentativas() == 0
    assert _estado_do_banco() == antes
    assert not Remanejamento.objects.exists()
    # Com a trava solta, o mesmo envio passa.
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        assert cliente.enviar(url, dados).status_code == 302
    assert Remanejamento.objects.count() == 1


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_consulta_alem_do_statement_timeout_recebe_503(settings, parlamentar):
    so_no_postgres()
    settings.ROOT_URLCONF = "tests.urls_erros"
    cliente = logado(parlamentar.usuario)
    with _opcoes_da_conexao("-c statement_timeout=300"):
        inicio = time.monotonic()
        resposta = cliente.get("/teste/consulta-lenta/")
        duracao = time.monotonic() - inicio
    assert resposta.status_code == 503
    assert "A operação demorou mais que o limite e foi interrompida." in resposta.content.decode()
    assert duracao < 3, duracao
