"""O leitor de datas pt-BR (sigcon/datas.py): dd/mm/aaaa, dias que não existem recusados com a data na mensagem."""

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError

from sigcon.datas import CampoData, DataBR, ler_data


@pytest.mark.parametrize("texto, esperado", [
    ("31/12/2026", date(2026, 12, 31)),
    ("1/2/2026", date(2026, 2, 1)),
    (" 29/02/2024 ", date(2024, 2, 29)),
    ("2026-03-01", date(2026, 3, 1)),  # links e favoritos de antes (o <input type="date"> mandava assim)
])
def test_le_datas_validas(texto, esperado):
    assert ler_data(texto) == esperado


@pytest.mark.parametrize("texto, trecho", [
    ("31/02/2026", "Data inválida: 31/02/2026. Esse dia não existe no calendário."),
    ("29/02/2025", "Data inválida: 29/02/2025."),
    ("10/13/2026", "Data inválida: 10/13/2026."),
    ("00/01/2026", "Data inválida: 00/01/2026."),
    ("12/31/2026", "Data inválida: 12/31/2026."),  # o formato americano não passa como outro dia
    ("01/01/0026", "O ano deve ter 4 algarismos"),
    ("31-12-2026", "Use dd/mm/aaaa"),
    ("amanhã", "Data inválida: amanhã."),
    ("31/12/26", "Use dd/mm/aaaa"),
    ("", "Use dd/mm/aaaa"),
])
def test_recusa_datas_invalidas_dizendo_qual(texto, trecho):
    with pytest.raises(ValidationError) as exc:
        ler_data(texto)
    assert trecho in exc.value.messages[0]


def test_mensagem_nao_repete_texto_enorme():
    with pytest.raises(ValidationError) as exc:
        ler_data("x" * 5000)
    assert len(exc.value.messages[0]) < 120


class _Form(forms.Form):
    dia = CampoData(label="Dia", required=False)


def test_campo_mostra_dd_mm_aaaa_e_tem_a_mascara():
    html = str(_Form(initial={"dia": date(2026, 3, 9)})["dia"])
    assert 'value="09/03/2026"' in html and 'data-mascara="data"' in html and 'type="text"' in html
    assert 'placeholder="dd/mm/aaaa"' in html and 'inputmode="numeric"' in html
    assert "type=\"date\"" not in html


def test_campo_guarda_o_texto_errado_e_o_erro_vai_para_ele():
    form = _Form({"dia": "31/02/2026"})
    assert not form.is_valid()
    assert form.errors["dia"] == ["Data inválida: 31/02/2026. Esse dia não existe no calendário."]
    assert 'value="31/02/2026"' in str(form["dia"])  # a pessoa corrige o que digitou, não redigita
    vazio = _Form({"dia": ""})
    assert vazio.is_valid() and vazio.cleaned_data == {"dia": None}


def test_widget_aceita_atributos_extra_sem_perder_a_mascara():
    w = DataBR(attrs={"class": "form-control"})
    assert w.attrs["class"] == "form-control" and w.attrs["data-mascara"] == "data"
