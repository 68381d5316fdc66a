"""O admin da diligência (só leitura, sem o arquivo dos anexos) e o saneamento do nome do anexo."""

import pytest
from django.urls import reverse

from emendas.diligencias.anexos import nome_saneado
from emendas.models import Diligencia
from emendas.services import abrir_diligencia, responder_diligencia
from tests.conftest import logado
from tests.emendas.diligencias.conftest import pdf


@pytest.mark.parametrize(("recebido", "guardado"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\ana\\Meus documentos\\ofício nº 3.pdf", "ofício nº 3.pdf"),
    ('a"b;c\r\nd.pdf', "a_b_c__d.pdf"),
    ("   .pdf", "anexo.pdf"),  # só a extensão: um nome qualquer
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ("sem_extensao", "sem_extensao"),
])
def test_nome_do_anexo_saneado(recebido, guardado):
    assert nome_saneado(recebido) == guardado


@pytest.mark.django_db
def test_admin_mostra_a_diligencia_e_as_respostas_sem_o_arquivo_e_nao_altera(c, settings):
    dil = abrir_diligencia(usuario=c["orgao"], indicacao=c["ind"], texto="Envie a declaração")
    resposta = responder_diligencia(usuario=c["ana"], diligencia=dil, texto="Segue", anexos=[pdf("decl.pdf")])
    caminho = resposta.anexos.get().arquivo.name
    c["segov"].is_staff = True
    c["segov"].save()
    segov = logado(c["segov"])
    assert segov.get(reverse("admin:emendas_diligencia_changelist")).status_code == 200
    r = segov.get(reverse("admin:emendas_diligencia_change", args=[dil.pk]))
    corpo = r.content.decode()
    assert r.status_code == 200 and "Envie a declaração" in corpo and "decl.pdf" in corpo
    assert caminho not in corpo  # o caminho no armazenamento não aparece
    segov.post(reverse("admin:emendas_diligencia_change", args=[dil.pk]), {"texto": "Outro", "status": "FECHADA"})
    dil.refresh_from_db()
    assert dil.texto == "Envie a declaração" and dil.status == Diligencia.Status.ABERTA
    assert segov.get(reverse("admin:emendas_diligencia_add")).status_code == 403
