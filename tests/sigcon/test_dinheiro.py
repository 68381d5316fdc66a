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


@pytest.mark.parametrize(
    "texto",
    [
        "١٢٣,٤٥",  # arábico-índicos: str.isdigit() e Decimal() aceitam
        "۱۲۳",  # persas
        "１２３,４５",  # largura total
        "१२३",  # devanágari
        "1.２34,00",  # um só algarismo estranho no meio
        "12³",  # sobrescrito
        "10,٥٠",  # só nos centavos
    ],
)
def test_ler_valor_recusa_algarismos_que_nao_sao_de_0_a_9(texto):
    with pytest.raises(ValorInvalido) as erro:
        ler_valor(texto)
    assert "algarismos de 0 a 9" in str(erro.value) or "Valor inválido" in str(erro.value)


def test_campo_de_valor_do_formulario_recusa_algarismos_arabes_com_mensagem():
    from django import forms

    from emendas.forms import CampoValor

    class F(forms.Form):
        valor = CampoValor()

    form = F({"valor": "١٠٠,٠٠"})
    assert not form.is_valid()
    assert form.errors["valor"] == ["Valor inválido: “١٠٠,٠٠”. Use só os algarismos de 0 a 9, no formato 1.234,56."]
    assert F({"valor": "100,00"}).is_valid()


def test_cnpj_com_algarismos_de_outra_escrita_e_invalido():
    from django.core.exceptions import ValidationError

    from convenios.cnpj import normalizar_cnpj

    valido = "11222333000181"
    assert normalizar_cnpj(valido) == valido
    # Os 12 primeiros em arábico-índicos e os verificadores em ASCII: antes passava e gravava o CNPJ "árabe".
    arabe = "".join(chr(0x0660 + int(c)) for c in valido[:12]) + valido[12:]
    with pytest.raises(ValidationError):
        normalizar_cnpj(arabe)
