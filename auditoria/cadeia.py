"""Encadeamento por hash: a selagem (tarefa periódica) e a verificação (``manage.py verificar_auditoria``).

Cada registro selado recebe a sua posição na cadeia (``ordem``), o hash do registro anterior e o próprio hash:
``sha256(hash_anterior + JSON canônico dos campos)``. Alterar um registro selado muda o seu hash; apagar um
deixa um buraco na ordem e quebra o elo do seguinte. O primeiro registro aponta para ``GENESE``.

A selagem é o único UPDATE que o gatilho do PostgreSQL aceita (NULL → valor nos três campos da cadeia). Ela
não trava quem insere: só as próprias linhas ainda sem hash, já gravadas. Duas selagens ao mesmo tempo se
enfileiram numa trava consultiva do PostgreSQL (no SQLite a transação IMMEDIATE já as enfileira).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timezone as tz

from django.db import connection, transaction
from django.db.models import Q

from .models import RegistroAuditoria

GENESE = "0" * 64
LOTE = 1000
# Chave da trava consultiva da selagem (um número qualquer, fixo, só desta finalidade).
_TRAVA_SELAGEM = 7_410_001


def conteudo_canonico(r: RegistroAuditoria) -> str:
    return json.dumps(
        {
            "id": r.pk, "ordem": r.ordem, "momento": r.momento.astimezone(tz.utc).isoformat(),
            "usuario": r.usuario_id, "ip": r.ip, "acao": r.acao, "tipo_objeto": r.tipo_objeto_id,
            "id_objeto": r.id_objeto, "repr_objeto": r.repr_objeto, "antes": r.antes, "depois": r.depois,
        },
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )


def calcular_hash(r: RegistroAuditoria, anterior: str) -> str:
    return hashlib.sha256((anterior + conteudo_canonico(r)).encode("utf-8")).hexdigest()


def _travar_selagem() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Só selagens esperam por esta trava (solta no commit); quem insere registros nunca a pede.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TRAVA_SELAGEM])


def selar_pendentes(*, lote: int = LOTE) -> int:
    """Sela, em ordem de id, os registros ainda sem hash. Devolve quantos selou. Pode rodar duas vezes."""
    total = 0
    while True:
        with transaction.atomic():
            _travar_selagem()
            ultimo = (RegistroAuditoria.objects.filter(ordem__isnull=False).order_by("-ordem")
                      .values("ordem", "hash").first())
            # Relidos do banco: o hash é calculado sobre o que está gravado, não sobre o que foi passado.
            pendentes = list(RegistroAuditoria.objects.filter(hash__isnull=True).order_by("pk")[:lote])
            ordem, anterior = (ultimo["ordem"], ultimo["hash"]) if ultimo else (0, GENESE)
            for r in pendentes:
                ordem += 1
                r.ordem, r.hash_anterior = ordem, anterior
                r.hash = anterior = calcular_hash(r, r.hash_anterior)
            RegistroAuditoria.objects.bulk_update(pendentes, ["ordem", "hash_anterior", "hash"], batch_size=500)
        total += len(pendentes)
        if len(pendentes) < lote:
            return total


@dataclass
class Verificacao:
    selados: int
    pendentes: int
    quebrado: RegistroAuditoria | None = None
    motivo: str = ""

    @property
    def integra(self) -> bool:
        return self.quebrado is None


def verificar_cadeia() -> Verificacao:
    """Recalcula a cadeia inteira, em ordem, e para no primeiro registro que não confere."""
    pendentes = RegistroAuditoria.objects.filter(hash__isnull=True).count()
    incompletos = (RegistroAuditoria.objects
                   .filter(Q(hash__isnull=True) & (Q(ordem__isnull=False) | Q(hash_anterior__isnull=False)))
                   .order_by("pk").first())
    anterior, esperado, n = GENESE, 1, 0
    for r in RegistroAuditoria.objects.filter(ordem__isnull=False, hash__isnull=False).order_by("ordem").iterator(2000):
        if r.ordem != esperado:
            return Verificacao(n, pendentes, r, f"falta a posição {esperado} da cadeia: um registro foi apagado")
        if r.hash_anterior != anterior:
            return Verificacao(n, pendentes, r, "o hash anterior não é o do registro anterior da cadeia")
        if calcular_hash(r, anterior) != r.hash:
            return Verificacao(n, pendentes, r, "o conteúdo foi alterado depois de selado: o hash não confere")
        anterior, esperado, n = r.hash, esperado + 1, n + 1
    if incompletos is not None:
        return Verificacao(n, pendentes, incompletos, "selagem incompleta: posição ou hash anterior sem o hash")
    return Verificacao(n, pendentes)
