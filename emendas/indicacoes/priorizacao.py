"""Priorização das indicações impositivas (DOMAIN.md §7.7).

Por titular (parlamentar ou bloco) e exercício, as indicações impositivas ativas têm a prioridade 1..n, sem
buracos: a ordem inicial é a de criação, as de inciso P vêm depois das outras, e "Repriorizar" move uma indicação
para outra posição (as do meio andam uma casa; não é troca). Toda escrita que muda o conjunto (envio,
cancelamento, reprovação) renumera com os incisos do titular travados (``emendas/travas.py``, passo 2), a mesma
trava de quem repriorizar: duas mudanças simultâneas do mesmo titular nunca se cruzam.

Reexportado em ``emendas.services``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Case, IntegerField, Value, When
from django.utils import timezone

from auditoria.services import registrar

from .. import prazos
from ..models import Indicacao, Inciso
from ..selectors import pode_escrever_no_inciso
from ..visibilidade import titular_do_inciso
from ..travas import incisos_do_titular, travar_incisos_do_titular
from sigcon.transacoes import atomico

def _ordenadas(inciso: Inciso) -> list[Indicacao]:
    """As impositivas ativas do titular do *inciso* no exercício, na ordem de prioridade (as sem prioridade, as
    recém-enviadas, no fim da sua parte; as de inciso P depois de todas as outras)."""
    qs = (Indicacao.objects.filter(inciso__in=incisos_do_titular(inciso).values("pk"), status__in=Indicacao.ATIVAS)
          .exclude(origem_saldo=prazos.OrigemSaldo.NAO_IMPOSITIVO)
          .annotate(e_p=Case(When(inciso__tipo=Inciso.Tipo.P, then=Value(1)), default=Value(0),
                             output_field=IntegerField()))
          .only("pk", "numero", "prioridade", "status", "origem_saldo", "inciso_id")
          .order_by("e_p", F("prioridade").asc(nulls_last=True), "enviada_em", "pk"))
    return list(qs)


def renumerar_prioridades(inciso: Inciso) -> dict[int, int]:
    """Deixa 1..n as prioridades do titular do *inciso* (chamada com os incisos do titular já travados).

    Quem tira uma indicação do conjunto (cancela, reprova) grava ``prioridade = None`` junto com a situação (a
    restrição do banco não deixa uma encerrada com prioridade) e chama esta para fechar o buraco. Devolve
    {id: prioridade} das impositivas ativas do titular."""
    ordem = _ordenadas(inciso)
    _gravar(ordem)
    return {ind.pk: ind.prioridade for ind in ordem}


def _gravar(ordem: list[Indicacao]) -> None:
    mudar = []
    for n, ind in enumerate(ordem, start=1):
        if ind.prioridade != n:
            ind.prioridade = n
            mudar.append(ind)
    if mudar:
        Indicacao.objects.bulk_update(mudar, ["prioridade"])


def faixa_de_posicoes(ordem: list[Indicacao], ind: Indicacao) -> tuple[int, int]:
    """As posições a que *ind* pode ir: as de inciso P ficam depois de todas as outras (§7.7)."""
    n_sr = sum(1 for i in ordem if not i.e_p)
    return (n_sr + 1, len(ordem)) if ind.e_p else (1, n_sr)


def conferir_prazo_de_priorizacao(inciso: Inciso, dia) -> None:
    """Recusa fora da janela PRIORIZACAO da trilha do inciso (o prazo constitucional de indicação)."""
    trilha = prazos.trilha_do_inciso(inciso.tipo)
    exercicio = inciso.exercicio
    if prazos.janela_aberta(exercicio, trilha, prazos.TipoJanela.PRIORIZACAO, dia):
        return
    intervalo = prazos.intervalo_janela(exercicio, trilha, prazos.TipoJanela.PRIORIZACAO)
    if intervalo is None:
        raise ValidationError(f"O exercício {exercicio.ano} não tem prazo de priorização para "
                              f"{prazos.Trilha(trilha).label}: peça à SEGOV que o defina no calendário.")
    inicio, fim = intervalo
    quando = f"começa em {inicio:%d/%m/%Y}" if dia < inicio else f"terminou em {fim:%d/%m/%Y}"
    raise ValidationError(
        f"O prazo de priorização das indicações ({prazos.Trilha(trilha).label}, de {inicio:%d/%m/%Y} a "
        f"{fim:%d/%m/%Y}) {quando}: a ordem não pode ser mudada hoje."
    )


@atomico
def repriorizar_indicacao(*, usuario, indicacao, posicao) -> Indicacao:
    """Move a *indicacao* para a *posicao* na ordem do titular; as do meio andam uma casa."""
    # Trava os incisos do titular: envio, cancelamento e reprovação renumeram com esta mesma trava, então a lista
    # lida abaixo é a que vale até o commit (duas repriorizações simultâneas saem uma depois da outra).
    inciso = travar_incisos_do_titular(indicacao.inciso)
    if not pode_escrever_no_inciso(usuario, inciso):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) prioriza as indicações.")
    try:
        posicao = int(posicao)
    except (TypeError, ValueError):
        raise ValidationError("Informe a nova posição com um número inteiro.") from None
    ordem = _ordenadas(inciso)
    atual = next((i for i in ordem if i.pk == indicacao.pk), None)
    if atual is None:
        raise ValidationError(
            f"A indicação nº {indicacao.numero} não entra na priorização: só as impositivas ativas (nem canceladas, "
            "nem reprovadas, nem do saldo não impositivo) têm prioridade."
        )
    conferir_prazo_de_priorizacao(inciso, timezone.localdate())  # o inciso da própria indicação, relido travado
    menor, maior = faixa_de_posicoes(ordem, atual)
    if not menor <= posicao <= maior:
        parte = ("As indicações de inciso P ficam depois das demais" if atual.e_p
                 else "As indicações de inciso P ficam por último")
        raise ValidationError(
            f"Posição {posicao} fora da faixa: a indicação nº {atual.numero} pode ir da posição {menor} à {maior}. "
            f"{parte}."
        )
    antes = atual.prioridade
    if posicao == antes:
        return Indicacao.objects.get(pk=atual.pk)
    ordem.remove(atual)
    ordem.insert(posicao - 1, atual)
    _gravar(ordem)
    registrar(acao="indicacao.repriorizar", objeto=atual, usuario=usuario,
              antes={"prioridade": antes}, depois={"prioridade": posicao, "em_nome_de": titular_do_inciso(inciso)})
    return Indicacao.objects.get(pk=atual.pk)
