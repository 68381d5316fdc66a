"""Telas do catálogo: a lista por grupo de despesa e a carga por CSV (SEGOV), e o trecho htmx dos selects
dependentes do tipo de atendimento (quem vê o inciso)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from contas import perfis
from envios.unico import envio_unico

from .. import selectors as nucleo
from ..importacao.leitura import ErroImportacao
from .carga import CABECALHOS, ROTULOS, carregar_catalogo
from .forms import CargaCatalogoForm, ConfirmarCargaForm, TipoAtendimentoForm
from .selectors import catalogo_valido_para, resumo_do_catalogo


def _exigir_carga(usuario):
    # contas/papeis.py › NO_SISTEMA["carregar_dados"]: a SEGOV e o administrador de TI.
    if not perfis.pode_carregar_dados(usuario):
        raise PermissionDenied("Somente a SEGOV e os administradores mantêm os catálogos.")


@login_required
@require_GET
def opcoes(request, pk: int):
    """Gênero → categoria → especificação do grupo do inciso *pk*, filtrados pelo que veio (o htmx troca o bloco)."""
    inciso = nucleo.inciso_para_usuario(request.user, pk)
    # Sem validar (initial): é só a lista filtrada; a escolha é conferida no envio do formulário.
    form = TipoAtendimentoForm(initial=request.GET.dict(), catalogo=catalogo_valido_para(inciso.grupo_despesa_id),
                               inciso=inciso)
    return render(request, "emendas/catalogo/_campos_tipo.html", {"form": form, "inciso": inciso})


@login_required
@require_GET
def lista(request):
    _exigir_carga(request.user)
    return render(request, "emendas/catalogo/lista.html", {"linhas": resumo_do_catalogo(), "rotulos": ROTULOS})


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def carga(request):
    """Arquivo → prévia (tudo feito e desfeito; erros linha a linha) → confirmação (tudo ou nada, auditada)."""
    _exigir_carga(request.user)
    contexto = {"cabecalhos": {ROTULOS[t]: ";".join(c) for t, c in CABECALHOS.items()}}
    confirmar = request.method == "POST" and "confirmar" in request.POST
    form = (ConfirmarCargaForm if confirmar else CargaCatalogoForm)(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        tipo, conteudo = form.cleaned_data["tipo"], form.cleaned_data.get("conteudo") or form.cleaned_data["arquivo"]
        try:
            resultado = carregar_catalogo(usuario=request.user, tipo=tipo, conteudo=conteudo, simular=not confirmar)
        except ErroImportacao as exc:
            contexto["erros"] = exc.erros
        else:
            if confirmar:
                messages.success(request, f"Catálogo “{ROTULOS[tipo]}” carregado: {resultado.resumo()}.")
                return redirect("emendas:catalogo")
            contexto.update(resultado=resultado, rotulo=ROTULOS[tipo], confirmacao=ConfirmarCargaForm(
                initial={"tipo": tipo, "conteudo": ConfirmarCargaForm.codificar(conteudo)}))
    if confirmar and form.errors:
        contexto["erros"] = [e for erros in form.errors.values() for e in erros]
    contexto["form"] = form if not confirmar else CargaCatalogoForm()
    return render(request, "emendas/catalogo/carga.html", contexto)
