"""Produção segura sem flags extras: ``manage.py check --deploy`` com as variáveis de produção não avisa nada."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]


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


def _manage_check(ambiente):
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=RAIZ, env=ambiente, capture_output=True,
                          text=True, timeout=120)


def _sem(*nomes):
    fora = {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", *nomes}
    return {k: v for k, v in os.environ.items() if k not in fora}


def test_sem_variavel_nenhuma_debug_fica_desligado_e_exige_a_chave():
    resultado = _manage_check(_sem())
    assert resultado.returncode != 0
    assert "defina DJANGO_SECRET_KEY" in resultado.stderr


def test_chave_fraca_ou_de_desenvolvimento_e_recusada():
    for chave in ("curta", "dev-inseguro-troque-em-producao-mas-comprida-o-bastante", "a" * 60):
        resultado = _manage_check({**_sem(), "DJANGO_SECRET_KEY": chave, "DJANGO_ALLOWED_HOSTS": "sigcon.mg.gov.br"})
        assert resultado.returncode != 0 and "defina DJANGO_SECRET_KEY" in resultado.stderr, chave


def test_sem_debug_exige_a_lista_de_hosts_sem_curinga():
    chave = secrets.token_urlsafe(50)
    for hosts in (None, "", "*", "sigcon.mg.gov.br,*"):
        ambiente = {**_sem(), "DJANGO_SECRET_KEY": chave}
        if hosts is not None:
            ambiente["DJANGO_ALLOWED_HOSTS"] = hosts
        resultado = _manage_check(ambiente)
        assert resultado.returncode != 0 and "defina DJANGO_ALLOWED_HOSTS" in resultado.stderr, hosts
    ok = _manage_check({**_sem(), "DJANGO_SECRET_KEY": chave, "DJANGO_ALLOWED_HOSTS": "sigcon.mg.gov.br"})
    assert ok.returncode == 0, ok.stderr


def test_com_django_debug_1_o_desenvolvimento_sobe_sem_mais_nada():
    resultado = _manage_check({**_sem(), "DJANGO_DEBUG": "1"})
    assert resultado.returncode == 0, resultado.stderr
