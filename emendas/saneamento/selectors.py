"""Leituras do segundo ciclo (§7.12–7.13): o saldo com impedimento técnico por inciso e as quatro figuras do
remanejamento constitucional de um titular. Número constante de consultas (os saldos saem de uma só)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from sigcon.dinheiro import ZERO

from .. import prazos
from ..models import (
    Acao, Bloco, ConclusaoRemanejamentoConstitucional, ConclusaoSaneamento, Inciso, Indicacao, LeiRemanejamento,
    LinhaRemanejamentoConstitucional, MovimentoSaneamento, ProgramacaoElegivel,
)
from ..prazos import OrigemSaldo, TipoJanela, Trilha
from ..saldos import Saldos
from ..selectors import saldos_incisos

Tipo = MovimentoSaneamento.Tipo


def titular_do_inciso(inciso: Inciso):
    return inciso.emenda.bloco or inciso.emenda.parlamentar


def filtro_do_titular(titular, prefixo: str = "") -> dict:
    campo = "bloco" if isinstance(titular, Bloco) else "parlamentar"
    return {f"{prefixo}{campo}": titular}


def incisos_do_titular(titular, exercicio):
    """Os incisos S e R do titular no exercício (os P não passam pelo saneamento)."""
    return (Inciso.objects.filter(exercicio=exercicio, **filtro_do_titular(titular, "emenda__"))
            .exclude(tipo=Inciso.Tipo.P).select_related("exercicio", "acao__uo", "grupo_despesa", "emenda")
            .order_by("numero"))


def pode_agir(usuario, titular) -> bool:
    """Só o titular escreve; num bloco, só o responsável (como em ``selectors.pode_escrever_no_inciso``)."""
    if isinstance(titular, Bloco):
        return titular.responsavel.usuario_id == usuario.pk
    return titular.usuario_id == usuario.pk


def areas_do_titular(titular) -> tuple[set[str], str]:
    """A área do mínimo (§7.12): saúde (individual) ou saúde e educação (bloco), como em remanejamentos.regras."""
    if isinstance(titular, Bloco):
        return {Acao.Area.SAUDE, Acao.Area.EDUCACAO}, "saúde e educação"
    return {Acao.Area.SAUDE}, "saúde"


def escolha_aberta(exercicio, dia) -> bool:
    return prazos.janela_aberta(exercicio, Trilha.SR, TipoJanela.ESCOLHA_SANEAMENTO, dia)


def programacao_aberta(exercicio, dia) -> bool:
    return prazos.janela_aberta(exercicio, Trilha.SR, TipoJanela.REMANEJAMENTO_CONSTITUCIONAL, dia)


@dataclass
class LinhaIndicacao:
    indicacao: Indicacao
    sanado: MovimentoSaneamento | None

    @property
    def valor_nao_utilizado(self) -> Decimal:
        # O valor inteiro da reprovada voltou ao reservado PL (Decisões): é o teto do que se pode sanear.
        return self.indicacao.valor


@dataclass
class LinhaInciso:
    inciso: Inciso
    saldos: Saldos
    sanado: Decimal
    reserva: MovimentoSaneamento | None
    concluido: ConclusaoSaneamento | None
    indicacoes: list[LinhaIndicacao] = field(default_factory=list)

    @property
    def valor_reserva(self) -> Decimal:
        return self.reserva.valor if self.reserva else ZERO

    @property
    def saldo_iot(self) -> Decimal:
        """O saldo com impedimento técnico do inciso: o que está no reservado PL mais o que já foi sanado."""
        return self.saldos.reservado_pl + self.sanado

    @property
    def a_escolher(self) -> Decimal:
        """O que do saldo com impedimento ainda não foi sanado nem guardado para o remanejamento constitucional."""
        return self.saldos.reservado_pl - self.valor_reserva

    @property
    def tem_escolha(self) -> bool:
        return self.saldo_iot > ZERO or self.reserva is not None


def painel_saneamento(titular, exercicio, dia=None) -> list[LinhaInciso]:
    """Por inciso do titular: saldos, o saldo com impedimento técnico, as indicações reprovadas com o valor sanado
    de cada uma, o guardado para o remanejamento constitucional e a conclusão (cinco consultas)."""
    dia = dia or timezone.localdate()
    incisos = list(incisos_do_titular(titular, exercicio))
    saldos = saldos_incisos(incisos, dia)
    ids = [i.pk for i in incisos]
    movs = list(MovimentoSaneamento.objects.filter(inciso_id__in=ids, tipo__in=[Tipo.SANEAMENTO, Tipo.RESERVA]))
    sanados = {m.indicacao_id: m for m in movs if m.tipo == Tipo.SANEAMENTO}
    reservas = {m.inciso_id: m for m in movs if m.tipo == Tipo.RESERVA}
    concluidos = {c.inciso_id: c for c in ConclusaoSaneamento.objects.filter(inciso_id__in=ids)}
    reprovadas = {}
    for ind in (Indicacao.objects.filter(inciso_id__in=ids, status=Indicacao.Status.REPROVADA,
                                         saldo_devolucao=OrigemSaldo.RESERVADO_PL)
                .select_related("beneficiario", "categoria_impedimento").order_by("numero")):
        reprovadas.setdefault(ind.inciso_id, []).append(LinhaIndicacao(ind, sanados.get(ind.pk)))
    linhas = []
    for i in incisos:
        lista = reprovadas.get(i.pk, [])
        sanado = sum((l.sanado.valor for l in lista if l.sanado), ZERO)
        linhas.append(LinhaInciso(i, saldos[i.pk], sanado, reservas.get(i.pk), concluidos.get(i.pk), lista))
    return linhas


@dataclass
class Adequacao:
    """§7.14: C = valor da LOA − valor obrigatório; E = C − D (D: o que já perdeu a impositividade no prazo de 60
    dias); do saldo com impedimento F só F − E pode ser sanado ou guardado. Com F < E falta adequar E − F
    (reprovando indicações aprovadas) antes do saneamento."""

    loa: Decimal
    obrigatorio: Decimal
    diferenca: Decimal  # C
    ja_nao_impositivo: Decimal  # D
    a_adequar: Decimal  # E
    saldo_iot: Decimal  # F
    escolhido: Decimal  # já sanado ou guardado

    @property
    def necessaria(self) -> bool:
        return self.a_adequar > ZERO

    @property
    def valor_minimo_a_adequar(self) -> Decimal:
        return max(ZERO, self.a_adequar - self.saldo_iot)

    @property
    def disponivel(self) -> Decimal:
        """Quanto ainda pode ser sanado ou guardado pelo titular (o resto cobre a adequação)."""
        return max(ZERO, self.saldo_iot - self.a_adequar - self.escolhido)


def adequacao(titular, exercicio, linhas: list[LinhaInciso]) -> Adequacao | None:
    """A adequação do valor de execução obrigatória do titular, ou None quando o exercício não a define."""
    if exercicio.percentual_execucao_obrigatoria is None:
        return None
    loa = (Inciso.objects.filter(exercicio=exercicio, tipo=Inciso.Tipo.S, **filtro_do_titular(titular, "emenda__"))
           .aggregate(t=Sum("valor_inicial"))["t"] or ZERO)
    obrigatorio = (loa * exercicio.percentual_execucao_obrigatoria / 100).quantize(Decimal("0.01"))
    diferenca = max(ZERO, loa - obrigatorio)
    ja = sum((l.saldos.nao_impositivo for l in linhas), ZERO)
    return Adequacao(loa, obrigatorio, diferenca, ja, max(ZERO, diferenca - ja),
                     sum((l.saldo_iot for l in linhas), ZERO),
                     sum((l.sanado + l.valor_reserva for l in linhas), ZERO))


def minimo_da_area(titular, exercicio) -> Decimal | None:
    """O mínimo da área protegida: % do montante impositivo (incisos S do titular); None sem a regra no exercício."""
    if exercicio.minimo_saude_percentual is None:
        return None
    montante = (Inciso.objects.filter(exercicio=exercicio, tipo=Inciso.Tipo.S, **filtro_do_titular(titular, "emenda__"))
                .aggregate(t=Sum("valor_inicial"))["t"] or ZERO)
    return (montante * exercicio.minimo_saude_percentual / 100).quantize(Decimal("0.01"))


def na_area(linhas: list[LinhaInciso], areas: set[str]) -> Decimal:
    """O que o titular já executa na área: indicações ativas e valores sanados (o saldo "indicado" traz os dois)."""
    return sum((l.saldos.indicado for l in linhas if l.inciso.acao.area in areas), ZERO)


@dataclass
class Figuras:
    saldo: Decimal  # saldo do remanejamento constitucional (o guardado no saneamento)
    programado: Decimal
    valor_minimo_saude: Decimal
    valor_saude: Decimal
    nome_area: str
    areas: set
    linhas: list
    concluido: ConclusaoRemanejamentoConstitucional | None
    incisos_pendentes: list  # incisos com saldo com impedimento sem "Concluir saneamento"

    @property
    def disponivel(self) -> Decimal:
        return self.saldo - self.programado

    @property
    def so_area(self) -> bool:
        """Até o mínimo ser atingido, só destinos da área protegida são oferecidos."""
        return self.valor_saude < self.valor_minimo_saude


def figuras_remanejamento_constitucional(titular, exercicio, dia=None) -> Figuras:
    """As quatro figuras de §7.13: saldo, disponível, valor mínimo na área e valor na área já programado."""
    linhas_incisos = painel_saneamento(titular, exercicio, dia)
    areas, nome = areas_do_titular(titular)
    linhas = list(LinhaRemanejamentoConstitucional.objects.filter(exercicio=exercicio, **filtro_do_titular(titular))
                  .select_related("acao__uo", "grupo_despesa", "inciso_gerado", "lei").order_by("pk"))
    minimo = minimo_da_area(titular, exercicio)
    falta = max(ZERO, minimo - na_area(linhas_incisos, areas)) if minimo is not None else ZERO
    return Figuras(
        saldo=sum((l.valor_reserva for l in linhas_incisos), ZERO),
        programado=sum((l.valor for l in linhas), ZERO),
        valor_minimo_saude=falta,
        valor_saude=sum((l.valor for l in linhas if l.acao.area in areas), ZERO),
        nome_area=nome, areas=areas, linhas=linhas,
        concluido=ConclusaoRemanejamentoConstitucional.objects.filter(
            exercicio=exercicio, **filtro_do_titular(titular)).first(),
        incisos_pendentes=[l.inciso for l in linhas_incisos if l.tem_escolha and l.concluido is None],
    )


def destinos_constitucionais(exercicio, figuras: Figuras):
    """Programações que recebem o remanejamento constitucional (a UO pode mudar); só da área até o mínimo."""
    qs = (ProgramacaoElegivel.objects.filter(exercicio=exercicio, recebe_remanejamento=True)
          .select_related("acao__uo", "grupo_despesa"))
    if figuras.so_area:
        qs = qs.filter(acao__area__in=figuras.areas)
    return qs


def lei_registrada(exercicio) -> bool:
    return LeiRemanejamento.objects.filter(exercicio=exercicio).exists()


def linhas_pendentes_da_lei(exercicio):
    """As linhas programadas ainda sem lei, com o titular (a revisão da SEGOV antes de registrar)."""
    return (LinhaRemanejamentoConstitucional.objects.filter(exercicio=exercicio, lei__isnull=True)
            .select_related("parlamentar", "bloco", "acao__uo", "grupo_despesa").order_by("pk"))
