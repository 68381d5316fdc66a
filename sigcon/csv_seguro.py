"""Exportação CSV única de todos os relatórios: em fluxo, `;`, UTF-8 com BOM e sem fórmulas.

Uma célula de texto que começa com ``=``, ``+``, ``-``, ``@``, tabulação ou retorno de carro é lida
como fórmula pelo Excel e pelo LibreOffice (injeção de fórmula: ``=HYPERLINK(...)`` no nome de um
convenente vira um link clicável, ``=cmd|...`` executa coisas). Toda célula passa por
``celula_segura``, que põe um apóstrofo na frente desses textos, como recomenda a OWASP. Números
ficam como estão: ``Decimal``/``int`` não são texto, e um texto que é só um número no formato
brasileiro (``-1.234,56``) não é fórmula e precisa continuar somável na planilha.

O arquivo sai em blocos de ``LINHAS_POR_BLOCO`` linhas (um ``yield`` por bloco, não por linha: cada
``yield`` de uma resposta em fluxo é uma escrita no socket). Datas e dinheiro das células são
formatados por ``data_hora`` e ``dinheiro``, funções puras e baratas: sem ``localtime``/``strftime``
nem ``localize`` por célula (com 200 mil linhas esse trabalho dobrava o tempo do CSV).
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils import timezone

from sigcon.dinheiro import formatar_brl

INICIOS_PERIGOSOS = ("=", "+", "-", "@", "\t", "\r")
_PRIMEIROS_PERIGOSOS = frozenset(INICIOS_PERIGOSOS)
_NUMERO_BR = re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
# ~100 KB por bloco com as linhas dos relatórios (25 colunas).
LINHAS_POR_BLOCO = 500


def celula_segura(valor):
    """O valor pronto para uma célula de planilha: texto que seria fórmula ganha um ``'`` na frente."""
    if valor is None or isinstance(valor, (int, float, Decimal)):
        return valor
    # Objetos (um Parlamentar como titular, uma data) viram texto aqui, não depois no csv.writer:
    # senão o nome dentro deles escaparia da verificação.
    texto = valor if type(valor) is str else str(valor)
    if texto.startswith(INICIOS_PERIGOSOS) and not _NUMERO_BR.fullmatch(texto):
        return "'" + texto
    return texto


def linha_segura(linha: Iterable) -> list:
    """``celula_segura`` de cada célula. O caso comum (um texto que não começa com um caractere de fórmula)
    fica no próprio laço, sem uma chamada por célula: com 200 mil linhas de 25 colunas a chamada pesava."""
    return [
        c if type(c) is str and (not c or c[0] not in _PRIMEIROS_PERIGOSOS) else celula_segura(c)
        for c in linha
    ]


def _protetor(textos: tuple[int, ...] | None):
    """A função que deixa uma linha segura: todas as células, ou só as colunas *textos* (índices).

    Um relatório cujas outras colunas nunca começam por um caractere de fórmula (números, datas e valores em
    ``1.234,56``, rótulos de escolhas, números de indicação) diz quais colunas trazem texto livre; as demais
    passam direto. No CSV de 200 mil linhas de "Valores Indicados", conferir as 25 células de cada linha custava
    mais que o próprio ``csv.writer``."""
    if textos is None:
        return linha_segura

    def proteger(linha: list) -> list:
        if type(linha) is not list:
            linha = list(linha)
        for k in textos:
            c = linha[k]
            if type(c) is not str or (c and c[0] in _PRIMEIROS_PERIGOSOS):
                linha[k] = celula_segura(c)
        return linha

    return proteger


def linhas_csv(cabecalho: list, linhas: Iterable[list], *, textos: tuple[int, ...] | None = None) -> Iterator[str]:
    """O arquivo em pedaços de texto: o cabeçalho (com o BOM) e depois um pedaço por bloco de linhas.

    Serve à resposta em fluxo; a tarefa que grava os CSVs grandes escreve direto no arquivo (``escrever_csv``).
    *textos*: só estas colunas podem trazer texto livre (``_protetor``); sem elas, toda célula é conferida.
    """
    saida = io.StringIO()
    escritor = csv.writer(saida, delimiter=";")
    proteger = _protetor(textos)
    # BOM: o Excel só reconhece UTF-8 (acentos) com ele.
    saida.write("\ufeff")
    escritor.writerow(linha_segura(cabecalho))
    yield saida.getvalue()
    linhas = iter(linhas)
    while bloco := list(islice(linhas, LINHAS_POR_BLOCO)):
        saida.seek(0)
        saida.truncate()
        escritor.writerows([proteger(linha) for linha in bloco])
        yield saida.getvalue()


