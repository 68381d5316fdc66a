"""Remanejamento constitucional (§7.13) e a lei que cria os incisos P: figuras, mínimo em saúde, refazer, concluir,
o dinheiro que sai do reservado PL e o invariante do exercício."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from emendas.models import ConclusaoSaneamento, Inciso, LinhaRemanejamentoConstitucional, MovimentoSaneamento
from emendas.prazos import Fase
from emendas.saneamento.selectors import destinos_constitucionais, figuras_remanejamento_constitucional
from emendas.selectors import saldos_inciso, saldos_incisos
from emendas.services import (
    concluir_remanejamento_constitucional, concluir_saneamento, enviar_indicacao,
    programar_remanejamento_constitucional, refazer_escolha, registrar_lei_remanejamento,
    reservar_remanejamento_constitucional, sanear_indicacao,
)

from .conftest import as_

pytestmark = pytest.mark.django_db
M = Decimal


def escolher(c, reserva_saude="300000.00", reserva_outra="400000.00"):
    with as_(c["escolha"][0]):
        sanear_indicacao(usuario=c["parl"], indicacao=c["i2"], valor=M("100000.00"), proposta_saneadora="Licença")
        reservar_remanejamento_constitucional(usuario=c["parl"], inciso=c["saude"], valor=M(reserva_saude))
        reservar_remanejamento_constitucional(usuario=c["parl"], inciso=c["outra"], valor=M(reserva_outra))
        concluir_saneamento(usuario=c["parl"], inciso=c["saude"])
        concluir_saneamento(usuario=c["parl"], inciso=c["outra"])


def programar(c, acao, valor, grupo=None):
    return programar_remanejamento_constitucional(usuario=c["parl"], titular=c["titular"], acao=acao,
                                                  grupo_despesa=grupo or c["saude"].grupo_despesa, valor=M(valor))


def base(exercicio):
    return Inciso.objects.filter(exercicio=exercicio, inciso_origem__isnull=True).aggregate(t=Sum("valor_inicial"))["t"]


def conferir_invariante(exercicio, dia):
    todos = saldos_incisos(Inciso.objects.select_related("exercicio").filter(exercicio=exercicio), dia)
    assert sum(s.valor_inciso for s in todos.values()) == base(exercicio)
    for s in todos.values():
        assert sum(s.baldes().values(), M("0")) == s.valor_inciso
        assert all(v >= 0 for v in s.baldes().values())


def test_programar_antes_de_concluir_todos_os_incisos_e_recusado(ciclo, acao_saude):
    with as_(ciclo["escolha"][0]):
        reservar_remanejamento_constitucional(usuario=ciclo["parl"], inciso=ciclo["outra"], valor=M("10.00"))
        concluir_saneamento(usuario=ciclo["parl"], inciso=ciclo["outra"])
        with pytest.raises(ValidationError, match=f"faltam: {ciclo['saude'].numero}"):
            programar(ciclo, acao_saude, "10.00")


def test_as_quatro_figuras(ciclo, acao_saude, exercicio):
    exercicio.minimo_saude_percentual = M("40")
    exercicio.save()
    escolher(ciclo, reserva_saude="300000.00", reserva_outra="400000.00")
    with as_(ciclo["programacao"][0]):
        f = figuras_remanejamento_constitucional(ciclo["titular"], exercicio)
        # Mínimo: 800 mil; em saúde já 200 mil ativos (o sanado foi em outra área): faltam 600 mil.
        assert (f.saldo, f.disponivel, f.valor_minimo_saude, f.valor_saude) == (
            M("700000.00"), M("700000.00"), M("600000.00"), M("0"))
        programar(ciclo, acao_saude, "250000.00")
        f = figuras_remanejamento_constitucional(ciclo["titular"], exercicio)
        assert (f.disponivel, f.valor_saude, f.so_area) == (M("450000.00"), M("250000.00"), True)


def test_so_destinos_de_saude_ate_o_minimo(ciclo, acao_saude, acao_outra, exercicio):
    exercicio.minimo_saude_percentual = M("30")  # 600 mil; já 200 mil em saúde: faltam 400 mil
    exercicio.save()
    escolher(ciclo)
    with as_(ciclo["programacao"][0]):
        f = figuras_remanejamento_constitucional(ciclo["titular"], exercicio)
        assert {p.acao.area for p in destinos_constitucionais(exercicio, f)} == {"SAUDE"}
        with pytest.raises(ValidationError, match="Mínimo em saúde não atendido: faltam R\\$ 400.000,00"):
            programar(ciclo, acao_outra, "300000.01")
        programar(ciclo, acao_outra, "300000.00")  # os 400 mil restantes ainda cabem em saúde
        programar(ciclo, acao_saude, "400000.00")
        f = figuras_remanejamento_constitucional(ciclo["titular"], exercicio)
        assert not f.so_area and f.disponivel == M("0")
        assert {p.acao.area for p in destinos_constitucionais(exercicio, f)} == {"SAUDE", "OUTRA"}


def test_programar_passa_do_disponivel_e_recusado(ciclo, acao_saude):
    escolher(ciclo)
    with as_(ciclo["programacao"][0]), pytest.raises(ValidationError, match="disponível R\\$ 700.000,00"):
        programar(ciclo, acao_saude, "700000.01")


def test_refazer_escolha_apaga_as_linhas_e_reabre_o_saneamento(ciclo, acao_saude):
    escolher(ciclo)
    with as_(ciclo["programacao"][0]):
        programar(ciclo, acao_saude, "100.00")
        assert refazer_escolha(usuario=ciclo["parl"], titular=ciclo["titular"]) == 1
    assert not LinhaRemanejamentoConstitucional.objects.exists()
    assert not ConclusaoSaneamento.objects.exists()


def test_concluir_exige_o_minimo_em_saude(ciclo, acao_saude, exercicio):
    exercicio.minimo_saude_percentual = M("30")
    exercicio.save()
    escolher(ciclo)
    with as_(ciclo["programacao"][0]):
        programar(ciclo, acao_saude, "399999.99")
        with pytest.raises(ValidationError, match="Programe ao menos R\\$ 400.000,00 em saúde"):
            concluir_remanejamento_constitucional(usuario=ciclo["parl"], titular=ciclo["titular"])
        programar(ciclo, acao_saude, "0.01")
        concluir_remanejamento_constitucional(usuario=ciclo["parl"], titular=ciclo["titular"])
        with pytest.raises(ValidationError, match="já foi concluído"):
            programar(ciclo, acao_saude, "1.00")


def test_programar_fora_da_janela_e_recusado(ciclo, acao_saude):
    escolher(ciclo)
    with as_(ciclo["programacao"][1] + ciclo["um"], 0, 0, 30), pytest.raises(ValidationError, match="fechada"):
        programar(ciclo, acao_saude, "1.00")


def test_so_a_segov_registra_a_lei(ciclo, exercicio):
    with pytest.raises(PermissionDenied):
        registrar_lei_remanejamento(usuario=ciclo["parl"], exercicio=exercicio, numero_lei="23.500", data=date(2019, 8, 1))


def test_lei_cria_incisos_p_movendo_o_dinheiro_do_reservado_pl(ciclo, acao_saude, acao_outra, exercicio, segov):
    escolher(ciclo)  # guardados: 300 mil (saúde) + 400 mil (outra)
    with as_(ciclo["programacao"][0]):
        programar(ciclo, acao_saude, "350000.00", grupo=ciclo["saude"].grupo_despesa)
        programar(ciclo, acao_outra, "250000.00")
        concluir_remanejamento_constitucional(usuario=ciclo["parl"], titular=ciclo["titular"])
    dia_lei = ciclo["programacao"][1] + ciclo["um"] * 5
    conferir_invariante(exercicio, dia_lei)
    with as_(dia_lei):
        criados = registrar_lei_remanejamento(usuario=segov, exercicio=exercicio, numero_lei="23.500",
                                              data=dia_lei)
    assert [(p.tipo, p.valor_inicial, p.acao_id) for p in criados] == [
        ("P", M("350000.00"), acao_saude.pk), ("P", M("250000.00"), acao_outra.pk)]
    assert all(p.inciso_origem_id in (ciclo["saude"].pk, ciclo["outra"].pk) for p in criados)
    # 600 mil saíram dos guardados (300 do de saúde, 300 do outro); os 100 mil não programados perderam a
    # impositividade.
    saude, outra = saldos_inciso(ciclo["saude"], dia_lei), saldos_inciso(ciclo["outra"], dia_lei)
    assert (saude.valor_inciso, saude.reservado_pl) == (M("700000.00"), M("0"))
    assert (outra.valor_inciso, outra.reservado_pl) == (M("700000.00"), M("0"))
    assert MovimentoSaneamento.objects.filter(tipo="PERDA_LEI").aggregate(t=Sum("valor"))["t"] == M("100000.00")
    for dia in (dia_lei - ciclo["um"], dia_lei, ciclo["p"][0], ciclo["p"][1] + ciclo["um"]):
        conferir_invariante(exercicio, dia)
    p1 = criados[0]
    assert saldos_inciso(p1, dia_lei).fase is Fase.FECHADO
    assert saldos_inciso(p1, dia_lei - ciclo["um"]).valor_inciso == M("0")  # ainda não existia
    with as_(ciclo["p"][0]):
        ind = enviar_indicacao(usuario=ciclo["parl"], inciso=Inciso.objects.get(pk=p1.pk),
                               forma_execucao="EXECUCAO_DIRETA", valor=M("50000.00"), objeto="UBS")
    assert ind.origem_saldo == "LIVRE"
    s = saldos_inciso(p1, ciclo["p"][1] + ciclo["um"])
    assert (s.indicado, s.nao_impositivo, s.disponivel_remanejamento) == (M("50000.00"), M("300000.00"), M("0"))


def test_lei_repetida_e_recusada(ciclo, exercicio, segov):
    with as_(date(2019, 8, 2)):
        registrar_lei_remanejamento(usuario=segov, exercicio=exercicio, numero_lei="1", data=date(2019, 8, 1))
        with pytest.raises(ValidationError, match="já foi registrada"):
            registrar_lei_remanejamento(usuario=segov, exercicio=exercicio, numero_lei="1", data=date(2019, 8, 1))
