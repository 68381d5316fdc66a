"""Escritas de emendas: a entrada pública (``emendas.services.solicitar_remanejamento`` etc.).

Cada capacidade mora no seu pacote (emendas/remanejamentos/services.py, emendas/indicacoes/services.py, com os
e-mails da indicação em emendas/indicacoes/emails.py; emendas/diligencias/services.py; a correção de inciso pela
SEGOV em emendas/correcoes.py);
este módulo só reexporta, e nenhum deles o importa.
"""

from .correcoes import conferir_correcao, corrigir_inciso
from .diligencias.services import abrir_diligencia, fechar_diligencia, responder_diligencia
from .indicacoes.services import (
    MAQUINA as MAQUINA_INDICACAO, ajustar_indicacao, aprovar_indicacao_orgao, aprovar_indicacao_segov,
    cancelar_indicacao, devolver_para_ajuste, e_analista_da_uo, enviar_indicacao, enviar_indicacoes,
    exigir_sem_proposta, formas_permitidas, reprovar_indicacao, retornar_ao_orgao,
)
from .indicacoes.emails import enfileirar_resumo_segov
from .remanejamentos.services import (
    MAQUINA, aprovar_remanejamento, cancelar_remanejamento, conferir_pedido, reprovar_remanejamento,
    solicitar_remanejamento,
)

__all__ = [
    # Remanejamento (MAQUINA: a tabela de transições do remanejamento, como antes).
    "MAQUINA", "conferir_pedido", "solicitar_remanejamento", "cancelar_remanejamento", "aprovar_remanejamento",
    "reprovar_remanejamento",
    # Indicação.
    "MAQUINA_INDICACAO", "formas_permitidas", "enviar_indicacao", "enviar_indicacoes", "aprovar_indicacao_orgao",
    "devolver_para_ajuste", "reprovar_indicacao", "aprovar_indicacao_segov", "retornar_ao_orgao", "ajustar_indicacao",
    "cancelar_indicacao", "exigir_sem_proposta", "e_analista_da_uo", "enfileirar_resumo_segov",
    # Diligência.
    "abrir_diligencia", "responder_diligencia", "fechar_diligencia",
    # Correção de inciso pela SEGOV.
    "conferir_correcao", "corrigir_inciso",
]
