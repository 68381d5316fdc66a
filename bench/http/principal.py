"""``make bench``: prepara os dados, sobe o servidor de produção e um worker Celery, e mede por HTTP.

Variáveis: ``BENCH_RODADAS`` (5), ``BENCH_SO=inicio,rel_,csv`` (só essas páginas ou medidas, por prefixo do
nome; as medidas extras são ``csv``, ``pdf``, ``interferencia`` e ``rajada``), ``BENCH_ESCALA`` (``estado``
ou ``pequena``), ``BENCH_CONCORRENCIA`` (50), ``CELERY_BROKER_URL`` (``redis://127.0.0.1:6379/12``), ``BENCH_PORTA`` (a porta do
servidor; padrão: uma porta livre qualquer, pedida ao sistema).
"""

import asyncio
import os
import signal
import sys
import time

from .. import dados
from . import extras, processos, rajada
from .cliente import RECONEXOES, Serie, entrar_todos, novo_cliente, percentil, rodada
from .paginas import escolher, paginas
from .saida import Relatorio, ms, razao

RODADAS = int(os.environ.get("BENCH_RODADAS", "5"))
SO = os.environ.get("BENCH_SO", "")
CONCORRENCIA = int(os.environ.get("BENCH_CONCORRENCIA", "50"))
BROKER = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")
ALVO_PAGINA, ALVO_CSV, ALVO_INTERFERENCIA, ALVO_RAJADA, ALVO_SEGURAR, ALVO_PDF = 1.5, 1.3, 2.0, 3.0, 5.0, 2.5


def medir_extra(nome: str) -> bool:
    return not SO or any(nome.startswith(p.strip()) for p in SO.split(",") if p.strip())


