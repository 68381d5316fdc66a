"""O que protege o sistema de trabalho de uma multidão de leitores: limite de pedidos por IP e cache das leituras.

**Limite de pedidos** (``limitar``): um contador por IP e por minuto no cache compartilhado (Redis em produção, a
tabela de cache do banco sem ele; nunca a memória de um processo, que cada réplica e cada worker teria a sua).
Passou do limite do grupo (``SIGCON_TRANSPARENCIA_LIMITES``: páginas e arquivos), 429 com a mensagem em português
e ``Retry-After``. O IP é o de ``contas.entrada.ip_do_cliente`` (o mesmo do login: atrás de proxies confiáveis, o
do ``X-Forwarded-For``). Cache fora do ar: o pedido passa (melhor ler do que ninguém ler).

**Cache** (``em_cache``): o resultado de uma leitura, guardado sob a *versão* dos dados, que é o último registro de
auditoria (toda mudança de estado grava um, na transação da mudança): a primeira leitura depois de qualquer
mudança já é nova — tempo real —, e as seguintes, até a próxima mudança, saem do cache. As entradas de login e de
notificação não contam como mudança (não mexem em nada público). ``SIGCON_TRANSPARENCIA_CACHE_SEGUNDOS`` é o teto,
para o que muda sem auditoria (uma correção direta no banco).
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from auditoria.models import RegistroAuditoria
from contas.entrada import ip_do_cliente

logger = logging.getLogger("transparencia")
PAGINAS, ARQUIVOS = "paginas", "arquivos"
JANELA_SEGUNDOS = 60
MENSAGEM_429 = ("Muitos pedidos deste endereço em pouco tempo. Espere {segundos} segundos e tente de novo; "
                "para baixar tudo de uma vez use os dados abertos (CSV ou JSON por exercício).")
_NAO_MUDAM_DADOS = ("conta.", "notificacao.")


# --- limite de pedidos -------------------------------------------------------------------------------------------

def _limite(grupo: str) -> int:
    return int(settings.SIGCON_TRANSPARENCIA_LIMITES[grupo])


def contar_pedido(request, grupo: str) -> tuple[bool, int]:
    """Soma o pedido no contador do IP neste minuto: (passou do limite?, segundos até o próximo minuto)."""
    agora = time.time()
    janela = int(agora // JANELA_SEGUNDOS)
    espera = max(1, int((janela + 1) * JANELA_SEGUNDOS - agora))
    chave = f"transparencia:pedidos:{grupo}:{ip_do_cliente(request) or 'sem-ip'}:{janela}"
    try:
        cache.add(chave, 0, timeout=JANELA_SEGUNDOS * 2)
        try:
            n = cache.incr(chave)
        except ValueError:  # a chave venceu entre o add e o incr
            cache.set(chave, 1, timeout=JANELA_SEGUNDOS * 2)
            n = 1
    except Exception:
        logger.warning("cache fora do ar: limite de pedidos públicos não conferido", exc_info=True)
        return False, espera
    return n > _limite(grupo), espera


def limitar(grupo: str):
    """Decorator das views públicas: 429 para o IP que passou do limite do *grupo* neste minuto."""

    def decorador(view):
        @wraps(view)
        def protegida(request, *args, **kwargs):
            excedeu, espera = contar_pedido(request, grupo)
            if not excedeu:
                return view(request, *args, **kwargs)
            mensagem = MENSAGEM_429.format(segundos=espera)
            if grupo == ARQUIVOS:
                resposta = HttpResponse(mensagem + "\n", status=429, content_type="text/plain; charset=utf-8")
            else:
                resposta = render(request, "transparencia/muitos_pedidos.html", {"mensagem": mensagem}, status=429)
            resposta["Retry-After"] = str(espera)
            return resposta

        return protegida

    return decorador


# --- cache das leituras ------------------------------------------------------------------------------------------

def versao_dos_dados() -> int:
    """O id do último registro de auditoria que não é de login nem de notificação (0 sem nenhum)."""
    consulta = RegistroAuditoria.objects.order_by("-pk")
    for prefixo in _NAO_MUDAM_DADOS:
        consulta = consulta.exclude(acao__startswith=prefixo)
    return consulta.values_list("pk", flat=True).first() or 0


def chave(versao: int, *partes) -> str:
    bruto = repr((versao,) + partes).encode("utf-8")
    return f"transparencia:{versao}:{hashlib.sha256(bruto).hexdigest()}"


def em_cache(versao: int, partes: tuple, gerar):
    """O valor guardado para (*versao*, *partes*), ou ``gerar()`` guardado agora."""
    nome = chave(versao, *partes)
    try:
        valor = cache.get(nome)
    except Exception:
        logger.warning("cache fora do ar: leitura pública sem cache", exc_info=True)
        return gerar()
    if valor is None:
        valor = gerar()
        guardar(nome, valor)
    return valor


def guardar(nome: str, valor) -> None:
    try:
        cache.set(nome, valor, timeout=settings.SIGCON_TRANSPARENCIA_CACHE_SEGUNDOS)
    except Exception:
        logger.warning("cache fora do ar: leitura pública não guardada", exc_info=True)


def ler(nome: str):
    try:
        return cache.get(nome)
    except Exception:
        logger.warning("cache fora do ar", exc_info=True)
        return None
