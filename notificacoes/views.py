"""Notificações no sistema: o que foi enviado por e-mail ao usuário sobre o trabalho dele, com lida/não lida."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from envios.unico import envio_unico
from sigcon.views_util import destino_seguro

from . import selectors, services

POR_PAGINA = 50


@login_required
@require_GET
def lista(request):
    pagina = Paginator(selectors.avisos_do_usuario(request.user), POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "notificacoes/lista.html", {"pagina": pagina, "avisos": pagina.object_list})


@login_required
@require_GET
def aviso(request, pk: int):
    return render(request, "notificacoes/aviso.html", {"aviso": selectors.aviso_do_usuario(request.user, pk)})


@login_required
@require_POST
@envio_unico
def marcar_lida(request, pk: int):
    aviso = selectors.aviso_do_usuario(request.user, pk)
    services.marcar_como_lido(usuario=request.user, aviso=aviso)
    messages.success(request, "Notificação marcada como lida.")
    return redirect(destino_seguro(request, reverse("notificacoes:lista")))


@login_required
@require_POST
@envio_unico
def marcar_todas(request):
    n = services.marcar_todos_como_lidos(usuario=request.user)
    messages.success(request, f"{n} notificação marcada como lida." if n == 1
                     else f"{n} notificações marcadas como lidas." if n else "Nenhuma notificação por ler.")
    return redirect(reverse("notificacoes:lista"))
