"""Filtro de log que tira credenciais dos caminhos (linhas de acesso, avisos de 404...).

O token do link de definir senha vai no caminho (``/conta/senha/definir/<uid>/<token>/``); quem lê o log
não pode reusá-lo. Um caminho novo com credencial (ex.: o feed de calendário com token) entra em
``CAMINHOS_COM_TOKEN``.
"""

import contextvars
import json
import logging
import re
from datetime import datetime, timezone

MASCARA = "***"
CAMINHOS_COM_TOKEN = [
    # /senha/definir/<uidb64>/<token>/ → /senha/definir/<uidb64>/***/ (o "set-password" do Django não é token)
    re.compile(r"(/senha/definir/[0-9A-Za-z_\-]+/)(?!set-password\b)[^/\s?\"']+"),
]


def mascarar(texto: str) -> str:
    for padrao in CAMINHOS_COM_TOKEN:
        texto = padrao.sub(lambda m: m.group(1) + MASCARA, texto)
    return texto


class MascararTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            # Log de acesso do gunicorn: os campos ficam separados (o FormatoJSON os usa); mascara cada um.
            record.args = {k: mascarar(v) if isinstance(v, str) else v for k, v in record.args.items()}
            return True
        mensagem = record.getMessage()
        limpa = mascarar(mensagem)
        if limpa != mensagem:
            record.msg, record.args = limpa, None
        return True


# --- Logs estruturados (JSON, uma linha por registro, no stdout) -------------------------------------------------

# O id da requisição e o usuário em atendimento nesta thread (gthread: uma requisição por thread de cada vez).
id_requisicao: contextvars.ContextVar[str] = contextvars.ContextVar("id_requisicao", default="")
usuario_id: contextvars.ContextVar[str] = contextvars.ContextVar("usuario_id", default="")

# Campos do log de acesso do gunicorn (os "átomos" dele) que vão para o JSON, com o nome que recebem.
_ATOMOS_DE_ACESSO = {
    "m": "metodo", "U": "caminho", "q": "consulta", "s": "status", "B": "bytes", "M": "duracao_ms",
    "h": "ip", "a": "agente", "{x-request-id}o": "id_requisicao", "{sigcon.usuario_id}e": "usuario_id",
}


class FormatoJSON(logging.Formatter):
    """Uma linha JSON por registro: hora, nível, logger, mensagem, id da requisição, usuário e, num erro, a pilha.

    Nada de credencial: a mensagem passa pela máscara de tokens; os dados da requisição não entram (só o caminho).
    """

    def format(self, record: logging.LogRecord) -> str:
        dados = {
            "hora": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "nivel": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            dados["mensagem"] = "acesso"
            for atomo, nome in _ATOMOS_DE_ACESSO.items():
                valor = record.args.get(atomo, "-")
                if valor in ("-", "", None):
                    continue
                if nome in ("caminho", "consulta"):
                    valor = mascarar(str(valor))
                elif nome in ("status", "bytes", "duracao_ms"):
                    valor = int(valor) if str(valor).isdigit() else valor
                dados[nome] = valor
        else:
            dados["mensagem"] = mascarar(record.getMessage())
            if id_requisicao.get():
                dados["id_requisicao"] = id_requisicao.get()
            if usuario_id.get():
                dados["usuario_id"] = usuario_id.get()
            for extra in ("metodo", "caminho", "status", "duracao_ms"):
                if hasattr(record, extra):
                    dados[extra] = getattr(record, extra)
        if record.exc_info:
            dados["pilha"] = mascarar(self.formatException(record.exc_info))
        return json.dumps(dados, ensure_ascii=False, default=str)


def configuracao_de_logs(*, json: bool, nivel: str) -> dict:
    """O ``LOGGING`` do Django: tudo no stdout, com a máscara de tokens; em JSON quando *json*."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mascarar_tokens": {"()": "sigcon.logs.MascararTokens"}},
        "formatters": {
            "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                              "style": "{"},
            "json": {"()": "sigcon.logs.FormatoJSON"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                        "filters": ["mascarar_tokens"], **({"formatter": "json"} if json else {})},
            "django.server": {"class": "logging.StreamHandler", "formatter": "django.server",
                              "filters": ["mascarar_tokens"]},
        },
        "loggers": {
            # Linhas de acesso do runserver: as mesmas do padrão do Django, com o token mascarado.
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
            # Sem o console próprio do padrão do Django (sem filtro): avisos e erros vão ao console da raiz.
            "django": {"handlers": [], "level": "WARNING", "propagate": True},
        },
        "root": {"handlers": ["console"], "level": nivel},
    }
