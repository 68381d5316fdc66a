"""Arquivos pelo armazenamento do Django, nunca pelo disco: com várias réplicas o armazenamento pode ser outro
(S3 ou compatível) escolhido pelo ambiente, e o que uma réplica grava a outra lê.

Aqui: o ambiente escolhe o armazenamento. Que o código só fala com o armazenamento (e não com o disco) está em
tests/relatorios/test_armazenamento_remoto.py e tests/emendas/test_arquivos_importacao.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
MEMORIA = "django.core.files.storage.InMemoryStorage"


def _storages_do_ambiente(**extra) -> subprocess.CompletedProcess:
    ambiente = {**os.environ, "DJANGO_DEBUG": "1", **extra}
    codigo = ("import json, django; from django.conf import settings; django.setup(); "
              "print(json.dumps(settings.STORAGES['default']))")
    return subprocess.run([sys.executable, "-c", codigo], cwd=RAIZ, capture_output=True, text=True, timeout=120,
                          env={**ambiente, "DJANGO_SETTINGS_MODULE": "sigcon.settings"})


def test_sem_variavel_o_armazenamento_e_o_disco_local():
    r = _storages_do_ambiente(DJANGO_STORAGE_BACKEND="", DJANGO_STORAGE_OPTIONS="")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_o_ambiente_escolhe_a_classe_e_as_opcoes():
    r = _storages_do_ambiente(DJANGO_STORAGE_BACKEND="storages.backends.s3.S3Storage",
                              DJANGO_STORAGE_OPTIONS='{"bucket_name": "sigcon", "endpoint_url": "http://s3.local"}')
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"BACKEND": "storages.backends.s3.S3Storage",
                                    "OPTIONS": {"bucket_name": "sigcon", "endpoint_url": "http://s3.local"}}


@pytest.mark.parametrize("opcoes, mensagem", [
    ("{bucket: sigcon}", "DJANGO_STORAGE_OPTIONS não é JSON válido"),
    ('["sigcon"]', "DJANGO_STORAGE_OPTIONS deve ser um objeto JSON"),
])
def test_opcoes_malformadas_param_a_subida_com_mensagem_clara(opcoes, mensagem):
    r = _storages_do_ambiente(DJANGO_STORAGE_BACKEND=MEMORIA, DJANGO_STORAGE_OPTIONS=opcoes)
    assert r.returncode != 0
    assert mensagem in r.stderr
