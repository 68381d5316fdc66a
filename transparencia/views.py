"""As telas e os arquivos públicos (sem login): busca, indicação, município, dados abertos.

Todas só GET, com o limite de pedidos por IP (``protecao.limitar``) e o que é caro guardado no cache sob a versão
dos dados (``protecao.em_cache``): o miolo de cada página é HTML pronto no cache, e o ``base.html`` em volta é o de
cada visitante (o menu de quem entrou, o rodapé de quem não entrou).
"""

import json
from datetime import date
from types import SimpleNamespace

from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from emendas.models import Exercicio

from . import dados_abertos, escada, selectors
from .campos import CAMPOS
from .forms import FiltroPublico
from .models import InstantaneoDadosAbertos
from .protecao import ARQUIVOS, PAGINAS, chave, em_cache, guardar, ler, limitar, versao_dos_dados

ARQUIVO_MAXIMO_NO_CACHE = 16 * 1024 * 1024


def _pedido_com(filtros: dict):
    """O que o ``{% paginacao %}`` lê do pedido: só os filtros limpos (o HTML guardado vale para todos)."""
    consulta = QueryDict(mutable=True)
    for nome, valor in filtros.items():
        consulta[nome] = valor
    return SimpleNamespace(GET=consulta)


def _html_dos_resultados(filtros: dict, pagina: int, *, sem_municipio: bool = False) -> str:
    qs = selectors.indicacoes(filtros)
    totais = selectors.totais(qs)
    pagina_, linhas = selectors.pagina_de_indicacoes(qs, pagina, totais["n"])
    return render_to_string("transparencia/_resultados.html", {
        "pagina": pagina_, "linhas": linhas, "totais": totais, "request": _pedido_com(filtros),
        "sem_municipio": sem_municipio,
    })


@require_GET
@limitar(PAGINAS)
def busca(request):
    versao = versao_dos_dados()
    form = FiltroPublico(request.GET, opcoes=em_cache(versao, ("opcoes",), selectors.opcoes_dos_filtros))
    resultados = ""
    if form.is_valid():
        filtros, pagina = form.filtros(), form.pagina()
        resultados = em_cache(versao, ("busca", sorted(filtros.items()), pagina),
                              lambda: _html_dos_resultados(filtros, pagina))
    return render(request, "transparencia/busca.html", {"form": form, "resultados": mark_safe(resultados)})


@require_GET
@limitar(PAGINAS)
def indicacao(request, ano, numero):
    def gerar():
        dados = selectors.indicacao_publica(ano, numero)
        if dados is None:
            return ""
        dados["passos"] = escada.passos(dados["linha"], dados["convenios"])
        return render_to_string("transparencia/_indicacao.html", dados)

    html = em_cache(versao_dos_dados(), ("indicacao", ano, numero), gerar)
    if not html:
        raise Http404("Indicação não encontrada.")
    return render(request, "transparencia/indicacao.html", {"miolo": mark_safe(html), "ano": ano, "numero": numero})


@require_GET
@limitar(PAGINAS)
def municipios(request):
    versao = versao_dos_dados()
    opcoes = em_cache(versao, ("opcoes",), selectors.opcoes_dos_filtros)
    try:
        ano = int(request.GET.get("ano", ""))
    except ValueError:
        ano = None
    ano = ano if ano in opcoes["anos"] else None
    lista = em_cache(versao, ("municipios", ano), lambda: selectors.municipios(ano))
    return render(request, "transparencia/municipios.html", {"municipios": lista, "ano": ano, "anos": opcoes["anos"]})


@require_GET
@limitar(PAGINAS)
def municipio(request, municipio):
    versao = versao_dos_dados()
    resumo = em_cache(versao, ("municipio", municipio), lambda: selectors.resumo_do_municipio(municipio) or [])
    if not resumo:
        raise Http404("Nenhuma indicação para beneficiário deste município.")
    try:
        pagina = max(1, min(int(request.GET.get("pagina", "1")), 100_000))
    except ValueError:
        pagina = 1
    filtros = {"municipio": municipio}
    resultados = em_cache(versao, ("busca-municipio", municipio, pagina),
                          lambda: _html_dos_resultados(filtros, pagina, sem_municipio=True))
    return render(request, "transparencia/municipio.html", {
        "municipio": municipio, "resumo": resumo, "resultados": mark_safe(resultados),
    })


