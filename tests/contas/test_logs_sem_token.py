"""Linhas de log (acesso do servidor, avisos) nunca levam o token do link de senha."""

import logging

from sigcon.logs import MascararTokens, mascarar

CAMINHO = "/conta/senha/definir/MQ/cxyz12-0123456789abcdef0123456789abcdef/"


def test_linha_de_acesso_com_link_de_senha_sai_com_o_token_mascarado():
    registro = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                                 (f"GET {CAMINHO} HTTP/1.1", "302", "0"), None)
    assert MascararTokens().filter(registro)
    assert registro.getMessage() == '"GET /conta/senha/definir/MQ/***/ HTTP/1.1" 302 0'
    assert mascarar("/conta/senha/definir/MQ/set-password/") == "/conta/senha/definir/MQ/set-password/"


def test_todo_handler_que_escreve_o_log_do_django_passa_pelo_filtro():
    for nome in ("django.server", "django.request", "django.security.csrf", "contas"):
        logger = logging.getLogger(nome)
        while logger is not None:
            for handler in logger.handlers:
                if type(handler).__module__.startswith("_pytest"):
                    continue  # os de captura do próprio pytest
                assert any(isinstance(f, MascararTokens) for f in handler.filters), (nome, logger.name, handler)
            logger = logger.parent if logger.propagate else None

