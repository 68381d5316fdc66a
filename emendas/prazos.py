"""Regras que dependem só de datas: fases do exercício e baldes de saldo.

Funções puras: recebem o calendário do exercício e um dia, nunca consultam o
banco nem chamam ``now()``. O calendário é qualquer objeto com os quatro
atributos de data do ``Exercicio`` (o próprio modelo, ou ``Calendario`` nos testes).
"""

from dataclasses import dataclass, field, replace
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
    # As janelas de operação (§5.6) já carregadas: {(trilha, tipo): (inicio, fim)}.
    janelas: dict = field(default_factory=dict, compare=False)

    @classmethod
    def padrao(cls, publicacao: date, **extra) -> "Calendario":
        cal = cls(publicacao, *datas_padrao(publicacao), **extra)
        return cal if "janelas" in extra else replace(cal, janelas=janelas_padrao(cal))


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
        # As datas do calendário recebido (o do inciso P é o da janela P, ``calendario_p``): as telas leem daqui.
        "liberacao": exercicio.data_liberacao, "fim_livre": exercicio.fim_janela_livre,
        "fim_obrigatoria": exercicio.fim_janela_obrigatoria,
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


# ---------------------------------------------------------------------------
# Janelas de operação do exercício (DOMAIN.md §5.6): datas explícitas por trilha e por tipo de operação.

class Trilha(models.TextChoices):
    SR = "SR", "Incisos S/R"
    SR_SANEADA = "SR_SANEADA", "Incisos S/R saneados"
    P = "P", "Incisos P (remanejamento constitucional)"


class TipoJanela(models.TextChoices):
    INDICACAO_CANCELAMENTO = "INDICACAO_CANCELAMENTO", "Indicação e cancelamento"
    VINCULO_PROPOSTA = "VINCULO_PROPOSTA", "Enviar proposta / vincular indicação a proposta ou plano"
    AJUSTE_COMPLETO = "AJUSTE_COMPLETO", "Ajuste completo do tipo de atendimento e do tipo de aplicação"
    AJUSTE_MESMO_GD = "AJUSTE_MESMO_GD", "Ajuste de categoria/especificação ou tipo de aplicação (mesmo GD)"
    PLANO_SEGOV = "PLANO_SEGOV", "Enviar plano de trabalho à SEGOV"
    VALOR_UTILIZADO = "VALOR_UTILIZADO", "Informar valor utilizado e reprovação"
    ESCOLHA_SANEAMENTO = "ESCOLHA_SANEAMENTO", "Adequação do valor obrigatório e escolha do saneamento"
    REMANEJAMENTO_CONSTITUCIONAL = "REMANEJAMENTO_CONSTITUCIONAL", "Escolha do remanejamento constitucional"
    PRIORIZACAO = "PRIORIZACAO", "Priorização das indicações impositivas"


_T, _J = Trilha, TipoJanela
# Padrões de cada janela, em dias depois da publicação da LOA (D0), a partir do calendário de 2021 (§5.6);
# "liberacao" e "obrigatoria" são as datas do calendário do exercício (a liberação e o fim da janela obrigatória).
# A indicação/cancelamento S/R não está aqui: é sempre a das quatro datas das Decisões (``intervalo_janela``).
PADROES_JANELA = {
    (_T.SR, _J.PRIORIZACAO): ("liberacao", "obrigatoria"),  # prazo constitucional: 60 dias da LOA (art. 160, §8 CE)
    (_T.SR, _J.VINCULO_PROPOSTA): ("liberacao", 103),
    (_T.SR, _J.AJUSTE_COMPLETO): ("liberacao", 103),
    (_T.SR, _J.AJUSTE_MESMO_GD): ("liberacao", 149),
    (_T.SR, _J.PLANO_SEGOV): ("liberacao", 164),
    (_T.SR, _J.VALOR_UTILIZADO): ("liberacao", 164),
    (_T.SR, _J.ESCOLHA_SANEAMENTO): (169, 195),
    (_T.SR, _J.REMANEJAMENTO_CONSTITUCIONAL): (169, 195),
    (_T.SR_SANEADA, _J.VINCULO_PROPOSTA): (197, 212),
    (_T.SR_SANEADA, _J.AJUSTE_COMPLETO): (197, 212),
    (_T.SR_SANEADA, _J.AJUSTE_MESMO_GD): (197, 257),
    (_T.SR_SANEADA, _J.PLANO_SEGOV): (197, 257),
    (_T.SR_SANEADA, _J.VALOR_UTILIZADO): (197, 368),
    (_T.P, _J.INDICACAO_CANCELAMENTO): (225, 250),
    (_T.P, _J.PRIORIZACAO): (225, 250),
    (_T.P, _J.VINCULO_PROPOSTA): (225, 271),
    (_T.P, _J.AJUSTE_COMPLETO): (225, 271),
    (_T.P, _J.AJUSTE_MESMO_GD): (225, 347),
    (_T.P, _J.PLANO_SEGOV): (225, 347),
    (_T.P, _J.VALOR_UTILIZADO): (225, 368),
}
# A janela que as quatro datas do calendário definem (Decisões) e que a tabela só espelha.
JANELA_DO_CALENDARIO = (_T.SR, _J.INDICACAO_CANCELAMENTO)


