"""Regras de remanejamento que dependem do banco (destino, UO, limites da política do exercício).

Chamadas pelo serviço com as linhas já travadas, e pela tela antes da confirmação.
Cada recusa diz a regra e os números.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from sigcon.dinheiro import ZERO, formatar_brl

from .. import prazos
from ..models import Acao, Exercicio, Inciso, ProgramacaoElegivel, Remanejamento
from ..regras import validar_valor  # noqa: F401  (parte das regras do remanejamento; mora no núcleo)
from ..travas import incisos_do_titular

ATIVOS = (Remanejamento.Status.SOLICITADO, Remanejamento.Status.APROVADO)


def validar_janela(exercicio: Exercicio, dia) -> str:
    """Balde do qual o remanejamento sai hoje, ou recusa com a explicação da fase (emendas.prazos.conferir_janela)."""
    return prazos.conferir_janela(exercicio, dia, "remanejamento")[0]


def validar_destino(*, inciso: Inciso, acao: Acao, grupo_despesa) -> ProgramacaoElegivel:
    exercicio = inciso.exercicio
    if acao.pk == inciso.acao_id and grupo_despesa.pk == inciso.grupo_despesa_id:
        raise ValidationError("O destino é a mesma ação e grupo de despesa do inciso de origem.")
    programacao = (
        ProgramacaoElegivel.objects.filter(exercicio=exercicio, acao=acao, grupo_despesa=grupo_despesa)
        .select_related("acao__uo")
        .first()
    )
    if programacao is None or not programacao.recebe_remanejamento:
        raise ValidationError(
            f"A ação {acao.codigo} com o grupo de despesa {grupo_despesa.nome} não está entre as programações "
            f"que recebem remanejamento no exercício {exercicio.ano} (anexo da Resolução SEGOV)."
        )
    if acao.uo_id != inciso.acao.uo_id and not exercicio.permite_outra_uo:
        raise ValidationError(
            f"O remanejamento não pode mudar a unidade orçamentária: o inciso {inciso.numero} é da UO "
            f"{inciso.acao.uo.codigo} e o destino é da UO {acao.uo.codigo}."
        )
    return programacao


def montante_impositivo(inciso: Inciso) -> Decimal:
    """Soma do valor inicial dos incisos S do titular no exercício."""
    total = incisos_do_titular(inciso).filter(tipo=Inciso.Tipo.S).aggregate(t=Sum("valor_inicial"))["t"]
    return total or ZERO


def _e_outra_uo(origem_uo_id, acao: Acao) -> bool:
    return acao.uo_id != origem_uo_id and not acao.destino_livre


def pedidos_ativos(inciso: Inciso, excluir: int | None = None):
    """Pedidos solicitados ou aprovados do titular do *inciso* (a base das regras da política do exercício)."""
    return Remanejamento.objects.filter(
        inciso_origem__in=incisos_do_titular(inciso), status__in=ATIVOS
    ).exclude(pk=excluir).select_related("acao", "inciso_origem__acao")


def validar_politica(*, inciso: Inciso, acao: Acao, valor: Decimal, excluir: int | None = None) -> None:
    """Regras da política do exercício sobre o conjunto do titular (§6.4 e Decisões).

    *excluir*: o pedido que está sendo aprovado (já conta como *valor*, não pode contar duas vezes).
    """
    exercicio = inciso.exercicio
    origem_uo = inciso.acao.uo_id
    pedidos = pedidos_ativos(inciso, excluir)
    if exercicio.permite_outra_uo and _e_outra_uo(origem_uo, acao):
        montante = montante_impositivo(inciso)
        limite = (montante * exercicio.limite_outra_uo_percentual / 100).quantize(Decimal("0.01"))
        ja_usado = sum(
            (p.valor for p in pedidos if _e_outra_uo(p.inciso_origem.acao.uo_id, p.acao)), ZERO
        )
        if ja_usado + valor > limite:
            raise ValidationError(
                f"Limite para outra UO excedido: {exercicio.limite_outra_uo_percentual}% do montante impositivo "
                f"({formatar_brl(montante)}) é {formatar_brl(limite)}; já solicitado ou aprovado "
                f"{formatar_brl(ja_usado)}; este pedido {formatar_brl(valor)}; disponível "
                f"{formatar_brl(max(limite - ja_usado, ZERO))}."
            )
    if exercicio.minimo_saude_percentual is not None:
        _validar_minimo_saude(inciso=inciso, acao=acao, valor=valor, pedidos=pedidos)


def areas_protegidas(inciso: Inciso) -> tuple[set[str], str]:
    """As áreas do mínimo do titular e o nome delas: saúde (individual) ou saúde e educação (bloco)."""
    if inciso.emenda.bloco_id:
        return {Acao.Area.SAUDE, Acao.Area.EDUCACAO}, "saúde e educação"
    return {Acao.Area.SAUDE}, "saúde"


def programacao_na_area(inciso: Inciso, areas: set[str], pedidos) -> tuple[Decimal, Decimal]:
    """(total, quanto nas *areas*) da programação projetada do titular: todo pedido pendente tratado como aplicado."""
    total = ZERO
    na_area = ZERO
    for i in incisos_do_titular(inciso).select_related("acao"):
        total += i.valor_inicial
        if i.acao.area in areas:
            na_area += i.valor_inicial
    for p in pedidos:
        sai_da_area = p.inciso_origem.acao.area in areas
        entra_na_area = p.acao.area in areas
        if p.status == Remanejamento.Status.APROVADO:
            # Aprovados já estão nos incisos R (entrada) e saíram da origem.
            total -= p.valor
            if sai_da_area:
                na_area -= p.valor
            continue
        na_area += (p.valor if entra_na_area else ZERO) - (p.valor if sai_da_area else ZERO)
    return total, na_area


def _validar_minimo_saude(*, inciso, acao, valor, pedidos) -> None:
    exercicio = inciso.exercicio
    areas, nome_area = areas_protegidas(inciso)
    if inciso.acao.area not in areas or acao.area in areas:
        return  # o pedido não tira dinheiro da área protegida
    total, na_area = programacao_na_area(inciso, areas, pedidos)
    na_area -= valor
    minimo = (total * exercicio.minimo_saude_percentual / 100).quantize(Decimal("0.01"))
    if na_area < minimo:
        raise ValidationError(
            f"Mínimo em {nome_area} não atendido: depois deste pedido ficariam {formatar_brl(na_area)} em "
            f"{nome_area}, abaixo de {exercicio.minimo_saude_percentual}% do total ({formatar_brl(minimo)} de "
            f"{formatar_brl(total)})."
        )
