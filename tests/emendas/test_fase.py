"""O texto da fase e a conferência da janela, cada um num lugar só, com as durações do calendário editável."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from emendas import prazos
from tests.conftest import D0, logado, meio_dia

LIVRE = date(2019, 2, 1)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emendas"


def test_nenhum_template_de_emendas_escreve_a_duracao_da_janela():
    escritos = [str(p) for p in TEMPLATES.rglob("*.html") if "30 dias" in p.read_text(encoding="utf-8")]
    assert escritos == []


@pytest.mark.django_db
def test_painel_do_remanejamento_mostra_a_duracao_do_calendario_do_exercicio(programacoes, inciso, parlamentar):
    exercicio = inciso.exercicio
    exercicio.fim_janela_livre = exercicio.data_liberacao + timedelta(days=20)
    exercicio.save()
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        html = logado(parlamentar.usuario).get(reverse("emendas:novo_remanejamento", args=[inciso.pk])).content.decode()
    assert "(20 dias da liberação)" in html


@pytest.mark.parametrize("uso, trecho", [
    ("remanejamento", "remanejamentos podem ser pedidos a partir de 26/01/2019"),
    ("indicacao", "as indicações abrem em 26/01/2019"),
])
def test_antes_da_liberacao_a_janela_recusa_com_a_data_de_abertura(uso, trecho):
    with pytest.raises(ValidationError, match=trecho):
        prazos.conferir_janela(prazos.Calendario.padrao(D0), D0, uso)


@pytest.mark.parametrize("uso, trecho", [("remanejamento", "O prazo de remanejamento"), ("indicacao", "O prazo de indicação")])
def test_depois_do_prazo_sem_nao_impositivo_a_janela_recusa_com_o_fim(uso, trecho):
    calendario = prazos.Calendario.padrao(D0)
    with pytest.raises(ValidationError, match=f"{trecho} terminou em 11/03/2019"):
        prazos.conferir_janela(calendario, calendario.fim_janela_obrigatoria + timedelta(days=1), uso)


def test_na_janela_devolve_os_baldes_do_dia():
    calendario = prazos.Calendario.padrao(D0)
    assert prazos.conferir_janela(calendario, LIVRE, "indicacao") == (prazos.OrigemSaldo.LIVRE,)
    assert prazos.janela(calendario, LIVRE)["dias_janela_livre"] == prazos.DIAS_JANELA_LIVRE
