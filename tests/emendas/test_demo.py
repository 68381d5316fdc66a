"""A demonstração (``carregar_demo``, chamada por ``make run``): os logins por papel saem por último, depois dos
e-mails que o console escreve, com quem tem indicações, quem só lê o bloco e as janelas de hoje."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

RAIZ = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)  # os e-mails saem no commit, como no make run
def test_demo_imprime_os_logins_por_ultimo_depois_dos_emails(settings, capsys, celery_na_hora):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("carregar_demo")
    saida = capsys.readouterr().out
    assert saida.count("Subject: ") >= 10  # os convites dos parlamentares da LOA, no console
    inicio = saida.index("Logins de demonstração")
    fim = saida[inicio:]
    assert "Subject: " not in fim and "Content-Type" not in fim
    assert saida.rstrip().endswith(fim.rstrip())
    assert "assessor@almg.demo (assessor de dep002@almg.demo e dep003@almg.demo" in fim
    for papel in ("Parlamentar:", "SEGOV:", "Órgão:", "Convenente:", "Admin:", "Assessor:"):
        assert papel in fim
    assert "dep001@almg.demo é o responsável pelo Bloco Minas em Frente" in fim
    assert "dep002@almg.demo, dep003@almg.demo, dep004@almg.demo: membros do bloco, só leitura" in fim
    assert "com indicações de exemplo: dep002@almg.demo" in fim
    assert re.search(r"contadas a partir de hoje, \d\d/\d\d/\d{4}\).*janela livre até \d\d/\d\d/\d{4}", fim)


def test_make_run_serve_na_porta_pedida_e_os_links_apontam_para_ela():
    saida = subprocess.run(["make", "-n", "run", "PORT=8010"], cwd=RAIZ, capture_output=True, text=True, check=True,
                           env={"PATH": "/usr/bin:/bin"}).stdout
    assert "runserver 127.0.0.1:8010" in saida
    assert "SIGCON_URL_BASE=http://127.0.0.1:8010" in saida and "carregar_demo" in saida
