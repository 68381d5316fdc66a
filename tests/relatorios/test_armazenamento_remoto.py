"""Os CSV e PDF gerados em segundo plano vão pelo armazenamento do Django, nunca pelo disco.

Com várias réplicas o worker que gera e o web que entrega o download são processos (e máquinas) diferentes: o
armazenamento tem de ser compartilhado (S3 ou compatível, por DJANGO_STORAGE_BACKEND). Aqui ele é o
``InMemoryStorage`` do próprio Django: se algum caminho abrisse o arquivo pelo disco (``.path``, ``open()`` no
MEDIA_ROOT), a geração ou o download quebrariam, e o MEDIA_ROOT (uma pasta vazia deste teste) ganharia arquivos.
"""

import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from relatorios import base
from relatorios.models import RelatorioGerado
from tests.relatorios.conftest import logado

MEMORIA = "django.core.files.storage.InMemoryStorage"


@pytest.fixture
def em_memoria(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": MEMORIA}}
    assert type(storages["default"]).__name__ == "InMemoryStorage"
    return tmp_path


@pytest.mark.django_db
def test_csv_grande_gerado_e_baixado_por_um_armazenamento_que_nao_e_o_disco(
        cenario, em_memoria, monkeypatch, celery_na_hora, django_capture_on_commit_callbacks):
    segov = logado(cenario["segov"])
    parametros = {"mostrar_encerradas": "1"}
    na_hora = b"".join(segov.get(reverse("relatorio_indicacoes_csv"), parametros).streaming_content)
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", 1)
    with django_capture_on_commit_callbacks(execute=True):
        r = segov.get(reverse("relatorio_indicacoes_csv"), parametros)
    gerado = RelatorioGerado.objects.get()
    assert r.status_code == 302 and gerado.status == RelatorioGerado.Status.PRONTO
    assert default_storage.exists(gerado.arquivo.name)
    baixado = segov.get(reverse("relatorio_gerado_baixar", args=[gerado.pk]))
    assert baixado.status_code == 200
    assert b"".join(baixado.streaming_content) == na_hora
    assert not any(em_memoria.rglob("*")), "nada pode ir para o disco local"
