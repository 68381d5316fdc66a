"""Datas digitadas em pt-BR (dd/mm/aaaa): um leitor, um campo e um widget para todo o projeto.

O ``<input type="date">`` do navegador segue a língua do navegador (mm/dd/aaaa num Chrome em inglês) e manda
aaaa-mm-dd; aqui a data é texto com máscara (``static/js/sigcon.js``, ``data-mascara="data"``) e quem a lê é o
servidor, sempre como dd/mm/aaaa. Aceita-se também aaaa-mm-dd, para links e favoritos antigos (os formulários
mandavam assim), mas o campo mostra sempre dd/mm/aaaa.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

FORMATO = "%d/%m/%Y"
_BR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def ler_data(texto: str) -> date:
    """``31/12/2026`` (ou ``2026-12-31``) → ``date``; o resto → ``ValidationError`` que mostra o que veio.

    Um dia que não existe (31/02, 29/02 fora de ano bissexto, mês 13) é recusado: nunca vira outro dia nem hoje.
    """
    texto = (texto or "").strip()
    br, iso = _BR.fullmatch(texto), _ISO.fullmatch(texto)
    if br:
        dia, mes, ano = (int(p) for p in br.groups())
    elif iso:
        ano, mes, dia = (int(p) for p in iso.groups())
    else:
        raise ValidationError(f"Data inválida: {texto[:20]}. Use dd/mm/aaaa, por exemplo 31/12/2026.",
                              code="invalid")
    if ano < 1900:
        raise ValidationError(f"Data inválida: {texto}. O ano deve ter 4 algarismos, a partir de 1900.",
                              code="invalid")
    try:
        return date(ano, mes, dia)
    except ValueError:
        raise ValidationError(f"Data inválida: {texto}. Esse dia não existe no calendário.", code="invalid") from None


class DataBR(forms.TextInput):
    """Texto com máscara dd/mm/aaaa (o comportamento está em sigcon.js, por data-*: nada inline)."""

    def __init__(self, attrs=None):
        padrao = {"data-mascara": "data", "inputmode": "numeric", "placeholder": "dd/mm/aaaa",
                  "maxlength": "10", "autocomplete": "off"}
        super().__init__({**padrao, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return value.strftime(FORMATO)
        return super().format_value(value)


class CampoData(forms.DateField):
    """``DateField`` que lê dd/mm/aaaa com ``ler_data`` e diz qual data está errada."""

    widget = DataBR

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DataBR)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        return ler_data(str(value))
