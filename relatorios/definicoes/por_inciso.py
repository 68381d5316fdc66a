"""O que os relatórios por inciso (DOMAIN.md §9: "Incisos", "Totalização" e "Parlamentares") têm em comum.

Tela, CSV e PDF com os mesmos filtros (``FiltroIncisosForm``) e a mesma visibilidade
(``relatorios.acesso.filtro_incisos``). As linhas servem às views e à tarefa Celery que gera os PDFs
grandes (``relatorios.tasks.gerar_pdf``).

Saldos: os do dia de hoje, por ``saldos_incisos`` (duas consultas por lote de incisos, qualquer
que seja o tamanho do lote). Totais e totalização: ``saldos_agrupados`` soma no banco por grupo e
calcula uma vez por grupo — o cálculo é linear, então dá o mesmo que somar inciso a inciso (há
teste que confere) com três consultas.
"""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import F, Sum
from django.db.models.functions import Coalesce, Length, Lower
from django.utils import timezone

from relatorios.filtros_incisos import FiltroIncisosForm
from emendas.models import Indicacao, Inciso
from emendas.saldos import Saldos
from emendas.selectors import incisos_com_detalhes, saldos_agrupados, saldos_das_linhas, saldos_incisos
from sigcon.dinheiro import ZERO

from .. import acesso
from ..base import DINHEIRO, LINHAS_POR_PAGINA, LOTE, Coluna, Consulta, Relatorio, Total, da_pagina, lotes
from ..ordenacao import expressoes_de_ordem

# Saldos calculados por vez no CSV e no PDF. Até 1.000 ids ``saldos_incisos`` filtra os movimentos
# pelos ids do lote (e não pelo exercício inteiro): cada lote lê só os seus movimentos.
LOTE_SALDOS = 1000
# Até tantos incisos filtrados (um parlamentar vê algumas centenas num exercício), a tela lê todos eles de uma vez,
# só com o que os saldos pedem, na ordem pedida: a contagem, os ids da página e o total saem dessa leitura e dos
# saldos de cada um (duas consultas de movimentos), em vez de um COUNT, os ids e as três consultas do total
# agrupado (issue 13: a tela de incisos do parlamentar ia de 14 para 10 consultas). Mais que isso (a SEGOV, um
# analista de órgão com muitas UOs), o caminho geral.
POUCOS_INCISOS = LOTE_SALDOS
_CAMPOS_DOS_SALDOS = ("pk", "valor_inicial", "saldo_inicial", "tipo", "inciso_origem_id", "criado_em")
ENCERRADAS = (Indicacao.Status.REPROVADA, Indicacao.Status.CANCELADA)


# ---------------------------------------------------------------------------
# Linhas e somas

@dataclass
class LinhaInciso:
    inciso: Inciso  # na tela com poucos incisos, o ``SimpleNamespace`` de ``incisos_da_tela``
    saldos: Saldos
    reprovados: Decimal = ZERO

    @property
    def titular(self) -> str:
        return str(self.inciso.emenda.titular)

    @property
    def chave_titular(self) -> tuple:
        return (self.inciso.emenda.parlamentar_id, self.inciso.emenda.bloco_id)


def somar_saldos(saldos):
    total = None
    for s in saldos:
        total = s if total is None else total + s
    return total


def reprovados_por_inciso(ids) -> dict[int, Decimal]:
    """Σ das indicações reprovadas ou canceladas de cada inciso: uma consulta."""
    return dict(
        Indicacao.objects.filter(inciso__in=ids, status__in=ENCERRADAS)
        .values("inciso").annotate(t=Sum("valor")).order_by().values_list("inciso", "t")
    )


def incisos_da_tela(ids: list[int], exercicio) -> list[SimpleNamespace]:
    """Os incisos *ids* (já filtrados e visíveis), na ordem dada, com o que as colunas da tela leem e no mesmo
    formato dos objetos (``i.acao.uo.codigo``, ``i.emenda.titular``), de um ``.values()``: sem os ~700 objetos de
    modelo da página com as junções (incisos, emendas, titulares, ações, UOs, grupos, exercícios), o maior custo de
    CPU da tela de incisos do parlamentar (issue 13). O exercício é o da consulta, o mesmo para todos. O CSV e o
    PDF (``iterar``) continuam com os objetos."""
    por_id = {}
    for v in Inciso.objects.filter(pk__in=ids).values(*_CAMPOS_DA_TELA):
        origem = SimpleNamespace(numero=v["inciso_origem__numero"]) if v["inciso_origem_id"] else None
        por_id[v["pk"]] = SimpleNamespace(
            pk=v["pk"], numero=v["numero"], tipo=v["tipo"], inciso_origem_id=v["inciso_origem_id"],
            inciso_origem=origem, exercicio=exercicio,
            emenda=SimpleNamespace(numero=v["emenda__numero"], parlamentar_id=v["emenda__parlamentar_id"],
                                   bloco_id=v["emenda__bloco_id"],
                                   titular=v["emenda__parlamentar__nome"] or v["emenda__bloco__nome"]),
            acao=SimpleNamespace(codigo=v["acao__codigo"], nome=v["acao__nome"],
                                 uo=SimpleNamespace(codigo=v["acao__uo__codigo"], nome=v["acao__uo__nome"])),
            grupo_despesa=SimpleNamespace(codigo=v["grupo_despesa__codigo"], nome=v["grupo_despesa__nome"]),
        )
    return [por_id[pk] for pk in ids]


