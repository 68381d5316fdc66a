"""A sessão de um dia de trabalho e a volta à mesma página quando ela vence.

``RenovaSessao``: a sessão vence ``SESSION_COOKIE_AGE`` (9 h) depois do último uso, não do login. O Django faria
isso com ``SESSION_SAVE_EVERY_REQUEST``, que grava a sessão no banco a cada requisição (cada clique, cada trecho
htmx, cada consulta do progresso de um relatório); aqui ela é regravada — e o prazo recomeça, no banco e no
cookie — só quando a última renovação tem mais de ``RENOVAR_A_CADA``. Preço: a sessão pode vencer até 5 minutos
antes das 9 h contadas do último clique.

``LoginAoExpirar``: quando a sessão venceu, o ``login_required`` manda ao login com ``?next=`` da página pedida.
Isso basta numa navegação comum (GET), mas não:

* num pedido htmx, em que o navegador seguiria o redirecionamento e a página de login apareceria dentro do
  trecho da tela: vai um ``HX-Redirect`` (a página inteira troca) com ``next`` = a página onde a pessoa estava
  (``HX-Current-URL``);
* num POST, em que ``next`` seria o endereço do envio (muitos só aceitam POST): ``next`` = a página do formulário
  (``Referer``), ou o próprio endereço do envio se o Referer faltar. O que foi enviado se perde, mas a pessoa
  volta ao mesmo formulário.

Em ambos, e num GET que trouxe o cookie de uma sessão que já não vale, a página de login diz que a sessão
expirou (``?sessao=expirou``). Endereços de outro site nunca viram ``next``.
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

from sigcon.views_util import e_deste_site

RENOVAR_A_CADA = 5 * 60  # segundos entre duas gravações da mesma sessão
CHAVE_RENOVADA = "_sigcon_renovada_em"
EXPIROU = "expirou"  # ?sessao=expirou: a página de login avisa que a sessão venceu
EXPIROU_NO_ENVIO = "expirou-envio"  # ... e que o formulário enviado não foi gravado


class RenovaSessao:
    """Depois do ``AuthenticationMiddleware``: renova a sessão de quem entrou, no máximo a cada 5 minutos."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            agora = int(time.time())
            # Gravar a chave marca a sessão como modificada: o SessionMiddleware a salva com prazo novo e
            # reenvia o cookie. Sem gravar, nem banco nem cookie mudam nesta requisição.
            if agora - request.session.get(CHAVE_RENOVADA, 0) >= RENOVAR_A_CADA:
                request.session[CHAVE_RENOVADA] = agora
        return self.get_response(request)


def marcar_renovacao_no_login(sender, request, user, **kwargs):
    """``user_logged_in``: a sessão acabou de ser gravada com prazo cheio; a primeira requisição depois do login
    não precisa regravá-la (a marca vai junto na gravação que o login já faz)."""
    if request is not None and hasattr(request, "session"):
        request.session[CHAVE_RENOVADA] = int(time.time())


def _no_site(request, endereco: str) -> str | None:
    """O caminho (com a consulta) de *endereco* se ele for deste site; senão None."""
    if not e_deste_site(request, endereco):
        return None
    partes = urlsplit(endereco)
    caminho = (partes.path or "/") + (f"?{partes.query}" if partes.query else "")
    # De novo sobre o caminho: "http://este.site//outro.site/" daria um "//outro.site/" que sai do site.
    return caminho if e_deste_site(request, caminho) else None


def url_de_login(proximo: str | None, aviso: str | None) -> str:
    parametros = {}
    if proximo:
        parametros["next"] = proximo
    if aviso:
        parametros["sessao"] = aviso
    login = resolve_url(settings.LOGIN_URL)
    return f"{login}?{urlencode(parametros)}" if parametros else login


def _vai_ao_login(resposta) -> bool:
    if resposta.status_code not in (301, 302):
        return False
    return urlsplit(resposta.get("Location", "")).path == resolve_url(settings.LOGIN_URL)


def _cookie_de_sessao_vencida(request) -> bool:
    # O navegador mandou um cookie de sessão, mas a sessão está vazia: venceu ou foi apagada no servidor.
    # (Depois de "Sair" o cookie é apagado, então isso não acontece com quem saiu.)
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.is_empty()


class LoginAoExpirar:
    """Reescreve a ida ao login de quem chegou sem sessão: htmx, POST e o aviso de sessão expirada."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Lido antes da view: quem sai (logout) também termina no login, e esse redirecionamento fica como está.
        entrou = request.user.is_authenticated
        resposta = self.get_response(request)
        if entrou or not _vai_ao_login(resposta):
            return resposta
        if getattr(request, "htmx", False):
            # Sem HX-Current-URL de este site, sem next: o endereço do trecho não serve como página.
            return HttpResponseClientRedirect(url_de_login(_no_site(request, request.htmx.current_url or ""), EXPIROU))
        if request.method not in ("GET", "HEAD"):
            pagina = _no_site(request, request.headers.get("Referer", "")) or request.get_full_path()
            return HttpResponseRedirect(url_de_login(pagina, EXPIROU_NO_ENVIO))
        if _cookie_de_sessao_vencida(request):
            return HttpResponseRedirect(url_de_login(request.get_full_path(), EXPIROU))
        return resposta
