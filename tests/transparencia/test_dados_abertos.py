"""Dados abertos: CSV e JSON por exercício (em fluxo, dinheiro "1234.56", datas ISO), o datapackage.json validado pela
biblioteca frictionless contra os arquivos de verdade, e o instantâneo diário com SHA-256 e a cabeça da auditoria."""

import csv
import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from frictionless import Package

from auditoria.cadeia import selar_pendentes
from auditoria.models import RegistroAuditoria
from emendas import services as em
from transparencia import campos
from transparencia.instantaneos import gerar_instantaneo
from transparencia.models import InstantaneoDadosAbertos

pytestmark = pytest.mark.django_db


def _corpo(resposta) -> bytes:
    assert resposta.status_code == 200, resposta.status_code
    return b"".join(resposta.streaming_content) if resposta.streaming else resposta.content


def _csv(client, ano) -> list[dict]:
    corpo = _corpo(client.get(reverse("transparencia:indicacoes_csv", args=[ano])))
    assert not corpo.startswith(b"\xef\xbb\xbf")  # UTF-8 sem BOM
    return list(csv.DictReader(io.StringIO(corpo.decode("utf-8"))))


def test_csv_do_exercicio_tem_os_campos_declarados_e_dinheiro_com_ponto(client, publico):
    ano = publico["exercicio"].ano
    resposta = client.get(reverse("transparencia:indicacoes_csv", args=[ano]))
    assert resposta.streaming and resposta["Content-Type"] == "text/csv; charset=utf-8"
    assert resposta["Access-Control-Allow-Origin"] == "*"
    corpo = _corpo(resposta).decode("utf-8")
    assert corpo.splitlines()[0] == ",".join(campos.NOMES)
    linhas = {int(l["numero_indicacao"]): l for l in csv.DictReader(io.StringIO(corpo))}
    aprovada = linhas[publico["aprovada"].numero]
    assert (aprovada["valor_indicado"], aprovada["valor_aprovado"], aprovada["valor_em_convenio"],
            aprovada["valor_liberado"], aprovada["valor_utilizado"]) == ("300000.00", "300000.00", "200000.00",
                                                                        "50000.00", "200000.00")
    assert aprovada["beneficiario_cnpj"] == publico["vida"].cnpj and aprovada["situacao"] == "APROVADA"
    assert aprovada["enviada_em"] == timezone.localtime(publico["aprovada"].enviada_em).isoformat(timespec="seconds")
    assert aprovada["enviada_em"].endswith("-03:00")
    assert aprovada["pagina"] == f"/transparencia/indicacoes/{ano}/{publico['aprovada'].numero}/"
    direta = linhas[publico["direta"].numero]
    assert direta["valor_indicado"] == "1234.56" and direta["valor_aprovado"] == "0.00"
    assert direta["beneficiario_cnpj"] == ""
    reprovada = linhas[publico["reprovada"].numero]
    assert reprovada["impedimento_categoria"] == "Ausência de projeto de engenharia"
    assert "[CPF omitido]" in reprovada["impedimento_justificativa"]


def test_csv_protege_texto_que_a_planilha_leria_como_formula(client, publico):
    from emendas.models import Indicacao

    Indicacao.objects.filter(pk=publico["direta"].pk).update(objeto="=HYPERLINK(\"http://x\")")
    linhas = {int(l["numero_indicacao"]): l for l in _csv(client, publico["exercicio"].ano)}
    assert linhas[publico["direta"].numero]["objeto"] == "'=HYPERLINK(\"http://x\")"


def test_json_do_exercicio_tem_dinheiro_como_texto_e_null(client, publico):
    ano = publico["exercicio"].ano
    resposta = client.get(reverse("transparencia:indicacoes_json", args=[ano]))
    assert resposta["Content-Type"] == "application/json; charset=utf-8"
    dados = json.loads(_corpo(resposta))
    assert [d["numero_indicacao"] for d in dados] == sorted(d["numero_indicacao"] for d in dados) and len(dados) == 4
    direta = next(d for d in dados if d["numero_indicacao"] == publico["direta"].numero)
    assert direta["valor_indicado"] == "1234.56" and direta["beneficiario_cnpj"] is None
    assert direta["valor_utilizado"] is None and isinstance(direta["exercicio"], int)
    assert set(direta) == set(campos.NOMES)


def test_exercicio_que_nao_existe_da_404(client, publico):
    assert client.get(reverse("transparencia:indicacoes_csv", args=[1990])).status_code == 404
    assert client.get(reverse("transparencia:indicacoes_json", args=[1990])).status_code == 404


def test_arquivo_sai_do_cache_ate_a_proxima_mudanca(client, publico):
    ano = publico["exercicio"].ano
    url = reverse("transparencia:indicacoes_csv", args=[ano])
    primeiro = client.get(url)
    corpo = _corpo(primeiro)
    assert primeiro.streaming
    segundo = client.get(url)
    assert not segundo.streaming and segundo.content == corpo  # inteiro, do cache
    em.aprovar_indicacao_segov(usuario=publico["segov"], indicacao=publico["do_mei"])
    terceiro = client.get(url)
    assert terceiro.streaming and b"45000.00,45000.00" in _corpo(terceiro)


def _baixar_pacote(client, pasta) -> dict:
    """O datapackage.json e cada arquivo que ele cita, numa pasta, como quem baixa o pacote inteiro."""
    descritor = json.loads(_corpo(client.get(reverse("transparencia:datapackage"))))
    for recurso in descritor["resources"]:
        destino = pasta / recurso["path"]
        destino.parent.mkdir(parents=True, exist_ok=True)
        destino.write_bytes(_corpo(client.get("/dados-abertos/" + recurso["path"])))
    (pasta / "datapackage.json").write_text(json.dumps(descritor), encoding="utf-8")
    return descritor


