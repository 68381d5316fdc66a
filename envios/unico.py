"""O mecanismo do envio único: o token do formulário e o decorator das views que criam ou decidem algo.

O token é assinado (``django.core.signing``, com a hora de emissão) e leva o id do usuário e um nonce aleatório:
mostrar um formulário não grava nada no banco. No POST, ``envio_unico``:

1. confere a assinatura, o dono e a idade do token (forjado, de outro usuário ou expirado: mensagem e nada muda);
2. reserva a chave do token numa linha de ``EnvioUnico`` (chave única no banco: nada em memória do processo, o app
   roda em várias réplicas);
3. se a chave já existe, não age: espera o primeiro envio terminar e mostra o resultado dele (redirecionamento e
   mensagens);
4. senão roda a view e grava o resultado na linha.

Por que a reserva é uma transação curta antes da ação, e não a mesma transação da ação: as filas decidem cada item
na sua transação (``decidir_em_lote``: um erro não desfaz os outros) e os serviços refazem a transação em deadlock
(``sigcon.transacoes.atomico``, só fora de uma transação aberta). Uma transação por fora de tudo seguraria as travas
do primeiro item até o último — dois lotes com titulares em ordens diferentes se travariam — e desligaria as novas
tentativas. Se o processo morrer entre a ação e a gravação do resultado, a linha fica sem resultado e o reenvio
diz que o primeiro envio não terminou de ser registrado, sem agir de novo: nunca duas vezes.
"""

import functools
import hashlib
import secrets
import time
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from sigcon.views_util import e_deste_site

from .models import EnvioUnico

CAMPO = "envio_unico"
_SAL = "envios.envio_unico"
VALIDADE = timedelta(hours=24)
# Quanto um reenvio espera o primeiro envio (ainda rodando noutro processo) terminar, e de quanto em quanto confere:
# menos que o timeout do gunicorn (60 s) e mais que um passo com consulta ao CAGEC/SIAFI. Uma reserva sem resultado
# mais velha que ABANDONADA é de um processo que morreu no meio: não adianta esperar por ela.
ESPERA_MAXIMA = 20.0
INTERVALO = 0.2
ABANDONADA = timedelta(minutes=2)

FORJADO = ("Este formulário chegou com um código de envio inválido; nada foi gravado. "
           "Abra a página de novo e repita a ação.")
DE_OUTRO = ("Este formulário foi aberto com outro login; nada foi gravado. "
            "Abra a página de novo com o seu login e repita a ação.")
EXPIRADO = ("Este formulário ficou aberto por mais de 24 horas e expirou; nada foi gravado. "
            "Abra a página de novo e repita a ação.")
JA_ENVIADO = "Este formulário já tinha sido enviado; nada foi feito de novo. Resultado do primeiro envio:"
EM_ANDAMENTO = ("O primeiro envio deste formulário ainda está sendo processado (ou não terminou de ser registrado); "
                "nada foi feito de novo. Confira o resultado nesta página antes de repetir a ação.")


class TokenRecusado(Exception):
    """O token do formulário não vale: a mensagem diz por quê."""


def novo_token(usuario) -> str:
    return signing.dumps({"u": usuario.pk, "n": secrets.token_urlsafe(18)}, salt=_SAL, compress=False)


def chave_do_token(token: str, usuario) -> str:
    """A chave do token no banco, ou ``TokenRecusado`` com a mensagem para a pessoa."""
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


def _reservar(chave: str, request) -> EnvioUnico | None:
    """A linha nova (este envio age), ou None se a chave já existe (outro envio do mesmo token age ou agiu)."""
    try:
        # Transação curta, confirmada antes da ação: é ela que um envio simultâneo noutra réplica encontra.
        with transaction.atomic():
            return EnvioUnico.objects.create(chave=chave, usuario=request.user, caminho=request.path[:500])
    except IntegrityError:
        return None


def _resultado_do_primeiro(chave: str, usuario) -> EnvioUnico | None | bool:
    """Espera o primeiro envio terminar: a linha concluída, None se ela sumiu (o primeiro não fez nada: este pode
    agir) ou False se não terminou a tempo."""
    limite = time.monotonic() + ESPERA_MAXIMA
    while True:
        linha = EnvioUnico.objects.filter(chave=chave).first()
        if linha is None or linha.concluido_em is not None:
            return linha
        abandonada = linha.criado_em < timezone.now() - ABANDONADA
        if abandonada or time.monotonic() >= limite or transaction.get_connection().in_atomic_block:
            # Dentro de uma transação aberta (os testes comuns) a linha não mudaria esperando.
            return False
        time.sleep(INTERVALO)


def _mostrar(request, linha: EnvioUnico):
    if linha.usuario_id != request.user.pk:
        messages.error(request, DE_OUTRO)
        return redirect(_de_volta(request))
    messages.info(request, JA_ENVIADO)
    for nivel, texto, marcas in linha.mensagens:
        messages.add_message(request, nivel, texto, extra_tags=marcas)
    return redirect(linha.destino or _de_volta(request))


def _agiu(resposta, novas) -> bool:
    """A view fez alguma coisa? Um redirecionamento (todo POST que age termina num) que não traz só erros."""
    if not 300 <= resposta.status_code < 400 or not resposta.has_header("Location"):
        return False
    return not novas or any(nivel < messages.ERROR for nivel, _, _ in novas)


def envio_unico(view):
    """Decorator das views que criam ou decidem algo: o POST com o token só age uma vez.

    Um POST sem o campo (um cliente que não é o navegador com os nossos formulários) segue sem a proteção; os
    formulários do sistema levam o campo (``{% envio_unico %}``, conferido por tests/envios/test_formularios.py).
    """

    @functools.wraps(view)
    def envolvida(request, *args, **kwargs):
        token = request.POST.get(CAMPO) if request.method == "POST" else None
        if token is None:
            return view(request, *args, **kwargs)
        try:
            chave = chave_do_token(token, request.user)
        except TokenRecusado as recusa:
            messages.error(request, str(recusa))
            return redirect(_de_volta(request))
        while (linha := _reservar(chave, request)) is None:
            primeiro = _resultado_do_primeiro(chave, request.user)
            if primeiro is False:
                messages.warning(request, EM_ANDAMENTO)
                return redirect(_de_volta(request))
            if primeiro is not None:
                return _mostrar(request, primeiro)
            # A linha sumiu: o primeiro envio não fez nada. Este tenta reservar de novo e agir.
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

    envolvida.envio_unico = True
    return envolvida
