"""O ajuste pedido pelo órgão (DOMAIN.md §7.10): o parlamentar muda o tipo de atendimento/aplicação (do catálogo do
grupo do inciso, dentro das janelas de ajuste do exercício) e o objeto, e a indicação volta ao órgão."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from envios.unico import envio_unico
from sigcon.views_util import mensagens

from .. import prazos, selectors
from ..catalogo.selectors import catalogo_valido_para
from . import services
from .forms import AjusteForm

_JANELAS = (prazos.TipoJanela.AJUSTE_COMPLETO, prazos.TipoJanela.AJUSTE_MESMO_GD)


def _inicial(ind) -> dict:
    esp = ind.especificacao_atendimento
    return {"objeto": ind.objeto, "especificacao_atendimento": esp.pk if esp else "",
            "genero": esp.categoria.genero_id if esp else "", "categoria": esp.categoria_id if esp else "",
            "tipo_aplicacao": ind.tipo_aplicacao_id or ""}


def janelas_de_ajuste(inciso, dia) -> list[dict]:
    """As duas janelas de ajuste da trilha do inciso, com as datas e se estão abertas no *dia* (a tela as mostra)."""
    trilha = prazos.trilha_do_inciso(inciso.tipo)
    linhas = []
    for tipo in _JANELAS:
        intervalo = prazos.intervalo_janela(inciso.exercicio, trilha, tipo)
        linhas.append({"rotulo": prazos.TipoJanela(tipo).label, "intervalo": intervalo,
                       "aberta": prazos.janela_aberta(inciso.exercicio, trilha, tipo, dia)})
    return linhas


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def ajustar(request, pk: int):
    ind = selectors.indicacao_para_usuario(request.user, pk)
    if not selectors.pode_escrever_no_inciso(request.user, ind.inciso):
        raise PermissionDenied("Somente o titular ajusta a indicação.")
    opcoes = {"indicacao": ind, "catalogo": catalogo_valido_para(ind.inciso.grupo_despesa_id)}
    filtrar = request.POST.get("acao") == "opcoes"
    if request.method == "POST" and filtrar:
        # "Filtrar as opções" sem JavaScript: volta com o que foi escolhido, sem gravar.
        form = AjusteForm(initial={k: request.POST.get(k, "") for k in _inicial(ind)}, **opcoes)
    else:
        form = AjusteForm(request.POST or None, initial=_inicial(ind), **opcoes)
    if request.method == "POST" and not filtrar and form.is_valid():
        d = form.cleaned_data
        try:
            services.ajustar_indicacao(usuario=request.user, indicacao=ind, objeto=d["objeto"],
                                       especificacao_atendimento=d.get("especificacao_atendimento"),
                                       tipo_aplicacao=d.get("tipo_aplicacao"))
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Indicação nº {ind.numero} ajustada e reenviada ao órgão.")
            return redirect("emendas:indicacao", pk=ind.pk)
    return render(request, "emendas/indicacao/ajustar.html", {
        "ind": ind, "form": form, "inciso": ind.inciso, "janelas": janelas_de_ajuste(ind.inciso, timezone.localdate()),
    })