_CAMPOS_DA_TELA = (
    "pk", "numero", "tipo", "inciso_origem_id", "inciso_origem__numero", "emenda__numero", "emenda__parlamentar_id",
    "emenda__bloco_id", "emenda__parlamentar__nome", "emenda__bloco__nome", "acao__codigo", "acao__nome",
    "acao__uo__codigo", "acao__uo__nome", "grupo_despesa__codigo", "grupo_despesa__nome",
)


# ---------------------------------------------------------------------------
# Colunas comuns

def do_inciso(campo):
    def valor(linha):
        return campo(linha.inciso)
    return valor


def do_saldo(campo):
    return lambda linha: getattr(linha.saldos, campo)


EXERCICIO = Coluna("exercicio", "Exercício", do_inciso(lambda i: i.exercicio.ano), ordem=("exercicio__ano",))
# O id depois do nome: os incisos de dois homônimos não se misturam (nem os subtotais por titular).
ORDEM_TITULAR = ("titular_nome", "emenda__parlamentar_id", "emenda__bloco_id")
TITULAR = Coluna("titular", "Titular", lambda l: l.titular, ordem=ORDEM_TITULAR)
EMENDA = Coluna("emenda", "Emenda", do_inciso(lambda i: i.emenda.numero), ordem=("emenda__numero",))
# S, depois R, depois P; dentro da letra, pelo número (S99 antes de S100).
INCISO = Coluna("inciso", "Inciso", do_inciso(lambda i: i.numero), ordem=("-tipo", "numero_tamanho", "numero"))
TIPO = Coluna("tipo", "Tipo", do_inciso(lambda i: i.tipo), ordem=("tipo",))
UO = Coluna("uo", "UO", do_inciso(lambda i: i.acao.uo.codigo), ordem=("acao__uo__codigo",))
UO_NOME = Coluna("uo_nome", "Nome da UO", do_inciso(lambda i: i.acao.uo.nome), so_csv=True)
ACAO = Coluna("acao", "Ação", do_inciso(lambda i: i.acao.codigo), ordem=("acao__codigo",))
ACAO_NOME = Coluna("acao_nome", "Nome da ação", do_inciso(lambda i: i.acao.nome), so_csv=True)
GRUPO = Coluna("grupo", "Grupo de despesa", do_inciso(lambda i: i.grupo_despesa.codigo), ordem=("grupo_despesa__codigo",),
               curto="Grupo")
GRUPO_NOME = Coluna("grupo_nome", "Nome do grupo de despesa", do_inciso(lambda i: i.grupo_despesa.nome), so_csv=True)
VALOR_INICIAL = Coluna("valor_inicial", "Valor inicial", do_saldo("valor_inicial"), DINHEIRO, ordem=("valor_inicial",),
                       somar=True)
ORIGEM = Coluna("origem", "Inciso de origem", do_inciso(lambda i: i.inciso_origem.numero if i.inciso_origem_id else ""),
                ordem=("inciso_origem__numero",), curto="Origem")


def dinheiro(chave, rotulo, campo, curto=""):
    return Coluna(chave, rotulo, do_saldo(campo), DINHEIRO, somar=True, curto=curto)


# ---------------------------------------------------------------------------
# Consulta comum

def consultar_incisos(relatorio: Relatorio, usuario, parametros) -> Consulta:
    """Acesso (403), filtros, exercício (o pedido ou o mais recente) e os incisos visíveis filtrados."""
    visiveis = acesso.filtro_incisos(usuario)
    filtro = FiltroIncisosForm(parametros)
    valido = filtro.is_valid()
    exercicio = filtro.exercicio() if valido else None
    if exercicio is None:
        filtrados = Inciso.objects.none()
    else:
        filtrados = filtro.filtrar(incisos_com_detalhes().filter(visiveis, exercicio=exercicio))
    # Todos os incisos do exercício (quem vê tudo, sem filtro que restrinja): as somas filtram os movimentos pelo
    # exercício, sem a subconsulta dos ids (Σ da totalização da SEGOV: 89 ms → 48 ms nos dados de escala de estado).
    todos = exercicio is not None and acesso.ve_tudo(usuario) and not filtro.restringe()
    return Consulta(
        usuario=usuario, filtro=filtro, valido=valido, ordem=relatorio.ordem_pedida(parametros),
        exercicio=exercicio, dia=timezone.localdate(), extra={"filtrados": filtrados, "todos_do_exercicio": todos},
    )


