"""Pedido de um PDF ou CSV grande (na requisição): grava o ``RelatorioGerado`` e agenda a tarefa Celery.

Fica fora de ``services`` (que a tarefa chama) para que ninguém importe a tarefa e seja importado por ela.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import RelatorioGerado
from .tasks import gerar_arquivo

log = logging.getLogger(__name__)
# Um segundo clique no mesmo relatório, no mesmo formato e com os mesmos filtros, enquanto o primeiro ainda é
# preparado, reaproveita o pedido em vez de gerar outro igual.
REAPROVEITAR_PENDENTE = timedelta(minutes=15)


def solicitar(*, usuario, nome: str, titulo: str, formato: str, parametros: dict, linhas: int) -> RelatorioGerado:
    """Grava o pedido e agenda a tarefa para depois do commit."""
    parametros = {k: v for k, v in parametros.items() if k != "pagina"}
    existente = (
        RelatorioGerado.objects
        .filter(usuario=usuario, nome=nome, formato=formato, parametros=parametros,
                status=RelatorioGerado.Status.PENDENTE, criado_em__gte=timezone.now() - REAPROVEITAR_PENDENTE)
        .first()
    )
    if existente is not None:
        return existente
    gerado = RelatorioGerado.objects.create(
        usuario=usuario, nome=nome, titulo=titulo, formato=formato, parametros=parametros, linhas=linhas
    )
    transaction.on_commit(lambda: agendar(gerado.pk))
    return gerado


def agendar(relatorio_id: int) -> None:
    try:
        gerar_arquivo.delay(relatorio_id)
    except OperationalError:  # broker fora do ar: o usuário vê o erro na página de acompanhamento e pede de novo
        log.warning("Broker indisponível; relatório %s não foi agendado.", relatorio_id, exc_info=True)
        RelatorioGerado.objects.filter(pk=relatorio_id, status=RelatorioGerado.Status.PENDENTE).update(
            status=RelatorioGerado.Status.ERRO, concluido_em=timezone.now(),
            erro="A fila de processamento está indisponível. Tente de novo em alguns minutos.",
        )
