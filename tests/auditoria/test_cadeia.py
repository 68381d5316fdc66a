"""O registro só aceita inserção; a selagem encadeia; verificar_auditoria acha a primeira adulteração."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from auditoria.cadeia import GENESE, selar_pendentes, verificar_cadeia
from auditoria.models import RegistroAuditoria
from auditoria.services import registrar
from auditoria.tasks import selar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ja_selados(db) -> int:
    """A migração já registra as permissões dos grupos: o teste parte da cadeia selada."""
    selar_pendentes()
    return RegistroAuditoria.objects.count()
so_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="o gatilho que recusa UPDATE e DELETE só existe no PostgreSQL"
)


def tres_registros():
    return [registrar(acao=f"teste.{n}", depois={"n": n, "texto": "ação ç"}) for n in range(3)]


def adulterar(sql, params=()):
    """Escreve por baixo do gatilho, como faria quem tem acesso direto ao banco."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # desliga os gatilhos nesta transação
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verificar() -> str:
    from io import StringIO

    saida = StringIO()
    call_command("verificar_auditoria", stdout=saida)
    return saida.getvalue()


def test_registro_nasce_sem_selo_e_a_selagem_encadeia_em_ordem_de_id(ja_selados):
    tres_registros()
    assert RegistroAuditoria.objects.filter(hash__isnull=True).count() == 3
    assert selar_pendentes() == 3
    todos = list(RegistroAuditoria.objects.order_by("pk"))
    assert [r.ordem for r in todos] == list(range(1, ja_selados + 4))
    assert todos[0].hash_anterior == GENESE
    assert all(depois.hash_anterior == antes.hash for antes, depois in zip(todos, todos[1:]))
    assert selar_pendentes() == 0  # idempotente
    assert f"íntegra: {ja_selados + 3} registro(s) selado(s), 0 aguardando" in verificar()


def test_selagem_em_varias_rodadas_e_em_lotes_continua_a_mesma_cadeia(ja_selados):
    tres_registros()
    selar_pendentes(lote=2)
    tres_registros()
    assert verificar_cadeia().pendentes == 3
    selar()  # a tarefa periódica
    v = verificar_cadeia()
    assert v.integra and v.selados == ja_selados + 6 and v.pendentes == 0


def test_registro_de_id_menor_que_termina_depois_entra_na_selagem_seguinte(ja_selados):
    # Uma transação longa pode gravar o id 10 e só terminar depois de outra gravar e ter selado o id 20.
    primeiro = registrar(acao="teste.primeiro")
    RegistroAuditoria.objects.create(id=primeiro.pk + 20, acao="teste.rapida")
    selar_pendentes()
    RegistroAuditoria.objects.create(id=primeiro.pk + 10, acao="teste.longa")
    selar_pendentes()
    longa = RegistroAuditoria.objects.get(acao="teste.longa")
    assert longa.ordem == ja_selados + 3  # último da cadeia, apesar do id menor
    assert verificar_cadeia().integra


def test_conteudo_adulterado_e_apontado_pelo_numero_do_registro():
    a, b, c = tres_registros()
    selar_pendentes()
    adulterar("UPDATE auditoria_registroauditoria SET acao = %s WHERE id = %s", ["teste.forjado", b.pk])
    with pytest.raises(CommandError, match=rf"registro nº {b.pk} .*conteúdo foi alterado"):
        verificar()


def test_adulterar_o_hash_junto_quebra_o_elo_do_seguinte():
    a, b, c = tres_registros()
    selar_pendentes()
    b.refresh_from_db()
    b.acao = "teste.forjado"
    from auditoria.cadeia import calcular_hash

    adulterar("UPDATE auditoria_registroauditoria SET acao = %s, hash = %s WHERE id = %s",
              ["teste.forjado", calcular_hash(b, b.hash_anterior), b.pk])
    with pytest.raises(CommandError, match=rf"registro nº {c.pk} .*hash anterior"):
        verificar()


def test_registro_apagado_deixa_buraco_na_cadeia(ja_selados):
    a, b, c = tres_registros()
    selar_pendentes()
    adulterar("DELETE FROM auditoria_registroauditoria WHERE id = %s", [b.pk])
    with pytest.raises(CommandError, match=rf"registro nº {c.pk} .*falta a posição {ja_selados + 2}"):
        verificar()


def test_a_selagem_roda_no_agendamento_periodico():
    tarefas = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "auditoria.tasks.selar" in tarefas


@so_postgres
def test_gatilho_recusa_update_e_delete_mas_aceita_a_selagem():
    a, b, _ = tres_registros()
    with pytest.raises(DatabaseError, match="não podem ser alterados"), transaction.atomic():
        RegistroAuditoria.objects.filter(pk=a.pk).update(acao="teste.forjado")
    with pytest.raises(DatabaseError, match="não podem ser apagados"), transaction.atomic():
        RegistroAuditoria.objects.filter(pk=a.pk).delete()
    # Selar e mudar outra coluna no mesmo UPDATE também é recusado.
    with pytest.raises(DatabaseError, match="não podem ser alterados"), transaction.atomic():
        RegistroAuditoria.objects.filter(pk=a.pk).update(ordem=1, hash_anterior=GENESE, hash="f" * 64, ip="10.0.0.1")
    assert selar_pendentes() == 3
    # Depois de selado, nem o hash muda de novo.
    with pytest.raises(DatabaseError, match="não podem ser alterados"), transaction.atomic():
        RegistroAuditoria.objects.filter(pk=b.pk).update(hash="0" * 64)
    with pytest.raises(DatabaseError, match="não podem ser alterados"), transaction.atomic():
        RegistroAuditoria.objects.filter(pk=b.pk).update(ordem=None, hash_anterior=None, hash=None)
    assert verificar_cadeia().integra


@pytest.mark.skipif(connection.vendor == "postgresql", reason="no PostgreSQL o gatilho é testado acima")
def test_no_sqlite_nao_ha_gatilho_e_a_verificacao_e_a_defesa():
    (a, *_) = tres_registros()
    selar_pendentes()
    RegistroAuditoria.objects.filter(pk=a.pk).update(acao="teste.forjado")
    assert not verificar_cadeia().integra
