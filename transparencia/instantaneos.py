"""O instantâneo diário dos dados abertos (a tarefa ``transparencia.tasks.gerar_instantaneos``, no beat).

Para cada exercício, uma vez por dia: o CSV das indicações (o mesmo de ``/dados-abertos/<ano>/indicacoes.csv``)
escrito num arquivo temporário enquanto o SHA-256 é calculado, guardado pelo armazenamento do Django
(``default_storage``, pasta ``dados-abertos/<ano>/``) e registrado em ``InstantaneoDadosAbertos`` com o hash, o
tamanho, o número de linhas e a cabeça da cadeia de auditoria (selada logo antes). O registro entra na auditoria
com o hash do arquivo: a cadeia cita o arquivo e o arquivo cita a cadeia.

A leitura do arquivo inteiro é uma foto só do banco (no PostgreSQL, transação REPEATABLE READ só de leitura: as
consultas veem o mesmo momento, sem travar ninguém). Rodar duas vezes no mesmo dia não gera outro arquivo: a
restrição única (exercício, dia) decide, e quem perde apaga o seu.
"""

import hashlib
import tempfile
from contextlib import contextmanager

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from auditoria.cadeia import selar_pendentes
from auditoria.services import registrar
from emendas.models import Exercicio

from .dados_abertos import cabeca_da_auditoria, pedacos_csv
from .models import InstantaneoDadosAbertos
from .selectors import linhas_do_exercicio


@contextmanager
def leitura_consistente():
    """Uma transação em que todas as leituras veem o mesmo momento do banco."""
    de_fora = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not de_fora:
            with connection.cursor() as cursor:
                # Primeira instrução da transação: sem ela, cada consulta do CSV veria um momento diferente.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _contar(linhas, contador: list):
    for linha in linhas:
        contador[0] += 1
        yield linha


def gerar_instantaneo(*, exercicio: Exercicio, dia=None) -> InstantaneoDadosAbertos:
    """O instantâneo do *exercicio* no *dia* (hoje): o já feito, ou um novo."""
    dia = dia or timezone.localdate()
    feito = InstantaneoDadosAbertos.objects.filter(exercicio=exercicio, dia=dia).first()
    if feito is not None:
        return feito
    selar_pendentes()  # a cabeça citada inclui tudo o que já foi registrado
    resumo, contador = hashlib.sha256(), [0]
    with tempfile.TemporaryFile() as temporario:
        with leitura_consistente():
            cabeca = cabeca_da_auditoria()
            for pedaco in pedacos_csv(_contar(linhas_do_exercicio(exercicio), contador)):
                dados = pedaco.encode("utf-8")
                resumo.update(dados)
                temporario.write(dados)
        tamanho = temporario.tell()
        temporario.seek(0)
        nome = default_storage.save(f"dados-abertos/{exercicio.ano}/indicacoes-{dia.isoformat()}.csv",
                                    File(temporario))
    try:
        with transaction.atomic():
            instantaneo = InstantaneoDadosAbertos.objects.create(
                exercicio=exercicio, dia=dia, arquivo=nome, sha256=resumo.hexdigest(), tamanho=tamanho,
                linhas=contador[0], auditoria_ordem=cabeca["ordem"] if cabeca else None,
                auditoria_hash=cabeca["hash"] if cabeca else "",
            )
            registrar(acao="dados_abertos.instantaneo", objeto=instantaneo, depois={
                "exercicio": exercicio.ano, "dia": dia.isoformat(), "sha256": instantaneo.sha256,
                "bytes": tamanho, "linhas": contador[0], "auditoria_ordem": instantaneo.auditoria_ordem,
                "auditoria_hash": instantaneo.auditoria_hash,
            })
    except IntegrityError:
        # Outra execução gravou o do mesmo dia primeiro: vale o dela.
        default_storage.delete(nome)
        return InstantaneoDadosAbertos.objects.get(exercicio=exercicio, dia=dia)
    return instantaneo


def gerar_instantaneos(dia=None) -> list[InstantaneoDadosAbertos]:
    """O instantâneo do dia de cada exercício."""
    return [gerar_instantaneo(exercicio=ex, dia=dia) for ex in Exercicio.objects.order_by("ano")]
