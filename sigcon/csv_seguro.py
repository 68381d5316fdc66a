"""Exportação CSV única de todos os relatórios: em fluxo, `;`, UTF-8 com BOM e sem fórmulas.

Uma célula de texto que começa com ``=``, ``+``, ``-``, ``@``, tabulação ou retorno de carro é lida
como fórmula pelo Excel e pelo LibreOffice (injeção de fórmula: ``=HYPERLINK(...)`` no nome de um
convenente vira um link clicável, ``=cmd|...`` executa coisas). Toda célula passa por
``celula_segura``, que põe um apóstrofo na frente desses textos, como recomenda a OWASP. Números
ficam como estão: ``Decimal``/``int`` não são texto, e um texto que é só um número no formato
brasileiro (``-1.234,56``) não é fórmula e precisa continuar somável na planilha.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

INICIOS_PERIGOSOS = ("=", "+", "-", "@", "\t", "\r")
_NUMERO_BR = re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")


def celula_segura(valor):
    """O valor pronto para uma célula de planilha: texto que seria fórmula ganha um ``'`` na frente."""
    if valor is None or isinstance(valor, (int, float, Decimal)):
        return valor
    # Objetos (um Parlamentar como titular, uma data) viram texto aqui, não depois no csv.writer:
    # senão o nome dentro deles escaparia da verificação.
    texto = str(valor)
    if texto.startswith(INICIOS_PERIGOSOS) and not _NUMERO_BR.fullmatch(texto):
        return "'" + texto
    return texto


class _Eco:
    """``csv.writer`` escreve aqui e a linha volta como texto para o fluxo."""

    def write(self, valor):
        return valor


def linhas_csv(cabecalho: list, linhas: Iterable[list]) -> Iterable[str]:
    escritor = csv.writer(_Eco(), delimiter=";")
    # BOM: o Excel só reconhece UTF-8 (acentos) com ele.
    yield "\ufeff" + escritor.writerow([celula_segura(c) for c in cabecalho])
    for linha in linhas:
        yield escritor.writerow([celula_segura(c) for c in linha])


def resposta_csv(nome_arquivo: str, cabecalho: list, linhas: Iterable[list]) -> StreamingHttpResponse:
    """Resposta em fluxo (nada juntado na memória); *linhas* pode ser um gerador preguiçoso."""
    resposta = StreamingHttpResponse(linhas_csv(cabecalho, linhas), content_type="text/csv; charset=utf-8")
    resposta["Content-Disposition"] = f'attachment; filename="{nome_arquivo}"'
    return resposta
