"""Entrada no sistema: limite de tentativas de senha (django-axes) e de pedidos de link de senha.

* **Login** (``/conta/entrar/`` e ``/admin/login/``, que passam pelo mesmo ``authenticate``): o axes
  guarda as falhas no banco (valem para todas as réplicas) e bloqueia a combinação conta + IP depois de
  ``AXES_FAILURE_LIMIT`` senhas erradas, por ``AXES_COOLOFF_TIME``. Durante o bloqueio nem a senha
  certa entra; a tela diz isso em português (``resposta_de_bloqueio``, HTTP 429).
* **"Esqueci minha senha"** (``PedirSenhaView``): no máximo ``SIGCON_SENHA_PEDIDOS_POR_EMAIL`` pedidos
  por e-mail e ``SIGCON_SENHA_PEDIDOS_POR_IP`` por IP a cada hora, contados no cache compartilhado
  (Redis ou tabela do banco, veja ``settings.CACHES``). A resposta é a mesma exista ou não o e-mail.

Auditoria: falhas e bloqueios são sinais do Django/axes — ``django.contrib.auth.signals.user_login_failed``
(cada senha errada, com ``credentials`` já sem a senha) e ``axes.signals.user_locked_out`` (``request``,
``username``, ``ip_address``) — e os receptores abaixo só registram no logger ``contas.entrada``. O
registro de auditoria liga-se aos mesmos sinais (ou troca o corpo de ``_falha_de_login`` /
``_conta_bloqueada``); o pedido de senha recusado pelo limite chama ``_pedido_de_senha_limitado``.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import render

from axes.signals import user_locked_out

logger = logging.getLogger("contas.entrada")

JANELA_PEDIDOS_SEGUNDOS = 60 * 60


# ---------------------------------------------------------------------------------------------------
# Chamadas pelo axes (nomes em settings.AXES_*_CALLABLE)

def email_da_tentativa(request, credentials) -> str:
    """A conta de uma tentativa: o e-mail digitado, sem espaços e em minúsculas.

    Sem isso ``Ana@x`` e ``ana@x`` contariam como contas diferentes e dobrariam as tentativas.
    """
    valor = (credentials or {}).get("username")
    if valor is None and request is not None:
        valor = request.POST.get("username", "")
    return str(valor or "").strip().lower()[:255]


def ip_do_cliente(request) -> str | None:
    """IP de quem pede. Atrás de N proxies reversos confiáveis (``SIGCON_PROXIES_REVERSOS``), o que o
    mais externo acrescentou ao ``X-Forwarded-For``; sem proxy, ``REMOTE_ADDR`` — um cabeçalho que o
    próprio cliente escreve não pode escolher o IP contado, senão cada tentativa viria de um "IP" novo."""
    proxies = getattr(settings, "SIGCON_PROXIES_REVERSOS", 0)
    if proxies > 0:
        encaminhados = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(encaminhados) >= proxies:
            return encaminhados[-proxies][:45]
    return request.META.get("REMOTE_ADDR")


def minutos_de_bloqueio() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def resposta_de_bloqueio(request, original_response=None, credentials=None):
    """Tela de entrada com o aviso de bloqueio (HTTP 429), no lugar da resposta padrão do axes."""
    form = AuthenticationForm(request, initial={"username": email_da_tentativa(request, credentials)})
    return render(request, "contas/login.html", {
        "form": form, "bloqueado": True, "minutos_bloqueio": minutos_de_bloqueio(),
        "next": request.POST.get("next", "") if request.method == "POST" else "",
    }, status=429)


# ---------------------------------------------------------------------------------------------------
# Pedido de link de senha

def _contar(chave: str) -> int:
    """Soma um pedido na janela de uma hora que começa no primeiro pedido da chave."""
    cache.add(chave, 0, timeout=JANELA_PEDIDOS_SEGUNDOS)
    try:
        return cache.incr(chave)
    except ValueError:  # a chave expirou entre o add e o incr
        cache.set(chave, 1, timeout=JANELA_PEDIDOS_SEGUNDOS)
        return 1


def pedido_de_senha_permitido(*, email: str, ip: str | None) -> tuple[bool, str]:
    """Conta o pedido e diz se ainda cabe no limite: (permitido, qual limite estourou: "ip"/"email"/"")."""
    try:
        por_ip = _contar(f"senha-pedidos:ip:{ip or '-'}")
        por_email = _contar(f"senha-pedidos:email:{email.strip().lower()}")
    except Exception:  # cache fora do ar: melhor deixar pedir do que impedir todo mundo de entrar
        logger.exception("Cache indisponível: limite de pedidos de senha não conferido.")
        return True, ""
    if por_ip > settings.SIGCON_SENHA_PEDIDOS_POR_IP:
        return False, "ip"
    if por_email > settings.SIGCON_SENHA_PEDIDOS_POR_EMAIL:
        return False, "email"
    return True, ""


class PedirSenhaView(auth_views.PasswordResetView):
    """"Primeiro acesso ou esqueceu a senha?" com limite por e-mail e por IP.

    Passado o limite do e-mail, a tela é a mesma de sempre ("se o e-mail estiver cadastrado, enviamos
    o link") e nada é enviado: quem pede não descobre se o e-mail existe nem se alguém já pediu. Passado
    o limite do IP, a própria pessoa é avisada para esperar (HTTP 429) — o aviso fala de quem pede, não
    da conta.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        permitido, limite = pedido_de_senha_permitido(email=email, ip=ip_do_cliente(self.request))
        if permitido:
            return super().form_valid(form)
        _pedido_de_senha_limitado(self.request, email=email, limite=limite)
        if limite == "ip":
            form.add_error(None, "Muitos pedidos de link de senha a partir deste endereço. "
                                 "Espere uma hora e tente de novo.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())  # a tela de "enviado" de sempre, sem e-mail


# ---------------------------------------------------------------------------------------------------
# Ganchos de auditoria

def _pedido_de_senha_limitado(request, *, email: str, limite: str) -> None:
    logger.warning("Pedido de link de senha recusado pelo limite por %s (ip=%s).", limite, ip_do_cliente(request))
    from auditoria.services import registrar

    registrar(acao="conta.senha_pedidos_limitados", depois={"email": email[:254], "limite": limite},
              ip=ip_do_cliente(request))


@receiver(user_login_failed, dispatch_uid="contas_falha_de_login")
def _falha_de_login(sender, credentials, request=None, **kwargs):
    logger.info("Senha errada para %s (ip=%s).", email_da_tentativa(request, credentials),
                ip_do_cliente(request) if request is not None else None)


@receiver(user_locked_out, dispatch_uid="contas_conta_bloqueada")
def _conta_bloqueada(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning("Entrada bloqueada por %s min: %s (ip=%s) errou a senha %s vezes.",
                   minutos_de_bloqueio(), username, ip_address, settings.AXES_FAILURE_LIMIT)
    from auditoria.services import registrar_bloqueio_de_acesso

    registrar_bloqueio_de_acesso(email=username or "", ip=ip_address,
                                 motivo=f"{settings.AXES_FAILURE_LIMIT} senhas erradas; bloqueio de {minutos_de_bloqueio()} min")
