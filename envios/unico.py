"""O mecanismo do envio único: o token do formulário e o decorator das views que criam ou decidem algo.

O token é assinado (``django.core.signing``, com a hora de emissão) e leva o id do usuário e um nonce aleatório:
mostrar um formulário não grava nada no banco. No POST, ``envio_unico``:

1. exige o token e confere a assinatura, o dono e a idade (sem token, forjado, de outro usuário ou expirado: página
   400 dizendo o que houve, registro no log, e nada muda);
2. pega a vez do token (no PostgreSQL, uma trava consultiva da chave: um reenvio simultâneo espera nela o primeiro
   terminar, sem consultar de novo e de novo; passado ``ESPERA_MAXIMA``, responde "ainda sendo processado" em vez de
   segurar o worker);
3. reserva a chave numa linha de ``EnvioUnico`` (chave única no banco: nada em memória do processo, o app roda em
   várias réplicas); se a chave já existe, não age e mostra o resultado do primeiro envio (redirecionamento e
   mensagens);
4. senão roda a view, grava o resultado na linha e só então solta a vez.

Por que a reserva é uma transação curta antes da ação, e não a mesma transação da ação: as filas decidem cada item
na sua transação (``decidir_em_lote``: um erro não desfaz os outros) e os serviços refazem a transação em deadlock
(``sigcon.transacoes.atomico``, só fora de uma transação aberta). Uma transação por fora de tudo seguraria as travas
do primeiro item até o último — dois lotes com titulares em ordens diferentes se travariam — e desligaria as novas
tentativas. Pelo mesmo motivo a vez é uma trava consultiva *de sessão* (vale fora de transação e só sai com o
``pg_advisory_unlock`` ou com a conexão), e não uma linha travada com ``select_for_update``, que só dura a transação.

Se o processo morrer entre a ação e a gravação do resultado, a conexão cai e solta a vez, mas a linha fica sem
resultado: o reenvio diz que o primeiro envio não terminou de ser registrado, sem agir de novo: nunca duas vezes.
No SQLite (desenvolvimento e testes), que não tem trava consultiva, o reenvio não espera: uma linha sem resultado
mais nova que ``ABANDONADA`` responde "ainda sendo processado".
"""

import functools
import hashlib
import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sigcon.banco import TRAVA_NAO_DISPONIVEL, codigo_sql
from sigcon.views_util import e_deste_site

from .models import EnvioUnico

log = logging.getLogger(__name__)

CAMPO = "envio_unico"
_SAL = "envios.envio_unico"
VALIDADE = timedelta(hours=24)
# Quanto um reenvio espera na vez do token o primeiro envio (ainda rodando noutro processo) terminar: o bastante para
# um passo comum, menos que o lock_timeout da web (SIGCON_TEMPOS_DO_BANCO) e bem menos que o timeout do gunicorn.
# Passado isso, a página "ainda sendo processado" se atualiza sozinha (htmx; sem JavaScript, o refresh do <noscript>)
# sem segurar o worker.
ESPERA_MAXIMA = timedelta(seconds=4)
# Uma reserva sem resultado mais velha que isto é de um processo que morreu no meio (o critério do SQLite; no
# PostgreSQL a vez livre já diz que ninguém está rodando).
ABANDONADA = timedelta(minutes=2)
# De quantos em quantos segundos a página "ainda sendo processado" se recarrega.
ATUALIZAR_A_CADA = 2
# O primeiro número das travas consultivas do envio único (pg_advisory_lock(int, int)): o segundo vem da chave.
CLASSE_DA_TRAVA = 0x454E5655  # "ENVU"

SEM_TOKEN = "O formulário chegou sem o código de envio (a página pode ter sido aberta antes de uma atualização)."
FORJADO = "O formulário chegou com um código de envio inválido."
DE_OUTRO = "O formulário foi aberto com outro login."
EXPIRADO = "O formulário ficou aberto por mais de 24 horas e expirou."
JA_ENVIADO = "Este formulário já tinha sido enviado; nada foi feito de novo. Resultado do primeiro envio:"
EM_ANDAMENTO = "Seu envio anterior ainda está sendo processado"
NAO_REGISTRADO = ("O primeiro envio deste formulário não terminou de ser registrado; nada foi feito de novo. "
                  "Confira o resultado nas suas listas antes de repetir a ação.")
NADA_GRAVADO = ("Não há envio em andamento com este código: o envio anterior não gravou nada (por exemplo, o "
                "formulário tinha um erro) ou já saiu do registro. Abra o formulário de novo e repita a ação.")


class TokenRecusado(Exception):
    """O token do formulário não vale: a mensagem diz por quê."""


def novo_token(usuario) -> str:
    return signing.dumps({"u": usuario.pk, "n": secrets.token_urlsafe(18)}, salt=_SAL, compress=False)


