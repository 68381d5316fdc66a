"""``python -m bench.http --explain``: o ``EXPLAIN ANALYZE`` das consultas das páginas medidas.

Chama cada página (e o seu piso) no processo do driver, contra o banco do bench, com o cliente de teste do
Django e ``CaptureQueriesContext``; imprime quantas consultas cada uma fez, o tempo somado, e o plano das mais
lentas (só ``SELECT``: nada é escrito).
"""

import os

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contas.models import Usuario

from .paginas import escolher, paginas

MAIS_LENTAS = int(os.environ.get("BENCH_EXPLAIN_N", "2"))


def login_do_perfil(cenario: dict, perfil: str) -> str:
    return {"parlamentar": cenario["parlamentares"][0], "segov": cenario["segov"][0],
            "analista": login_do_analista((cenario["analistas"] or [{"login": cenario["segov"][0]}])[0])}[perfil]


def login_do_analista(analista: dict) -> str:
    return analista.get("login") or analista["email"]


def capturar(cliente: Client, caminho: str):
    with CaptureQueriesContext(connection) as ctx:
        resposta = cliente.get(caminho, secure=True)
        if resposta.streaming:
            for _ in resposta.streaming_content:
                pass
    return resposta.status_code, ctx.captured_queries


def plano(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(linha[0] for linha in cursor.fetchall())


def explicar(cenario: dict) -> None:
    for pagina in escolher(paginas(cenario), os.environ.get("BENCH_SO", "")):
        login = login_do_perfil(cenario, pagina.perfil)
        cliente = Client()
        cliente.force_login(Usuario.objects.get(email=login))
        for qual in ("app", "piso"):
            caminho = pagina.caminho(qual, login)
            status, consultas = capturar(cliente, caminho)
            total_ms = sum(float(q["time"]) for q in consultas) * 1000
            print(f"\n=== {pagina.nome} ({qual}) {caminho} como {login}: HTTP {status}, {len(consultas)} consultas, "
                  f"{total_ms:.0f} ms no banco")
            selects = [q for q in consultas if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
            for q in sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:MAIS_LENTAS]:
                print(f"--- {float(q['time']) * 1000:.1f} ms: {q['sql'][:300]}")
                print(plano(q["sql"]))
