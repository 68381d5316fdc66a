"""SEGOV › Corrigir inciso: busca → formulário → confirmação (antes/depois, valor comprometido) → serviço."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from envios.unico import envio_unico

from contas import perfis
from sigcon.dinheiro import formatar_brl

from . import selectors
from .correcoes import conferir_correcao, corrigir_inciso
from .forms_correcao import BuscaIncisoForm, CorrecaoIncisoForm
from sigcon.views_util import ano_pedido, mensagens


def _exigir_segov(usuario) -> None:
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV corrige incisos.")


@login_required
@require_GET
def incisos(request):
    """Incisos do exercício, com busca e o valor comprometido de cada um."""
    _exigir_segov(request.user)
    exercicio = selectors.exercicio_atual(ano_pedido(request))
    busca = BuscaIncisoForm(request.GET or None)
    contexto = {"exercicio": exercicio, "anos": selectors.anos_dos_exercicios(), "busca": busca}
    if exercicio:
        termo = busca.cleaned_data["q"].strip() if busca.is_valid() else ""
        qs = selectors.incisos_para_correcao(exercicio, termo)
        pagina = Paginator(qs, 50).get_page(request.GET.get("pagina"))
        comprometidos = selectors.valores_comprometidos(pagina.object_list)
        consulta = request.GET.copy()
        consulta.pop("pagina", None)
        contexto.update(pagina=pagina, linhas=[(i, comprometidos[i.pk]) for i in pagina.object_list],
                        querystring=consulta.urlencode())
    return render(request, "emendas/correcao/incisos.html", contexto)


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def corrigir(request, pk: int):
    """GET: formulário. POST "revisar": confere e mostra antes/depois. POST "confirmar": grava."""
    _exigir_segov(request.user)
    inciso = selectors.incisos_com_detalhes().filter(pk=pk).first()
    if inciso is None:
        raise Http404("Inciso não encontrado.")
    contexto = {
        "inciso": inciso,
        "comprometido": selectors.valor_comprometido(inciso),
        "correcoes": selectors.correcoes_do_inciso(inciso),
    }
    if request.method == "GET" or "voltar" in request.POST:
        inicial = {"valor_inicial": formatar_brl(inciso.valor_inicial, simbolo=False), "acao": inciso.acao_id,
                   "grupo_despesa": inciso.grupo_despesa_id}
        form = CorrecaoIncisoForm(initial={**inicial, **request.POST.dict()} if request.method == "POST" else inicial)
        return render(request, "emendas/correcao/corrigir.html", {**contexto, "form": form})
    form = CorrecaoIncisoForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        alteracoes = {"valor_inicial": d["valor_inicial"], "acao": d["acao"], "grupo_despesa": d["grupo_despesa"]}
        try:
            if "confirmar" in request.POST:
                corrigir_inciso(usuario=request.user, inciso=inciso, justificativa=d["justificativa"], **alteracoes)
                messages.success(request, f"Inciso {inciso.numero} corrigido. A correção ficou registrada.")
                return redirect("emendas:corrigir_inciso", pk=inciso.pk)
            conferido = conferir_correcao(inciso=inciso, **alteracoes)
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            return render(request, "emendas/correcao/confirmar.html", {**contexto, **conferido, "form": form})
    return render(request, "emendas/correcao/corrigir.html", {**contexto, "form": form})
