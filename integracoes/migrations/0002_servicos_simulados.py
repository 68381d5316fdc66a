from django.db import migrations


def criar_servicos(apps, schema_editor):
    # Uma linha por sistema, no ar, para o admin já mostrar a chave "fora do ar" de cada um.
    ServicoSimulado = apps.get_model("integracoes", "ServicoSimulado")
    for sistema in ("CAGEC", "SIAFI"):
        ServicoSimulado.objects.get_or_create(sistema=sistema)


class Migration(migrations.Migration):
    dependencies = [("integracoes", "0001_initial")]

    operations = [migrations.RunPython(criar_servicos, migrations.RunPython.noop)]
