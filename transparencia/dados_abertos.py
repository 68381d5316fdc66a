"""Os arquivos dos dados abertos: CSV e JSON de um exercício (em fluxo) e o ``datapackage.json`` que os descreve.

O CSV é o do padrão (RFC 4180): vírgula, aspas quando precisa, UTF-8 sem BOM, cabeçalho com os nomes de
``campos.CAMPOS``; os textos livres passam por ``sigcon.csv_seguro.celula_segura`` (um texto que a planilha leria
como fórmula ganha um apóstrofo na frente). O JSON é uma lista de objetos com as mesmas chaves, dinheiro como
texto (``"1234.56"``) e vazio como ``null``. Os dois saem em blocos, sem juntar o arquivo na memória.

O ``datapackage.json`` (Frictionless Data, perfil *tabular-data-package*) lista, por exercício, o CSV e o JSON do
momento e o último instantâneo diário, este com ``hash`` (``sha256:…``) e ``bytes``, que qualquer validador do
Frictionless confere; e cita a cabeça da cadeia de auditoria (posição e hash do último registro selado).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from auditoria.models import RegistroAuditoria
from emendas.models import Exercicio
from sigcon.csv_seguro import celula_segura

from . import campos
from .models import InstantaneoDadosAbertos

LINHAS_POR_BLOCO = 500
TEXTOS_LIVRES = {"autor", "orgao_nome", "acao_nome", "grupo_despesa", "beneficiario_nome", "beneficiario_municipio",
                 "objeto", "impedimento_categoria", "impedimento_justificativa"}
LICENCA = {"name": "CC-BY-4.0", "title": "Creative Commons Atribuição 4.0 Internacional",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


def _linha_csv(linha: dict) -> list:
    return [celula_segura(campos.celula(n, linha[n])) if n in TEXTOS_LIVRES else campos.celula(n, linha[n])
            for n in campos.NOMES]


def pedacos_csv(linhas: Iterable[dict]) -> Iterator[str]:
    """O CSV em pedaços de texto: o cabeçalho e depois um pedaço a cada ``LINHAS_POR_BLOCO`` linhas."""
    saida = io.StringIO()
    escritor = csv.writer(saida)
    escritor.writerow(campos.NOMES)
    bloco = 0
    for linha in linhas:
        escritor.writerow(_linha_csv(linha))
        bloco += 1
        if bloco == LINHAS_POR_BLOCO:
            yield saida.getvalue()
            saida.seek(0)
            saida.truncate()
            bloco = 0
    yield saida.getvalue()


def pedacos_json(linhas: Iterable[dict]) -> Iterator[str]:
    """A lista JSON em pedaços: ``[``, os objetos separados por vírgula, ``]``."""
    pedaco, primeira, bloco = ["[\n"], True, 0
    for linha in linhas:
        pedaco.append(("" if primeira else ",\n") + json.dumps(campos.para_json(linha), ensure_ascii=False))
        primeira = False
        bloco += 1
        if bloco == LINHAS_POR_BLOCO:
            yield "".join(pedaco)
            pedaco, bloco = [], 0
    pedaco.append("\n]\n")
    yield "".join(pedaco)


# --- datapackage ------------------------------------------------------------------------------------------------

def cabeca_da_auditoria() -> dict | None:
    """O último registro selado da cadeia de auditoria: posição, hash e quando foi feito."""
    ultimo = (RegistroAuditoria.objects.filter(ordem__isnull=False, hash__isnull=False).order_by("-ordem")
              .values("ordem", "hash", "momento").first())
    if ultimo is None:
        return None
    return {"ordem": ultimo["ordem"], "hash": ultimo["hash"], "momento": campos.data_hora(ultimo["momento"])}


def ultimos_instantaneos() -> dict[int, InstantaneoDadosAbertos]:
    """O instantâneo mais recente de cada exercício, por ano (uma consulta)."""
    mais_recente = (InstantaneoDadosAbertos.objects.filter(exercicio=OuterRef("exercicio"))
                    .order_by("-dia").values("dia")[:1])
    qs = (InstantaneoDadosAbertos.objects.filter(dia=Subquery(mais_recente))
          .select_related("exercicio").order_by("exercicio__ano"))
    return {i.exercicio.ano: i for i in qs}


def caminho_do_instantaneo(ano: int, dia) -> str:
    return f"{ano}/instantaneos/{dia.isoformat()}.csv"


def _recurso(nome: str, caminho: str, formato: str, titulo: str, descricao: str) -> dict:
    return {
        "name": nome, "path": caminho, "profile": "tabular-data-resource", "title": titulo, "description": descricao,
        "format": formato, "mediatype": "text/csv" if formato == "csv" else "application/json", "encoding": "utf-8",
        "schema": campos.esquema(), "licenses": [LICENCA],
    }


def datapackage(*, pagina_inicial: str) -> dict:
    """O descritor do pacote (os caminhos dos arquivos são relativos a ``/dados-abertos/``)."""
    recursos = []
    instantaneos = ultimos_instantaneos()
    for ano in Exercicio.objects.order_by("ano").values_list("ano", flat=True):
        recursos.append(_recurso(
            f"indicacoes-{ano}", f"{ano}/indicacoes.csv", "csv", f"Indicações {ano} (CSV, tempo real)",
            "Todas as indicações do exercício, como estão agora. Textos que uma planilha leria como fórmula "
            "(começando por =, +, -, @) ganham um apóstrofo na frente."))
        recursos[-1]["dialect"] = {"delimiter": ",", "header": True}
        recursos.append(_recurso(
            f"indicacoes-{ano}-json", f"{ano}/indicacoes.json", "json", f"Indicações {ano} (JSON, tempo real)",
            "As mesmas indicações numa lista de objetos JSON: dinheiro como texto (\"1234.56\"), vazio como null."))
        inst = instantaneos.get(ano)
        if inst is not None:
            recurso = _recurso(
                f"indicacoes-{ano}-instantaneo", caminho_do_instantaneo(ano, inst.dia), "csv",
                f"Indicações {ano} – instantâneo de {inst.dia:%d/%m/%Y}",
                "Cópia diária do CSV, guardada sem mudança: o SHA-256 (hash) e o tamanho (bytes) conferem o arquivo.")
            recurso.update({"dialect": {"delimiter": ",", "header": True}, "hash": f"sha256:{inst.sha256}",
                            "bytes": inst.tamanho})
            recurso["sigcon:instantaneo"] = {
                "dia": inst.dia.isoformat(), "gerado_em": campos.data_hora(inst.criado_em), "linhas": inst.linhas,
                "sha256": inst.sha256,
                "auditoria": {"ordem": inst.auditoria_ordem, "hash": inst.auditoria_hash or None},
            }
            recursos.append(recurso)
    return {
        "profile": "tabular-data-package",
        "name": "sigcon-saida-indicacoes",
        "title": "Indicações de recursos das emendas parlamentares – SIGCON Saída",
        "description": (
            "Indicações de recursos das emendas parlamentares ao orçamento do Estado de Minas Gerais: autor, "
            "beneficiário (CNPJ e nome), objeto, forma de execução, valores indicado, aprovado, em convênio, "
            "utilizado e liberado, situação com datas e impedimentos de ordem técnica com categoria e "
            "justificativa. Gerado dos dados do sistema no momento do pedido; o instantâneo diário de cada "
            "exercício traz o SHA-256 do arquivo e a cabeça da cadeia de auditoria no momento da cópia. Sem dados "
            "pessoais: e-mails e CPFs digitados em textos livres aparecem como [e-mail omitido] e [CPF omitido]."),
        "homepage": pagina_inicial,
        "created": campos.data_hora(timezone.now()),
        "keywords": ["emendas parlamentares", "transparência", "ADPF 854", "Minas Gerais", "SIGCON Saída"],
        "licenses": [LICENCA],
        "sigcon:auditoria": cabeca_da_auditoria(),
        "resources": recursos,
    }
