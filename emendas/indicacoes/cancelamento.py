"""Cancelamento de indicações pelo titular: uma, ou várias de uma vez com uma justificativa (tudo ou nada).

O valor volta pela tabela "Where money goes back to" das Decisões (``prazos.destino_devolucao_indicacao``); a
indicação usada por uma proposta não pode ser cancelada (``exigir_sem_proposta``); a priorização do titular
fecha o buraco. Reexportado em ``emendas.services``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from .. import prazos
from ..models import Indicacao
from ..selectors import pode_escrever_no_inciso
from ..visibilidade import titular_do_inciso
from ..travas import travar_incisos_dos_titulares
from .priorizacao import renumerar_prioridades
from .services import MAQUINA, exigir_sem_proposta

Status = Indicacao.Status


def _justificativa(texto) -> str:
    return texto_limitado(texto, obrigatorio="Informe a justificativa do cancelamento.", rotulo="A justificativa")


def _travar(ids) -> list[Indicacao]:
    # Trava as indicações (passo 3, em ordem de id): um cancelamento e uma decisão do órgão, da SEGOV ou uma proposta
    # nova sobre a mesma indicação não valem os dois. of=self: não trava o exercício nem o inciso do select_related.
    return list(Indicacao.objects.select_for_update(no_key=True, of=("self",))
                .select_related("exercicio", "inciso__emenda__parlamentar", "inciso__emenda__bloco")
                .filter(pk__in=ids).order_by("pk"))


def destino_do_cancelamento(ind: Indicacao, dia) -> str:
    """Para onde o valor voltaria se *ind* fosse cancelada no *dia*; ``ValidationError`` com o porquê, se não pode."""
    if not MAQUINA.permite(ind.status, Status.CANCELADA):
        raise ValidationError(f"A indicação nº {ind.numero} está {ind.get_status_display().lower()}: "
                              "não pode mais ser cancelada.")
    exigir_sem_proposta(ind, "cancelada")
    try:
        return prazos.destino_devolucao_indicacao(prazos.calendario_do_inciso(ind.exercicio, ind.inciso.tipo), dia,
                                                 ind.origem_saldo, cancelamento=True)
    except prazos.CancelamentoRecusado as exc:
        raise ValidationError(str(exc)) from None


def _cancelar(ind: Indicacao, destino: str, *, usuario, justificativa: str) -> None:
    # O inciso vem com a emenda e o bloco (_travar): o titular sai sem consulta.
    MAQUINA.aplicar(ind, Status.CANCELADA, usuario=usuario, texto=justificativa, em_nome_de=titular_do_inciso(ind.inciso))
    ind.saldo_devolucao, ind.justificativa = destino, justificativa
    # A prioridade sai junto com a situação (a restrição do banco não aceita cancelada com prioridade).
    ind.encerrada_por, ind.encerrada_em, ind.prioridade = usuario, timezone.now(), None
    ind.save(update_fields=["status", "saldo_devolucao", "justificativa", "encerrada_por", "encerrada_em",
                            "prioridade"])


@atomico
def cancelar_indicacao(*, usuario, indicacao, justificativa) -> Indicacao:
    justificativa = _justificativa(justificativa)
    # Incisos do titular antes da indicação (ordem global de emendas/travas.py): a priorização muda com esta trava.
    travar_incisos_dos_titulares([indicacao.inciso])
    (ind,) = _travar([indicacao.pk])
    if not pode_escrever_no_inciso(usuario, ind.inciso):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) age sobre esta indicação.")
    _cancelar(ind, destino_do_cancelamento(ind, timezone.localdate()), usuario=usuario, justificativa=justificativa)
    renumerar_prioridades(ind.inciso)
    return ind


@atomico
def cancelar_indicacoes(*, usuario, indicacoes, justificativa) -> list[Indicacao]:
    """Cancela todas as *indicacoes* com a mesma justificativa, ou nenhuma: se uma não pode, a recusa diz qual e
    por quê (todas as que não podem, de uma vez) e nada muda."""
    justificativa = _justificativa(justificativa)
    ids = sorted({ind.pk for ind in indicacoes})
    if not ids:
        raise ValidationError("Selecione ao menos uma indicação para cancelar.")
    uma_por_inciso = {i.inciso_id: i for i in Indicacao.objects.select_related("inciso__emenda").filter(pk__in=ids)}
    # Os incisos de todos os titulares envolvidos, numa trava só e em ordem de id (passo 2), antes das indicações.
    travar_incisos_dos_titulares([ind.inciso for ind in uma_por_inciso.values()])
    travadas = _travar(ids)
    if len(travadas) != len(ids):
        raise ValidationError("Uma das indicações selecionadas não existe mais; atualize a página. "
                              "Nenhuma indicação foi cancelada.")
    alheias = [ind for ind in travadas if not pode_escrever_no_inciso(usuario, ind.inciso)]
    if alheias:
        numeros = ", ".join(f"nº {ind.numero}" for ind in alheias)
        raise PermissionDenied(f"Somente o titular da emenda (ou o responsável pelo bloco) cancela a indicação "
                               f"{numeros}. Nenhuma indicação foi cancelada.")
    dia, destinos, recusas = timezone.localdate(), {}, []
    for ind in travadas:
        try:
            destinos[ind.pk] = destino_do_cancelamento(ind, dia)
        except ValidationError as exc:
            recusas.append(" ".join(exc.messages))
    if recusas:
        raise ValidationError(["Nenhuma indicação foi cancelada.", *recusas])
    for ind in travadas:
        _cancelar(ind, destinos[ind.pk], usuario=usuario, justificativa=justificativa)
    titulares = {}
    for ind in travadas:
        emenda = ind.inciso.emenda
        titulares.setdefault((ind.exercicio_id, emenda.parlamentar_id, emenda.bloco_id), ind.inciso)
    for inciso in titulares.values():
        renumerar_prioridades(inciso)
    return travadas
