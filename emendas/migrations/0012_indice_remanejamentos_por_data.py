"""Índice da ordem padrão do relatório de remanejamentos (issue 13; EXPLAIN em bench/NOTAS.md): a primeira página
(solicitado_em DESC, id DESC, LIMIT 100) sai do índice em vez de ordenar os pedidos de todos os exercícios."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('emendas', '0011_indices_das_paginas'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='remanejamento',
            index=models.Index(fields=['-solicitado_em', '-id'], name='remanejamento_data_desc_idx'),
        ),
    ]
