"""Benchmark da página inicial com um exercício do tamanho do estado.

77 parlamentares × 100 incisos (7.700 incisos), carregados pela mesma importação
da LOA que a SEGOV usa. Mede a mediana de latência e o número de consultas da
página inicial do parlamentar (100 incisos com saldos) e do painel da SEGOV
(7.700 incisos totalizados), ao lado de uma ListView simples do Django com as
mesmas linhas sem saldos. Roda num banco de teste criado e destruído aqui.

Uso: make bench   (PostgreSQL quando DATABASE_URL estiver definido)
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

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.generic import ListView  # noqa: E402

from contas.services import criar_usuario  # noqa: E402
from emendas import demo, views  # noqa: E402
from emendas.importacao import importar_loa  # noqa: E402
from emendas.models import Inciso  # noqa: E402

REPETICOES = int(os.environ.get("BENCH_REPETICOES", "15"))


class ListaSimples(ListView):
    """Referência: a lista mais simples do Django com as mesmas linhas, sem saldos."""

    template_name = "bench_lista.html"

    def get_queryset(self):
        return Inciso.objects.select_related("emenda", "acao__uo", "grupo_despesa").filter(
            emenda__parlamentar__usuario=self.request.user
        )


def medir(view, usuario):
    fabrica = RequestFactory()
    tempos, consultas = [], 0
    for _ in range(REPETICOES + 2):
        request = fabrica.get("/")
        request.user = usuario
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            inicio = time.perf_counter()
            resposta = view(request)
            if hasattr(resposta, "render"):
                resposta.render()
            tempos.append(time.perf_counter() - inicio)
        assert resposta.status_code == 200
        consultas = len(ctx)
    tempos = tempos[2:]  # aquecimento
    return statistics.median(tempos) * 1000, consultas, len(resposta.content)


def main():
    setup_test_environment()
    from django.conf import settings

    settings.TEMPLATES[0]["DIRS"].append(Path(__file__).parent / "templates")
    nome_antigo = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        hoje = timezone.localdate()
        t0 = time.perf_counter()
        loa = demo.csv_loa(parlamentares=77, incisos_por_titular=100, bloco=False, semente=77)
        importar_loa(conteudo=loa, ano=hoje.year, publicacao=hoje - timedelta(days=25))
        carga = time.perf_counter() - t0
        segov = criar_usuario(email="segov@bench.test", perfil="segov", senha="x-bench-123")
        from django.contrib.auth import get_user_model

        parlamentar = get_user_model().objects.get(email=demo.email_parlamentar(0))
        n = Inciso.objects.count()
        print(f"Banco: {connection.vendor}; {n} incisos; carga da LOA (7.700 linhas) em {carga:.1f} s")
        print(f"{'tela':<46}{'mediana (ms)':>14}{'consultas':>11}{'bytes':>10}")
        for nome, view, usuario in [
            ("Início do parlamentar (100 incisos, saldos)", views.inicio, parlamentar),
            ("ListView simples (mesmos 100 incisos)", ListaSimples.as_view(), parlamentar),
            ("Painel SEGOV (7.700 incisos totalizados)", views.inicio, segov),
        ]:
            ms, q, tamanho = medir(view, usuario)
            print(f"{nome:<46}{ms:>14.1f}{q:>11}{tamanho:>10}")
    finally:
        connection.creation.destroy_test_db(nome_antigo, verbosity=0)


if __name__ == "__main__":
    main()
