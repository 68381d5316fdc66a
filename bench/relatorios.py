"""Benchmark dos relatórios com 10 anos de histórico.

10 exercícios × 77 parlamentares × 26 incisos (20.020 incisos) e ~200.000 indicações com
situações variadas, gravados direto com ``bulk_create`` (rápido; sem as regras dos serviços).
Mede, num banco de teste criado e destruído aqui:

* o CSV em fluxo de TODAS as indicações (``/relatorios/indicacoes.csv?mostrar_encerradas=1``, todos
  os anos): tempo de parede e pico de memória do Python (``tracemalloc``), consumindo a resposta;
* o mesmo CSV de um ano só (a memória não deve crescer com as linhas);
* o CSV de incisos de um ano (saldos calculados em lotes);
* o PDF de 500 incisos montado na hora (mesma função da view e da tarefa Celery).

Uso: make bench   (PostgreSQL quando DATABASE_URL estiver definido)
"""

import os
import random
import sys
import threading
import time
import tracemalloc
from datetime import date, datetime, time as hora, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigcon.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from contas.services import criar_usuario  # noqa: E402
from convenios.cnpj import gerar_cnpj  # noqa: E402
from convenios.models import Convenente  # noqa: E402
from emendas import demo  # noqa: E402
from relatorios import registro  # noqa: E402
from emendas.models import (  # noqa: E402
    Acao, CategoriaImpedimento, Emenda, Exercicio, GrupoDespesa, Indicacao, Inciso, Parlamentar, SequenciaExercicio,
    UnidadeOrcamentaria,
)
from emendas.prazos import OrigemSaldo  # noqa: E402

ANOS = int(os.environ.get("BENCH_ANOS", "10"))
TRACEMALLOC = os.environ.get("BENCH_TRACEMALLOC", "1") != "0"
PARLAMENTARES = int(os.environ.get("BENCH_PARLAMENTARES", "77"))
INCISOS_POR_PARLAMENTAR = 26
INDICACOES_POR_INCISO = 10  # média; 10 × 26 × 77 × 10 ≈ 200.000
LOTE = 5000
FUSO = ZoneInfo("America/Sao_Paulo")
S = Indicacao.Status
# (situação, peso)
SITUACOES = [(S.APROVADA, 55), (S.EM_ANALISE_ORGAO, 12), (S.EM_ANALISE_SEGOV, 6), (S.AGUARDANDO_AJUSTE, 4),
             (S.RETORNADO_SEGOV, 3), (S.REPROVADA, 12), (S.CANCELADA, 8)]