# --- dados abertos ---------------------------------------------------------------------------------------------

@require_GET
@limitar(PAGINAS)
def dados_abertos_inicio(request):
    versao = versao_dos_dados()

    def gerar():
        instantaneos = dados_abertos.ultimos_instantaneos()
        anos = list(Exercicio.objects.order_by("-ano").values_list("ano", flat=True))
        return {"anos": [(a, instantaneos.get(a)) for a in anos], "auditoria": dados_abertos.cabeca_da_auditoria()}

    contexto = em_cache(versao, ("dados-abertos",), gerar)
    return render(request, "transparencia/dados_abertos.html", {**contexto, "campos": CAMPOS})


def _abertos(resposta, nome_arquivo: str | None = None, segundos: int = 60):
    """Cabeçalhos dos arquivos abertos: qualquer sítio pode lê-los; um proxy pode guardá-los por *segundos*."""
    resposta["Access-Control-Allow-Origin"] = "*"
    resposta["Cache-Control"] = f"public, max-age={segundos}"
    if nome_arquivo:
        resposta["Content-Disposition"] = f'inline; filename="{nome_arquivo}"'
    return resposta


@require_GET
@limitar(ARQUIVOS)
def datapackage(request):
    pagina_inicial = request.build_absolute_uri(reverse("transparencia:busca"))
    corpo = em_cache(versao_dos_dados(), ("datapackage", pagina_inicial), lambda: _json_bonito(
        dados_abertos.datapackage(pagina_inicial=pagina_inicial)))
    return _abertos(HttpResponse(corpo, content_type="application/json; charset=utf-8"), "datapackage.json")


def _json_bonito(valor) -> str:
    return json.dumps(valor, ensure_ascii=False, indent=2) + "\n"


def _guardar_no_fim(pedacos, nome_cache: str):
    """Os pedaços em bytes, em fluxo; no fim, o arquivo inteiro no cache se couber (um download interrompido,
    que não chega ao fim, não guarda nada)."""
    guardados, tamanho = [], 0
    for pedaco in pedacos:
        dados = pedaco.encode("utf-8")
        yield dados
        if guardados is not None:
            tamanho += len(dados)
            if tamanho <= ARQUIVO_MAXIMO_NO_CACHE:
                guardados.append(dados)
            else:
                guardados = None
    if guardados is not None:
        guardar(nome_cache, b"".join(guardados))


def _arquivo_do_exercicio(request, ano: int, formato: str):
    exercicio = get_object_or_404(Exercicio, ano=ano)
    nome_cache = chave(versao_dos_dados(), formato, ano)
    tipo = "text/csv; charset=utf-8" if formato == "csv" else "application/json; charset=utf-8"
    pronto = ler(nome_cache)
    if pronto is not None:
        resposta = HttpResponse(pronto, content_type=tipo)
    else:
        linhas = selectors.linhas_do_exercicio(exercicio)
        pedacos = dados_abertos.pedacos_csv(linhas) if formato == "csv" else dados_abertos.pedacos_json(linhas)
        resposta = StreamingHttpResponse(_guardar_no_fim(pedacos, nome_cache), content_type=tipo)
    return _abertos(resposta, f"indicacoes-{ano}.{formato}")


@require_GET
@limitar(ARQUIVOS)
def indicacoes_csv(request, ano):
    return _arquivo_do_exercicio(request, ano, "csv")


@require_GET
@limitar(ARQUIVOS)
def indicacoes_json(request, ano):
    return _arquivo_do_exercicio(request, ano, "json")


@require_GET
@limitar(ARQUIVOS)
def instantaneo(request, ano, dia):
    try:
        dia = date.fromisoformat(dia)
    except ValueError:
        raise Http404("Data inválida: use AAAA-MM-DD.") from None
    inst = get_object_or_404(InstantaneoDadosAbertos, exercicio__ano=ano, dia=dia)
    resposta = FileResponse(inst.arquivo.open("rb"), content_type="text/csv; charset=utf-8")
    # O arquivo de um dia nunca muda: o navegador e os proxies podem guardá-lo.
    return _abertos(resposta, f"indicacoes-{ano}-{dia.isoformat()}.csv", segundos=24 * 60 * 60)
