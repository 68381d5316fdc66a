"""O arquivo do relatório gerado sai do banco (BinaryField) para o armazenamento do Django, e o pedido diz o
formato (PDF ou CSV): os CSVs grandes (dezenas de MB) também são feitos pelo Celery."""

from django.core.files.base import ContentFile
from django.db import migrations, models


def para_o_armazenamento(apps, schema_editor):
    RelatorioGerado = apps.get_model("relatorios", "RelatorioGerado")
    for gerado in RelatorioGerado.objects.filter(arquivo_no_banco__isnull=False).iterator(chunk_size=50):
        nome = gerado.nome_arquivo or f"relatorio-{gerado.pk}.pdf"
        gerado.arquivo.save(nome, ContentFile(bytes(gerado.arquivo_no_banco)), save=False)
        gerado.save(update_fields=["arquivo"])


class Migration(migrations.Migration):
    dependencies = [("relatorios", "0001_initial")]

    operations = [
        migrations.RenameField("relatoriogerado", "arquivo", "arquivo_no_banco"),
        migrations.AddField(
            model_name="relatoriogerado", name="arquivo",
            field=models.FileField(blank=True, editable=False, max_length=200, upload_to="relatorios/%Y/%m/",
                                   verbose_name="arquivo"),
        ),
        migrations.AddField(
            model_name="relatoriogerado", name="formato",
            field=models.CharField(choices=[("pdf", "PDF"), ("csv", "CSV")], default="pdf", max_length=3,
                                   verbose_name="formato"),
        ),
        migrations.RunPython(para_o_armazenamento, migrations.RunPython.noop),
        migrations.RemoveField("relatoriogerado", "arquivo_no_banco"),
    ]
