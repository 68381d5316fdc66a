"""Filtro de log que tira credenciais dos caminhos (linhas de acesso, avisos de 404...).

O token do link de definir senha vai no caminho (``/conta/senha/definir/<uid>/<token>/``); quem lê o log
não pode reusá-lo. Um caminho novo com credencial (ex.: o feed de calendário com token) entra em
``CAMINHOS_COM_TOKEN``.
"""

import logging
import re

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
        mensagem = record.getMessage()
        limpa = mascarar(mensagem)
        if limpa != mensagem:
            record.msg, record.args = limpa, None
        return True
