"""Medidas extras: o CSV de 10 anos (app × ``csv.writer`` cru), o PDF no limite e acima dele, e a
interferência (a página inicial do parlamentar enquanto dois usuários da SEGOV exportam os 10 anos).

Se a aplicação mandar a exportação para o Celery (redirecionamento para a página de acompanhamento), o tempo
vai do pedido até o fim do download, seguindo a página como o navegador faria.
"""

import asyncio
import re
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from django.http import QueryDict
from django.urls import reverse

from emendas.models import Exercicio, Indicacao, Parlamentar, UnidadeOrcamentaria

from .cliente import Sessao

BAIXAR = re.compile(r'href="([^"]*/baixar/[^"]*)"')
PARAMETROS_CSV = "?mostrar_encerradas=on"


@dataclass
class Download:
    segundos: float
    status: int
    bytes: int
    linhas: int
    no_fundo: bool  # passou pela página de acompanhamento (Celery)
    erro: str = ""


async def baixar(sessao: Sessao, caminho: str, *, prazo: float = 900) -> Download:
    """Pede *caminho* e, se vier um redirecionamento para o acompanhamento, segue até o arquivo chegar."""
    inicio = time.perf_counter()
    no_fundo = False
    for _ in range(2000):
        async with sessao.cliente.stream("GET", sessao.base + caminho, headers=sessao.cabecalhos()) as resposta:
            sessao.guardar(resposta)
            status = resposta.status_code
            tipo = resposta.headers.get("content-type", "")
            if status in (301, 302, 303):
                caminho, no_fundo = resposta.headers["location"], True
                continue
            if status == 200 and tipo.startswith("text/html"):
                html = (await resposta.aread()).decode(errors="replace")
                achado = BAIXAR.search(html)
                if achado:
                    caminho, no_fundo = achado.group(1).replace("&amp;", "&"), True
                    continue
                if "hx-trigger=\"every" not in html and 'http-equiv="refresh"' not in html:
                    return Download(time.perf_counter() - inicio, status, 0, 0, no_fundo, "acompanhamento sem arquivo")
                if time.perf_counter() - inicio > prazo:
                    return Download(time.perf_counter() - inicio, status, 0, 0, no_fundo, "prazo")
                await asyncio.sleep(0.5)
                no_fundo = True
                continue
            tamanho = linhas = 0
            async for pedaco in resposta.aiter_bytes():
                tamanho += len(pedaco)
                linhas += pedaco.count(b"\n")
            erro = "" if status == 200 else f"HTTP {status}"
            return Download(time.perf_counter() - inicio, status, tamanho, linhas, no_fundo, erro)
    return Download(time.perf_counter() - inicio, 0, 0, 0, no_fundo, "voltas demais")


def caminho_csv() -> str:
    return reverse("relatorio_indicacoes_csv") + PARAMETROS_CSV


async def csv_10_anos(sessao: Sessao, rodadas: int) -> tuple[list[Download], list[Download]]:
    app, piso = [], []
    for _ in range(rodadas):
        app.append(await baixar(sessao, caminho_csv()))
        piso.append(await baixar(sessao, "/bench/piso/csv/"))
    return app, piso


def filtros_do_pdf(usuario, ano: int, limite: int) -> tuple[tuple[str, int], tuple[str, int]]:
    """Os filtros de "Valores Indicados" com o maior número de linhas ≤ *limite* (o PDF sai na hora) e com o menor
    acima dele (vai para o fundo). Conta pelo próprio relatório (``consultar`` + ``contar``), como a view do PDF."""
    from relatorios import registro

    relatorio = registro.obter("indicacoes")

    def contar(parametros: dict) -> int:
        return relatorio.contar(relatorio.consultar(usuario, como_querydict(parametros)))

    no_limite, acima = (None, -1), (None, 10**9)
    candidatos = [{"parlamentar": nome, **extra}
                  for nome in Parlamentar.objects.order_by("nome").values_list("nome", flat=True)[:20]
                  for extra in ({}, {"mostrar_encerradas": "on"},
                                *({"status": s, "mostrar_encerradas": "on"} for s in Indicacao.Status.values))]
    candidatos += [{"uo": codigo} for codigo in UnidadeOrcamentaria.objects.order_by("codigo")
                   .values_list("codigo", flat=True)[:20]]
    # Um parlamentar tem ~190 indicações no ano: para chegar perto de um limite pequeno (100), janelas de envio.
    inicio = Exercicio.objects.get(ano=ano).data_liberacao
    candidatos += [{"parlamentar": nome, "mostrar_encerradas": "on", "de": (inicio + timedelta(days=k)).isoformat(),
                    "ate": (inicio + timedelta(days=k + w)).isoformat()}
                   for nome in Parlamentar.objects.order_by("nome").values_list("nome", flat=True)[:3]
                   for k in range(0, 30, 5) for w in (2, 4, 7, 10)]
    for candidato in candidatos:
        parametros = {"ano": str(ano), **candidato}
        n = contar(parametros)
        if no_limite[1] < n <= limite:
            no_limite = (parametros, n)
        if limite < n < acima[1]:
            acima = (parametros, n)
    if acima[0] is None:  # nenhum filtro passa do limite: o exercício inteiro, com as encerradas
        parametros = {"ano": str(ano), "mostrar_encerradas": "on"}
        acima = (parametros, contar(parametros))
    if no_limite[0] is None:  # sem um filtro que caiba, o "na hora" mediria o exercício inteiro no fundo
        raise RuntimeError(f"nenhum filtro de Valores Indicados com até {limite} linhas entre {len(candidatos)}")
    return (("?" + como_querydict(no_limite[0]).urlencode(), no_limite[1]),
            ("?" + como_querydict(acima[0]).urlencode(), acima[1]))


def como_querydict(parametros: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    q.update(parametros)
    return q


async def pdf(sessao: Sessao, no_limite: str, acima: str, rodadas: int) -> dict:
    base = reverse("relatorio_indicacoes_pdf")
    na_hora = [await baixar(sessao, base + no_limite) for _ in range(rodadas)]
    # Acima do limite: a resposta do pedido tem de ser o redirecionamento (rápido), não o PDF.
    inicio = time.perf_counter()
    pedido = await sessao.get(base + acima)
    resposta_s = time.perf_counter() - inicio
    fundo = await baixar(sessao, base + acima)
    return {"na_hora": na_hora, "pedido_status": pedido.status_code, "pedido_s": resposta_s, "fundo": fundo}


async def interferencia(parlamentar: Sessao, exportadores: list[Sessao], amostras_ociosas: int = 10) -> dict:
    ociosa = [(await parlamentar.medir(reverse("inicio"))).segundos for _ in range(amostras_ociosas)]
    exportacoes = [asyncio.create_task(baixar(s, caminho_csv())) for s in exportadores]
    carregada = []
    await asyncio.sleep(0.5)  # as duas exportações já começaram
    # Só contam as medidas feitas enquanto as exportações correm.
    while not all(t.done() for t in exportacoes):
        medida = await parlamentar.medir(reverse("inicio"))
        if not all(t.done() for t in exportacoes):
            carregada.append(medida.segundos)
    downloads = [await t for t in exportacoes]
    return {"ociosa": statistics.median(ociosa),
            "carregada": statistics.median(carregada) if carregada else float("nan"),
            "n_carregada": len(carregada), "downloads": downloads}
