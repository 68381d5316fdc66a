"""Leituras das telas de remanejamento (as comuns a relatórios e painéis ficam em emendas/selectors.py)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from contas import perfis
from sigcon.dinheiro import formatar_brl

from ..models import Inciso, Remanejamento
from ..paineis import linhas_de_incisos
from ..selectors import saldos_incisos
from ..visibilidade import filtro_incisos_remanejaveis


# As listas de pedidos (fila da SEGOV, pedidos do parlamentar) saem de ``.values()`` com os rótulos já prontos:
# 200 pedidos com inciso, ações, UOs e grupos como objetos de modelo, e 8 consultas e filtros por célula no
# template, custavam mais que o dobro da consulta (issue 13). Ação, UO e grupo são tabelas pequenas: entram na
# junção da própria página (4 tabelas; a de 11 é que gastava mais planejando do que executando).
CAMPOS_DO_PEDIDO = ("pk", "inciso_origem_id", "valor", "detalhamento", "status", "solicitado_em", "inciso_gerado_id")
ROTULOS_DO_PEDIDO = {"acao_codigo": F("acao__codigo"), "acao_nome": F("acao__nome"), "uo_codigo": F("acao__uo__codigo"),
                     "grupo_nome": F("grupo_despesa__nome")}
_ROTULO_DA_SITUACAO = dict(Remanejamento.Status.choices)


def pedidos_rotulados(qs):
    """*qs* (pedidos já filtrados e ordenados) como dicionários com as colunas das listas; ``rotular_pedidos``
    completa o texto."""
    return qs.values(*CAMPOS_DO_PEDIDO, **ROTULOS_DO_PEDIDO)


def rotular_pedidos(pedidos: list[dict]) -> None:
    """Completa os *pedidos* (``pedidos_rotulados``) com o que as listas mostram, já formatado como no template
    (``numero``, ``destino``, ``valor_brl``, ``situacao`` (o texto do selo), ``solicitado_em_texto``, ``url``), sem
    consultas."""
    endereco = reverse("emendas:remanejamento", args=[0])[:-2]  # ".../0/" → ".../": o prefixo do pedido
    for p in pedidos:
        p["numero"] = str(p["pk"])
        p["destino"] = f"UO {p['uo_codigo']} · {p['acao_codigo']} – {p['acao_nome']} · {p['grupo_nome']}"
        p["valor_brl"] = formatar_brl(p["valor"])
        p["situacao"] = _ROTULO_DA_SITUACAO[p["status"]]
        p["solicitado_em_texto"] = timezone.localtime(p["solicitado_em"]).strftime("%d/%m/%Y %H:%M")
        p["url"] = f"{endereco}{p['pk']}/"


def linhas_da_fila(pedidos: list[dict]) -> list[dict]:
    """Uma página da fila da SEGOV: cada pedido rotulado (``rotular_pedidos``) com o titular, a origem, o detalhamento e os
    saldos do inciso de origem, já formatados. Os incisos numa consulta, pelos ids da página."""
    # Sem a ordem padrão do Inciso (UO, emenda, número): viram um dicionário, e o ORDER BY custava um Sort.
    incisos = {i.pk: i for i in Inciso.objects.filter(pk__in={p["inciso_origem_id"] for p in pedidos})
               .order_by().select_related("exercicio")
               .annotate(nome_parlamentar=F("emenda__parlamentar__nome"), nome_bloco=F("emenda__bloco__nome"),
                         acao_codigo=F("acao__codigo"), uo_codigo=F("acao__uo__codigo"),
                         grupo_nome=F("grupo_despesa__nome"))}
    rotular_pedidos(pedidos)
    saldos = saldos_incisos(incisos.values())
    for p in pedidos:
        i = incisos[p["inciso_origem_id"]]
        s = saldos[i.pk]
        p["titular"] = i.nome_parlamentar or i.nome_bloco
        p["detalhamento_curto"] = Truncator(p["detalhamento"]).chars(120) if p["detalhamento"] else "—"
        p["origem"] = f"{i.numero} · UO {i.uo_codigo} · {i.acao_codigo} · {i.grupo_nome}"
        p["saldos"] = {"valor": formatar_brl(s.valor_inciso), "pendente": formatar_brl(s.remanejamento_solicitado),
                       "disponivel": formatar_brl(s.disponivel_remanejamento)}
    return [{"rem": p} for p in pedidos]


def incisos_remanejaveis(usuario, exercicio) -> list[dict]:
    """As linhas (``paineis.linhas_de_incisos``) dos incisos em que *usuario* pode pedir remanejamento."""
    return linhas_de_incisos(Inciso.objects.filter(filtro_incisos_remanejaveis(usuario), exercicio=exercicio)
                             .order_by("acao__uo__codigo", "emenda__numero", "numero"))


def pedidos_dos_incisos(incisos: list[dict], numero_pagina=None, *, por_pagina: int = 50):
    """Uma página (``Page``, com o total) dos pedidos dos *incisos* (linhas de ``incisos_remanejaveis``), os mais
    recentes primeiro (no mesmo instante, o último pedido antes), rotulados (``rotular_pedidos``) com o número do
    inciso de origem e o do gerado. O ``COUNT`` sai sem as junções dos rótulos; só a página as leva."""
    numeros = {i["pk"]: i["numero"] for i in incisos}
    qs = Remanejamento.objects.filter(inciso_origem__in=list(numeros)).order_by("-solicitado_em", "-pk")
    pagina = Paginator(qs, por_pagina).get_page(numero_pagina)
    pagina.object_list = pedidos = list(pedidos_rotulados(pagina.object_list))
    rotular_pedidos(pedidos)
    gerados = dict(Inciso.objects.filter(pk__in={p["inciso_gerado_id"] for p in pedidos if p["inciso_gerado_id"]})
                   .values_list("pk", "numero"))
    for p in pedidos:
        p["inciso_numero"] = numeros[p["inciso_origem_id"]]
        p["inciso_gerado_numero"] = gerados.get(p["inciso_gerado_id"])
        p["url_cancelar"] = f"{p['url']}cancelar/"
    return pagina


def historico(remanejamento: Remanejamento):
    return remanejamento.registros.select_related("usuario", "em_nome_de")


def remanejamentos_por_ids(ids):
    """Os pedidos marcados numa fila da SEGOV (que vê todos), na ordem em que serão decididos."""
    return (Remanejamento.objects.filter(pk__in=ids).order_by("pk")
            .select_related("inciso_origem__emenda__parlamentar", "inciso_origem__emenda__bloco", "acao",
                            "grupo_despesa"))


def uos_das_linhas(linhas) -> list[dict]:
    """As UOs das *linhas* de incisos, sem repetição, por código."""
    uos = {}
    for l in linhas:
        uos.setdefault(l["uo_id"], {"pk": l["uo_id"], "codigo": l["uo_codigo"], "nome": l["uo_nome"]})
    return sorted(uos.values(), key=lambda u: u["codigo"])


def fila_da_segov(usuario):
    """Os pedidos da fila de análise (a tela e o CSV dela: relatorios/definicoes/filas.py); 403 para quem não é SEGOV."""
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV analisa remanejamentos.")
    return Remanejamento.objects.all()