def agrupar(consulta: Consulta, chave=(), rotulos=()):
    """``saldos_agrupados`` dos incisos filtrados da consulta (três consultas ao banco)."""
    return saldos_agrupados(consulta.extra["filtrados"], consulta.exercicio, consulta.dia, chave, rotulos,
                            todos_do_exercicio=consulta.extra["todos_do_exercicio"])


class PorInciso(Relatorio):
    """Uma linha por inciso, lida do banco na ordem pedida."""

    unidade = "inciso(s)"
    unidade_total = "incisos"
    vazio = "Nenhum inciso encontrado."
    ordem_padrao = "titular"
    desempate = ("emenda__numero", "-tipo", "numero_tamanho", "numero", "pk")
    # Saldos calculados no banco por lote de incisos: 11.220 incisos de um exercício levaram 6–7 s (1,4 s de CPU).
    custo_csv = 10

    def consultar(self, usuario, parametros):
        consulta = consultar_incisos(self, usuario, parametros)
        consulta.extra["ordenados"] = (
            consulta.extra["filtrados"]
            .annotate(titular_nome=Lower(Coalesce(F("emenda__parlamentar__nome"), F("emenda__bloco__nome"))),
                      numero_tamanho=Length("numero"))
            .order_by(*self.campos_ordem(consulta.ordem))
        )
        return consulta

    def campos_ordem(self, ordem: str) -> list:
        coluna = self.ordenaveis()[ordem.lstrip("-")]
        return expressoes_de_ordem(coluna.ordem, ordem.startswith("-")) + list(self.desempate)

    def montar(self, incisos: list, consulta: Consulta, saldos: dict | None = None) -> list[LinhaInciso]:
        """As linhas dos *incisos*; *saldos* (por id) quando já calculados."""
        if saldos is None:
            saldos = saldos_incisos(incisos, consulta.dia)
        return [LinhaInciso(i, saldos[i.pk]) for i in incisos]

    def contar(self, consulta):
        if "n" not in consulta.extra:
            consulta.extra["n"] = consulta.extra["filtrados"].count()
        return consulta.extra["n"]

    def _poucos(self, consulta) -> list[dict] | None:
        """Todos os incisos filtrados, na ordem pedida, com os campos dos saldos; ``None`` se passam de
        ``POUCOS_INCISOS`` (ou são todos os do exercício: a SEGOV sem filtro)."""
        if consulta.extra["todos_do_exercicio"]:
            return None
        linhas = list(consulta.extra["ordenados"].values(*_CAMPOS_DOS_SALDOS)[:POUCOS_INCISOS + 1])
        return linhas if len(linhas) <= POUCOS_INCISOS else None

    def pagina(self, consulta, numero):
        poucos = self._poucos(consulta)
        if poucos is None:
            pagina = Paginator(consulta.extra["ordenados"], LINHAS_POR_PAGINA).get_page(numero)
            pagina.object_list = self.montar(da_pagina(consulta.extra["ordenados"], pagina.object_list), consulta)
            return pagina
        saldos = saldos_das_linhas(poucos, consulta.exercicio, consulta.dia)
        # O total dos incisos que já existiam no dia (um R aprovado depois ainda não existia: fica fora da
        # contagem, como em ``saldos_agrupados``); o cálculo é linear, a soma é a do total agrupado.
        existentes = [l["pk"] for l in poucos
                      if not (l["inciso_origem_id"] and timezone.localdate(l["criado_em"]) > consulta.dia)]
        consulta.extra["n"] = len(poucos)
        consulta.extra["total_dos_poucos"] = (len(existentes), somar_saldos(saldos[pk] for pk in existentes))
        pagina = Paginator([l["pk"] for l in poucos], LINHAS_POR_PAGINA).get_page(numero)
        ids = list(pagina.object_list)
        pagina.object_list = self.montar(incisos_da_tela(ids, consulta.exercicio), consulta, saldos=saldos)
        return pagina

    def iterar(self, consulta, limite=None):
        qs = consulta.extra["ordenados"]
        if limite is not None:
            qs = qs[:limite]
        # Cursor no servidor, lido aos poucos; saldos calculados por lote: memória constante.
        for lote in lotes(qs.iterator(chunk_size=LOTE), LOTE_SALDOS):
            yield from self.montar(lote, consulta)

    def total(self, consulta):
        if "total_dos_poucos" in consulta.extra:
            n, saldos = consulta.extra["total_dos_poucos"]
            return Total(n, saldos, rotulo=self.rotulo_total(n)) if n else None
        grupos = agrupar(consulta)
        if not grupos:
            return None
        (agrupado,) = grupos.values()
        return Total(agrupado.n, agrupado.saldos, rotulo=self.rotulo_total(agrupado.n))

    def somar(self, linhas):
        if not linhas:
            return None
        return Total(
            len(linhas), somar_saldos(l.saldos for l in linhas), sum((l.reprovados for l in linhas), ZERO),
            rotulo=self.rotulo_total(len(linhas)),
        )