def escrever_csv(arquivo, cabecalho: list, linhas: Iterable[list], *, textos: tuple[int, ...] | None = None) -> None:
    """O mesmo arquivo de ``linhas_csv``, escrito direto em *arquivo* (texto, UTF-8, ``newline=""``): sem o
    texto de cada bloco montado na memória e depois codificado (a tarefa dos CSVs grandes)."""
    escritor = csv.writer(arquivo, delimiter=";")
    proteger = _protetor(textos)
    arquivo.write("\ufeff")
    escritor.writerow(linha_segura(cabecalho))
    escritor.writerows(proteger(linha) for linha in linhas)


def resposta_csv(nome_arquivo: str, cabecalho: list, linhas: Iterable[list]) -> StreamingHttpResponse:
    """Resposta em fluxo (nada juntado na memória); *linhas* pode ser um gerador preguiçoso."""
    return resposta_csv_pronto(nome_arquivo, linhas_csv(cabecalho, linhas))


def resposta_csv_pronto(nome_arquivo: str, pedacos: Iterable[str]) -> StreamingHttpResponse:
    """Resposta em fluxo dos pedaços que ``linhas_csv`` já montou."""
    resposta = StreamingHttpResponse(pedacos, content_type="text/csv; charset=utf-8")
    resposta["Content-Disposition"] = f'attachment; filename="{nome_arquivo}"'
    return resposta


# --- células formatadas --------------------------------------------------------------------------------------

# Diferença (em segundos) entre o fuso do projeto (TIME_ZONE; ninguém ativa outro por usuário) e UTC, por dia
# UTC: uma conversão de fuso por dia que aparece no relatório, não por célula. Num dia em que o fuso muda
# (começo ou fim do horário de verão) as duas pontas do dia diferem: aí, e só aí, a conversão é valor a valor.
_DIFERENCA_POR_DIA: dict[int, int | None] = {}
# "dd/mm/aaaa" de cada dia local (dias desde 1970-01-01).
_TEXTO_DO_DIA: dict[int, str] = {}
_DIA = 86_400
_EPOCA = date(1970, 1, 1).toordinal()


def _segundos(diferenca: timedelta) -> int:
    return diferenca.days * _DIA + diferenca.seconds


def _diferenca(valor: datetime, instante: int) -> int:
    dia = instante // _DIA
    if dia not in _DIFERENCA_POR_DIA:
        fuso = timezone.get_default_timezone()
        inicio = datetime.fromtimestamp(dia * _DIA, fuso).utcoffset()
        fim = datetime.fromtimestamp(dia * _DIA + _DIA - 1, fuso).utcoffset()
        _DIFERENCA_POR_DIA[dia] = _segundos(inicio) if inicio == fim else None
    diferenca = _DIFERENCA_POR_DIA[dia]
    if diferenca is None:
        return _segundos(valor.astimezone(timezone.get_default_timezone()).utcoffset())
    return diferenca


def _texto_do_dia(dia: int) -> str:
    texto = _TEXTO_DO_DIA[dia] = date.fromordinal(_EPOCA + dia).strftime("%d/%m/%Y")
    return texto


def data_hora(valor: datetime | None) -> str:
    """``dd/mm/aaaa hh:mm`` no fuso do projeto (o mesmo que ``localtime(valor).strftime(...)``); ``None`` → ``""``.

    Conta em segundos desde 1970: a diferença do fuso e o texto de cada dia saem de dicionários (o caso comum
    fica aqui mesmo, sem chamada) e só a hora é formatada por célula.
    """
    if valor is None:
        return ""
    if valor.tzinfo is None:  # já no fuso local
        return f"{valor:%d/%m/%Y %H:%M}"
    instante = int(valor.timestamp() // 1)
    diferenca = _DIFERENCA_POR_DIA.get(instante // _DIA)
    if diferenca is None:  # dia ainda não visto, ou dia em que o fuso muda
        diferenca = _diferenca(valor, instante)
    dia, segundo = divmod(instante + diferenca, _DIA)
    return f"{_TEXTO_DO_DIA.get(dia) or _texto_do_dia(dia)} {segundo // 3600:02d}:{segundo % 3600 // 60:02d}"


def dinheiro(valor) -> str:
    """``Decimal`` → ``-1.234,56``: o ``formatar_brl`` sem o símbolo, e vazio (não "—") para ``None`` no CSV."""
    return "" if valor is None else formatar_brl(valor, simbolo=False)
