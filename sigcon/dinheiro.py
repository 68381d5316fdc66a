"""Dinheiro: Decimal com 2 casas, um formatador BRL e um leitor de valores digitados."""

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENTAVO = Decimal("0.01")
# DecimalField(max_digits=15, decimal_places=2): até 9.999.999.999.999,99
VALOR_MAXIMO = Decimal("9999999999999.99")

# [0-9], não \d: \d, str.isdigit() e Decimal() aceitam algarismos de outras escritas (arábico-índicos,
# devanágari, de largura total), que ninguém digita por querer num valor em reais.
_MILHAR = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_ALGARISMOS = re.compile(r"^[0-9]+$")


class ValorInvalido(ValueError):
    """Texto que não representa um valor em reais."""


def quantizar(valor) -> Decimal:
    """Arredonda para centavos (o único ponto de arredondamento do sistema)."""
    return Decimal(valor).quantize(CENTAVO, rounding=ROUND_HALF_EVEN)


def ler_valor(texto: str) -> Decimal:
    """Lê um valor digitado em formato brasileiro.

    Aceita ``1.234,56``, ``1234,56``, ``1234``, ``R$ 1.234,56`` e, por tolerância a
    planilhas, ``1234.56``. Recusa mais de duas casas decimais, sinais e lixo.
    """
    if texto is None:
        raise ValorInvalido("Informe um valor.")
    bruto = str(texto).strip().replace("R$", "").replace("\u00a0", "").replace(" ", "")
    if not bruto:
        raise ValorInvalido("Informe um valor.")
    if bruto.startswith("-"):
        raise ValorInvalido("O valor não pode ser negativo.")
    if "," in bruto:
        inteiro, _, decimais = bruto.rpartition(",")
        if "," in inteiro:
            raise ValorInvalido(f"Valor inválido: “{texto}”. Use o formato 1.234,56.")
        if "." in inteiro and not _MILHAR.match(inteiro):
            raise ValorInvalido(f"Valor inválido: “{texto}”. Use o formato 1.234,56.")
        inteiro = inteiro.replace(".", "")
    elif _MILHAR.match(bruto):
        inteiro, decimais = bruto.replace(".", ""), ""
    elif bruto.count(".") == 1:
        inteiro, _, decimais = bruto.partition(".")
    else:
        inteiro, decimais = bruto, ""
    if not inteiro:
        inteiro = "0"
    if any(c.isdigit() and not c.isascii() for c in bruto):
        raise ValorInvalido(f"Valor inválido: “{texto}”. Use só os algarismos de 0 a 9, no formato 1.234,56.")
    if not _ALGARISMOS.match(inteiro) or (decimais and not _ALGARISMOS.match(decimais)):
        raise ValorInvalido(f"Valor inválido: “{texto}”. Use o formato 1.234,56.")
    if len(decimais) > 2:
        raise ValorInvalido(f"O valor “{texto}” tem mais de duas casas decimais.")
    try:
        valor = Decimal(f"{inteiro}.{decimais or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - isdigit já garante
        raise ValorInvalido(f"Valor inválido: “{texto}”.") from exc
    if valor > VALOR_MAXIMO:
        raise ValorInvalido(f"O valor “{texto}” é maior que o máximo aceito (R$ 9.999.999.999.999,99).")
    return quantizar(valor)


def formatar_brl(valor, simbolo: bool = True) -> str:
    """``Decimal('1234.5')`` → ``R$ 1.234,50``; ``None`` → ``—``."""
    if valor is None or valor == "":
        return "—"
    valor = quantizar(valor)
    sinal = "-" if valor < 0 else ""
    # Milhar e decimais do próprio format (sem localize, sem laço): os CSVs de 200 mil linhas passam por aqui.
    texto = f"{abs(valor):,.2f}".translate(_PONTUACAO_BRL)
    return f"{sinal}R$ {texto}" if simbolo else f"{sinal}{texto}"


_PONTUACAO_BRL = str.maketrans({",": ".", ".": ","})
