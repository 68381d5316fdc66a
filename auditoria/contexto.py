"""Quem está agindo e de onde, sem passar o ``request`` para os serviços.

O middleware guarda o pedido numa ``ContextVar``: vale só para o pedido corrente (cada thread, cada tarefa
assíncrona tem a sua), nada fica compartilhado entre pedidos nem entre réplicas. Fora de um pedido (comandos,
tarefas Celery) não há usuário nem IP, e o registro sai como "sistema".
"""

import ipaddress
from contextvars import ContextVar

_pedido: ContextVar = ContextVar("auditoria_pedido", default=None)


def ip_do_pedido(request) -> str | None:
    # REMOTE_ADDR e não X-Forwarded-For: o cabeçalho é escrito pelo cliente e qualquer um forjaria o IP.
    # Atrás de um proxy, o servidor de aplicação deve receber o IP real em REMOTE_ADDR (ex.: gunicorn com
    # --forwarded-allow-ips apontando para o proxy).
    if request is None:
        return None
    try:
        # Só um IP válido: a coluna é do tipo inet e um valor estranho (socket Unix, proxy mal configurado)
        # não pode derrubar a escrita auditada.
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "").strip()))
    except ValueError:
        return None


def usuario_e_ip() -> tuple:
    """(usuário autenticado ou None, IP ou None) do pedido corrente."""
    request = _pedido.get()
    if request is None:
        return None, None
    usuario = getattr(request, "user", None)
    if usuario is not None and not usuario.is_authenticated:
        usuario = None
    return usuario, ip_do_pedido(request)


class AuditoriaMiddleware:
    """Coloque depois do ``AuthenticationMiddleware``: o usuário é lido na hora de registrar."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pedido.set(request)
        try:
            return self.get_response(request)
        finally:
            _pedido.reset(token)
