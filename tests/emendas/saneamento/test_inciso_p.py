"""Inciso P no banco: carregado por importação depois de D+60, indicável só na janela P (fuso de São Paulo)."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Sum

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import Inciso
from emendas.prazos import Fase, TipoJanela, Trilha
from emendas.selectors import saldos_inciso, saldos_incisos
from emendas.services import enviar_indicacao

pytestmark = pytest.mark.django_db
M = Decimal
SP = ZoneInfo("America/Sao_Paulo")


def as_(dia, hora, minuto=0, segundo=0):
    return time_machine.travel(datetime.combine(dia, time(hora, minuto, segundo), tzinfo=SP), tick=False)


@pytest.fixture
def janela_p(exercicio):
    return exercicio.janelas[(Trilha.P, TipoJanela.INDICACAO_CANCELAMENTO)]


@pytest.fixture
def inciso_p(fabrica, parlamentar, exercicio):
    # Como a importação faz: linha P aceita, dinheiro base (sem inciso de origem), carregada depois do D+60.
    with as_(exercicio.fim_janela_obrigatoria + timedelta(days=5), 12):
        return fabrica.inciso(parlamentar, "500000.00", tipo="P")


@pytest.fixture
def benef(db):
    return Convenente.objects.create(cnpj=gerar_cnpj(9), razao_social="Prefeitura de Betim", municipio="Betim",
                                     tipo="ADM_MUNICIPAL")


def indicar(parlamentar, inciso, benef, valor="1000.00"):
    return enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO", valor=M(valor),
                            beneficiario=benef, objeto="Reforma da UBS")


def test_inciso_p_importado_depois_do_d60_fica_livre_e_so_leitura(inciso_p, exercicio):
    s = saldos_inciso(inciso_p, exercicio.fim_janela_obrigatoria + timedelta(days=10))
    assert s.fase is Fase.FECHADO
    assert (s.livre, s.nao_impositivo, s.disponivel_indicacao) == (M("500000.00"), M("0"), M("0"))


def test_indicacao_de_inciso_p_antes_da_janela_p_e_recusada(inciso_p, parlamentar, benef, janela_p):
    with as_(janela_p[0] - timedelta(days=1), 23, 59, 59), pytest.raises(ValidationError, match="abrem em"):
        indicar(parlamentar, inciso_p, benef)


def test_indicacao_de_inciso_p_abre_a_meia_noite_de_sao_paulo(inciso_p, parlamentar, benef, janela_p):
    with as_(janela_p[0], 0, 0, 1):  # 03:00 UTC: já é o primeiro dia em São Paulo
        ind = indicar(parlamentar, inciso_p, benef)
    assert ind.origem_saldo == "LIVRE"


def test_ultimo_dia_da_janela_p_vale_ate_23h59_de_sao_paulo(inciso_p, parlamentar, benef, janela_p):
    with as_(janela_p[1], 23, 59, 30):  # 02:59 UTC do dia seguinte
        indicar(parlamentar, inciso_p, benef)
    with as_(janela_p[1] + timedelta(days=1), 0, 0, 30), pytest.raises(ValidationError, match="terminou em"):
        indicar(parlamentar, inciso_p, benef)


def test_depois_da_janela_p_o_nao_indicado_perde_a_impositividade(inciso_p, parlamentar, benef, janela_p):
    with as_(janela_p[0], 12):
        indicar(parlamentar, inciso_p, benef, "100000.00")
    s = saldos_inciso(inciso_p, janela_p[1] + timedelta(days=1))
    assert (s.indicado, s.livre, s.nao_impositivo) == (M("100000.00"), M("0"), M("400000.00"))
    assert s.disponivel_remanejamento == M("0")


def test_invariante_com_inciso_p_de_importacao(inciso_p, inciso, exercicio, janela_p):
    base = Inciso.objects.filter(exercicio=exercicio, inciso_origem__isnull=True).aggregate(t=Sum("valor_inicial"))
    for dia in (exercicio.data_liberacao, janela_p[0], janela_p[1] + timedelta(days=1)):
        todos = saldos_incisos(Inciso.objects.select_related("exercicio").filter(exercicio=exercicio), dia)
        assert sum(s.valor_inciso for s in todos.values()) == base["t"] == M("1500000.00")
        for s in todos.values():
            assert sum(s.baldes().values(), M("0")) == s.valor_inciso


def test_a_pagina_do_inciso_p_antes_da_janela_diz_a_abertura_da_janela_p(inciso_p, parlamentar, exercicio, janela_p):
    from django.urls import reverse

    from tests.conftest import logado

    with as_(janela_p[0] - timedelta(days=3), 12):
        html = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[inciso_p.pk])).content.decode()
    # A fase do inciso P é a da janela P: abre no início dela (não na liberação das indicações S/R, já passada).
    assert f"abrem em {janela_p[0]:%d/%m/%Y}" in html
    assert f"abrem em {exercicio.data_liberacao:%d/%m/%Y}" not in html
