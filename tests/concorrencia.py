"""Auxiliar dos testes de concorrência: roda funções ao mesmo tempo, cada uma na sua thread e conexão."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection


def so_no_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concorrência real exige PostgreSQL (defina DATABASE_URL); SQLite serializa tudo")


def em_paralelo(funcoes, *, espera: int = 120):
    """Resultados (ou exceções) de *funcoes*, largadas juntas por uma barreira."""
    barreira = threading.Barrier(len(funcoes))
    resultados = [None] * len(funcoes)

    def rodar(k, f):
        try:
            barreira.wait()
            resultados[k] = f()
        except Exception as exc:  # o resultado de cada thread é conferido pelo teste
            resultados[k] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=rodar, args=(k, f)) for k, f in enumerate(funcoes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=espera)
    return resultados


def esperar_ate(condicao, *, limite: float = 60, descricao: str = "a condição") -> None:
    """Confere *condicao* até ela valer: sincroniza uma thread com o que outra (ou o banco) já fez. Não mede tempo;
    *limite* só impede um teste quebrado de ficar parado para sempre."""
    fim = time.monotonic() + limite
    while not condicao():
        assert time.monotonic() < fim, f"não aconteceu em {limite} s: {descricao}"
        time.sleep(0.01)


def esperando_trava_consultiva(classe: int) -> int:
    """Quantas sessões estão paradas esperando uma trava consultiva ``pg_advisory_lock(classe, n)``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = %s "
                       "AND objsubid = 2 AND NOT granted", [classe])
        return cursor.fetchone()[0]


@contextmanager
def primeiro_envio_rodando(chave: str):
    """O primeiro envio de um formulário (``envios.unico``, *chave* do token) ainda rodando noutro processo: no
    PostgreSQL outra conexão segura a vez do token até a saída do bloco; no SQLite, onde é a reserva sem resultado
    (e nova) que diz "rodando", nada a fazer."""
    from envios.unico import trava_do_token

    if connection.vendor != "postgresql":
        yield
        return
    segurando, soltar = threading.Event(), threading.Event()

    def segurar():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", trava_do_token(chave))
            segurando.set()
            soltar.wait(120)
        finally:
            connection.close()  # a sessão acaba e a trava vai junto

    outra = threading.Thread(target=segurar)
    outra.start()
    assert segurando.wait(60), "a outra conexão não conseguiu a trava"
    try:
        yield
    finally:
        soltar.set()
        outra.join(60)
