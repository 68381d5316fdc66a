"""Um titular com saldo com impedimento técnico (reservado PL) para o segundo ciclo (§7.12–7.13)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from emendas.models import (
    Acao, CategoriaImpedimento, Indicacao, ProgramacaoElegivel, SequenciaExercicio, UnidadeOrcamentaria,
)
from emendas.prazos import OrigemSaldo, TipoJanela, Trilha

M = Decimal
SP = ZoneInfo("America/Sao_Paulo")


def as_(dia, hora=12, minuto=0, segundo=0):
    return time_machine.travel(datetime.combine(dia, time(hora, minuto, segundo), tzinfo=SP), tick=False)


def indicacao_reprovada(inciso, valor, numero, *, dia=date(2019, 4, 1)):
    """Indicação enviada na janela livre e reprovada depois do D+60: o valor ficou reservado para o projeto de lei."""
    return Indicacao.objects.create(
        exercicio=inciso.exercicio, numero=numero, inciso=inciso, objeto="Obra", valor=M(valor),
        forma_execucao="EXECUCAO_DIRETA", origem_saldo=OrigemSaldo.LIVRE, status=Indicacao.Status.REPROVADA,
        saldo_devolucao=OrigemSaldo.RESERVADO_PL, enviada_por=inciso.emenda.parlamentar.usuario,
        enviada_em=datetime.combine(date(2019, 2, 1), time(12), tzinfo=SP),
        encerrada_em=datetime.combine(dia, time(12), tzinfo=SP), justificativa="Projeto sem licença",
        # get_or_create: os testes com transaction=True esvaziam o banco, levando a lista padrão da migração.
        categoria_impedimento=CategoriaImpedimento.objects.get_or_create(exercicio=None, nome="Projeto inviável")[0])


def indicacao_ativa(inciso, valor, numero):
    return Indicacao.objects.create(
        exercicio=inciso.exercicio, numero=numero, inciso=inciso, objeto="Obra", valor=M(valor),
        forma_execucao="EXECUCAO_DIRETA", origem_saldo=OrigemSaldo.LIVRE, enviada_por=inciso.emenda.parlamentar.usuario,
        enviada_em=datetime.combine(date(2019, 2, 1), time(12), tzinfo=SP))


@pytest.fixture
def acao_outra(db, grupo_inv, exercicio):
    uo = UnidadeOrcamentaria.objects.create(codigo="1251", nome="Secretaria de Obras")
    acao = Acao.objects.create(uo=uo, codigo="1001", nome="Pavimentação", area=Acao.Area.OUTRA)
    ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=acao, grupo_despesa=grupo_inv)
    return acao


@pytest.fixture
def ciclo(fabrica, parlamentar, exercicio, acao_outra, programacoes):
    """Inciso de saúde com 300 mil reservados (I1) e inciso de outra área com 500 mil reservados (I2); uma indicação
    ativa de 200 mil em saúde. Janelas: escolha e programação de D+169 a D+195; indicação P de D+225 a D+250."""
    saude = fabrica.inciso(parlamentar, "1000000.00")
    outra = fabrica.inciso(parlamentar, "1000000.00", acao=acao_outra)
    i1 = indicacao_reprovada(saude, "300000.00", 1)
    i2 = indicacao_reprovada(outra, "500000.00", 2)
    indicacao_ativa(saude, "200000.00", 3)
    # Gravadas direto no banco: o contador de numeração segue (as próximas, pelos serviços, são 4, 5...).
    SequenciaExercicio.objects.filter(exercicio=exercicio, nome=SequenciaExercicio.Nome.INDICACAO).update(ultimo=3)
    j = exercicio.janelas
    return {
        "saude": saude, "outra": outra, "i1": i1, "i2": i2, "parl": parlamentar.usuario, "titular": parlamentar,
        "escolha": j[(Trilha.SR, TipoJanela.ESCOLHA_SANEAMENTO)],
        "programacao": j[(Trilha.SR, TipoJanela.REMANEJAMENTO_CONSTITUCIONAL)],
        "p": j[(Trilha.P, TipoJanela.INDICACAO_CANCELAMENTO)],
        "um": timedelta(days=1),
    }
