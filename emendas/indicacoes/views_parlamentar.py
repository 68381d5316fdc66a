"""Telas do parlamentar sobre várias indicações: a priorização das impositivas e o cancelamento das marcadas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from sigcon.views_util import ano_pedido, destino_seguro, executar_acao, ids_selecionados, mensagens

from .. import prazos, selectors
from . import cancelamento, priorizacao, selectors as consultas


def _exigir_parlamentar(usuario) -> None:
    if not perfis.age_como_parlamentar(usuario):
        raise PermissionDenied("Somente parlamentares priorizam e cancelam indicações.")


def _prazos_de_priorizacao(exercicio, hoje) -> dict:
    """Para cada trilha (S/R e P): a janela de priorização, se está aberta hoje e o texto do período."""
    resultado = {}
    for trilha in (prazos.Trilha.SR, prazos.Trilha.P):
        intervalo = prazos.intervalo_janela(exercicio, trilha, prazos.TipoJanela.PRIORIZACAO)
        resultado[trilha] = {
            "rotulo": prazos.Trilha(trilha).label, "intervalo": intervalo,
            "aberta": prazos.janela_aberta(exercicio, trilha, prazos.TipoJanela.PRIORIZACAO, hoje),
        }
    return resultado


@login_required
@require_GET
def priorizacao_das_indicacoes(request):
    """"Priorização das Indicações Impositivas": a ordem de cada titular, com "Repriorizar" em cada linha."""
    _exigir_parlamentar(request.user)
    exercicio = selectors.exercicio_atual(ano_pedido(request))
    hoje = timezone.localdate()
    contexto = {"exercicio": exercicio, "hoje": hoje}
    if exercicio:
        janelas = _prazos_de_priorizacao(exercicio, hoje)
        grupos = consultas.priorizacao_do_usuario(request.user, exercicio)
        for grupo in grupos:
            for ind in grupo["indicacoes"]:
                e_p = ind.inciso.tipo == "P"
                ind.faixa = (grupo["n_sem_p"] + 1, grupo["total"]) if e_p else (1, grupo["n_sem_p"])
                ind.pode_mover = janelas[prazos.Trilha.P if e_p else prazos.Trilha.SR]["aberta"]
        contexto.update(grupos=grupos, prazos=list(janelas.values()), anos=selectors.anos_dos_exercicios())
    return render(request, "emendas/indicacao/priorizacao.html", contexto)


@login_required
@require_POST
@envio_unico
def repriorizar(request, pk: int):
    ind = selectors.indicacao_para_usuario(request.user, pk)
    voltar = f"{reverse('emendas:priorizacao')}?ano={ind.exercicio.ano}#ind-{ind.pk}"
    return executar_acao(
        request,
        lambda: priorizacao.repriorizar_indicacao(usuario=request.user, indicacao=ind,
                                                  posicao=request.POST.get("posicao", "").strip()),
        sucesso=lambda nova: f"Indicação nº {nova.numero} agora é a {nova.prioridade}ª na ordem de prioridade.",
        destino=voltar,
    )


@login_required
@require_POST
@envio_unico
def cancelar_varias(request):
    """As indicações marcadas na "Indicação de Recursos": revisão (quantas e o total) e o cancelamento de todas."""
    _exigir_parlamentar(request.user)
    voltar = destino_seguro(request, reverse("emendas:indicacoes"))
    ids = ids_selecionados(request)
    justificativa = request.POST.get("justificativa", "").strip()
    if not ids:
        messages.error(request, "Marque ao menos uma indicação para cancelar.")
        return redirect(voltar)
    if not justificativa:
        messages.error(request, "Informe a justificativa do cancelamento: ela vale para todas as marcadas.")
        return redirect(voltar)
    # Só as que o usuário vê (ids forjados de outros titulares não entram; o serviço recusa as de quem só lê).
    marcadas = list(consultas.visiveis_por_ids(request.user, ids).order_by("numero"))
    if len(marcadas) != len(set(ids)):
        messages.error(request, "Uma das indicações marcadas não está mais disponível; atualize a página.")
        return redirect(voltar)
    if not revisao.confirmado(request):
        return revisao.revisar(
            request, acao="Cancelar indicações", singular="indicação", plural="indicações", voltar=voltar,
            itens=[revisao.Item(str(i.numero), f"{i.inciso.emenda.titular} – inciso {i.inciso.numero} – "
                                f"{i.beneficiario or i.get_forma_execucao_display()} – {i.get_status_display()}",
                                i.valor) for i in marcadas],
            aviso=f"Justificativa: {justificativa}. Ou todas são canceladas, ou nenhuma.",
            botao="cancelar todas",
        )
    try:
        canceladas = cancelamento.cancelar_indicacoes(usuario=request.user, indicacoes=marcadas,
                                                      justificativa=justificativa)
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        itens = [revisao.Item(str(i.numero), "", i.valor) for i in canceladas]
        messages.success(request, f"Canceladas: {revisao.resumo(itens, 'indicação', 'indicações')}; nº "
                                  f"{', '.join(str(i.numero) for i in canceladas)}. O valor voltou ao saldo dos incisos.")
    return redirect(voltar)