def _validar(pasta):
    relatorio = Package(str(pasta / "datapackage.json")).validate()
    return relatorio.valid, relatorio.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])


def test_datapackage_valida_com_frictionless_contra_os_arquivos_de_verdade(client, publico, tmp_path):
    ontem = timezone.localdate() - timedelta(days=1)
    gerar_instantaneo(exercicio=publico["exercicio"], dia=ontem)
    descritor = _baixar_pacote(client, tmp_path)
    ano = publico["exercicio"].ano
    nomes = [r["name"] for r in descritor["resources"]]
    assert nomes == [f"indicacoes-{ano}", f"indicacoes-{ano}-json", f"indicacoes-{ano}-instantaneo"]
    campos_descritos = descritor["resources"][0]["schema"]["fields"]
    assert [c["name"] for c in campos_descritos] == campos.NOMES
    assert all(c["type"] and c["description"] for c in campos_descritos)
    valido, erros = _validar(tmp_path)
    assert valido, erros


def test_datapackage_publica_o_sha256_do_instantaneo_e_a_cabeca_da_auditoria(client, publico, tmp_path):
    inst = gerar_instantaneo(exercicio=publico["exercicio"])
    conteudo = inst.arquivo.open("rb").read()
    assert hashlib.sha256(conteudo).hexdigest() == inst.sha256 and len(conteudo) == inst.tamanho
    assert inst.linhas == 4
    # A cabeça citada é a que estava selada na hora da cópia (a selagem roda antes).
    registro = RegistroAuditoria.objects.get(acao="dados_abertos.instantaneo")
    assert registro.depois["sha256"] == inst.sha256
    anterior = RegistroAuditoria.objects.filter(ordem=inst.auditoria_ordem).get()
    assert anterior.hash == inst.auditoria_hash and anterior.pk < registro.pk
    selar_pendentes()
    descritor = json.loads(_corpo(client.get(reverse("transparencia:datapackage"))))
    recurso = descritor["resources"][-1]
    assert recurso["hash"] == f"sha256:{inst.sha256}" and recurso["bytes"] == inst.tamanho
    assert recurso["sigcon:instantaneo"]["auditoria"] == {"ordem": inst.auditoria_ordem, "hash": inst.auditoria_hash}
    cabeca = RegistroAuditoria.objects.filter(ordem__isnull=False).order_by("-ordem").first()
    assert descritor["sigcon:auditoria"]["hash"] == cabeca.hash and cabeca.pk == registro.pk


def test_instantaneo_adulterado_nao_passa_na_validacao(client, publico, tmp_path):
    gerar_instantaneo(exercicio=publico["exercicio"])
    descritor = _baixar_pacote(client, tmp_path)
    copia = tmp_path / descritor["resources"][-1]["path"]
    copia.write_bytes(copia.read_bytes().replace(b"300000.00", b"900000.00"))
    valido, erros = _validar(tmp_path)
    assert not valido and {e[3] for e in erros} == {"hash-count"}


def test_instantaneo_e_um_por_dia_e_baixa_o_mesmo_arquivo(client, publico):
    primeiro = gerar_instantaneo(exercicio=publico["exercicio"])
    em.aprovar_indicacao_segov(usuario=publico["segov"], indicacao=publico["do_mei"])
    assert gerar_instantaneo(exercicio=publico["exercicio"]) == primeiro  # o do dia já existe: o mesmo
    assert InstantaneoDadosAbertos.objects.count() == 1
    assert default_storage.exists(primeiro.arquivo.name)
    resposta = client.get(reverse("transparencia:instantaneo", args=[primeiro.exercicio.ano,
                                                                      primeiro.dia.isoformat()]))
    assert _corpo(resposta) == primeiro.arquivo.open("rb").read()
    assert "max-age=86400" in resposta["Cache-Control"]
    for dia in ("2000-01-01", "ontem"):
        assert client.get(reverse("transparencia:instantaneo", args=[primeiro.exercicio.ano, dia])).status_code == 404


def test_tarefa_diaria_gera_o_instantaneo_de_cada_exercicio(publico, celery_na_hora):
    from emendas.models import Exercicio
    from transparencia.tasks import gerar_instantaneos

    Exercicio.objects.create(ano=publico["exercicio"].ano - 1,
                             data_publicacao_loa=timezone.localdate() - timedelta(days=400))
    assert gerar_instantaneos.delay().get() == 2
    assert gerar_instantaneos.delay().get() == 2  # de novo no mesmo dia: os mesmos
    assert InstantaneoDadosAbertos.objects.count() == 2


def test_tarefa_esta_no_beat(settings):
    tarefas = {t["task"] for t in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "transparencia.tasks.gerar_instantaneos" in tarefas


def test_pagina_dos_dados_abertos_lista_arquivos_hash_e_campos(client, publico):
    inst = gerar_instantaneo(exercicio=publico["exercicio"])
    texto = client.get(reverse("transparencia:dados_abertos")).content.decode()
    ano = publico["exercicio"].ano
    assert f'href="/dados-abertos/{ano}/indicacoes.csv"' in texto and inst.sha256 in texto
    assert f'href="/dados-abertos/{ano}/instantaneos/{inst.dia.isoformat()}.csv"' in texto
    assert all(f"<dt><code>{nome}</code>" in texto for nome in campos.NOMES)
