"""Quem vê a auditoria (a tabela de papéis deve apontar para cá)."""

from contas import perfis


def pode_ver_auditoria(usuario) -> bool:
    return perfis.e_segov(usuario)
