"""As peças de um relatório: colunas, formatação das células, a consulta interpretada e a linha de total."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import CharField, Func
from django.utils.safestring import SafeString, mark_safe

from sigcon.csv_seguro import data_hora, dinheiro
from sigcon.dinheiro import formatar_brl

TEXTO, DINHEIRO, INTEIRO = "texto", "dinheiro", "inteiro"


@dataclass(frozen=True)
class Coluna:
    chave: str
    rotulo: str
    valor: Callable[[Any], Any]
    tipo: str = TEXTO
    # Relatórios lidos do banco: campos do ORDER BY; ``None`` = coluna não ordenável.
    # Relatórios montados em memória ordenam por qualquer coluna (pelo próprio valor).
    ordem: tuple[str, ...] | None = None
    # Aparece somada na linha de total (e nos subtotais).
    somar: bool = False
    # Rótulo curto para o PDF, onde a coluna é estreita.
    curto: str = ""
    # Só no CSV (ex.: nomes por extenso ao lado dos códigos que a tela e o PDF mostram).
    so_csv: bool = False

    @property
    def numero(self) -> bool:
        return self.tipo != TEXTO

    @property
    def rotulo_pdf(self) -> str:
        return self.curto or self.rotulo


def formatar(valor, tipo: str) -> str:
    """Texto da célula na tela e no PDF (dinheiro sem o símbolo: o cabeçalho diz "valores em R$")."""
    if valor is None:
        return ""
    if tipo == DINHEIRO:
        return formatar_brl(valor, simbolo=False)
    if tipo == INTEIRO:
        return f"{valor:,}".replace(",", ".")
    return str(valor)


_CLASSE_VALOR = ' class="valor"'


def html_da_linha(celulas: list[dict]) -> SafeString:
    """As ``<td>`` de uma linha da tabela da tela, já escapadas: o mesmo HTML que o laço por célula no template
    dava, sem as ~1.000 resoluções de variável e ``{% if %}`` por página (100 linhas × 10 colunas), que eram o
    maior custo de CPU da tela dos incisos."""
    # ``html.escape`` é o que o autoescape do template usa (``django.utils.html.escape``), sem o invólucro de texto
    # preguiçoso, que custava mais que o próprio escape.
    return mark_safe("".join(
        f'<td data-label="{escape(c["rotulo"])}"{_CLASSE_VALOR if c["numero"] else ""}>{escape(c["texto"])}</td>'
        for c in celulas
    ))


def html_das_linhas(colunas: list[Coluna], linhas: list) -> list[SafeString]:
    """``html_da_linha`` das células de cada linha (``Relatorio.celulas``) sem montar os dicionários: a abertura de
    cada ``<td>`` (rótulo escapado, classe) sai uma vez por coluna, não uma vez por célula."""
    aberturas = [(f'<td data-label="{escape(c.rotulo)}"{_CLASSE_VALOR if c.numero else ""}>', c.valor, c.tipo)
                 for c in colunas]
    return [
        mark_safe("".join(f"{abre}{escape(formatar(valor(linha), tipo))}</td>" for abre, valor, tipo in aberturas))
        for linha in linhas
    ]


def formatar_csv(valor, tipo: str) -> str:
    """Texto da célula no CSV (dinheiro: o mesmo texto da tela, sem ``localize`` por célula)."""
    if valor is None:
        return ""
    if tipo == DINHEIRO:
        return dinheiro(valor)
    return str(valor)


@dataclass
class Consulta:
    """Um pedido já interpretado: usuário, filtros válidos, exercício e ordem."""

    usuario: Any
    filtro: Any
    valido: bool
    ordem: str
    exercicio: Any = None
    dia: date | None = None
    # Dados próprios de cada relatório (queryset, linhas já montadas...).
    extra: dict = field(default_factory=dict)


@dataclass
class Total:
    """Linha de total ou de subtotal: só os campos que as colunas com ``somar`` leem."""

    n: int = 0
    saldos: Any = None
    reprovados: Decimal = Decimal("0.00")
    rotulo: str = "Total"


def lotes(iteravel: Iterable, tamanho: int) -> Iterator[list]:
    it = iter(iteravel)
    while lote := list(islice(it, tamanho)):
        yield lote


class DataHoraLocal(Func):
    """``dd/mm/aaaa hh:mm`` no fuso do projeto, feito pelo PostgreSQL na própria consulta (``AT TIME ZONE`` e
    ``to_char``): o CSV de 200 mil linhas não converte nem formata data nenhuma em Python. Nos outros bancos
    (SQLite, nos testes) vem a data mesmo e ``texto_data_hora`` a formata; os dois dão o mesmo texto (há teste)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return sql, params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char(({sql}) AT TIME ZONE %s, 'DD/MM/YYYY HH24:MI')", (*params, settings.TIME_ZONE)

    def get_db_converters(self, connection):
        # PostgreSQL: o texto pronto, sem conversor. Os outros: o conversor da data (no SQLite, texto ISO → datetime).
        if connection.vendor == "postgresql":
            return []
        return connection.ops.get_db_converters(self.source_expressions[0])


def texto_data_hora(valor) -> str:
    """O texto de ``DataHoraLocal``: já pronto (PostgreSQL), ou a data a formatar (os outros bancos)."""
    if valor is None:
        return ""
    return valor if type(valor) is str else data_hora(valor)
