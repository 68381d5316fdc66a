"""Relatórios por inciso (DOMAIN.md §9): "Incisos", "Totalização" e "Parlamentares".

Tela, CSV e PDF com os mesmos filtros (``FiltroIncisosForm``) e a mesma visibilidade
(``relatorios_acesso.filtro_incisos``). As linhas são montadas aqui e servem às views e à tarefa
Celery que gera os PDFs grandes (``relatorios.tasks.gerar_pdf``).

Saldos: os do dia de hoje, por ``saldos_incisos`` (duas consultas por lote de incisos, qualquer
que seja o tamanho do lote). Totais e totalização: ``saldos_agrupados`` soma no banco por grupo e
calcula uma vez por grupo — o cálculo é linear, então dá o mesmo que somar inciso a inciso (há
teste que confere) com três consultas.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import F, Sum
from django.db.models.functions import Coalesce, Length, Lower
from django.utils import timezone

from relatorios.base import (
    DINHEIRO, INTEIRO, LINHAS_POR_PAGINA, LOTE, Coluna, Consulta, Relatorio, RelatorioEmMemoria, Total, lotes,
)
from sigcon.dinheiro import ZERO

from . import relatorios_acesso
from .forms_relatorios_incisos import FiltroIncisosForm
from .models import Indicacao, Inciso
from .ordenacao import expressoes_de_ordem
from .saldos import Saldos
from .selectors import incisos_com_detalhes, saldos_agrupados, saldos_incisos

# Saldos calculados por vez no CSV e no PDF. Até 1.000 ids ``saldos_incisos`` filtra os movimentos
# pelos ids do lote (e não pelo exercício inteiro): cada lote lê só os seus movimentos.
LOTE_SALDOS = 1000
ENCERRADAS = (Indicacao.Status.REPROVADA, Indicacao.Status.CANCELADA)


# ---------------------------------------------------------------------------
# Linhas e somas

@dataclass
class LinhaInciso:
    inciso: Inciso
    saldos: Saldos
    reprovados: Decimal = ZERO

    @property
    def titular(self) -> str:
        return str(self.inciso.emenda.titular)

    @property
    def chave_titular(self) -> tuple:
        return (self.inciso.emenda.parlamentar_id, self.inciso.emenda.bloco_id)


def _somar_saldos(saldos):
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


# ---------------------------------------------------------------------------
# Colunas comuns

def _i(campo):
    def valor(linha):
        return campo(linha.inciso)
    return valor


def _s(campo):
    return lambda linha: getattr(linha.saldos, campo)


EXERCICIO = Coluna("exercicio", "Exercício", _i(lambda i: i.exercicio.ano), ordem=("exercicio__ano",))
# O id depois do nome: os incisos de dois homônimos não se misturam (nem os subtotais por titular).
ORDEM_TITULAR = ("titular_nome", "emenda__parlamentar_id", "emenda__bloco_id")
TITULAR = Coluna("titular", "Titular", lambda l: l.titular, ordem=ORDEM_TITULAR)
EMENDA = Coluna("emenda", "Emenda", _i(lambda i: i.emenda.numero), ordem=("emenda__numero",))
# S, depois R, depois P; dentro da letra, pelo número (S99 antes de S100).
INCISO = Coluna("inciso", "Inciso", _i(lambda i: i.numero), ordem=("-tipo", "numero_tamanho", "numero"))
TIPO = Coluna("tipo", "Tipo", _i(lambda i: i.tipo), ordem=("tipo",))
UO = Coluna("uo", "UO", _i(lambda i: i.acao.uo.codigo), ordem=("acao__uo__codigo",))
UO_NOME = Coluna("uo_nome", "Nome da UO", _i(lambda i: i.acao.uo.nome), so_csv=True)
ACAO = Coluna("acao", "Ação", _i(lambda i: i.acao.codigo), ordem=("acao__codigo",))
ACAO_NOME = Coluna("acao_nome", "Nome da ação", _i(lambda i: i.acao.nome), so_csv=True)
GRUPO = Coluna("grupo", "Grupo de despesa", _i(lambda i: i.grupo_despesa.codigo), ordem=("grupo_despesa__codigo",),
               curto="Grupo")
GRUPO_NOME = Coluna("grupo_nome", "Nome do grupo de despesa", _i(lambda i: i.grupo_despesa.nome), so_csv=True)
VALOR_INICIAL = Coluna("valor_inicial", "Valor inicial", _s("valor_inicial"), DINHEIRO, ordem=("valor_inicial",),
                       somar=True)
ORIGEM = Coluna("origem", "Inciso de origem", _i(lambda i: i.inciso_origem.numero if i.inciso_origem_id else ""),
                ordem=("inciso_origem__numero",), curto="Origem")


def _dinheiro(chave, rotulo, campo, curto=""):
    return Coluna(chave, rotulo, _s(campo), DINHEIRO, somar=True, curto=curto)


# ---------------------------------------------------------------------------
# Consulta comum

def consultar_incisos(relatorio: Relatorio, usuario, parametros) -> Consulta:
    """Acesso (403), filtros, exercício (o pedido ou o mais recente) e os incisos visíveis filtrados."""
    visiveis = relatorios_acesso.filtro_incisos(usuario)
    filtro = FiltroIncisosForm(parametros)
    valido = filtro.is_valid()
    exercicio = filtro.exercicio() if valido else None
    if exercicio is None:
        filtrados = Inciso.objects.none()
    else:
        filtrados = filtro.filtrar(incisos_com_detalhes().filter(visiveis, exercicio=exercicio))
    return Consulta(
        usuario=usuario, filtro=filtro, valido=valido, ordem=relatorio.ordem_pedida(parametros),
        exercicio=exercicio, dia=timezone.localdate(), extra={"filtrados": filtrados},
    )


class _PorInciso(Relatorio):
    """Uma linha por inciso, lida do banco na ordem pedida."""

    unidade = "inciso(s)"
    unidade_total = "incisos"
    vazio = "Nenhum inciso encontrado."
    ordem_padrao = "titular"
    desempate = ("emenda__numero", "-tipo", "numero_tamanho", "numero", "pk")

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

    def montar(self, incisos: list, consulta: Consulta) -> list[LinhaInciso]:
        saldos = saldos_incisos(incisos, consulta.dia)
        return [LinhaInciso(i, saldos[i.pk]) for i in incisos]

    def contar(self, consulta):
        if "n" not in consulta.extra:
            consulta.extra["n"] = consulta.extra["filtrados"].count()
        return consulta.extra["n"]

    def pagina(self, consulta, numero):
        pagina = Paginator(consulta.extra["ordenados"], LINHAS_POR_PAGINA).get_page(numero)
        pagina.object_list = self.montar(list(pagina.object_list), consulta)
        return pagina

    def iterar(self, consulta, limite=None):
        qs = consulta.extra["ordenados"]
        if limite is not None:
            qs = qs[:limite]
        # Cursor no servidor, lido aos poucos; saldos calculados por lote: memória constante.
        for lote in lotes(qs.iterator(chunk_size=LOTE), LOTE_SALDOS):
            yield from self.montar(lote, consulta)

    def total(self, consulta):
        grupos = saldos_agrupados(consulta.extra["filtrados"], consulta.exercicio, consulta.dia)
        if not grupos:
            return None
        (agrupado,) = grupos.values()
        return Total(agrupado.n, agrupado.saldos, rotulo=self.rotulo_total(agrupado.n))

    def somar(self, linhas):
        if not linhas:
            return None
        return Total(
            len(linhas), _somar_saldos(l.saldos for l in linhas), sum((l.reprovados for l in linhas), ZERO),
            rotulo=self.rotulo_total(len(linhas)),
        )


# ---------------------------------------------------------------------------
# Incisos ("Lista de Incisos")

class RelatorioIncisos(_PorInciso):
    nome = "incisos"
    titulo = "Incisos"
    descricao = ("Cada inciso com o valor inicial, o valor depois dos remanejamentos aprovados, o remanejamento "
                 "solicitado, o indicado e o disponível para indicação hoje.")
    colunas = [
        EXERCICIO, TITULAR, EMENDA, INCISO, TIPO, UO, UO_NOME, ACAO, ACAO_NOME, GRUPO, GRUPO_NOME, VALOR_INICIAL,
        _dinheiro("valor_inciso", "Valor do inciso", "valor_inciso"),
        _dinheiro("solicitado", "Remanejamento solicitado", "remanejamento_solicitado", "Remanej. solicitado"),
        _dinheiro("indicado", "Indicado", "indicado"),
        _dinheiro("disponivel", "Disponível para indicação", "disponivel_indicacao", "Disponível p/ indicação"),
        ORIGEM,
    ]


# ---------------------------------------------------------------------------
# Parlamentares (por titular e por inciso)

class RelatorioParlamentares(_PorInciso):
    nome = "parlamentares"
    titulo = "Parlamentares"
    descricao = ("Incisos de cada parlamentar ou bloco: valor inicial, valor atualizado (depois dos remanejamentos), "
                 "valores indicados (indicações ativas) e reprovados ou cancelados.")
    colunas = [
        TITULAR, EMENDA, INCISO, UO, UO_NOME, GRUPO, GRUPO_NOME, ACAO, ACAO_NOME, VALOR_INICIAL,
        _dinheiro("valor_atualizado", "Valor atualizado", "valor_inciso"),
        _dinheiro("indicado", "Valores indicados", "indicado"),
        Coluna("reprovados", "Reprovados/cancelados", lambda l: l.reprovados, DINHEIRO, somar=True),
        ORIGEM,
    ]

    def campos_ordem(self, ordem):
        # Relatório por titular: o titular vem sempre primeiro; a coluna escolhida ordena dentro dele.
        campos = super().campos_ordem(ordem)
        return campos if ordem.lstrip("-") == "titular" else [*ORDEM_TITULAR, *campos]

    def montar(self, incisos, consulta):
        linhas = super().montar(incisos, consulta)
        reprovados = reprovados_por_inciso([i.pk for i in incisos])
        for linha in linhas:
            linha.reprovados = reprovados.get(linha.inciso.pk, ZERO)
        return linhas

    def total(self, consulta):
        total = super().total(consulta)
        if total is not None:
            total.reprovados = Indicacao.objects.filter(
                inciso__in=consulta.extra["filtrados"].values("pk"), status__in=ENCERRADAS
            ).aggregate(t=Sum("valor"))["t"] or ZERO
        return total

    def linhas_pdf(self, consulta, linhas):
        """Subtotal depois de cada titular (as linhas já vêm agrupadas por titular)."""
        saida, grupo = [], []

        def fechar():
            if grupo:
                subtotal = self.somar(grupo)
                subtotal.rotulo = f"Subtotal {grupo[0].titular} ({len(grupo)} inciso{'s' if len(grupo) > 1 else ''})"
                saida.append({"celulas": self.celulas_total(subtotal), "classe": "subtotal"})

        for linha in linhas:
            if grupo and linha.chave_titular != grupo[-1].chave_titular:
                fechar()
                grupo = []
            grupo.append(linha)
            saida.append({"celulas": self.celulas(linha), "classe": ""})
        fechar()
        return saida


# ---------------------------------------------------------------------------
# Totalização ("Lista de Totalização"): Σ por UO + ação + grupo de despesa

@dataclass
class LinhaTotalizacao:
    uo: str
    acao: str
    grupo: str
    n: int
    saldos: Saldos
    codigos: tuple = ()


class RelatorioTotalizacao(RelatorioEmMemoria):
    nome = "totalizacao"
    titulo = "Totalização"
    descricao = "Soma dos incisos visíveis por UO, ação e grupo de despesa."
    unidade = "programação(ões)"
    unidade_total = "programações"
    vazio = "Nenhum inciso encontrado."
    fonte_pdf = "8pt"
    colunas = [
        Coluna("uo", "UO", lambda l: l.uo),
        Coluna("acao", "Ação", lambda l: l.acao),
        Coluna("grupo", "Grupo de despesa", lambda l: l.grupo),
        Coluna("incisos", "Incisos", lambda l: l.n, INTEIRO, somar=True),
        Coluna("valor_inicial", "Valor inicial", _s("valor_inicial"), DINHEIRO, somar=True),
        Coluna("valor_inciso", "Valor do inciso", _s("valor_inciso"), DINHEIRO, somar=True),
        Coluna("indicado", "Indicado", _s("indicado"), DINHEIRO, somar=True),
        Coluna("disponivel", "Disponível para indicação", _s("disponivel_indicacao"), DINHEIRO, somar=True),
    ]
    CHAVE = ("acao", "grupo_despesa")
    ROTULOS = ("acao__uo__codigo", "acao__uo__nome", "acao__codigo", "acao__nome", "grupo_despesa__codigo",
               "grupo_despesa__nome")

    def consultar(self, usuario, parametros):
        return consultar_incisos(self, usuario, parametros)

    def montar(self, consulta):
        grupos = saldos_agrupados(consulta.extra["filtrados"], consulta.exercicio, consulta.dia,
                                  self.CHAVE, self.ROTULOS)
        linhas = []
        for g in grupos.values():
            r = g.rotulos
            linhas.append(LinhaTotalizacao(
                uo=f"{r['acao__uo__codigo']} – {r['acao__uo__nome']}",
                acao=f"{r['acao__codigo']} – {r['acao__nome']}",
                grupo=f"{r['grupo_despesa__codigo']} – {r['grupo_despesa__nome']}",
                n=g.n, saldos=g.saldos,
                codigos=(r["acao__uo__codigo"], r["acao__codigo"], r["grupo_despesa__codigo"]),
            ))
        # Ordem natural: UO, ação, grupo (pelos códigos); a coluna pedida reordena depois.
        return sorted(linhas, key=lambda l: l.codigos)

    def somar(self, linhas):
        if not linhas:
            return None
        return Total(sum(l.n for l in linhas), _somar_saldos(l.saldos for l in linhas), rotulo="Total")


INCISOS = RelatorioIncisos()
PARLAMENTARES = RelatorioParlamentares()
TOTALIZACAO = RelatorioTotalizacao()

incisos, incisos_csv, incisos_pdf = INCISOS.views()
parlamentares, parlamentares_csv, parlamentares_pdf = PARLAMENTARES.views()
totalizacao, totalizacao_csv, totalizacao_pdf = TOTALIZACAO.views()
