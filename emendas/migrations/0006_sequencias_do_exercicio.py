"""Numeração de indicações e incisos R numa linha própria por exercício (fora da linha do exercício).

Os valores atuais dos campos antigos são copiados antes de os campos saírem.
"""

import django.db.models.deletion
from django.db import migrations, models


def copiar_sequencias(apps, schema_editor):
    Exercicio = apps.get_model("emendas", "Exercicio")
    SequenciaExercicio = apps.get_model("emendas", "SequenciaExercicio")
    for ex in Exercicio.objects.all():
        SequenciaExercicio.objects.create(exercicio=ex, nome="INDICACAO", ultimo=ex.sequencia_indicacao)
        SequenciaExercicio.objects.create(exercicio=ex, nome="INCISO_R", ultimo=ex.sequencia_inciso_r)


def devolver_sequencias(apps, schema_editor):
    Exercicio = apps.get_model("emendas", "Exercicio")
    SequenciaExercicio = apps.get_model("emendas", "SequenciaExercicio")
    for seq in SequenciaExercicio.objects.all():
        campo = "sequencia_indicacao" if seq.nome == "INDICACAO" else "sequencia_inciso_r"
        Exercicio.objects.filter(pk=seq.exercicio_id).update(**{campo: seq.ultimo})


class Migration(migrations.Migration):

    dependencies = [
        ('emendas', '0005_grupo_visualizador_relatorios'),
    ]

    operations = [
        migrations.CreateModel(
            name='SequenciaExercicio',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nome', models.CharField(choices=[('INDICACAO', 'Indicações'), ('INCISO_R', 'Incisos R')], max_length=10, verbose_name='numeração')),
                ('ultimo', models.PositiveIntegerField(default=0, verbose_name='último número')),
                ('exercicio', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sequencias', to='emendas.exercicio')),
            ],
            options={
                'verbose_name': 'numeração do exercício',
                'verbose_name_plural': 'numerações do exercício',
                'constraints': [models.UniqueConstraint(fields=('exercicio', 'nome'), name='sequencia_unica_por_exercicio')],
            },
        ),
        migrations.RunPython(copiar_sequencias, devolver_sequencias),
        migrations.RemoveField(
            model_name='exercicio',
            name='sequencia_inciso_r',
        ),
        migrations.RemoveField(
            model_name='exercicio',
            name='sequencia_indicacao',
        ),
    ]
