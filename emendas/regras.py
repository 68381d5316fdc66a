"""Regras do núcleo que remanejamento, indicação e proposta de convênio usam igual."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from sigcon.dinheiro import VALOR_MAXIMO


def validar_valor(valor) -> Decimal:
    if not isinstance(valor, Decimal):
        raise ValidationError("O valor deve ser um número decimal.")
    if not valor.is_finite() or valor <= 0:
        raise ValidationError("O valor deve ser maior que zero.")
    if valor.as_tuple().exponent < -2 and valor != valor.quantize(Decimal("0.01")):
        raise ValidationError("O valor deve ter no máximo duas casas decimais (centavos).")
    if valor > VALOR_MAXIMO:
        raise ValidationError("O valor é maior que o máximo aceito.")
    return valor.quantize(Decimal("0.01"))
