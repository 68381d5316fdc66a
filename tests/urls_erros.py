"""URLconf só dos testes: as rotas do sistema mais views que falham de propósito (páginas 400, 403, 404, 500, 503).

Usada com ``settings.ROOT_URLCONF = "tests.urls_erros"``; os tratadores de erro são os padrões do Django.
"""

import psycopg.errors
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.http import Http404, HttpResponse
from django.urls import include, path

SEGREDO = "detalhe-interno-que-nao-pode-aparecer"


def quebra(request):
    raise RuntimeError(f"falha de teste {SEGREDO}")


def suspeita(request):
    raise SuspiciousOperation(f"operação suspeita {SEGREDO}")


def proibida_sem_mensagem(request):
    raise PermissionDenied


def inexistente(request):
    raise Http404(f"No Inciso matches the given query {SEGREDO}")


def _erro_do_banco(causa):
    # O mesmo formato que o Django entrega: o erro do driver (psycopg) como __cause__ do OperationalError.
    try:
        raise causa
    except psycopg.Error as exc:
        raise OperationalError(str(exc)) from exc


def trava_esgotada(request):
    _erro_do_banco(psycopg.errors.LockNotAvailable(f"canceling statement due to lock timeout {SEGREDO}"))


def consulta_cancelada(request):
    _erro_do_banco(psycopg.errors.QueryCanceled(f"canceling statement due to statement timeout {SEGREDO}"))


def consulta_lenta(request):
    # Só no PostgreSQL: uma consulta de verdade que passa do statement_timeout da conexão.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")
    return HttpResponse("não devia chegar aqui")


def banco_fora(request):
    _erro_do_banco(psycopg.errors.ConnectionException(f"server closed the connection {SEGREDO}"))


urlpatterns = [
    path("teste/quebra/", quebra),
    path("teste/suspeita/", suspeita),
    path("teste/proibida/", proibida_sem_mensagem),
    path("teste/inexistente/", inexistente),
    path("teste/trava/", trava_esgotada),
    path("teste/consulta/", consulta_cancelada),
    path("teste/consulta-lenta/", consulta_lenta),
    path("teste/banco-fora/", banco_fora),
    path("", include("sigcon.urls")),
]
