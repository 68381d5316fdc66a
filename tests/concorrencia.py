"""Auxiliar dos testes de concorrência: roda funções ao mesmo tempo, cada uma na sua thread e conexão."""

import threading

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
