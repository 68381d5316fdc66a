"""Quem vê o quê nos relatórios de "Emendas › Relatórios" (DOMAIN.md §9, visibilidade).

* SEGOV, administradores e o grupo "Visualizador de Relatórios" (somente leitura): tudo.
* Parlamentar: os incisos próprios e os dos blocos de que participa.
* Analista de órgão: os incisos das UOs que analisa.
* Qualquer outro perfil: 403.

Os filtros da tela só restringem dentro disto: um filtro que nomeia dados de outro titular ou de
outra UO devolve uma lista vazia, nunca um erro.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from contas import perfis

from .selectors import filtro_incisos_visiveis

VISUALIZADOR = perfis.VISUALIZADOR
ve_tudo = perfis.ve_todos_os_relatorios


def exigir_ve_tudo(usuario) -> None:
    if not ve_tudo(usuario):
        raise PermissionDenied("Relatório disponível para a SEGOV e para os visualizadores de relatórios.")


def filtro_incisos(usuario) -> Q:
    """Condição sobre ``Inciso`` com os incisos que o usuário vê nos relatórios; 403 para quem não vê nenhum."""
    if ve_tudo(usuario):
        return Q()
    condicao = None
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR):
        condicao = filtro_incisos_visiveis(usuario)
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        # Subconsulta, não lista de ids: o número de consultas não depende de quantas UOs o analista tem.
        do_orgao = Q(acao__uo__in=usuario.uos_analisadas.values("pk"))
        condicao = do_orgao if condicao is None else condicao | do_orgao
    if condicao is None:
        raise PermissionDenied(
            "Relatório disponível para a SEGOV, os parlamentares, os analistas dos órgãos e os visualizadores de relatórios."
        )
    return condicao
