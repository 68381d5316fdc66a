"""Cálculo puro dos saldos de um inciso a partir dos seus movimentos e do calendário.

Cada centavo do inciso está em exatamente um balde (DOMAIN.md, "Buckets"):
solicitado + indicado + livre + CPR + SPR + não impositivo + reservado PL = valor do inciso.

Um *movimento* é um remanejamento ou uma indicação visto no fim do dia de
referência: saiu do balde ``origem`` e está pendente, ativo, saiu do inciso
(remanejamento aprovado) ou foi devolvido ao balde ``destino``. Como todo
movimento é linear e as viradas de fase só juntam baldes inteiros (LIVRE → SPR;
CPR + SPR → não impositivo), somar os movimentos e aplicar as viradas da fase do
dia dá o mesmo resultado que reproduzi-los em ordem.

Incisos P (Decisões, "P incisos"): a fase é a da janela de indicação da trilha P (``prazos.fase_p``): só leitura
antes dela, LIVRE e indicável dentro, NAO_IMPOSITIVO depois; nunca remanejáveis. O invariante do exercício:
Σ valor_inciso = Σ valor_inicial dos incisos base (S, e P de importação); os incisos R e os P da lei do
remanejamento constitucional só movem dinheiro (saem do inciso de origem: SAIU).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from sigcon.dinheiro import ZERO

from . import prazos
from .prazos import Fase, OrigemSaldo, fase


class Estado(str, Enum):
    PENDENTE = "PENDENTE"  # remanejamento solicitado, ainda não decidido
    ATIVO = "ATIVO"  # indicação em andamento ou aprovada
    SAIU = "SAIU"  # remanejamento aprovado: o valor deixou o inciso
    DEVOLVIDO = "DEVOLVIDO"  # reprovado ou cancelado: voltou ao balde ``destino``


@dataclass(frozen=True)
class Movimento:
    valor: Decimal
    estado: Estado
    origem: str
    destino: str = ""


@dataclass(frozen=True)
class Saldos:
    fase: Fase
    valor_inicial: Decimal
    valor_inciso: Decimal
    remanejamento_solicitado: Decimal
    indicado: Decimal
    livre: Decimal
    com_remanejamento: Decimal
    sem_remanejamento: Decimal
    nao_impositivo: Decimal
    reservado_pl: Decimal
    disponivel_remanejamento: Decimal
    disponivel_indicacao: Decimal

    CAMPOS_SOMA = (
        "valor_inicial",
        "valor_inciso",
        "remanejamento_solicitado",
        "indicado",
        "livre",
        "com_remanejamento",
        "sem_remanejamento",
        "nao_impositivo",
        "reservado_pl",
        "disponivel_remanejamento",
        "disponivel_indicacao",
    )

    def baldes(self) -> dict[str, Decimal]:
        return {
            "remanejamento_solicitado": self.remanejamento_solicitado,
            "indicado": self.indicado,
            OrigemSaldo.LIVRE: self.livre,
            OrigemSaldo.COM_REMANEJAMENTO: self.com_remanejamento,
            OrigemSaldo.SEM_REMANEJAMENTO: self.sem_remanejamento,
            OrigemSaldo.NAO_IMPOSITIVO: self.nao_impositivo,
            OrigemSaldo.RESERVADO_PL: self.reservado_pl,
        }

    def saldo_do_balde(self, balde: str) -> Decimal:
        return self.baldes()[balde]

    @classmethod
    def zerados(cls, fase_do_dia: Fase) -> "Saldos":
        return cls(fase_do_dia, *([ZERO] * len(cls.CAMPOS_SOMA)))

    def __add__(self, outro: "Saldos") -> "Saldos":
        somados = {c: getattr(self, c) + getattr(outro, c) for c in self.CAMPOS_SOMA}
        return Saldos(fase=self.fase, **somados)


# ``OrigemSaldo.values`` monta a lista a cada leitura; os baldes são calculados para cada inciso de cada tela.
_BALDES = tuple(OrigemSaldo.values)


def baldes_brutos(*, valor_inicial: Decimal, saldo_inicial: str, movimentos=()) -> dict[str, Decimal]:
    """Baldes de origem antes das viradas de fase: o valor inicial no seu balde, menos o que cada
    movimento tirou do balde de origem, mais o que voltou ao balde de devolução."""
    baldes = dict.fromkeys(_BALDES, ZERO)
    baldes[saldo_inicial] += valor_inicial
    for mov in movimentos:
        baldes[mov.origem] -= mov.valor
        if mov.estado is Estado.DEVOLVIDO:
            baldes[mov.destino] += mov.valor
    return baldes


def virar_fase(baldes: dict[str, Decimal], fase_do_dia: Fase) -> dict[str, Decimal]:
    """Os baldes brutos depois das viradas de fase do dia (só juntam baldes inteiros)."""
    baldes = dict(baldes)
    if fase_do_dia in (Fase.RESTRITA, Fase.ENCERRADA):
        # Fim da janela livre: o que não foi usado perde a possibilidade de remanejamento.
        baldes[OrigemSaldo.SEM_REMANEJAMENTO] += baldes[OrigemSaldo.LIVRE]
        baldes[OrigemSaldo.LIVRE] = ZERO
    if fase_do_dia is Fase.ENCERRADA:
        # Fim da janela obrigatória: CPR e SPR deixam de ser impositivos.
        baldes[OrigemSaldo.NAO_IMPOSITIVO] += (
            baldes[OrigemSaldo.COM_REMANEJAMENTO] + baldes[OrigemSaldo.SEM_REMANEJAMENTO]
        )
        baldes[OrigemSaldo.COM_REMANEJAMENTO] = baldes[OrigemSaldo.SEM_REMANEJAMENTO] = ZERO
    return baldes


# Para onde o dinheiro de cada balde foi parar depois das viradas de cada fase.
_BALDE_NA_FASE = {
    Fase.RESTRITA: {OrigemSaldo.LIVRE: OrigemSaldo.SEM_REMANEJAMENTO},
    Fase.ENCERRADA: {b: OrigemSaldo.NAO_IMPOSITIVO for b in (
        OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO, OrigemSaldo.NAO_IMPOSITIVO)},
}
_FASES = (Fase.FECHADO, Fase.LIVRE, Fase.RESTRITA, Fase.ENCERRADA)


def valor_comprometido(*, valor_inicial: Decimal, saldo_inicial: str, fase_atual: Fase, movimentos=()) -> Decimal:
    """Quanto do valor inicial está comprometido: o menor valor inicial que mantém o invariante.

    Baixar o valor inicial em X tira X do balde ``saldo_inicial``, e, depois das viradas de fase, do balde
    em que ele foi juntado (ex.: LIVRE vira SPR na janela restrita; uma indicação do SPR gasta dinheiro que
    nasceu LIVRE). Nenhum balde fica negativo, hoje nem depois, enquanto o balde que contém o inicial tiver
    X em toda fase de hoje em diante. *movimentos*: todos os remanejamentos e indicações do inciso, de
    qualquer data, no seu estado atual (``dia=None`` no seletor). Saldos de dias passados não são
    protegidos: o valor inicial não tem histórico (a correção fica registrada à parte).
    """
    brutos = baldes_brutos(valor_inicial=valor_inicial, saldo_inicial=saldo_inicial, movimentos=movimentos)
    livre = min(
        virar_fase(brutos, fase)[_BALDE_NA_FASE.get(fase, {}).get(saldo_inicial, saldo_inicial)]
        for fase in _FASES[_FASES.index(fase_atual):]
    )
    return min(valor_inicial, max(ZERO, valor_inicial - livre))


def reserva_constitucional(movimentos) -> Decimal:
    """Quanto do reservado PL está guardado para o remanejamento constitucional e ainda não saiu para um inciso P
    nem se perdeu na lei (§7.12–7.13). Só o ciclo do saneamento tira dinheiro do balde RESERVADO_PL: a guarda volta
    a ele mesmo (PL → PL), a lei o tira (SAIU) e a parte não programada vai para o não impositivo."""
    reserva = ZERO
    for mov in movimentos:
        if mov.origem != OrigemSaldo.RESERVADO_PL:
            continue
        if mov.estado is Estado.DEVOLVIDO and mov.destino == OrigemSaldo.RESERVADO_PL:
            reserva += mov.valor
        elif mov.estado is Estado.SAIU or mov.estado is Estado.DEVOLVIDO:
            reserva -= mov.valor
    return reserva


def fim_escolha_saneamento(exercicio) -> date | None:
    """Último dia da escolha do saneamento (§7.12, uma janela de operação), ou None sem a janela."""
    intervalo = prazos.intervalo_janela(exercicio, prazos.Trilha.SR, prazos.TipoJanela.ESCOLHA_SANEAMENTO)
    return intervalo[1] if intervalo else None


def fim_do_saneamento(baldes: dict[str, Decimal], movimentos) -> dict[str, Decimal]:
    """Depois da escolha do saneamento: o reservado PL que não foi sanado nem guardado para o remanejamento
    constitucional perde a impositividade (§7.12). Linear: a guarda nunca passa do reservado (o serviço confere)."""
    baldes = dict(baldes)
    reserva = reserva_constitucional(movimentos)
    baldes[OrigemSaldo.NAO_IMPOSITIVO] += baldes[OrigemSaldo.RESERVADO_PL] - reserva
    baldes[OrigemSaldo.RESERVADO_PL] = reserva
    return baldes


def calcular_saldos(
    *,
    exercicio,
    dia: date,
    valor_inicial: Decimal,
    saldo_inicial: str = OrigemSaldo.LIVRE,
    remanejavel: bool = True,
    movimentos=(),
    tipo: str = "S",
) -> Saldos:
    """Saldos no fim do dia *dia*. Não consulta o banco (as janelas do exercício já vêm carregadas nele).

    *tipo*: o do inciso. Um inciso P segue a janela de indicação da trilha P (``prazos.fase_p``) em vez das quatro
    datas do calendário, e nunca se remaneja.
    """
    if tipo == "P":
        exercicio, remanejavel = prazos.calendario_p(exercicio), False
    baldes = baldes_brutos(valor_inicial=valor_inicial, saldo_inicial=saldo_inicial, movimentos=movimentos)
    solicitado = indicado = saiu = ZERO
    for mov in movimentos:
        if mov.estado is Estado.PENDENTE:
            solicitado += mov.valor
        elif mov.estado is Estado.ATIVO:
            indicado += mov.valor
        elif mov.estado is Estado.SAIU:
            saiu += mov.valor

    fase_do_dia = fase(exercicio, dia)
    baldes = virar_fase(baldes, fase_do_dia)
    if tipo != "P" and (baldes[OrigemSaldo.RESERVADO_PL] or any(m.origem == OrigemSaldo.RESERVADO_PL
                                                                for m in movimentos)):
        fim = fim_escolha_saneamento(exercicio)
        if fim is not None and dia > fim:
            baldes = fim_do_saneamento(baldes, movimentos)

    livre = baldes[OrigemSaldo.LIVRE]
    cpr = baldes[OrigemSaldo.COM_REMANEJAMENTO]
    spr = baldes[OrigemSaldo.SEM_REMANEJAMENTO]
    ni = baldes[OrigemSaldo.NAO_IMPOSITIVO]
    if fase_do_dia is Fase.LIVRE:
        disp_rem, disp_ind = livre, livre
    elif fase_do_dia is Fase.RESTRITA:
        disp_rem, disp_ind = cpr, cpr + spr
    elif fase_do_dia is Fase.ENCERRADA and exercicio.nao_impositivo_habilitado:
        disp_rem, disp_ind = ni, ni
    else:
        disp_rem = disp_ind = ZERO
    if not remanejavel:
        disp_rem = ZERO

    return Saldos(
        fase=fase_do_dia,
        valor_inicial=valor_inicial,
        valor_inciso=valor_inicial - saiu,
        remanejamento_solicitado=solicitado,
        indicado=indicado,
        livre=livre,
        com_remanejamento=cpr,
        sem_remanejamento=spr,
        nao_impositivo=ni,
        reservado_pl=baldes[OrigemSaldo.RESERVADO_PL],
        disponivel_remanejamento=disp_rem,
        disponivel_indicacao=disp_ind,
    )
