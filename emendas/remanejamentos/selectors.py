"""Leituras das telas de remanejamento (as comuns a relatórios e painéis ficam em emendas/selectors.py)."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from sigcon.dinheiro import formatar_brl

from ..models import Acao, GrupoDespesa, Inciso, Remanejamento
from ..paineis import linhas_de_incisos
from ..selectors import saldos_incisos
from ..visibilidade import filtro_incisos_remanejaveis


# As listas de pedidos (fila da SEGOV, pedidos do parlamentar) saem de ``.values()`` com os rótulos já prontos:
# 200 pedidos com inciso, ações, UOs e grupos como objetos de modelo, e 8 consultas e filtros por célula no
# template, custavam mais que o dobro da consulta (issue 13).
CAMPOS_DO_PEDIDO = ("pk", "inciso_origem_id", "acao_id", "grupo_despesa_id", "valor", "detalhamento", "status",
                    "solicitado_em", "inciso_gerado_id")
_ROTULO_DA_SITUACAO = dict(Remanejamento.Status.choices)


def rotular_pedidos(pedidos: list[dict], *, acoes_de_origem=(), grupos_de_origem=()) -> tuple[dict, dict]:
    """Completa os *pedidos* (``.values(*CAMPOS_DO_PEDIDO)``) com o que as listas mostram, já formatado como no
    template (``destino``, ``valor_brl``, ``situacao``, ``solicitado_em_texto``, ``url``, ``detalhamento_curto``).
    Devolve as ações (``{pk: {codigo, nome, uo_codigo}}``) e os grupos (``{pk: nome}``) do destino e da origem,
    para quem também mostra a origem. Duas consultas pequenas, quantos forem os pedidos."""
    acoes = {a["pk"]: a for a in Acao.objects.filter(pk__in={p["acao_id"] for p in pedidos} | set(acoes_de_origem))
             .values("pk", "codigo", "nome", uo_codigo=F("uo__codigo"))}
    grupos = dict(GrupoDespesa.objects.filter(pk__in={p["grupo_despesa_id"] for p in pedidos} | set(grupos_de_origem))
                  .values_list("pk", "nome"))
    endereco = reverse("emendas:remanejamento", args=[0])[:-2]  # ".../0/" → ".../": o prefixo do pedido
    for p in pedidos:
        a = acoes[p["acao_id"]]
        p["destino"] = f"UO {a['uo_codigo']} · {a['codigo']} – {a['nome']} · {grupos[p['grupo_despesa_id']]}"
        p["valor_brl"] = formatar_brl(p["valor"])
        p["situacao"] = _ROTULO_DA_SITUACAO[p["status"]]
        p["solicitado_em_texto"] = timezone.localtime(p["solicitado_em"]).strftime("%d/%m/%Y %H:%M")
        p["url"] = f"{endereco}{p['pk']}/"
        p["detalhamento_curto"] = Truncator(p["detalhamento"]).chars(120) if p["detalhamento"] else "—"
    return acoes, grupos


def linhas_da_fila(pedidos: list[dict]) -> list[dict]:
    """Uma página da fila da SEGOV: cada pedido rotulado (``rotular_pedidos``) com o titular e a origem, e os
    saldos do inciso de origem (``{"rem": pedido, "saldos": Saldos}``). Os incisos numa consulta, sem a junção
    de 11 tabelas com a fila inteira (bench/EXPLAIN_paginas.md)."""
    incisos = {i.pk: i for i in Inciso.objects.filter(pk__in={p["inciso_origem_id"] for p in pedidos})
               .select_related("exercicio")
               .annotate(nome_parlamentar=F("emenda__parlamentar__nome"), nome_bloco=F("emenda__bloco__nome"))}
    acoes, grupos = rotular_pedidos(pedidos, acoes_de_origem={i.acao_id for i in incisos.values()},
                                    grupos_de_origem={i.grupo_despesa_id for i in incisos.values()})
    saldos = saldos_incisos(incisos.values())
    for p in pedidos:
        i = incisos[p["inciso_origem_id"]]
        a = acoes[i.acao_id]
        p["titular"] = i.nome_parlamentar or i.nome_bloco
        p["origem"] = f"{i.numero} · UO {a['uo_codigo']} · {a['codigo']} · {grupos[i.grupo_despesa_id]}"
    return [{"rem": p, "saldos": saldos.get(p["inciso_origem_id"])} for p in pedidos]


def incisos_remanejaveis(usuario, exercicio) -> list[dict]:
    """As linhas (``paineis.linhas_de_incisos``) dos incisos em que *usuario* pode pedir remanejamento."""
    return linhas_de_incisos(Inciso.objects.filter(filtro_incisos_remanejaveis(usuario), exercicio=exercicio)
                             .order_by("acao__uo__codigo", "emenda__numero", "numero"))


def pedidos_dos_incisos(incisos: list[dict], *, limite: int = 200) -> list[dict]:
    """Os pedidos dos *incisos* (linhas de ``incisos_remanejaveis``), os mais recentes primeiro (no mesmo instante,
    o último pedido antes), rotulados (``rotular_pedidos``) com o número do inciso de origem e o do gerado."""
    numeros = {i["pk"]: i["numero"] for i in incisos}
    pedidos = list(Remanejamento.objects.filter(inciso_origem__in=list(numeros)).order_by("-solicitado_em", "-pk")
                   .values(*CAMPOS_DO_PEDIDO)[:limite])
    rotular_pedidos(pedidos)
    gerados = dict(Inciso.objects.filter(pk__in={p["inciso_gerado_id"] for p in pedidos if p["inciso_gerado_id"]})
                   .values_list("pk", "numero"))
    for p in pedidos:
        p["inciso_numero"] = numeros[p["inciso_origem_id"]]
        p["inciso_gerado_numero"] = gerados.get(p["inciso_gerado_id"])
        p["url_cancelar"] = f"{p['url']}cancelar/"
    return pedidos


def historico(remanejamento: Remanejamento):
    return remanejamento.registros.select_related("usuario")


def remanejamentos_por_ids(ids):
    """Os pedidos marcados numa fila da SEGOV (que vê todos), na ordem em que serão decididos."""
    return Remanejamento.objects.filter(pk__in=ids).order_by("pk")


def uos_das_linhas(linhas) -> list[dict]:
    """As UOs das *linhas* de incisos, sem repetição, por código."""
    uos = {}
    for l in linhas:
        uos.setdefault(l["uo_id"], {"pk": l["uo_id"], "codigo": l["uo_codigo"], "nome": l["uo_nome"]})
    return sorted(uos.values(), key=lambda u: u["codigo"])
