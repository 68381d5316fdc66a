"""Telas dos assessores: "Meus assessores" (o parlamentar associa por login e desassocia, com confirmação) e
"Parlamentares que atendo" (o assessor escolhe em nome de quem age)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from contas import perfis
from envios.revisao import confirmado
from envios.unico import envio_unico
from sigcon.views_util import mensagens

from . import selectors, services
from .forms import AssociarAssessorForm


def _parlamentar_proprio(usuario):
    """O parlamentar da própria conta: assessor, SEGOV e os demais não gerem assessores (403)."""
    parlamentar = getattr(usuario, "parlamentar", None)
    if parlamentar is None or not services.pode_gerir_assessores(usuario, parlamentar):
        raise PermissionDenied("Somente o próprio parlamentar associa e desassocia os seus assessores.")
    return parlamentar


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def meus_assessores(request):
    """"Emendas › Meus assessores": os vínculos (ativos e o histórico) e o formulário "Associar"."""
    parlamentar = _parlamentar_proprio(request.user)
    form = AssociarAssessorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vinculo = services.associar_assessor(usuario=request.user, parlamentar=parlamentar,
                                                 email=form.cleaned_data["email"])
        except ValidationError as exc:
            form.add_error("email", mensagens(exc))
        else:
            messages.success(request, f"{vinculo.assessor.get_full_name()} ({vinculo.assessor.email}) agora é seu "
                                      "assessor e foi avisado por e-mail.")
            return redirect("emendas:assessores")
    vinculos = list(selectors.vinculos_do_parlamentar(parlamentar))
    return render(request, "emendas/assessores/meus_assessores.html", {
        "parlamentar": parlamentar, "form": form,
        "ativos": [v for v in vinculos if v.ativo], "encerrados": [v for v in vinculos if not v.ativo],
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def desassociar(request, pk: int):
    """Confirmação (GET, ou POST sem ``confirmado``) e, confirmado, o fim do vínculo."""
    parlamentar = _parlamentar_proprio(request.user)
    vinculo = selectors.vinculo_ativo_do_parlamentar(parlamentar, pk)
    if request.method == "POST" and confirmado(request):
        try:
            services.desassociar_assessor(usuario=request.user, parlamentar=parlamentar, assessor=vinculo.assessor)
        except ValidationError as exc:
            messages.error(request, mensagens(exc))
        else:
            messages.success(request, f"{vinculo.assessor.get_full_name()} foi desassociado e não age mais em seu "
                                      "nome; o que fez até aqui continua registrado.")
        return redirect("emendas:assessores")
    return render(request, "emendas/assessores/desassociar.html", {"vinculo": vinculo})


@login_required
@require_GET
def parlamentares_atendidos(request):
    """"Parlamentares que atendo": o assessor escolhe em nome de quem age (``?titular=``, guardado na sessão)."""
    if not perfis.tem_perfil(request.user, perfis.ASSESSOR):
        raise PermissionDenied("Somente assessores atendem parlamentares.")
    return render(request, "emendas/assessores/atendidos.html",
                  {"linhas": selectors.parlamentares_do_assessor(request.user)})
