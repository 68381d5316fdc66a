"""Produção segura sem flags extras: ``manage.py check --deploy`` com as variáveis de produção não avisa nada."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def _check(**extra):
    # O ambiente de produção, não o dos testes (o CI liga DJANGO_ALLOW_ASYNC_UNSAFE para o Playwright).
    ambiente = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    ambiente = {**ambiente, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "sigcon.mg.gov.br", **extra}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=RAIZ, env=ambiente,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_com_variaveis_de_producao_nao_avisa_nada():
    resultado = _check()
    assert resultado.returncode == 0, resultado.stderr
    saida = resultado.stdout + resultado.stderr
    assert "System check identified no issues (0 silenced)." in saida, saida
    assert "WARNING" not in saida


def test_sem_https_o_check_avisa_dos_cookies_e_do_hsts():
    # O inverso prova que o teste acima enxerga os avisos: com DJANGO_HTTPS=0 eles aparecem.
    saida = _check(DJANGO_HTTPS="0")
    texto = saida.stdout + saida.stderr
    assert "security.W012" in texto and "security.W004" in texto
