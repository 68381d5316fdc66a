"""Índices das telas do núcleo (issue 13; EXPLAIN antes e depois em bench/EXPLAIN_paginas.md): as filas da SEGOV e
do órgão e Visualizar Indicações paginam pelo índice em vez de ordenar milhares de linhas; o de (enviada_em DESC,
id DESC) é a ordem do modelo, a do relatório "Valores Indicados". O de (status, enviada_em, id) substitui o de status
sozinho, que ele cobre."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('emendas', '0010_arquivo_importacao'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='indicacao',
            name='emendas_ind_status_784535_idx',
        ),
        migrations.AddIndex(
            model_name='indicacao',
            index=models.Index(fields=['status', 'enviada_em', 'id'], name='indicacao_fila_idx'),
        ),
        migrations.AddIndex(
            model_name='indicacao',
            index=models.Index(fields=['-numero', '-id'], name='indicacao_numero_desc_idx'),
        ),
        migrations.AddIndex(
            model_name='indicacao',
            index=models.Index(fields=['-enviada_em', '-id'], name='indicacao_enviada_desc_idx'),
        ),
        migrations.AddIndex(
            model_name='remanejamento',
            index=models.Index(fields=['status', 'solicitado_em', 'id'], name='remanejamento_fila_idx'),
        ),
    ]
