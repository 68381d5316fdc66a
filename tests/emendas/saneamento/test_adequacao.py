"""Adequação do valor de execução obrigatória (§7.14): a diferença entre a LOA e o obrigatório sai do saldo com
impedimento antes do saneamento."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from emendas.saneamento.selectors import adequacao, painel_saneamento
from emendas.services import reservar_remanejamento_constitucional, sanear_indicacao
from tests.conftest import logado

from .conftest import as_

pytestmark = pytest.mark.django_db
M = Decimal


@pytest.fixture
def sem_d(monkeypatch):
    """D = 0, como se todo o montante tivesse sido indicado no prazo (no ciclo, 1,5 milhão já perdeu no D+60)."""
    from emendas.saneamento import selectors as sel

    original = sel.adequacao

    def adequacao_sem_d(titular, ex, linhas):
        a = original(titular, ex, linhas)
        a.ja_nao_impositivo, a.a_adequar = M("0"), a.diferenca
        return a

    monkeypatch.setattr(sel, "adequacao", adequacao_sem_d)


def test_sem_percentual_nao_ha_adequacao(ciclo, exercicio):
    assert adequacao(ciclo["titular"], exercicio, painel_saneamento(ciclo["titular"], exercicio)) is None


def test_figuras_c_d_e_f(ciclo, exercicio):
    # LOA 2 milhões; obrigatório 70 % = 1,4 milhão; C = 600 mil; D: 1,5 milhão não indicado no D+60 já perdeu.
    exercicio.percentual_execucao_obrigatoria = M("70")
    exercicio.save()
    with as_(ciclo["escolha"][0]):
        a = adequacao(ciclo["titular"], exercicio, painel_saneamento(ciclo["titular"], exercicio))
    assert (a.loa, a.obrigatorio, a.diferenca, a.saldo_iot) == (M("2000000.00"), M("1400000.00"), M("600000.00"),
                                                                M("800000.00"))
    assert a.a_adequar == max(M("0"), a.diferenca - a.ja_nao_impositivo)


def test_diferenca_sai_do_que_se_pode_sanear(ciclo, exercicio, sem_d):
    exercicio.percentual_execucao_obrigatoria = M("70")
    exercicio.save()
    # D = 0 (como se tudo tivesse sido indicado no prazo): E = C = 600 mil; F = 800 mil; sobram 200 mil.
    with as_(ciclo["escolha"][0]):
        reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["outra"], valor=M("150000.00"))
        with pytest.raises(ValidationError, match="ainda podem ser sanados ou guardados R\\$ 50.000,00"):
            sanear_indicacao(usuario=ciclo["parl"], indicacao=ciclo["i2"], valor=M("50000.01"), proposta_saneadora="x")
        sanear_indicacao(usuario=ciclo["parl"], indicacao=ciclo["i2"], valor=M("50000.00"), proposta_saneadora="x")
        html = logado(ciclo["parl"]).get(reverse("emendas:saneamento")).content.decode()
    assert "Adequação do valor de execução obrigatória" in html


def test_saldo_com_impedimento_menor_que_a_diferenca_pede_adequacao_antes(ciclo, exercicio, sem_d):
    exercicio.percentual_execucao_obrigatoria = M("10")  # C = 1,8 milhão > F = 800 mil
    exercicio.save()
    with as_(ciclo["escolha"][0]), pytest.raises(ValidationError, match="faltam R\\$ 1.000.000,00 em indicações "
                                                                         "aprovadas a adequar"):
        sanear_indicacao(usuario=ciclo["parl"], indicacao=ciclo["i2"], valor=M("1.00"), proposta_saneadora="x")
