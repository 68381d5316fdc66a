"""Medição in-process do caminho de escrita no dia do prazo (fora do ``make bench``).

    DATABASE_URL=postgres://.../sigcon_med DJANGO_DEBUG=1 .venv/bin/python bench/rajada_escrita.py [rodadas]

Cria um banco de teste próprio (``test_<nome>``), monta o cenário de ``tests/rajada.py`` e mede:

1. um POST de cada vez (c=1): tempo (mín/mediana/máx de 15), consultas e consultas segurando as travas do POST de
   remanejamento e do de indicação (2 beneficiários), com 100 incisos no titular; o lote de 50 de cada fila;
2. a rajada: todos os parlamentares postando ao mesmo tempo e a SEGOV aprovando 50 itens em cada fila, *rodadas*
   vezes: p50/p95 por tipo de POST, erros (status ≠ 302), transações refeitas (deadlock/serialização) e o
   invariante do dinheiro depois.

Os tempos são do processo (threads do mesmo Python, GIL incluída), não do servidor de produção: servem para
comparar antes e depois no mesmo computador.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigcon.settings")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from emendas import selectors  # noqa: E402
from emendas.models import Inciso, Remanejamento  # noqa: E402
from sigcon import transacoes  # noqa: E402
from tests import rajada  # noqa: E402
from tests.conftest import meio_dia  # noqa: E402


def resumo(valores):
    valores = sorted(valores)
    p95 = valores[max(0, int(round(0.95 * len(valores))) - 1)]
    return (f"mín {valores[0] * 1000:7.1f} ms  mediana {statistics.median(valores) * 1000:7.1f} ms  "
            f"p95 {p95 * 1000:7.1f} ms  máx {valores[-1] * 1000:7.1f} ms  (n={len(valores)})")


def sob_trava(consultas) -> tuple[int, int]:
    """Quantas consultas o POST faz segurando a trava dos incisos do titular e a do contador de numeração (da
    consulta que a toma até a última escrita da transação): o que os outros POSTs do titular — e, no contador, os
    de todos os titulares — esperam."""
    sqls = [c["sql"] for c in consultas]
    escritas = [k for k, q in enumerate(sqls) if q.startswith(("INSERT", "UPDATE"))]
    fim = escritas[-1] if escritas else -1

    def desde(condicao):
        inicio = next((k for k, q in enumerate(sqls) if condicao(q)), None)
        return 0 if inicio is None else fim - inicio + 1

    return (desde(lambda q: "FOR NO KEY UPDATE" in q and "emendas_inciso" in q),
            desde(lambda q: "emendas_sequenciaexercicio" in q))


def um_de_cada_vez(repeticoes=15):
    cenario = rajada.montar(parlamentares=2, incisos_por_titular=100, pendentes=50)
    clientes = rajada.entrar(cenario)
    for tipo in ("lote_remanejamentos", "lote_indicacoes"):
        _, cliente, url, dados = next(p for p in rajada.pedidos(cenario, clientes) if p[0] == tipo)
        with CaptureQueriesContext(connection) as q:
            inicio = time.perf_counter()
            resposta = cliente.post(url, dados)
            segundos = time.perf_counter() - inicio
        assert resposta.status_code == 302, resposta.status_code
        print(f"POST {tipo:19s} c=1 50 itens  {segundos * 1000:7.1f} ms  consultas {len(q)}")
    for tipo in ("remanejamento", "indicacao"):
        tempos, consultas, travas = [], [], []
        for k in range(repeticoes):
            _, cliente, url, dados = next(p for p in rajada.pedidos(cenario, clientes, repeticao=k) if p[0] == tipo)
            with CaptureQueriesContext(connection) as q:
                inicio = time.perf_counter()
                resposta = cliente.post(url, dados)
                tempos.append(time.perf_counter() - inicio)
            assert resposta.status_code == 302, resposta.status_code
            consultas.append(len(q))
            travas.append(sob_trava(q.captured_queries))
        incisos, contador = travas[-1]
        print(f"POST {tipo:14s} c=1  {resumo(tempos)}  consultas {statistics.median(consultas):.0f}  "
              f"com a trava dos incisos {incisos}, com a do contador {contador}")


def conferir_dinheiro():
    for inciso in Inciso.objects.select_related("exercicio"):
        s = selectors.saldos_inciso(inciso, rajada.DIA_DO_PRAZO)
        if s.valor_inciso != sum(s.baldes().values()) or min(s.baldes().values()) < 0:
            return f"QUEBRADO no inciso {inciso.numero}"
    return "vale em todo inciso"


def rajada_de_posts(rodadas):
    agora = meio_dia(rajada.DIA_DO_PRAZO)
    cenario = rajada.montar(parlamentares=60, incisos_por_titular=3, pendentes=50)
    with time_machine.travel(agora - timedelta(minutes=10), tick=False):
        clientes = rajada.entrar(cenario)
    transacoes.zerar_retentativas()
    por_tipo, erros, paredes = {}, [], []
    with time_machine.travel(agora, tick=True):
        for k in range(rodadas):
            lista = rajada.pedidos(cenario, clientes, repeticao=k)
            inicio = time.perf_counter()
            respostas = rajada.disparar(lista)
            paredes.append(time.perf_counter() - inicio)
            for r in respostas:
                por_tipo.setdefault(r.tipo, []).append(r.segundos)
                if r.status != 302:
                    erros.append((k, r.tipo, r.status, repr(r.erro)[:200]))
            cenario.remanejamentos_pendentes = list(
                Remanejamento.objects.filter(status="SOLICITADO").values_list("pk", flat=True)[:50])
            cenario.indicacoes_pendentes = []
    print(f"rajada: {rodadas} rodadas de {len(lista)} POSTs simultâneos ({len(cenario.titulares)} sessões de "
          f"parlamentar + 2 lotes da SEGOV de até 50)")
    parlamentares = por_tipo.get("remanejamento", []) + por_tipo.get("indicacao", [])
    print(f"  POST de parlamentar     {resumo(parlamentares)}")
    for tipo, tempos in sorted(por_tipo.items()):
        print(f"  {tipo:22s}  {resumo(tempos)}")
    print(f"  rodada inteira          {resumo(paredes)}")
    print(f"  erros: {len(erros)} {erros[:5]}")
    print(f"  transações refeitas (deadlock/serialização): {transacoes.retentativas()}")
    print(f"  invariante do dinheiro: {conferir_dinheiro()}")


def main():
    rodadas = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from sigcon.celery import app

    # Como em produção, o e-mail vai para a fila (aqui o broker em memória) em vez de ser enviado dentro do POST.
    app.conf.task_always_eager = False
    setup_test_environment()
    antigos = setup_databases(verbosity=0, interactive=False)
    try:
        with time_machine.travel(meio_dia(rajada.DIA_DO_PRAZO), tick=True):
            um_de_cada_vez()
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        rajada_de_posts(rodadas)
    finally:
        teardown_databases(antigos, verbosity=0)


if __name__ == "__main__":
    main()
