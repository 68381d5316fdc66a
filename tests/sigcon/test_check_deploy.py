"""Produção segura sem flags extras: ``manage.py check --deploy`` com as variáveis de produção não avisa nada."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

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


def _manage_check(ambiente, *extra):
    return subprocess.run([sys.executable, "manage.py", "check", *extra], cwd=RAIZ, env=ambiente,
                          capture_output=True, text=True, timeout=120)


def _sem(*nomes):
    fora = {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SIGCON_PROCESSO", *nomes}
    return {k: v for k, v in os.environ.items() if k not in fora}


def _atende(**extra):
    """O ambiente de quem atende (o gunicorn define SIGCON_PROCESSO=web; o Celery, worker)."""
    return {**_sem(), "SIGCON_PROCESSO": "web", **extra}


@pytest.mark.parametrize("processo", ["web", "worker"])
def test_sem_variavel_nenhuma_debug_fica_desligado_e_quem_atende_exige_a_chave(processo):
    resultado = _manage_check(_atende(SIGCON_PROCESSO=processo))
    assert resultado.returncode != 0
    assert "defina DJANGO_SECRET_KEY" in resultado.stderr


def test_runserver_sem_debug_e_sem_chave_nao_sobe():
    resultado = subprocess.run([sys.executable, "manage.py", "runserver", "127.0.0.1:1", "--noreload"], cwd=RAIZ,
                               env=_sem(), capture_output=True, text=True, timeout=120)
    assert resultado.returncode != 0 and "defina DJANGO_SECRET_KEY" in resultado.stderr


def test_comando_de_manutencao_sem_chave_roda_e_o_check_deploy_aponta_a_falta():
    # makemigrations --check, check, migrate num CI: nada atende requisição, então uma chave temporária basta;
    # o check --deploy continua dizendo que falta a chave (W009) e a lista de hosts (W020).
    assert _manage_check(_sem()).returncode == 0
    deploy = _manage_check(_sem(), "--deploy")
    saida = deploy.stdout + deploy.stderr
    assert "security.W009" in saida and "security.W020" in saida
    migracoes = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=RAIZ,
                               env=_sem(), capture_output=True, text=True, timeout=120)
    assert migracoes.returncode == 0 and "No changes detected" in migracoes.stdout, migracoes.stderr


def test_chave_fraca_ou_de_desenvolvimento_e_recusada():
    for ambiente in (_sem(), _atende()):  # uma chave dada e fraca é erro de quem configurou, em qualquer processo
        for chave in ("curta", "dev-inseguro-troque-em-producao-mas-comprida-o-bastante", "a" * 60):
            resultado = _manage_check({**ambiente, "DJANGO_SECRET_KEY": chave, "DJANGO_ALLOWED_HOSTS": "sigcon.mg.gov.br"})
            assert resultado.returncode != 0 and "defina DJANGO_SECRET_KEY" in resultado.stderr, chave


def test_sem_debug_exige_a_lista_de_hosts_sem_curinga():
    chave = secrets.token_urlsafe(50)
    for hosts in (None, "", "*", "sigcon.mg.gov.br,*"):
        ambiente = _atende(DJANGO_SECRET_KEY=chave)
        if hosts is not None:
            ambiente["DJANGO_ALLOWED_HOSTS"] = hosts
        resultado = _manage_check(ambiente)
        assert resultado.returncode != 0 and "defina DJANGO_ALLOWED_HOSTS" in resultado.stderr, hosts
    curinga = _manage_check({**_sem(), "DJANGO_SECRET_KEY": chave, "DJANGO_ALLOWED_HOSTS": "*"})
    assert curinga.returncode != 0 and "defina DJANGO_ALLOWED_HOSTS" in curinga.stderr  # '*' nunca, nem num comando
    ok = _manage_check(_atende(DJANGO_SECRET_KEY=chave, DJANGO_ALLOWED_HOSTS="sigcon.mg.gov.br"))
    assert ok.returncode == 0, ok.stderr


def test_com_django_debug_1_o_desenvolvimento_sobe_sem_mais_nada():
    resultado = _manage_check({**_sem(), "DJANGO_DEBUG": "1"})
    assert resultado.returncode == 0, resultado.stderr