def _dia_padrao(cal, regra) -> date:
    if regra == "liberacao":
        return cal.data_liberacao
    if regra == "obrigatoria":
        return cal.fim_janela_obrigatoria
    return cal.data_publicacao_loa + timedelta(days=regra)


def janelas_padrao(cal) -> dict[tuple[str, str], tuple[date, date]]:
    """Todas as janelas de operação com os padrões do calendário *cal*: {(trilha, tipo): (início, fim)}."""
    janelas = {JANELA_DO_CALENDARIO: (cal.data_liberacao, cal.fim_janela_obrigatoria)}
    for chave, (inicio, fim) in PADROES_JANELA.items():
        inicio = _dia_padrao(cal, inicio)
        janelas[chave] = (inicio, max(inicio, _dia_padrao(cal, fim)))  # calendário atípico: nunca fim antes do início
    return janelas


def intervalo_janela(exercicio, trilha: str, tipo: str, *, janelas=None) -> tuple[date, date] | None:
    """(início, fim) da janela, ou None quando o exercício não a tem.

    *janelas*: as do exercício já carregadas; sem elas, ``exercicio.janelas`` (o modelo as lê do banco uma vez,
    ``Calendario`` as traz prontas). A indicação e o cancelamento S/R são sempre as datas das Decisões.
    """
    if (trilha, tipo) == JANELA_DO_CALENDARIO:
        return exercicio.data_liberacao, exercicio.fim_janela_obrigatoria
    if janelas is None:
        janelas = exercicio.janelas
    return janelas.get((trilha, tipo))


def janela_aberta(exercicio, trilha: str, tipo: str, dia: date, *, janelas=None) -> bool:
    """Se a janela *tipo* da *trilha* está aberta no *dia* (início e fim inclusivos). Sem janela: fechada."""
    intervalo = intervalo_janela(exercicio, trilha, tipo, janelas=janelas)
    return intervalo is not None and intervalo[0] <= dia <= intervalo[1]


def trilha_do_inciso(tipo_inciso: str) -> str:
    """A trilha das janelas de um inciso pelo tipo (S, R ou P). A trilha saneada vem com o saneamento (§7.12)."""
    return Trilha.P if tipo_inciso == "P" else Trilha.SR


# Incisos P (Decisões, "P incisos"): só leitura antes da janela de indicação da trilha P, LIVRE e indicável dentro
# dela, NAO_IMPOSITIVO depois. Não há fase restrita: o inciso P nunca se remaneja.

def calendario_p(exercicio, *, janelas=None) -> Calendario:
    """O calendário das regras de fase (``fase``, ``conferir_janela``, ``destino_devolucao_indicacao``) de um inciso
    P: liberação e fins = as datas da janela P. Sem janela P no exercício, a liberação nunca chega (só leitura)."""
    janelas = exercicio.janelas if janelas is None else janelas
    inicio, fim = janelas.get((Trilha.P, TipoJanela.INDICACAO_CANCELAMENTO), (date.max, date.max))
    return Calendario(exercicio.data_publicacao_loa, inicio, fim, fim, exercicio.nao_impositivo_habilitado, janelas)


def fase_p(exercicio, dia: date) -> Fase:
    """FECHADO antes da janela P, LIVRE dentro (fim inclusive), ENCERRADA depois; nunca RESTRITA."""
    return fase(calendario_p(exercicio), dia)


def calendario_do_inciso(exercicio, tipo_inciso: str):
    """O calendário cujas fases valem para um inciso do *tipo_inciso*: o do exercício (S e R) ou o da trilha P."""
    return calendario_p(exercicio) if tipo_inciso == "P" else exercicio


def situacao_janela(inicio: date, fim: date, dia: date) -> dict:
    """O que a linha do tempo diz de uma janela no *dia*: aberta (e quantos dias faltam), futura ou encerrada."""
    if dia < inicio:
        return {"estado": "futura", "dias": (inicio - dia).days}
    if dia > fim:
        return {"estado": "encerrada", "dias": None}
    return {"estado": "aberta", "dias": (fim - dia).days}


def erros_janela(inicio: date | None, fim: date | None) -> str:
    """A mensagem de uma janela com o fim antes do início (vazia quando está certa)."""
    if inicio and fim and fim < inicio:
        return f"O fim ({fim:%d/%m/%Y}) não pode ser anterior ao início ({inicio:%d/%m/%Y})."
    return ""


def janelas_rederivadas(atuais: dict, anterior, novo) -> dict:
    """Depois de o calendário mudar de *anterior* para *novo*: as janelas de *atuais* que ainda estavam no padrão
    antigo passam ao padrão novo (as que a SEGOV ajustou ficam); as que faltam entram com o padrão novo."""
    antigas = janelas_padrao(anterior) if anterior is not None else {}
    novas = janelas_padrao(novo)
    resultado = {}
    for chave, padrao in novas.items():
        atual = atuais.get(chave)
        resultado[chave] = padrao if atual is None or atual == antigas.get(chave) or chave == JANELA_DO_CALENDARIO \
            else atual
    return resultado