def gerar_historico(rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    Usuario = get_user_model()
    grupos = {g: GrupoDespesa.objects.create(codigo=g, nome=n) for g, n in demo.GRUPOS}
    uos, acoes = {}, []
    for uo, uo_nome, codigo, nome, area, livre in demo.ACOES:
        if uo not in uos:
            uos[uo] = UnidadeOrcamentaria.objects.create(codigo=uo, nome=uo_nome)
        acoes.append(Acao.objects.create(uo=uos[uo], codigo=codigo, nome=nome, area=area, destino_livre=livre == "S"))
    usuarios = Usuario.objects.bulk_create([
        Usuario(email=f"dep{i:03d}@bench.test", nome=f"Deputado {i:03d}", password="!") for i in range(PARLAMENTARES)
    ])
    Group.objects.get(name="Parlamentar").user_set.add(*usuarios)
    parlamentares = Parlamentar.objects.bulk_create([
        Parlamentar(usuario=u, nome=demo._nome(i)) for i, u in enumerate(usuarios)
    ])
    convenentes = Convenente.objects.bulk_create([
        Convenente(cnpj=gerar_cnpj(n + 1), razao_social=f"Prefeitura Municipal {n + 1}", municipio=f"Município {n + 1}")
        for n in range(300)
    ])
    situacoes, pesos = zip(*SITUACOES)
    categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    hoje = date.today()
    n_indicacoes = 0
    for ano in range(hoje.year - ANOS + 1, hoje.year + 1):
        exercicio = Exercicio.objects.create(ano=ano, data_publicacao_loa=date(ano, 1, 10))
        emendas = Emenda.objects.bulk_create([
            Emenda(exercicio=exercicio, numero=100 + k, parlamentar=p) for k, p in enumerate(parlamentares)
        ])
        incisos = Inciso.objects.bulk_create([
            Inciso(
                exercicio=exercicio, emenda=e, numero=f"S{501 + k * INCISOS_POR_PARLAMENTAR + j}", tipo="S",
                acao=acoes[(j % 2) if j % 2 == 0 else rng.randrange(len(acoes))], grupo_despesa=rng.choice(list(grupos.values())),
                valor_inicial=Decimal(rng.randrange(600_000, 1_500_000)),
            )
            for k, e in enumerate(emendas) for j in range(INCISOS_POR_PARLAMENTAR)
        ], batch_size=LOTE)
        usuario_de = {e.pk: u for e, u in zip(emendas, usuarios)}
        inicio = datetime.combine(exercicio.data_liberacao, hora(9), tzinfo=FUSO)
        numero = 0
        lote = []
        for inciso in incisos:
            for _ in range(rng.randint(INDICACOES_POR_INCISO - 4, INDICACOES_POR_INCISO + 4)):
                numero += 1
                situacao = rng.choices(situacoes, pesos)[0]
                enviada = inicio + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
                encerrada = situacao in (S.REPROVADA, S.CANCELADA)
                # Os campos acompanham a situação, como os serviços gravam (o banco confere).
                passou_orgao = situacao in (S.EM_ANALISE_SEGOV, S.RETORNADO_SEGOV, S.APROVADA)
                com_justificativa = situacao in (S.REPROVADA, S.CANCELADA, S.AGUARDANDO_AJUSTE, S.RETORNADO_SEGOV)
                direta = rng.random() < 0.15
                usuario = usuario_de[inciso.emenda_id]
                lote.append(Indicacao(
                    exercicio=exercicio, numero=numero, inciso=inciso,
                    forma_execucao=Indicacao.FormaExecucao.EXECUCAO_DIRETA if direta else Indicacao.FormaExecucao.CONVENIO,
                    beneficiario=None if direta else rng.choice(convenentes),
                    objeto=f"Aquisição de equipamentos e reforma, lote {numero}", valor=Decimal(rng.randrange(1_000, 50_000)),
                    status=situacao, origem_saldo=OrigemSaldo.LIVRE,
                    saldo_devolucao=OrigemSaldo.LIVRE if encerrada else "", enviada_por=usuario, enviada_em=enviada,
                    aprovada_orgao_em=enviada + timedelta(days=2) if passou_orgao else None,
                    aprovada_segov_em=enviada + timedelta(days=4) if situacao == S.APROVADA else None,
                    encerrada_por=usuario if encerrada else None,
                    encerrada_em=enviada + timedelta(days=3) if encerrada else None,
                    categoria_impedimento=categoria if situacao == S.REPROVADA else None,
                    justificativa="Desistência do beneficiário." if com_justificativa else "",
                ))
                if len(lote) >= LOTE:
                    Indicacao.objects.bulk_create(lote)
                    n_indicacoes += len(lote)
                    lote = []
        Indicacao.objects.bulk_create(lote)
        n_indicacoes += len(lote)
        SequenciaExercicio.objects.filter(exercicio=exercicio, nome=SequenciaExercicio.Nome.INDICACAO).update(
            ultimo=numero
        )
    return n_indicacoes


def _rss() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


class PicoRss(threading.Thread):
    """Amostra o RSS do processo a cada 20 ms (barato; o tracemalloc deixa o Python ~5× mais lento)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.inicio = self.pico = _rss()
        self._parar = threading.Event()

    def run(self):
        while not self._parar.wait(0.02):
            self.pico = max(self.pico, _rss())

    def parar(self) -> float:
        self._parar.set()
        self.join()
        return max(self.pico, _rss()) - self.inicio


def consumir(view, usuario, parametros, *, tracemalloc_ligado: bool) -> dict:
    """Chama a view e lê a resposta em fluxo inteira, como o navegador faria."""
    request = RequestFactory().get("/", parametros)
    request.user = usuario
    if tracemalloc_ligado:
        tracemalloc.start()
    amostrador = PicoRss()
    amostrador.start()
    inicio = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        resposta = view(request)
        assert resposta.status_code == 200, resposta.status_code
        tamanho = linhas = 0
        for pedaco in resposta.streaming_content:
            tamanho += len(pedaco)
            linhas += pedaco.count(b"\n")
    resultado = {"s": time.perf_counter() - inicio, "rss": amostrador.parar() / 2**20, "bytes": tamanho,
                 "linhas": linhas - 1, "consultas": len(ctx)}
    if tracemalloc_ligado:
        resultado["pico"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return resultado


def _n(valor: int) -> str:
    return f"{valor:,}".replace(",", ".")


def _paginas(pdf: bytes) -> str:
    import shutil
    import subprocess
    import tempfile

    if not shutil.which("pdfinfo"):
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        saida = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False).stdout
    return next((l.split()[-1] for l in saida.splitlines() if l.startswith("Pages:")), "?")


def main():
    setup_test_environment()
    from django.conf import settings

    settings.DEBUG = False
    nome_antigo = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        # Nome próprio: não disputa o banco de teste do pytest que roda com o mesmo DATABASE_URL.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_{nome_antigo}_bench_relatorios"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(2019)
        t0 = time.perf_counter()
        n_ind = gerar_historico(rng)
        carga = time.perf_counter() - t0
        segov = criar_usuario(email="segov@bench.test", perfil="segov", senha="x-bench-123")
        ultimo = Exercicio.objects.order_by("-ano").first()
        print(f"Banco: {connection.vendor}; {Exercicio.objects.count()} exercícios, {_n(Inciso.objects.count())} "
              f"incisos, {_n(n_ind)} indicações; carga em {carga:.1f} s")

        resultados = []
        incisos = registro.obter("incisos")
        csv_ind = registro.obter("indicacoes").views()[1]
        for rotulo, view, parametros in [
            ("indicacoes.csv, todos os anos", csv_ind, {"mostrar_encerradas": "1"}),
            (f"indicacoes.csv, só {ultimo.ano}", csv_ind, {"mostrar_encerradas": "1", "ano": ultimo.ano}),
            (f"incisos.csv, {ultimo.ano} (saldos em lotes)", incisos.views()[1], {"ano": ultimo.ano}),
        ]:
            r = consumir(view, segov, parametros, tracemalloc_ligado=False)
            if TRACEMALLOC:
                com_tm = consumir(view, segov, parametros, tracemalloc_ligado=True)
                r.update(pico=com_tm["pico"], s_tm=com_tm["s"])
            resultados.append((rotulo, r))

        # PDF na hora de 500 incisos: a mesma função da view e da tarefa (acima de 300 a view enfileira).
        consulta = incisos.consultar(segov, {"ano": str(ultimo.ano)})
        ids = list(consulta.extra["filtrados"].order_by("pk").values_list("pk", flat=True)[:500])
        consulta.extra["filtrados"] = consulta.extra["filtrados"].filter(pk__in=ids)
        consulta.extra["ordenados"] = consulta.extra["ordenados"].filter(pk__in=ids)
        inicio = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            pdf = incisos.gerar_pdf(consulta)
        seg_pdf = time.perf_counter() - inicio
        paginas = _paginas(pdf)

        print()
        print(f"{'saída':<38}{'linhas':>9}{'tempo s':>9}{'linhas/s':>10}{'saída MB':>10}{'+RSS MB':>9}"
              f"{'tracemalloc MB':>16}{'(tempo c/ tm)':>15}{'consultas':>11}")
        for rotulo, r in resultados:
            pico = f"{r['pico']:.1f}" if "pico" in r else "—"
            s_tm = f"{r['s_tm']:.1f} s" if "s_tm" in r else "—"
            print(f"{rotulo:<38}{_n(r['linhas']):>9}{r['s']:>9.1f}{_n(int(r['linhas'] / r['s'])):>10}"
                  f"{r['bytes'] / 2**20:>10.1f}{r['rss']:>9.1f}{pico:>16}{s_tm:>15}{r['consultas']:>11}")
        print(f"{'incisos.pdf, 500 incisos (na hora)':<38}{500:>9}{seg_pdf:>9.1f}{_n(int(500 / seg_pdf)):>10}"
              f"{len(pdf) / 2**20:>10.1f}{'':>9}{'':>16}{'':>15}{len(ctx):>11}   {paginas} páginas A4")
        print("+RSS: quanto o processo cresceu durante a saída (amostrado a cada 20 ms). tracemalloc: pico de memória do")
        print("Python numa segunda execução com o tracemalloc ligado (mais lenta; BENCH_TRACEMALLOC=0 pula).")
    finally:
        connection.creation.destroy_test_db(nome_antigo, verbosity=0)


if __name__ == "__main__":
    main()
