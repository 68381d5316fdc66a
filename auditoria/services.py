"""A única escrita do registro de auditoria: ``registrar``.

Insere uma linha, sem trava nenhuma, dentro da transação de quem chama: se a mudança for desfeita, o registro
vai junto; se ela valer, o registro também vale. O encadeamento por hash é feito depois, por uma tarefa
periódica (``auditoria.cadeia.selar_pendentes``), de modo que uma rajada de registros (logins errados, uma
carga grande) nunca espera por outra escrita.
"""

import hashlib
import json
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .contexto import usuario_e_ip
from .models import RegistroAuditoria

# Campos cujo valor nunca vai para o registro (só o fato de que mudaram).
CAMPOS_SIGILOSOS = {"password", "senha", "token", "corpo"}


class _Codificador(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, models.Model):
            return f"{o} (#{o.pk})"
        if isinstance(o, (set, frozenset)):
            return sorted(o, key=str)
        return super().default(o)


def _sem_nul(valor):
    # O PostgreSQL recusa o caractere NUL em texto e em jsonb: um e-mail hostil num login errado não pode
    # transformar o registro da tentativa num erro 500.
    if isinstance(valor, str):
        return valor.replace("\x00", "")
    if isinstance(valor, dict):
        return {_sem_nul(k): _sem_nul(v) for k, v in valor.items()}
    if isinstance(valor, list):
        return [_sem_nul(v) for v in valor]
    return valor


def _json(valor):
    """Só tipos JSON puros: o que vai para o banco é o que volta dele (a selagem calcula o hash sobre isso)."""
    if valor is None:
        return None
    return _sem_nul(json.loads(json.dumps(valor, cls=_Codificador, ensure_ascii=False)))


def registrar(*, acao: str, objeto=None, antes=None, depois=None, usuario=None, ip=None) -> RegistroAuditoria:
    """Registra uma mudança. *usuario* e *ip*, quando não informados, são os do pedido corrente."""
    registro = montar(acao=acao, objeto=objeto, antes=antes, depois=depois, usuario=usuario, ip=ip)
    registro.save(force_insert=True)
    return registro


def registrar_varios(registros: list[RegistroAuditoria]) -> list[RegistroAuditoria]:
    """Grava de uma vez (um INSERT) registros montados por ``montar``: as escritas em lote (várias indicações de
    um envio, a decisão em lote da SEGOV) não fazem uma consulta por registro."""
    return RegistroAuditoria.objects.bulk_create(registros)


def montar(*, acao: str, objeto=None, antes=None, depois=None, usuario=None, ip=None) -> RegistroAuditoria:
    """O registro de uma mudança, ainda não gravado (``registrar`` grava um; ``registrar_varios``, vários)."""
    do_pedido, ip_do_pedido = usuario_e_ip()
    if usuario is None:
        usuario = do_pedido
    if ip is None:
        ip = ip_do_pedido
    if usuario is not None and not getattr(usuario, "is_authenticated", False):
        usuario = None
    tipo, id_objeto, texto = None, "", ""
    if objeto is not None:
        tipo = ContentType.objects.get_for_model(objeto, for_concrete_model=False)
        id_objeto, texto = _sem_nul(str(objeto.pk))[:64], _sem_nul(str(objeto))[:250]
    return RegistroAuditoria(
        usuario=usuario, ip=ip, acao=_sem_nul(acao)[:60], tipo_objeto=tipo, id_objeto=id_objeto, repr_objeto=texto,
        antes=_json(antes), depois=_json(depois),
    )


def registrar_bloqueio_de_acesso(*, email: str, ip: str | None = None, motivo: str = "") -> RegistroAuditoria:
    """Conta bloqueada por excesso de tentativas (chamada pelo tratamento de bloqueio do login, ex.: django-axes)."""
    return registrar(acao="conta.bloqueio", depois={"email": (email or "")[:254], "motivo": motivo[:500]}, ip=ip)


def _valor_do_campo(obj, campo):
    if campo.name in CAMPOS_SIGILOSOS:
        # Nunca o valor; só uma impressão curta, para se ver que mudou.
        valor = getattr(obj, campo.attname)
        return f"(oculto, {hashlib.sha256(str(valor).encode()).hexdigest()[:8]})" if valor else ""
    if campo.is_relation:
        return getattr(obj, campo.attname)
    valor = getattr(obj, campo.attname)
    if isinstance(valor, (datetime, date)):
        return valor.isoformat()
    return valor


def fotografia(obj, campos=None, *, com_m2m: bool = True) -> dict:
    """Os valores dos campos de *obj* (chaves estrangeiras pelo id; muitos-para-muitos pela lista de ids)."""
    dados = {}
    for campo in obj._meta.concrete_fields:
        if campos is None or campo.name in campos:
            dados[campo.name] = _valor_do_campo(obj, campo)
    if com_m2m and obj.pk is not None:
        for campo in obj._meta.many_to_many:
            if campos is None or campo.name in campos:
                dados[campo.name] = sorted(getattr(obj, campo.name).values_list("pk", flat=True))
    return _json(dados)


def diferencas(antes: dict | None, depois: dict | None) -> tuple[dict, dict]:
    """Só os campos que mudaram, de um lado e do outro."""
    antes, depois = antes or {}, depois or {}
    chaves = [c for c in {**antes, **depois} if antes.get(c) != depois.get(c)]
    return {c: antes.get(c) for c in chaves}, {c: depois.get(c) for c in chaves}
