"""Telas da diligência: abrir (órgão, na indicação), "Gerenciar Diligências", a diligência com as respostas,
responder (titular), fechar (órgão) e baixar um anexo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from convenios.models import PropostaPlanoTrabalho
from envios.unico import envio_unico
from sigcon.views_util import executar_acao, mensagens, paginar

from .. import selectors as nucleo
from . import selectors, services
from .forms import AbrirDiligenciaForm, FiltroDiligenciasForm, ResponderDiligenciaForm


def _exigir_quem_ve_diligencias(usuario) -> None:
    if not (perfis.e_segov(usuario) or perfis.pode_informar_diligencia(usuario)
            or perfis.pode_responder_diligencia(usuario)):
        raise PermissionDenied("As diligências são do órgão que analisa a indicação, do titular e da SEGOV.")


@login_required
@require_GET
def gerenciar(request):
    """"Gerenciar Diligências": as que o usuário vê, com filtros (situação, órgão, responsável, número)."""
    _exigir_quem_ve_diligencias(request.user)
    filtro = FiltroDiligenciasForm(request.GET or None, orgaos=selectors.orgaos_das_diligencias(request.user))
    qs = filtro.filtrar(selectors.diligencias_visiveis(request.user))
    return render(request, "emendas/diligencia/lista.html", {
        "filtro": filtro, "pagina": paginar(request, selectors.para_a_lista(qs)),
    })


def _propostas_da_indicacao(ind):
    return (PropostaPlanoTrabalho.objects.filter(usos__indicacao=ind,
                                                 status__in=services.PROPOSTA_ACEITA_DILIGENCIA).order_by("pk"))


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def abrir(request, pk: int):
    """"Informar Diligência" numa indicação (e, se escolhida, numa proposta que a usa)."""
    ind = nucleo.indicacao_para_usuario(request.user, pk)
    if not services.pode_abrir(request.user, ind):
        raise PermissionDenied(f"Somente o analista do órgão da UO {ind.inciso.acao.uo.codigo} abre diligência "
                               "nesta indicação.")
    # ?proposta=<nº>: vindo da proposta, ela já vem escolhida (qualquer outro valor é ignorado).
    pedida = request.GET.get("proposta", "")
    form = AbrirDiligenciaForm(request.POST or None, propostas=_propostas_da_indicacao(ind),
                               initial={"proposta": int(pedida)} if pedida.isdigit() and len(pedida) < 12 else None)
    if request.method == "POST" and form.is_valid():
        try:
            dil = services.abrir_diligencia(usuario=request.user, indicacao=ind, texto=form.cleaned_data["texto"],
                                            proposta=form.cleaned_data.get("proposta"))
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Diligência nº {dil.numero} aberta na indicação nº {ind.numero}; o titular "
                                      "foi avisado por e-mail.")
            return redirect("emendas:diligencia", pk=dil.pk)
    return render(request, "emendas/diligencia/abrir.html", {"ind": ind, "form": form})


def _contexto(request, dil, form=None):
    return {
        "dil": dil, "ind": dil.indicacao, "respostas": selectors.respostas(dil),
        "pode_responder": services.pode_responder(request.user, dil),
        "pode_fechar": services.pode_fechar(request.user, dil),
        "form": form or ResponderDiligenciaForm(),
    }


@login_required
@require_GET
def detalhe(request, pk: int):
    dil = selectors.diligencia_para_usuario(request.user, pk)
    return render(request, "emendas/diligencia/detalhe.html", _contexto(request, dil))


@login_required
@require_POST
@envio_unico
def responder(request, pk: int):
    dil = selectors.diligencia_para_usuario(request.user, pk)
    services.exigir_titular(request.user, dil)  # quem só lê (órgão, SEGOV, membro do bloco) não chega ao formulário
    form = ResponderDiligenciaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.responder_diligencia(usuario=request.user, diligencia=dil, texto=form.cleaned_data["texto"],
                                          anexos=form.cleaned_data["anexos"])
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Resposta à diligência nº {dil.numero} enviada ao órgão.")
            return redirect("emendas:diligencia", pk=dil.pk)
    # Recusada: a mesma página, com o texto digitado e o motivo (os arquivos o navegador pede de novo).
    return render(request, "emendas/diligencia/detalhe.html", _contexto(request, dil, form))


@login_required
@require_POST
@envio_unico
def fechar(request, pk: int):
    dil = selectors.diligencia_para_usuario(request.user, pk)
    return executar_acao(
        request, lambda: services.fechar_diligencia(usuario=request.user, diligencia=dil),
        sucesso=f"Diligência nº {dil.numero} fechada; o titular foi avisado por e-mail.",
        destino=reverse("emendas:diligencia", args=[dil.pk]),
    )


@login_required
@require_GET
def anexo(request, pk: int):
    """Baixa um anexo: só quem vê a indicação da diligência; sempre como download, com o nome saneado."""
    anexo = selectors.anexo_para_usuario(request.user, pk)
    try:
        arquivo = anexo.arquivo.open("rb")
    except FileNotFoundError:
        raise Http404("O arquivo deste anexo não está no armazenamento.") from None
    return FileResponse(arquivo, as_attachment=True, filename=anexo.nome, content_type=anexo.tipo)
