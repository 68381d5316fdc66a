"""Tela de importação: o arquivo fica no servidor entre a prévia e a confirmação.

A confirmação manda só o id da prévia; ela vale para quem a enviou, uma vez, por duas horas. O conteúdo é
lido do armazenamento de arquivos do Django (aqui, uma pasta temporária por teste) e validado de novo.
"""

import base64
import hashlib
import os
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from auditoria.models import RegistroAuditoria
from contas import perfis
from emendas import arquivos_importacao
from emendas.models import ArquivoImportacao, Exercicio, Inciso, ProgramacaoElegivel
from emendas.tasks import apagar_importacoes_expiradas
from tests.concorrencia import em_paralelo, so_no_postgres
from tests.conftest import criar_usuario, logado
from tests.emendas.test_importacao import BOA, PUB

pytestmark = pytest.mark.django_db
URL = "/emendas/importacoes/"
EXPIROU = "A prévia expirou ou já foi usada. Envie o arquivo novamente."
PROGRAMACOES = (
    "uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;area;recebe_remanejamento;destino_livre\n"
    "4291;Fundo Estadual de Saúde;4470;Atenção primária;4;Investimentos;SAUDE;S;N\n"
).encode()


@pytest.fixture
def armazenamento(settings, tmp_path):
    """O armazenamento padrão numa pasta só deste teste (nada fica para trás; dá para contar os arquivos)."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)},
    }}
    return tmp_path


def _arquivos(pasta) -> list[str]:
    return sorted(p.relative_to(pasta).as_posix() for p in pasta.rglob("*") if p.is_file())


def _enviar(cliente, conteudo=BOA, *, tipo="loa", ano="2027", publicacao="2027-01-08", nome="loa-2027.csv"):
    return cliente.enviar(URL, {"tipo": tipo, "ano": ano, "publicacao": publicacao,
                              "arquivo": SimpleUploadedFile(nome, conteudo, content_type="text/csv")})


def _importacoes_auditadas():
    return RegistroAuditoria.objects.filter(acao__startswith="importacao.").count()


def test_previa_guarda_o_arquivo_no_armazenamento_e_cria_o_registro(armazenamento, segov):
    r = _enviar(logado(segov))
    assert r.status_code == 200 and "Prévia de “loa-2027.csv”" in r.content.decode()
    previa = ArquivoImportacao.objects.get()
    assert r.context["previa"] == previa
    assert (previa.usuario, previa.tipo, previa.ano, str(previa.publicacao)) == (segov, "loa", 2027, "2027-01-08")
    assert (previa.nome_original, previa.tamanho, previa.sha256) == ("loa-2027.csv", len(BOA),
                                                                      hashlib.sha256(BOA).hexdigest())
    assert previa.usado_em is None
    # Nome aleatório na pasta das importações, nunca o nome enviado.
    assert re.fullmatch(r"importacoes/[0-9a-f]{32}\.csv", previa.caminho)
    assert _arquivos(armazenamento) == [previa.caminho]
    assert (armazenamento / previa.caminho).read_bytes() == BOA
    assert not Inciso.objects.exists() and not Exercicio.objects.exists()  # a prévia não grava a carga


def test_previa_recusada_nao_guarda_nada(armazenamento, segov):
    r = _enviar(logado(segov), BOA.replace(b"99,99", b"mil"))
    assert "Nada foi importado" in r.content.decode()
    assert not ArquivoImportacao.objects.exists() and _arquivos(armazenamento) == []


def test_formulario_de_confirmacao_leva_so_o_id_da_previa(armazenamento, segov):
    r = _enviar(logado(segov))
    html = r.content.decode()
    previa = r.context["previa"]
    formulario = re.search(r'<form method="post">(.*?)</form>', html, re.S).group(1)
    campos = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', formulario))
    assert set(campos) == {"csrfmiddlewaretoken", "envio_unico", "confirmar", "previa"}
    assert campos["previa"] == str(previa.pk)
    # Nem o arquivo nem o seu base64 vão para a página (a amostra da prévia mostra só as linhas lidas).
    assert base64.b64encode(BOA).decode()[:40] not in html
    assert "Confirmar importação" in html and "O arquivo fica guardado no servidor até as" in html


def test_confirmacao_importa_marca_usada_apaga_o_arquivo_e_audita_a_origem(
    armazenamento, segov, django_capture_on_commit_callbacks,
):
    cliente = logado(segov)
    previa = _enviar(cliente).context["previa"]
    with django_capture_on_commit_callbacks(execute=True):
        r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)}, follow=True)
    assert "Importação concluída: 4 linhas lidas" in r.content.decode()
    assert Inciso.objects.get(numero="S531").valor_inicial == Decimal("250000.50")
    previa.refresh_from_db()
    assert previa.usado_em is not None
    assert _arquivos(armazenamento) == []  # apagado depois do commit
    registro = RegistroAuditoria.objects.get(acao="importacao.loa")
    assert registro.usuario == segov
    assert registro.depois["arquivo"] == {"nome": "loa-2027.csv", "tamanho": len(BOA),
                                          "sha256": hashlib.sha256(BOA).hexdigest()}


def test_previa_usada_nao_vale_de_novo(armazenamento, segov, django_capture_on_commit_callbacks):
    cliente = logado(segov)
    previa = _enviar(cliente).context["previa"]
    with django_capture_on_commit_callbacks(execute=True):
        cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)})
    auditadas = _importacoes_auditadas()
    r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)}, follow=True)
    assert EXPIROU in r.content.decode()
    assert _importacoes_auditadas() == auditadas


def test_previa_de_outra_pessoa_e_recusada_e_nada_e_importado(armazenamento, segov):
    outra_segov = criar_usuario("carla@segov.test", perfis.SEGOV)
    previa = _enviar(logado(segov)).context["previa"]
    r = logado(outra_segov).enviar(URL, {"confirmar": "1", "previa": str(previa.pk)}, follow=True)
    assert EXPIROU in r.content.decode()  # a mesma resposta de um id que não existe
    assert not Inciso.objects.exists() and _importacoes_auditadas() == 0
    # A prévia continua valendo para quem a enviou.
    previa.refresh_from_db()
    assert previa.usado_em is None and _arquivos(armazenamento) == [previa.caminho]


def test_previa_expirada_e_recusada(armazenamento, segov):
    cliente = logado(segov)
    previa = _enviar(cliente).context["previa"]
    with time_machine.travel(previa.criado_em + ArquivoImportacao.VALIDADE + timedelta(seconds=1)):
        r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)}, follow=True)
    assert EXPIROU in r.content.decode()
    assert not Inciso.objects.exists() and _importacoes_auditadas() == 0


def test_previa_perto_de_expirar_ainda_vale(armazenamento, segov):
    cliente = logado(segov)
    previa = _enviar(cliente).context["previa"]
    with time_machine.travel(previa.criado_em + ArquivoImportacao.VALIDADE - timedelta(seconds=5)):
        r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)})
    assert r.status_code == 302 and Inciso.objects.count() == 4


@pytest.mark.parametrize("id_previa", ["", "abc", "0" * 32, str(uuid.uuid4()), "1; DROP TABLE x"])
def test_id_invalido_ou_desconhecido_e_recusado_sem_erro(armazenamento, segov, id_previa):
    r = logado(segov).enviar(URL, {"confirmar": "1", "previa": id_previa}, follow=True)
    assert r.status_code == 200 and EXPIROU in r.content.decode()


def test_campos_forjados_na_confirmacao_sao_ignorados(armazenamento, segov):
    # A prévia foi das programações de 2027; um formulário forjado tenta mudar para a LOA de outro ano.
    cliente = logado(segov)
    Exercicio.objects.create(ano=2027, data_publicacao_loa=PUB)
    previa = _enviar(cliente, PROGRAMACOES, tipo="programacoes", publicacao="", nome="prog.csv").context["previa"]
    r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk), "tipo": "loa", "ano": "2031",
                           "publicacao": "2031-01-05", "conteudo": base64.b64encode(BOA).decode()})
    assert r.status_code == 302 and r["Location"] == "/?ano=2027"
    assert ProgramacaoElegivel.objects.get().exercicio.ano == 2027
    assert list(Exercicio.objects.values_list("ano", flat=True)) == [2027] and not Inciso.objects.exists()


def test_arquivo_trocado_no_armazenamento_nao_e_importado(armazenamento, segov):
    cliente = logado(segov)
    previa = _enviar(cliente).context["previa"]
    (armazenamento / previa.caminho).write_bytes(BOA.replace(b"99,99", b"9.999.999,99"))
    r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)}, follow=True)
    assert EXPIROU in r.content.decode()
    assert not Inciso.objects.exists()


def test_arquivo_sumido_do_armazenamento_e_recusado_com_a_mensagem(armazenamento, segov):
    cliente = logado(segov)
    previa = _enviar(cliente).context["previa"]
    (armazenamento / previa.caminho).unlink()
    r = cliente.enviar(URL, {"confirmar": "1", "previa": str(previa.pk)}, follow=True)
    assert r.status_code == 200 and EXPIROU in r.content.decode()


def test_limpeza_apaga_previas_velhas_e_orfas_e_guarda_as_recentes(armazenamento, segov):
    def guardar(nome):
        return arquivos_importacao.guardar_previa(usuario=segov, tipo="loa", ano=2027, publicacao=PUB,
                                                  nome_original=nome, conteudo=BOA)

    agora = timezone.now()
    velha, usada_velha, recente = guardar("velha.csv"), guardar("usada.csv"), guardar("recente.csv")
    ArquivoImportacao.objects.filter(pk=velha.pk).update(criado_em=agora - timedelta(hours=3))
    ArquivoImportacao.objects.filter(pk=usada_velha.pk).update(criado_em=agora - timedelta(hours=2, minutes=1),
                                                                usado_em=agora - timedelta(hours=2))
    # Arquivos sem registro (usuário excluído, queda entre gravar o arquivo e o registro): o velho sai.
    orfao_velho = default_storage.save("importacoes/orfao-velho.csv", SimpleUploadedFile("x", b"x"))
    orfao_novo = default_storage.save("importacoes/orfao-novo.csv", SimpleUploadedFile("x", b"x"))
    tres_horas = (agora - timedelta(hours=3)).timestamp()
    os.utime(armazenamento / orfao_velho, (tres_horas, tres_horas))

    assert apagar_importacoes_expiradas() == 3
    assert list(ArquivoImportacao.objects.all()) == [recente]
    assert _arquivos(armazenamento) == sorted([recente.caminho, orfao_novo])
    assert apagar_importacoes_expiradas() == 0  # rodar de novo não faz nada


def test_limpeza_sem_nenhuma_previa_nao_falha(armazenamento):
    assert apagar_importacoes_expiradas() == 0


def test_limpeza_esta_no_agendamento_do_beat(settings):
    from sigcon.celery import app

    tarefas = {v["task"]: v["schedule"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tarefas["emendas.tasks.apagar_importacoes_expiradas"] <= ArquivoImportacao.VALIDADE
    assert "emendas.tasks.apagar_importacoes_expiradas" in app.tasks


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_duas_confirmacoes_ao_mesmo_tempo_importam_uma_vez(armazenamento, segov):
    so_no_postgres()
    previa = arquivos_importacao.guardar_previa(usuario=segov, tipo="loa", ano=2027, publicacao=PUB,
                                                nome_original="loa.csv", conteudo=BOA)

    def confirmar():
        return arquivos_importacao.confirmar_previa(usuario=segov, id_previa=str(previa.pk))

    resultados = em_paralelo([confirmar, confirmar, confirmar])
    recusas = [r for r in resultados if isinstance(r, arquivos_importacao.PreviaIndisponivel)]
    assert len(recusas) == 2, resultados
    assert RegistroAuditoria.objects.filter(acao="importacao.loa").count() == 1
    assert Inciso.objects.count() == 4
