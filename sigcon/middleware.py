"""Middlewares do projeto: a entrada que o sistema não sabe guardar e o banco que demorou demais.

``RecusaEntradaHostil`` recusa, antes de qualquer view, a entrada que o sistema não sabe guardar. O PostgreSQL
não aceita o byte nulo num texto: sem esta barreira, um ``%00`` num campo virava erro 500 no meio de uma
transação. Caracteres de controle nunca são digitados por uma pessoa; recusá-los na porta é mais simples e mais
seguro que limpar cada formulário.

``TempoLimiteDoBanco`` transforma a espera por trava ou a consulta que passaram do limite (``lock_timeout`` e
``statement_timeout``, ``sigcon/settings.py``) numa página 503 que diz o que aconteceu e o que fazer.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.loader import render_to_string

from sigcon.banco import EXPLICACOES_TEMPO_ESGOTADO, TENTE_DE_NOVO, tempo_esgotado

log = logging.getLogger(__name__)

# Caracteres de controle (C0, DEL e C1). Nos campos enviados por POST, tabulação e quebras de linha
# são texto legítimo (áreas de texto); no caminho e nos parâmetros da URL, nenhum controle é.
_CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLE_NO_CORPO = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

MENSAGEM_CARACTERES = (
    "A requisição contém caracteres inválidos (caracteres de controle, como o byte nulo), que não podem "
    "ser gravados. Digite de novo o texto — se ele foi colado de outro programa, cole-o antes num editor "
    "de texto simples — e envie outra vez. Nada foi gravado."
)


def _mb(tamanho: int) -> str:
    return f"{tamanho / (1024 * 1024):.0f} MB"


def resposta_invalida(mensagem: str, titulo: str = "Requisição recusada") -> HttpResponseBadRequest:
    """A página 400 em português, sem depender da sessão nem do usuário (pode vir antes deles)."""
    return HttpResponseBadRequest(render_to_string("400.html", {"titulo": titulo, "mensagem": mensagem}))


def _algum_com_controle(dicionario, padrao) -> bool:
    return any(padrao.search(chave) or any(padrao.search(v) for v in valores)
               for chave, valores in dicionario.lists())


class RecusaEntradaHostil:
    """400 com mensagem clara para caminho, parâmetros ou campos com caracteres de controle, e para
    corpos maiores que o limite (recusados pelo Content-Length, antes de ler o envio)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recusa = self._conferir(request)
        return recusa if recusa is not None else self.get_response(request)

    def _conferir(self, request):
        if _CONTROLE.search(request.path_info) or _algum_com_controle(request.GET, _CONTROLE):
            return resposta_invalida(MENSAGEM_CARACTERES)
        if request.method != "POST":
            return None
        limite = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            tamanho = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            tamanho = 0
        if limite is not None and tamanho > limite:
            return resposta_invalida(
                f"O envio tem {_mb(tamanho)} e passa do limite de {_mb(limite)} por requisição "
                f"(arquivos de importação e anexos de diligência: até {_mb(settings.SIGCON_UPLOAD_MAXIMO)}). "
                "Envie um arquivo menor. Nada foi gravado.",
                titulo="Envio grande demais",
            )
        try:
            campos, arquivos = request.POST, request.FILES
        except RequestDataTooBig:
            return resposta_invalida(f"Os dados enviados passam do limite de {_mb(limite)}. Nada foi gravado.",
                                     titulo="Envio grande demais")
        except (TooManyFieldsSent, TooManyFilesSent):
            return resposta_invalida("A requisição tem campos ou arquivos demais. Nada foi gravado.")
        except MultiPartParserError:
            return resposta_invalida("O envio chegou incompleto ou malformado. Tente de novo. Nada foi gravado.")
        if _algum_com_controle(campos, _CONTROLE_NO_CORPO) or any(
            _CONTROLE.search(chave) or any(_CONTROLE.search(a.name or "") for a in lista)
            for chave, lista in arquivos.lists()
        ):
            return resposta_invalida(MENSAGEM_CARACTERES)
        return None


class TempoLimiteDoBanco:
    """503 em português quando o banco desistiu de esperar uma trava (55P03) ou cancelou uma consulta longa
    demais (57014). Os outros erros do banco seguem para o tratamento normal (página 500).

    ``sigcon.transacoes.atomico`` não refaz estes casos (só deadlock e serialização): refazer multiplicaria a
    espera da pessoa em vez de dizer logo que o registro está ocupado.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        codigo = tempo_esgotado(exception)
        if codigo is None:
            return None
        titulo, mensagem = EXPLICACOES_TEMPO_ESGOTADO[codigo]
        usuario = getattr(request, "user", None)
        # Só o código, o caminho (os tokens são mascarados pelo filtro do log) e o id do usuário: nada de
        # parâmetros da consulta nem do formulário.
        log.warning(
            "banco: tempo esgotado (%s) em %s %s; usuário %s", codigo, request.method, request.path,
            getattr(usuario, "pk", None),
        )
        # "Nada foi gravado" vale porque o erro desfez a transação inteira do serviço (a decisão em lote, que grava
        # um item por transação, trata o caso item a item: sigcon.views_util.decidir_em_lote).
        contexto = {"titulo": titulo, "mensagem": mensagem,
                    "conclusao": f"Nada do que você enviou foi gravado. {TENTE_DE_NOVO}"}
        if getattr(request, "htmx", False):
            # htmx 2 só troca o conteúdo de respostas 2xx: com 503 a pessoa não veria nada acontecer. O trecho vai
            # com 200 para dentro do alvo (innerHTML: um alvo que se atualiza sozinho, como o progresso do
            # relatório, continua se atualizando); o log acima registra a falha.
            resposta = HttpResponse(render_to_string("503_htmx.html", contexto, request=request))
            resposta["HX-Reswap"] = "innerHTML"
            return resposta
        resposta = render(request, "503.html", contexto, status=503)
        resposta["Retry-After"] = "5"
        return resposta
