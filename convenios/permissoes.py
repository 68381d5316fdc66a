"""Quem age numa proposta: perguntas de permissão usadas pelos serviços e pelas telas de convênios."""

from contas import perfis
from emendas.services_indicacao import e_analista_da_uo


def e_usuario_do_convenente(usuario, convenente) -> bool:
    return perfis.tem_perfil(usuario, perfis.CONVENENTE) and convenente.usuarios.filter(pk=usuario.pk).exists()


def e_concedente(usuario, proposta) -> bool:
    """Analista do órgão (UO) concedente da proposta."""
    return e_analista_da_uo(usuario, proposta.concedente_id)