def chave_do_token(token: str | None, usuario) -> str:
    """A chave do token no banco, ou ``TokenRecusado`` com o motivo para a pessoa."""
    if not token:
        raise TokenRecusado(SEM_TOKEN)
    try:
        dados = signing.loads(token, salt=_SAL, max_age=VALIDADE)
    except signing.SignatureExpired:
        raise TokenRecusado(EXPIRADO) from None
    except signing.BadSignature:
        raise TokenRecusado(FORJADO) from None
    if not isinstance(dados, dict) or not isinstance(dados.get("n"), str):
        raise TokenRecusado(FORJADO)
    if dados.get("u") != usuario.pk:
        raise TokenRecusado(DE_OUTRO)
    return hashlib.sha256(dados["n"].encode()).hexdigest()


def apagar_expirados(agora=None) -> int:
    """Tokens usados há mais que a validade já seriam recusados como expirados: a linha não serve para mais nada."""
    agora = agora or timezone.now()
    apagados, _ = EnvioUnico.objects.filter(criado_em__lt=agora - VALIDADE).delete()
    return apagados


def _de_volta(request) -> str:
    """Onde mostrar uma recusa: a página de onde veio o formulário, se for deste site; senão o início."""
    referer = request.headers.get("Referer", "")
    return referer if e_deste_site(request, referer) else "/"


def _recusar(request, motivo: str):
    """Página 400: o token não vale, nada foi feito. O log diz o caminho, o usuário e o motivo (nunca o token)."""
    log.warning("envio único recusado em %s %s; usuário %s: %s", request.method, request.path, request.user.pk,
                motivo)
    return render(request, "envios/recusado.html", {"motivo": motivo, "voltar": _de_volta(request)}, status=400)


def _mensagens_novas(request, antes: int) -> list[tuple[int, str, str]]:
    # Ler as mensagens marca-as como lidas; "used = False" (documentado no Django) as mantém para a próxima página.
    # Um texto preguiçoso (lazy) vira texto aqui: depois da leitura o armazenamento não o converteria mais.
    guardadas = messages.get_messages(request)
    todas = []
    for m in guardadas:
        m.message = str(m.message)
        todas.append((m.level, m.message, m.extra_tags or ""))
    guardadas.used = False
    return todas[antes:]


def _quantas_mensagens(request) -> int:
    guardadas = messages.get_messages(request)
    n = len(list(guardadas))
    guardadas.used = False
    return n


# --- a vez do token ---------------------------------------------------------------------------------------------

def trava_do_token(chave: str) -> tuple[int, int]:
    return CLASSE_DA_TRAVA, int.from_bytes(bytes.fromhex(chave[:8]), "big", signed=True)


@contextmanager
def _vez_do_token(chave: str):
    """True com a vez do token na mão (solta na saída), False se outro envio do mesmo token a segurou além de
    ``ESPERA_MAXIMA``. No SQLite, sempre True na hora (ver o docstring do módulo)."""
    if connection.vendor != "postgresql":
        yield True
        return
    trava = trava_do_token(chave)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # O reenvio dorme no banco até o primeiro soltar a vez (ou até o limite), sem consultar em laço. O limite
            # curto (SET LOCAL) vale só para esta espera: a transação (ou o savepoint, dentro de outra) é desfeita
            # logo depois, o que desfaz o SET e não solta a trava, que é de sessão.
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(ESPERA_MAXIMA.total_seconds() * 1000)}ms"])
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", trava)
            transaction.set_rollback(True)
    except OperationalError as exc:
        if codigo_sql(exc) != TRAVA_NAO_DISPONIVEL:
            raise
        yield False
        return
    try:
        yield True
    finally:
        _soltar_a_vez(trava)


def _soltar_a_vez(trava) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", trava)
    except DatabaseError:
        # A conexão quebrou no meio da view: fechada, o PostgreSQL solta a trava junto com a sessão.
        log.exception("envio único: não consegui soltar a vez do token; fechando a conexão")
        if not connection.in_atomic_block:
            connection.close()


def _ainda_rodando(linha: EnvioUnico) -> bool:
    """O envio que reservou *linha* (sem resultado) ainda está rodando? No PostgreSQL, se alguém segura a vez do
    token (quem a segura agora pega de novo: um envio que já a tem não se vê rodando); no SQLite, pela idade."""
    if connection.vendor != "postgresql":
        return linha.criado_em >= timezone.now() - ABANDONADA
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", trava_do_token(linha.chave))
        return not cursor.fetchone()[0]


# --- o resultado do primeiro envio ---------------------------------------------------------------------------------

