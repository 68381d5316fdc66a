from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from . import unico


@login_required
@require_GET
def andamento(request, chave: str):
    """Um reenvio chegou enquanto o primeiro envio do mesmo formulário ainda rodava: esta página espera por ele e, quando
    ele terminar, leva ao resultado (as mensagens e o destino do primeiro). Só o dono do envio o vê."""
    return unico.resultado_do_envio(request, chave)
