"""Quem vê a auditoria (a tabela de papéis deve apontar para cá)."""

from contas import perfis


def pode_ver_auditoria(usuario) -> bool:
    # Regra na tabela de papéis (contas.papeis.NO_SISTEMA["ver_auditoria"]).
    return perfis.ve_auditoria(usuario)
