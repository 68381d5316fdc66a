"""Acompanhamento e download dos PDFs gerados em segundo plano. Só o dono vê (os outros, 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import RelatorioGerado


def _do_usuario(request, pk, *, com_arquivo=False):
    qs = RelatorioGerado.objects.filter(usuario=request.user)
    if not com_arquivo:
        qs = qs.defer("arquivo")
    return get_object_or_404(qs, pk=pk)


@login_required
@require_GET
def progresso(request, pk: int):
    gerado = _do_usuario(request, pk)
    if getattr(request, "htmx", False):
        # Pedido do htmx a cada 2 s: só o quadro de andamento (sem o "every 2s" quando terminou).
        return render(request, "relatorios/_progresso.html", {"gerado": gerado})
    return render(request, "relatorios/progresso.html", {"gerado": gerado})


@login_required
@require_GET
def baixar(request, pk: int):
    gerado = _do_usuario(request, pk, com_arquivo=True)
    if not gerado.pronto or gerado.arquivo is None:
        raise Http404("O relatório ainda não está pronto.")
    resposta = HttpResponse(bytes(gerado.arquivo), content_type="application/pdf")
    resposta["Content-Disposition"] = f'attachment; filename="{gerado.nome_arquivo or "relatorio.pdf"}"'
    return resposta
