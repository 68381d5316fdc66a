from decimal import Decimal

import pytest
from django.template import Context, Template

from sigcon.dinheiro import ValorInvalido, formatar_brl, ler_valor


@pytest.mark.parametrize(
    "texto, valor",
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("R$ 1.234,5", "1234.50"),
        ("0,01", "0.01"),
        (",5", "0.50"),
        ("1234", "1234.00"),
        ("1.234", "1234.00"),  # ponto de milhar
        ("1234.56", "1234.56"),  # tolerância a planilha
        ("  10,00 ", "10.00"),
        ("9.999.999.999.999,99", "9999999999999.99"),
    ],
)
def test_ler_valor_aceita_formato_brasileiro(texto, valor):
    lido = ler_valor(texto)
    assert lido == Decimal(valor)
    assert lido.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "texto, trecho",
    [
        ("-10,00", "negativo"),
        ("1,234", "mais de duas casas"),
        ("1,2,3", "Valor inválido"),
        ("12.34.56", "Valor inválido"),
        ("abc", "Valor inválido"),
        ("1e5", "Valor inválido"),
        ("", "Informe"),
        ("10.000.000.000.000,00", "maior que o máximo"),
        ("1.23,45", "Valor inválido"),
    ],
)
def test_ler_valor_recusa_com_mensagem(texto, trecho):
    with pytest.raises(ValorInvalido) as erro:
        ler_valor(texto)
    assert trecho in str(erro.value)


@pytest.mark.parametrize(
    "valor, texto",
    [
        (Decimal("0"), "R$ 0,00"),
        (Decimal("1234.5"), "R$ 1.234,50"),
        (Decimal("1234567.891"), "R$ 1.234.567,89"),
        (Decimal("-5.25"), "-R$ 5,25"),
        (Decimal("999"), "R$ 999,00"),
        (Decimal("1000"), "R$ 1.000,00"),
        (None, "—"),
    ],
)
def test_formatar_brl(valor, texto):
    assert formatar_brl(valor) == texto


def test_ida_e_volta_formatar_e_ler():
    for bruto in ["0.01", "12.30", "1000.00", "987654321.99"]:
        valor = Decimal(bruto)
        assert ler_valor(formatar_brl(valor)) == valor


def test_filtro_de_template_brl():
    saida = Template("{{ v|brl }} | {{ v|brl_numero }}").render(Context({"v": Decimal("1234.56")}))
    assert saida == "R$ 1.234,56 | 1.234,56"
