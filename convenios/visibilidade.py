"""Quem pode procurar convenentes e ler o motivo de um bloqueio no SIAFI-MG.

A busca de convenentes mostra qualquer CNPJ do cadastro, com a última situação CAGEC/SIAFI: serve a
quem escolhe ou analisa beneficiários (o parlamentar ao indicar, o órgão, a SEGOV) e a mais ninguém —
um convenente não lista os outros. O motivo do bloqueio no SIAFI-MG (dívida, inadimplência) é dado
fiscal do convenente: só o órgão e a SEGOV o leem; o parlamentar vê apenas "bloqueado"/"sem bloqueio",
que é o que a indicação precisa (DOMAIN.md: a situação conhecida é informativa na indicação).
"""

from contas import perfis


def pode_buscar_convenentes(usuario) -> bool:
    return perfis.e_segov(usuario) or perfis.tem_perfil(usuario, perfis.PARLAMENTAR, perfis.ASSESSOR, perfis.ORGAO)


def ve_motivo_siafi(usuario) -> bool:
    return perfis.e_segov(usuario) or perfis.tem_perfil(usuario, perfis.ORGAO)
