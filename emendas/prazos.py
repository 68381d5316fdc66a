"""Regras que dependem só de datas: fases do exercício e baldes de saldo.

Funções puras: recebem o calendário do exercício e um dia, nunca consultam o
banco nem chamam ``now()``. O calendário é qualquer objeto com os quatro
atributos de data do ``Exercicio`` (o próprio modelo, ou ``Calendario`` nos testes).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from django.core.exceptions import ValidationError
from django.db import models

# Deslocamentos padrão a partir da publicação da LOA (D0), regime de 2019 (DOMAIN.md §5.2).
DIAS_ATE_LIBERACAO = 16
DIAS_JANELA_LIVRE = 30  # contados da liberação: D0+46
DIAS_ATE_FIM_OBRIGATORIA = 60


class Fase(str, Enum):
    FECHADO = "FECHADO"
    LIVRE = "LIVRE"
    RESTRITA = "RESTRITA"
    ENCERRADA = "ENCERRADA"

    @property
    def rotulo(self) -> str:
        return ROTULOS_FASE[self]


ROTULOS_FASE = {
    Fase.FECHADO: "Sistema em atualização",
    Fase.LIVRE: "Janela livre (remanejamento e indicação)",
    Fase.RESTRITA: "Janela restrita (após o fim da janela livre)",
    Fase.ENCERRADA: "Prazos de execução obrigatória encerrados",
}


class OrigemSaldo(models.TextChoices):
    """Baldes de saldo livre de um inciso (de onde sai e para onde volta o dinheiro)."""

    LIVRE = "LIVRE", "Livre"
    COM_REMANEJAMENTO = "COM_REMANEJAMENTO", "Com possibilidade de remanejamento"
    SEM_REMANEJAMENTO = "SEM_REMANEJAMENTO", "Sem possibilidade de remanejamento"
    NAO_IMPOSITIVO = "NAO_IMPOSITIVO", "Não impositivo"
    RESERVADO_PL = "RESERVADO_PL", "Reservado para projeto de lei"


@dataclass(frozen=True)
class Calendario:
    data_publicacao_loa: date
    data_liberacao: date
    fim_janela_livre: date
    fim_janela_obrigatoria: date
    nao_impositivo_habilitado: bool = False

    @classmethod
    def padrao(cls, publicacao: date, **extra) -> "Calendario":
        return cls(publicacao, *datas_padrao(publicacao), **extra)


def datas_padrao(publicacao: date) -> tuple[date, date, date]:
    """(data_liberacao, fim_janela_livre, fim_janela_obrigatoria) derivadas de D0."""
    liberacao = publicacao + timedelta(days=DIAS_ATE_LIBERACAO)
    return (
        liberacao,
        liberacao + timedelta(days=DIAS_JANELA_LIVRE),
        publicacao + timedelta(days=DIAS_ATE_FIM_OBRIGATORIA),
    )


def erros_calendario_por_campo(cal) -> dict[str, str]:
    """Mensagens para um calendário fora de ordem, pelo campo que está errado (vazio quando está correto)."""
    erros = {}
    if cal.data_liberacao < cal.data_publicacao_loa:
        erros["data_liberacao"] = "A data de liberação não pode ser anterior à publicação da LOA."
    if cal.fim_janela_livre < cal.data_liberacao:
        erros["fim_janela_livre"] = "O fim da janela livre não pode ser anterior à liberação."
    if cal.fim_janela_obrigatoria < cal.fim_janela_livre:
        erros["fim_janela_obrigatoria"] = "O fim da janela obrigatória não pode ser anterior ao fim da janela livre."
    return erros


def erros_calendario(cal) -> list[str]:
    """Mensagens para um calendário fora de ordem (vazio quando está correto)."""
    return list(erros_calendario_por_campo(cal).values())


def fase(exercicio, dia: date) -> Fase:
    """Fase do exercício no dia *dia* (datas de fim inclusivas, dias corridos)."""
    if dia < exercicio.data_liberacao:
        return Fase.FECHADO
    if dia <= exercicio.fim_janela_livre:
        return Fase.LIVRE
    if dia <= exercicio.fim_janela_obrigatoria:
        return Fase.RESTRITA
    return Fase.ENCERRADA


def fim_da_fase(exercicio, dia: date) -> date | None:
    """Último dia da fase em curso (None quando a fase não termina)."""
    atual = fase(exercicio, dia)
    return {
        Fase.FECHADO: exercicio.data_liberacao - timedelta(days=1),
        Fase.LIVRE: exercicio.fim_janela_livre,
        Fase.RESTRITA: exercicio.fim_janela_obrigatoria,
        Fase.ENCERRADA: None,
    }[atual]


def saldo_de_uso(exercicio, dia: date) -> dict[str, tuple[str, ...]]:
    """Baldes que remanejamento e indicação podem consumir no dia (tabela de fases)."""
    atual = fase(exercicio, dia)
    if atual is Fase.LIVRE:
        return {"remanejamento": (OrigemSaldo.LIVRE,), "indicacao": (OrigemSaldo.LIVRE,)}
    if atual is Fase.RESTRITA:
        return {
            "remanejamento": (OrigemSaldo.COM_REMANEJAMENTO,),
            "indicacao": (OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO),
        }
    if atual is Fase.ENCERRADA and exercicio.nao_impositivo_habilitado:
        return {"remanejamento": (OrigemSaldo.NAO_IMPOSITIVO,), "indicacao": (OrigemSaldo.NAO_IMPOSITIVO,)}
    return {"remanejamento": (), "indicacao": ()}


# Fora da janela: como cada uso explica a recusa (antes da liberação; depois do prazo sem o não impositivo).
_FORA_DA_JANELA = {
    "remanejamento": ("remanejamentos podem ser pedidos a partir de", "O prazo de remanejamento"),
    "indicacao": ("as indicações abrem em", "O prazo de indicação"),
}


def conferir_janela(exercicio, dia: date, uso: str) -> tuple[str, ...]:
    """Baldes que *uso* ("remanejamento" ou "indicacao") pode consumir no dia, ou recusa com a explicação da fase.

    A conferência de janela de remanejamento e de indicação, num lugar só.
    """
    usos = saldo_de_uso(exercicio, dia)[uso]
    if usos:
        return usos
    abertura, prazo = _FORA_DA_JANELA[uso]
    if fase(exercicio, dia) is Fase.FECHADO:
        raise ValidationError(f"O sistema está em atualização: {abertura} {exercicio.data_liberacao:%d/%m/%Y}.")
    raise ValidationError(
        f"{prazo} terminou em {exercicio.fim_janela_obrigatoria:%d/%m/%Y} e o uso do saldo "
        "não impositivo não foi habilitado pela SEGOV."
    )


def janela(exercicio, dia: date) -> dict:
    """O que as telas mostram da fase do dia (templates/emendas/_fase.html e _janela.html).

    As durações vêm do calendário do exercício, que a SEGOV edita; nenhuma tela escreve "30 dias".
    """
    fim = fim_da_fase(exercicio, dia)
    return {
        "fase": fase(exercicio, dia),
        "fim": fim,
        "dias_restantes": (fim - dia).days if fim else None,
        "usos": saldo_de_uso(exercicio, dia),
        "dias_janela_livre": (exercicio.fim_janela_livre - exercicio.data_liberacao).days,
    }


def destino_devolucao_remanejamento(exercicio, dia: date, origem: str) -> str:
    """Para onde volta o valor de um remanejamento reprovado ou cancelado no dia (Decisões)."""
    atual = fase(exercicio, dia)
    if atual is Fase.ENCERRADA:
        return OrigemSaldo.NAO_IMPOSITIVO
    if origem == OrigemSaldo.NAO_IMPOSITIVO:
        return OrigemSaldo.NAO_IMPOSITIVO
    if atual is Fase.RESTRITA:
        if origem == OrigemSaldo.COM_REMANEJAMENTO:
            return OrigemSaldo.COM_REMANEJAMENTO
        return OrigemSaldo.SEM_REMANEJAMENTO
    return OrigemSaldo.LIVRE


def saldo_inicial_inciso_r(exercicio, dia_aprovacao: date, origem: str) -> str:
    """Balde em que nasce o dinheiro de um inciso R aprovado no dia (Decisões, "The R inciso")."""
    atual = fase(exercicio, dia_aprovacao)
    if atual is Fase.ENCERRADA or origem == OrigemSaldo.NAO_IMPOSITIVO:
        return OrigemSaldo.NAO_IMPOSITIVO
    if atual is Fase.RESTRITA:
        if origem == OrigemSaldo.COM_REMANEJAMENTO:
            return OrigemSaldo.COM_REMANEJAMENTO
        return OrigemSaldo.SEM_REMANEJAMENTO
    return OrigemSaldo.LIVRE


class CancelamentoRecusado(ValueError):
    """Cancelamento voluntário fora do prazo (Decisões: não há cancelamento depois do prazo)."""


def destino_devolucao_indicacao(exercicio, dia: date, origem: str, *, cancelamento: bool) -> str:
    """Para onde volta o valor de uma indicação reprovada (IOT) ou cancelada no dia.

    Tabela "Where money goes back to" das Decisões. Um cancelamento voluntário nunca vira CPR:
    senão cancelar reabriria o remanejamento depois do prazo.
    """
    atual = fase(exercicio, dia)
    if origem == OrigemSaldo.NAO_IMPOSITIVO:
        return OrigemSaldo.NAO_IMPOSITIVO
    if atual is Fase.ENCERRADA:
        if cancelamento:
            raise CancelamentoRecusado(
                f"O prazo terminou em {exercicio.fim_janela_obrigatoria:%d/%m/%Y}: indicações impositivas não "
                "podem mais ser canceladas."
            )
        return OrigemSaldo.RESERVADO_PL
    if atual is Fase.RESTRITA:
        if origem == OrigemSaldo.COM_REMANEJAMENTO:
            return OrigemSaldo.COM_REMANEJAMENTO
        if origem == OrigemSaldo.SEM_REMANEJAMENTO:
            return OrigemSaldo.SEM_REMANEJAMENTO if cancelamento else OrigemSaldo.RESERVADO_PL
        # Enviada na janela livre: reprovada vira CPR; cancelada vira SPR.
        return OrigemSaldo.SEM_REMANEJAMENTO if cancelamento else OrigemSaldo.COM_REMANEJAMENTO
    return OrigemSaldo.LIVRE


ROTULOS_ETAPA = {
    Fase.FECHADO: "Carga dos dados (fechado)",
    Fase.LIVRE: "Janela livre",
    Fase.RESTRITA: "Janela restrita",
    Fase.ENCERRADA: "Encerrada",
}


def etapas(exercicio, dia: date) -> list[dict]:
    """As quatro fases do exercício como linha do tempo: início, fim (inclusivo; ``None`` na última), se já passou,
    se é a de hoje, e quantos dias faltam para começar (futura) ou para terminar (a de hoje, 0 = termina hoje)."""
    um = timedelta(days=1)
    limites = (
        (Fase.FECHADO, exercicio.data_publicacao_loa, exercicio.data_liberacao - um),
        (Fase.LIVRE, exercicio.data_liberacao, exercicio.fim_janela_livre),
        (Fase.RESTRITA, exercicio.fim_janela_livre + um, exercicio.fim_janela_obrigatoria),
        (Fase.ENCERRADA, exercicio.fim_janela_obrigatoria + um, None),
    )
    atual = fase(exercicio, dia)
    resultado = []
    for f, inicio, fim in limites:
        if fim is not None and fim < inicio:
            continue  # fase sem nenhum dia (ex.: liberação no dia da publicação)
        e_atual = f is atual
        resultado.append({
            "fase": f, "rotulo": ROTULOS_ETAPA[f], "inicio": inicio, "fim": fim, "atual": e_atual,
            "passada": fim is not None and fim < dia,
            "dias_para_comecar": (inicio - dia).days if inicio > dia and not e_atual else None,
            "dias_restantes": (fim - dia).days if e_atual and fim is not None else None,
        })
    return resultado