def _reservar(chave: str, request) -> EnvioUnico | None:
    """A linha nova (este envio age), ou None se a chave já existe (outro envio do mesmo token age ou agiu)."""
    try:
        # Transação curta, confirmada antes da ação: é ela que um envio do mesmo token noutra réplica encontra.
        with transaction.atomic():
            return EnvioUnico.objects.create(chave=chave, usuario=request.user, caminho=request.path[:500])
    except IntegrityError:
        return None


def _espera(request, chave: str, rodando: bool):
    """A página do reenvio que não age: "ainda sendo processado" (o htmx a recarrega a cada poucos segundos e, sem
    JavaScript, o refresh do <noscript>) ou "não terminou de ser registrado"."""
    contexto = {"rodando": rodando, "texto": EM_ANDAMENTO if rodando else NAO_REGISTRADO, "voltar": _de_volta(request),
                "atualizar": ATUALIZAR_A_CADA, "url": reverse("envios:andamento", args=[chave])}
    if getattr(request, "htmx", False):
        return render(request, "envios/_andamento.html", contexto)
    return render(request, "envios/andamento.html", contexto)


def _nada_gravado(request):
    return render(request, "envios/andamento.html", {"texto": NADA_GRAVADO, "voltar": _de_volta(request)})


def _mostrar(request, linha: EnvioUnico):
    """O que o reenvio responde: o resultado do primeiro envio (as mensagens dele e o mesmo destino) ou a espera."""
    if linha.usuario_id != request.user.pk:
        return _recusar(request, DE_OUTRO)
    if linha.concluido_em is None:
        if _ainda_rodando(linha):
            return _espera(request, linha.chave, rodando=True)
        # Ninguém roda: ou o primeiro morreu no meio, ou acabou de terminar entre a leitura da linha e a conferência.
        linha = EnvioUnico.objects.filter(pk=linha.pk).first()
        if linha is None:
            return _nada_gravado(request)
        if linha.concluido_em is None:
            return _espera(request, linha.chave, rodando=False)
    messages.info(request, JA_ENVIADO)
    for nivel, texto, marcas in linha.mensagens:
        messages.add_message(request, nivel, texto, extra_tags=marcas)
    destino = linha.destino or _de_volta(request)
    if getattr(request, "htmx", False):  # a espera recarregada pelo htmx: a página inteira vai para o resultado
        resposta = HttpResponse()
        resposta["HX-Redirect"] = destino
        return resposta
    return redirect(destino)


def resultado_do_envio(request, chave: str):
    """A página que a espera recarrega (GET, envios:andamento): o resultado quando o primeiro envio terminar."""
    linha = EnvioUnico.objects.filter(chave=chave, usuario=request.user).first()
    if linha is None:
        return _nada_gravado(request)
    return _mostrar(request, linha)


def _agiu(resposta, novas) -> bool:
    """A view fez alguma coisa? Um redirecionamento (todo POST que age termina num) que não traz só erros."""
    if not 300 <= resposta.status_code < 400 or not resposta.has_header("Location"):
        return False
    return not novas or any(nivel < messages.ERROR for nivel, _, _ in novas)


def _agir(request, linha: EnvioUnico, view, args, kwargs):
    antes = _quantas_mensagens(request)
    try:
        resposta = view(request, *args, **kwargs)
    except BaseException:
        linha.delete()
        raise
    novas = _mensagens_novas(request, antes)
    if _agiu(resposta, novas):
        linha.concluido_em = timezone.now()
        linha.destino = resposta["Location"][:2000]
        linha.mensagens = novas
        linha.save(update_fields=["concluido_em", "destino", "mensagens"])
    else:
        linha.delete()
    return resposta


def envio_unico(view):
    """Decorator das views que criam ou decidem algo: o POST só age com um token válido, e uma vez só.

    Os formulários do sistema levam o campo (``{% envio_unico %}``, conferido por tests/envios/test_formularios.py);
    um POST sem ele (uma página aberta antes de uma atualização, um cliente que não é o navegador) recebe 400.
    """

    @functools.wraps(view)
    def envolvida(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            chave = chave_do_token(request.POST.get(CAMPO), request.user)
        except TokenRecusado as recusa:
            return _recusar(request, str(recusa))
        with _vez_do_token(chave) as vez:
            if not vez:  # o primeiro envio passou de ESPERA_MAXIMA segurando a vez: ainda está rodando
                primeiro = EnvioUnico.objects.filter(chave=chave).first()
                return _mostrar(request, primeiro) if primeiro else _espera(request, chave, rodando=True)
            while (linha := _reservar(chave, request)) is None:
                if (primeiro := EnvioUnico.objects.filter(chave=chave).first()) is not None:
                    return _mostrar(request, primeiro)
                # A linha sumiu entre a reserva e a leitura (o primeiro não fez nada): este tenta reservar de novo.
            return _agir(request, linha, view, args, kwargs)

    envolvida.envio_unico = True
    return envolvida
