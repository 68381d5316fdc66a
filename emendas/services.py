"""Escritas de emendas: a entrada pública (``emendas.services.solicitar_remanejamento`` etc.).

Cada capacidade mora no seu pacote, com os seus serviços (emendas/<capacidade>/services.py: remanejamentos,
indicacoes — com os e-mails, o cancelamento e a priorização em módulos próprios —, diligencias, assessores,
execucao, transferencias, catalogo, saneamento, calendario); o calendário e as janelas de operação em
emendas/janelas.py e a correção de inciso pela SEGOV em emendas/correcoes.py. Este módulo só reexporta, e nenhum
deles o importa.
"""

from .assessores.services import associar_assessor, desassociar_assessor
from .catalogo.services import carregar_catalogo, conferir_tipo
from .correcoes import conferir_correcao, corrigir_inciso
from .diligencias.services import abrir_diligencia, fechar_diligencia, responder_diligencia
from .execucao.services import atualizar_execucao_da_proposta, registrar_execucao, registrar_execucao_automatica
from .indicacoes.cancelamento import cancelar_indicacao, cancelar_indicacoes
from .indicacoes.priorizacao import repriorizar_indicacao
from .janelas import salvar_calendario
from .calendario.lembretes import enviar_lembretes
from .calendario.services import (
    gerar_link_calendario, prorrogar_janela, revogar_link_calendario, salvar_preferencias_lembretes,
)
from .indicacoes.services import (
    MAQUINA as MAQUINA_INDICACAO, ajustar_indicacao, aprovar_indicacao_orgao, aprovar_indicacao_segov,
    devolver_para_ajuste, e_analista_da_uo, enviar_indicacao, enviar_indicacoes,
    exigir_sem_proposta, formas_permitidas, reprovar_indicacao, retornar_ao_orgao,
)
from .indicacoes.emails import enfileirar_resumo_segov
from .transferencias.services import (
    MAQUINA as MAQUINA_TRANSFERENCIA, cadastrar_transferencia_especial, encerrar_transferencia_especial,
    enviar_transferencia_ao_siafi,
)
from .saneamento.constitucional import (
    concluir_remanejamento_constitucional, excluir_linha_remanejamento_constitucional,
    programar_remanejamento_constitucional, refazer_escolha, registrar_lei_remanejamento,
)
from .saneamento.services import concluir_saneamento, reservar_remanejamento_constitucional, sanear_indicacao
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
    "cancelar_indicacao", "cancelar_indicacoes", "repriorizar_indicacao", "exigir_sem_proposta", "e_analista_da_uo",
    "enfileirar_resumo_segov",
    # Diligência.
    "abrir_diligencia", "responder_diligencia", "fechar_diligencia",
    # Transferência especial.
    "MAQUINA_TRANSFERENCIA", "cadastrar_transferencia_especial", "enviar_transferencia_ao_siafi",
    "encerrar_transferencia_especial",
    # Controle de execução (e o impedimento parcial da parte não utilizada).
    "registrar_execucao", "registrar_execucao_automatica", "atualizar_execucao_da_proposta",
    # Calendário e janelas de operação do exercício (SEGOV).
    "salvar_calendario",
    # Motor de prazos: link do .ics, lembretes, prorrogação auditada.
    "gerar_link_calendario", "revogar_link_calendario", "salvar_preferencias_lembretes", "prorrogar_janela",
    "enviar_lembretes",
    # Assessores do parlamentar.
    "associar_assessor", "desassociar_assessor",
    # Correção de inciso pela SEGOV.
    "conferir_correcao", "corrigir_inciso",
    # Catálogos por grupo de despesa (tipo de atendimento / tipo de aplicação): carga e conferência do tipo.
    "carregar_catalogo", "conferir_tipo",
    # Segundo ciclo: saneamento, remanejamento constitucional e a lei que cria os incisos P.
    "sanear_indicacao", "reservar_remanejamento_constitucional", "concluir_saneamento",
    "programar_remanejamento_constitucional", "excluir_linha_remanejamento_constitucional", "refazer_escolha",
    "concluir_remanejamento_constitucional", "registrar_lei_remanejamento",
]
