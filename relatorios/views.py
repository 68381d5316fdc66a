"""Acompanhamento e download dos PDFs e CSVs gerados em segundo plano. Só o dono vê (os outros, 404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .models import RelatorioGerado


def _do_usuario(request, pk):
    return get_object_or_404(RelatorioGerado.objects.filter(usuario=request.user), pk=pk)


def _pedir_de_novo(gerado) -> str:
    """O mesmo relatório, no mesmo formato e com os mesmos filtros (para quando a geração falhou)."""
    try:
        url = reverse(f"relatorio_{gerado.nome}_{gerado.formato}")
    except NoReverseMatch:  # relatório que deixou de existir
        return ""
    return f"{url}?{urlencode(gerado.parametros)}" if gerado.parametros else url


@login_required
@require_GET
def progresso(request, pk: int):
    gerado = _do_usuario(request, pk)
    contexto = {"gerado": gerado, "pedir_de_novo": _pedir_de_novo(gerado)}
    if getattr(request, "htmx", False):
        # Pedido do htmx a cada 2 s: só o quadro de andamento (sem o "every 2s" quando terminou).
        return render(request, "relatorios/_progresso.html", contexto)
    return render(request, "relatorios/progresso.html", contexto)


@login_required
@require_GET
def baixar(request, pk: int):
    gerado = _do_usuario(request, pk)
    if not gerado.pronto or not gerado.arquivo:
        raise Http404("O relatório ainda não está pronto.")
    # Do armazenamento em blocos (FileResponse): um CSV de dezenas de MB não passa inteiro pela memória.
    return FileResponse(gerado.arquivo.open("rb"), as_attachment=True, content_type=gerado.tipo_de_conteudo,
                        filename=gerado.nome_arquivo or f"relatorio.{gerado.formato}")
