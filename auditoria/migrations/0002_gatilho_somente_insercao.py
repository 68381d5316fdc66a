"""Gatilho do PostgreSQL: o registro de auditoria só aceita INSERT e a selagem.

Recusa todo DELETE e todo UPDATE, exceto o da selagem: ``ordem``, ``hash_anterior`` e ``hash`` passam de NULL
a um valor (os três juntos, uma única vez) e nenhuma outra coluna muda. A comparação é feita sobre a linha
inteira em JSON menos esses três campos, de modo que uma coluna acrescentada no futuro já nasce protegida.

TRUNCATE não é coberto aqui (o ``flush`` dos testes o usa): em produção o papel do banco usado pela aplicação
não deve ter o privilégio TRUNCATE nesta tabela.

No SQLite (desenvolvimento e parte dos testes) não há gatilho: a migração não faz nada.
"""

from django.db import migrations

TABELA = "auditoria_registroauditoria"

CRIAR = f"""
CREATE OR REPLACE FUNCTION auditoria_somente_insercao() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Registros de auditoria não podem ser apagados (registro nº %).', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.hash IS NULL AND OLD.hash_anterior IS NULL AND OLD.ordem IS NULL
       AND NEW.hash IS NOT NULL AND NEW.hash_anterior IS NOT NULL AND NEW.ordem IS NOT NULL
       AND (to_jsonb(NEW) - 'hash' - 'hash_anterior' - 'ordem') = (to_jsonb(OLD) - 'hash' - 'hash_anterior' - 'ordem')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Registros de auditoria não podem ser alterados (registro nº %); só a selagem preenche o hash.', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS auditoria_somente_insercao ON {TABELA};
CREATE TRIGGER auditoria_somente_insercao BEFORE UPDATE OR DELETE ON {TABELA}
    FOR EACH ROW EXECUTE FUNCTION auditoria_somente_insercao();
"""

DESFAZER = f"""
DROP TRIGGER IF EXISTS auditoria_somente_insercao ON {TABELA};
DROP FUNCTION IF EXISTS auditoria_somente_insercao();
"""


def criar(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CRIAR, params=None)


def desfazer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DESFAZER, params=None)


class Migration(migrations.Migration):
    dependencies = [("auditoria", "0001_registro_auditoria")]
    operations = [migrations.RunPython(criar, desfazer)]
