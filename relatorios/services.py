"""PDFs grandes: geração (na tarefa Celery) e limpeza. O pedido, na requisição, fica em ``pedidos``."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import registro
from .models import RelatorioGerado

log = logging.getLogger(__name__)
GUARDAR_POR = timedelta(days=7)


def gerar(*, relatorio_id: int) -> bool:
    """Gera o PDF de um pedido pendente. Rodar duas vezes é seguro: a segunda não faz nada.

    O WeasyPrint roda fora de transação (pode levar minutos); só a gravação final trava a linha.
    """
    gerado = RelatorioGerado.objects.defer("arquivo").select_related("usuario").filter(pk=relatorio_id).first()
    if gerado is None or gerado.status != RelatorioGerado.Status.PENDENTE:
        return False
    pendente = RelatorioGerado.objects.filter(pk=relatorio_id, status=RelatorioGerado.Status.PENDENTE)

    def progresso(p: int) -> None:
        pendente.update(progresso=max(0, min(int(p), 99)))

    try:
        relatorio = registro.obter(gerado.nome)
        # Mesma consulta da tela, com o acesso do usuário na hora da geração.
        consulta = relatorio.consultar(gerado.usuario, gerado.parametros)
        pdf = relatorio.gerar_pdf(consulta, progresso=progresso)
        nome_arquivo = relatorio.nome_arquivo(consulta, "pdf")
    except Exception as exc:
        log.exception("Falha ao gerar o relatório %s", relatorio_id)
        pendente.update(status=RelatorioGerado.Status.ERRO, erro=str(exc)[:2000] or exc.__class__.__name__,
                        concluido_em=timezone.now())
        return False
    with transaction.atomic():
        atual = RelatorioGerado.objects.select_for_update().defer("arquivo").filter(pk=relatorio_id).first()
        if atual is None or atual.status != RelatorioGerado.Status.PENDENTE:
            return False  # outro worker terminou primeiro
        atual.arquivo = pdf
        atual.nome_arquivo = nome_arquivo
        atual.status = RelatorioGerado.Status.PRONTO
        atual.progresso = 100
        atual.concluido_em = timezone.now()
        atual.save(update_fields=["arquivo", "nome_arquivo", "status", "progresso", "concluido_em"])
    return True


def apagar_antigos(agora=None) -> int:
    """Apaga os relatórios pedidos há mais de ``GUARDAR_POR`` (os PDFs ficam no banco)."""
    limite = (agora or timezone.now()) - GUARDAR_POR
    apagados, _ = RelatorioGerado.objects.filter(criado_em__lt=limite).delete()
    return apagados