class Bench:
    def __init__(self, cenario: dict, srv, rel: Relatorio):
        self.cenario, self.srv, self.rel = cenario, srv, rel
        self.status_5xx = 0
        self.preparar()

    def preparar(self):
        """O que se lê do banco pelo ORM (fora do laço do asyncio): páginas, alvos da rajada, filtros do PDF."""
        from contas.models import Usuario
        from relatorios.base import LIMITE_PDF_NA_HORA

        c = self.cenario
        self.lista = escolher(paginas(c), SO)
        self.limite_pdf = LIMITE_PDF_NA_HORA
        if medir_extra("pdf"):
            self.filtros_pdf = extras.filtros_do_pdf(Usuario.objects.get(email=c["segov"][0]), c["ano"],
                                                     LIMITE_PDF_NA_HORA)
        self.alvos = {}
        if medir_extra("rajada"):
            for login in c["parlamentares"][:max(CONCORRENCIA, 100)]:
                self.alvos[login] = rajada.alvos_do_parlamentar(login, c["ano"])

    async def entrar(self, cliente):
        c = self.cenario
        base, senha = self.srv.base, c["senha"]
        analistas = list(dict.fromkeys(a.get("login") or a["email"] for a in c["analistas"]))[:CONCORRENCIA]
        self.parl = await entrar_todos(cliente, base, c["parlamentares"][:max(CONCORRENCIA, 100)], senha)
        self.segov = await entrar_todos(cliente, base, c["segov"][:3], senha)
        self.analistas = await entrar_todos(cliente, base, analistas, senha) if analistas else []

    def sessoes(self, perfil):
        return {"parlamentar": self.parl, "segov": self.segov, "analista": self.analistas}[perfil]

    async def paginas(self):
        linhas, erros = [], []
        for pagina in self.lista:
            sessoes = self.sessoes(pagina.perfil)
            if not sessoes:
                continue
            for qual in ("app", "piso"):  # aquecimento
                await sessoes[0].medir(pagina.caminho(qual, sessoes[0].login))
            for c in (1, CONCORRENCIA):
                series = {"app": Serie(), "piso": Serie()}
                for _ in range(RODADAS):
                    for qual in ("app", "piso"):
                        await rodada(sessoes, lambda s, q=qual: pagina.caminho(q, s.login), c, series[qual])
                r = razao(series["app"].mediana, series["piso"].mediana)
                errados = series["app"].erros + series["piso"].erros
                erros += errados
                linhas.append([pagina.nome, c, series["app"].resumo(), series["piso"].resumo(),
                               f"{r:.2f}", len(errados)])
                self.rel.meta(f"{pagina.nome}_c{c}", r, ALVO_PAGINA)
                print(f"  {pagina.nome} c={c}: app {series['app'].resumo()} ms, piso {series['piso'].resumo()} ms, "
                      f"{r:.2f}×", flush=True)
        self.rel.tabela(f"Páginas (ms, min/mediana/máx das medianas de {RODADAS} rodadas)",
                        ["página", "c", "app", "piso", "app/piso", "erros"], linhas)
        for m in erros[:10]:
            self.rel.escrever(f"  erro: HTTP {m.status} {m.caminho} {m.local[:100]}")
        self.status_5xx += sum(1 for m in erros if 500 <= m.status < 599)
        self.rel.meta("erros_nas_paginas", len(erros), 0)

    async def csv(self):
        # Mediana de pelo menos 5 rodadas, como as páginas (a issue 13): com 3, a primeira, fria, pesava demais.
        rodadas = max(5, RODADAS)
        app, piso = await extras.csv_10_anos(self.segov[0], rodadas)
        t_app = sorted(d.segundos for d in app)[len(app) // 2]
        t_piso = sorted(d.segundos for d in piso)[len(piso) // 2]
        self.rel.tabela("CSV de 10 anos (Valores Indicados, todas as situações)",
                        ["", "s (cada rodada)", "linhas", "MB", "pelo Celery", "erro"],
                        [[nome, " ".join(f"{d.segundos:.1f}" for d in ds), ds[-1].linhas,
                          f"{ds[-1].bytes / 1e6:.1f}", ds[-1].no_fundo, ds[-1].erro or "—"]
                         for nome, ds in (("app", app), ("piso", piso))])
        self.rel.meta("csv_10_anos", razao(t_app, t_piso), ALVO_CSV)
        self.rel.meta("csv_erros", sum(1 for d in app + piso if d.erro), 0)

    async def pdf(self):
        (no_limite, n), (acima, n_acima) = self.filtros_pdf
        r = await extras.pdf(self.segov[0], no_limite, acima, max(1, min(RODADAS, 3)))
        tempos = sorted(d.segundos for d in r["na_hora"])
        fundo = r["fundo"]
        self.rel.tabela(f"PDF (limite na requisição: {self.limite_pdf} linhas)", ["caso", "linhas", "s", "detalhe"], [
            ["no limite, na hora", n, " ".join(f"{t:.1f}" for t in tempos),
             f"fundo={r['na_hora'][0].no_fundo} {r['na_hora'][0].erro}"],
            ["acima, pedido", n_acima, f"{r['pedido_s']:.2f}", f"HTTP {r['pedido_status']}"],
            ["acima, até o download", n_acima, f"{fundo.segundos:.1f}", f"fundo={fundo.no_fundo} {fundo.erro}"],
        ])
        self.rel.meta("pdf_no_limite_s", tempos[len(tempos) // 2], ALVO_PDF)
        if n_acima <= self.limite_pdf:
            self.rel.escrever("  (nenhum filtro passa do limite nestes dados: o PDF em segundo plano não foi medido)")
            return
        self.rel.meta("pdf_acima_do_limite_no_fundo", float(r["pedido_status"] == 302 and fundo.no_fundo
                                                            and not fundo.erro), 1, maior_e_melhor=True)

    async def interferencia(self):
        r = await extras.interferencia(self.parl[0], self.segov[1:3])
        self.rel.tabela("Interferência (início do parlamentar × 2 exportações de 10 anos)",
                        ["ociosa ms", "durante ms", "amostras", "exportações s"],
                        [[ms(r["ociosa"]), ms(r["carregada"]), r["n_carregada"],
                          " ".join(f"{d.segundos:.1f}" for d in r["downloads"])]])
        self.rel.meta("interferencia", razao(r["carregada"], r["ociosa"]), ALVO_INTERFERENCIA)

    async def rajada(self):
        ano, alvos = self.cenario["ano"], self.alvos
        sessoes = [s for s in self.parl if alvos.get(s.login)]
        app_posts, piso_posts, erros, lotes = [], [], [], []
        for _ in range(max(1, min(RODADAS, 3))):
            a = await rajada.rajada_app(sessoes, self.segov, alvos)
            p = await rajada.rajada_piso(self.parl)
            app_posts += a["posts"]
            piso_posts += p["posts"]
            erros += a["erros"] + p["erros"]
            lotes += a["lotes"]
            self.status_5xx += sum(1 for s in a["status"] + p["status"] if s >= 500)
        p95_app, p95_piso = percentil(app_posts, 95), percentil(piso_posts, 95)
        self.rel.tabela("Rajada do dia do prazo (100 POSTs simultâneos + SEGOV em lote)",
                        ["", "POSTs", "p50 ms", "p95 ms", "máx ms"],
                        [["app", len(app_posts), ms(percentil(app_posts, 50)), ms(p95_app), ms(max(app_posts))],
                         ["piso", len(piso_posts), ms(percentil(piso_posts, 50)), ms(p95_piso), ms(max(piso_posts))]])
        for m in lotes:
            self.rel.escrever(f"  lote na {m.caminho}: {m.bytes} itens em {m.segundos:.1f} s (HTTP {m.status})")
        for e in erros[:15]:
            self.rel.escrever(f"  erro: {e}")
        self.rel.meta("rajada_p95", razao(p95_app, p95_piso), ALVO_RAJADA)
        self.rel.meta("rajada_erros", len(erros), 0)
        problemas = await asyncio.to_thread(dados.conferir_invariante, ano)
        for p in problemas[:10]:
            self.rel.escrever(f"  invariante: {p}")
        self.rel.meta("invariante_problemas", len(problemas), 0)

    async def rodar(self):
        async with novo_cliente() as cliente:
            t0 = time.perf_counter()
            await self.entrar(cliente)
            print(f"  {len(self.parl) + len(self.segov) + len(self.analistas)} sessões abertas em "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
            await self.paginas()
            for nome in ("csv", "pdf", "interferencia", "rajada"):
                if medir_extra(nome):
                    t0 = time.perf_counter()
                    await getattr(self, nome)()
                    print(f"  ({nome}: {time.perf_counter() - t0:.0f} s)", flush=True)
            if RECONEXOES:
                self.rel.escrever(f"\n{len(RECONEXOES)} pedido(s) refeitos numa conexão nova: o servidor fechou a "
                                  "conexão reaproveitada (keep-alive vencido ou worker reciclado) antes de ler o "
                                  f"pedido: {', '.join(sorted(set(RECONEXOES)))}")


PREFIXO_DOS_PISOS = "/bench/piso/"


def segurar_worker(rel: Relatorio, log: str) -> None:
    linhas = processos.acessos(log)
    if not linhas:
        return
    lentas = sorted(linhas, key=lambda a: a["segundos"], reverse=True)[:8]
    rel.tabela("Requisições mais longas (log de acesso do gunicorn)", ["s", "status", "caminho"],
               [[f"{a['segundos']:.1f}", a.get("status"), (a.get("caminho", "") + "?" + a.get("consulta", ""))[:90]]
                for a in lentas])
    # A meta é da aplicação ("nenhuma requisição segura um worker mais de ~5 s"): os pisos são o instrumento do bench
    # (o do CSV é um csv.writer cru em fluxo, 200 mil linhas numa requisição por construção) e ficam na tabela acima.
    da_app = [a for a in linhas if not a.get("caminho", "").startswith(PREFIXO_DOS_PISOS)]
    acima = sum(1 for a in da_app if a["segundos"] > ALVO_SEGURAR)
    pisos = sum(1 for a in linhas if a not in da_app and a["segundos"] > ALVO_SEGURAR)
    rel.escrever(f"  {acima} de {len(da_app)} requisições da aplicação seguraram o worker mais de {ALVO_SEGURAR:g} s"
                 f" (dos pisos: {pisos})")
    rel.meta("requisicao_mais_longa_s", max((a["segundos"] for a in da_app), default=0.0), ALVO_SEGURAR)


def main() -> int:
    # Um SIGTERM (timeout, kill) também para o servidor e o worker (o finally abaixo), que estão noutra sessão.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rel = Relatorio()
    rel.escrever(f"SIGCON – bench por HTTP, {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} núcleos, "
                 f"rodadas={RODADAS}, c={CONCORRENCIA}")
    t0 = time.perf_counter()
    cenario = dados.preparar(escala=os.environ.get("BENCH_ESCALA", "estado"))
    rel.escrever(f"dados prontos em {time.perf_counter() - t0:.0f} s: exercício {cenario['ano']}, "
                 f"{len(cenario['parlamentares'])} parlamentares; contagens: {cenario.get('contagens', {})}")
    from django.db import connections

    connections.close_all()
    pasta = processos.RESULTADOS
    pasta.mkdir(parents=True, exist_ok=True)
    porta = int(os.environ.get("BENCH_PORTA") or processos.servidor.porta_livre())
    amb = processos.ambiente(cenario["banco"], BROKER, porta)
    processos.coletar_estaticos(amb)
    srv = processos.servidor.gunicorn(amb, pasta / "servidor.log").esperar()
    celery = processos.Celery(amb, pasta / "celery.log").esperar()
    memoria = processos.Memoria({"gunicorn": srv.processo.pid, "celery": celery.processo.pid})
    memoria.start()
    bench = Bench(cenario, srv, rel)
    try:
        asyncio.run(bench.rodar())
    finally:
        picos = memoria.parar()
        log = srv.log()
        celery.parar()
        srv.parar()
    rel.tabela("Pico de RSS (VmHWM de /proc, MB)", ["processo", "MB"],
               [[k, f"{v:.0f}"] for k, v in sorted(picos.items())])
    segurar_worker(rel, log)
    if bench.status_5xx or '"status": 5' in log:
        rel.escrever("\nTrecho do log do servidor em volta dos 500:\n" + processos.trecho_de_erros(log))
    rel.escrever(f"\ntempo total: {time.perf_counter() - t0:.0f} s")
    rel.fechar(pasta / "ultimo.txt")
    return 0


def explicar() -> int:
    from .explicar import explicar as rodar

    cenario = dados.preparar(escala=os.environ.get("BENCH_ESCALA", "estado"))
    processos.coletar_estaticos(dict(os.environ))
    rodar(cenario)
    return 0


if __name__ == "__main__":
    sys.exit(main())
