from django.db import migrations

# Mesmo nome de relatorios.acesso.VISUALIZADOR (migração não importa código da aplicação).
VISUALIZADOR = "Visualizador de Relatórios"


def criar(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=VISUALIZADOR)


class Migration(migrations.Migration):
    dependencies = [
        ("emendas", "0004_categorias_impedimento_padrao"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(criar, migrations.RunPython.noop)]
