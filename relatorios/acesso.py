"""Quem vê o quê nos relatórios (DOMAIN.md §9, visibilidade) — o único lugar com essas regras.

* SEGOV, administradores e o grupo "Visualizador de Relatórios" (somente leitura): tudo.
* Parlamentar: os incisos próprios e os dos blocos de que participa (e o que sai deles).
* Analista de órgão: os incisos das UOs que analisa (e, nos remanejamentos, o que chega a elas).
* Qualquer outro perfil: 403.

Cada declaração de relatório diz qual regra usa (``acesso = TODOS`` ou ``SO_QUEM_VE_TUDO``); o menu
"Relatórios" e as três saídas (tela, CSV, PDF) leem a mesma regra. Os filtros da tela só restringem
dentro disto: um filtro que nomeia dados de outro titular ou de outra UO devolve uma lista vazia.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from contas import perfis
from emendas.models import Inciso
from emendas.selectors import filtro_incisos_visiveis, indicacoes_com_detalhes, remanejamentos_com_detalhes

VISUALIZADOR = perfis.VISUALIZADOR
ve_tudo = perfis.ve_todos_os_relatorios

# Regras de acesso de uma declaração de relatório.
TODOS = "todos"  # SEGOV, visualizadores, parlamentares e analistas de órgão (cada um as suas linhas)
SO_QUEM_VE_TUDO = "so_quem_ve_tudo"  # SEGOV, administradores e visualizadores

NEGADO_TODOS = (
    "Relatório disponível para a SEGOV, os parlamentares, os analistas dos órgãos e os visualizadores de relatórios."
)
NEGADO_SO_QUEM_VE_TUDO = "Relatório disponível para a SEGOV e para os visualizadores de relatórios."


def pode_ver(usuario, regra: str) -> bool:
    """O relatório aparece no menu (e abre) para *usuario*? Sem consulta: os perfis ficam em cache."""
    if ve_tudo(usuario):
        return True
    return regra == TODOS and perfis.tem_perfil(usuario, perfis.PARLAMENTAR, perfis.ASSESSOR, perfis.ORGAO)


def exigir(usuario, regra: str) -> None:
    if not pode_ver(usuario, regra):
        raise PermissionDenied(NEGADO_TODOS if regra == TODOS else NEGADO_SO_QUEM_VE_TUDO)


def exigir_ve_tudo(usuario) -> None:
    exigir(usuario, SO_QUEM_VE_TUDO)


def filtro_incisos(usuario) -> Q:
    """Condição sobre ``Inciso`` com os incisos que o usuário vê nos relatórios; 403 para quem não vê nenhum."""
    if ve_tudo(usuario):
        return Q()
    condicao = None
    if perfis.age_como_parlamentar(usuario):
        condicao = filtro_incisos_visiveis(usuario)
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        # Subconsulta, não lista de ids: o número de consultas não depende de quantas UOs o analista tem.
        do_orgao = Q(acao__uo__in=usuario.uos_analisadas.values("pk"))
        condicao = do_orgao if condicao is None else condicao | do_orgao
    if condicao is None:
        raise PermissionDenied(NEGADO_TODOS)
    return condicao


def _por_inciso(usuario, campo: str) -> Q:
    """Condição sobre um modelo que aponta para ``Inciso`` por *campo*: as linhas dos incisos que o usuário vê.

    Em listas de ids pequenas (os incisos do parlamentar e dos blocos dele, as UOs do analista), lidas numa
    consulta cada: ``inciso_id IN (...)`` usa o índice da chave estrangeira. A subconsulta
    ``parlamentar = X OR bloco IN (...)`` dentro do ``IN`` fazia o PostgreSQL varrer as 200 mil indicações.
    """
    condicao = None
    if perfis.age_como_parlamentar(usuario):
        ids = list(Inciso.objects.filter(filtro_incisos_visiveis(usuario)).order_by().values_list("pk", flat=True))
        condicao = Q(**{f"{campo}__in": ids})
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        do_orgao = Q(**{f"{campo}__acao__uo__in": uos_do_orgao(usuario)})
        condicao = do_orgao if condicao is None else condicao | do_orgao
    if condicao is None:
        raise PermissionDenied(NEGADO_TODOS)
    return condicao


def uos_do_orgao(usuario) -> list[int]:
    return list(usuario.uos_analisadas.order_by().values_list("pk", flat=True))


def remanejamentos(usuario):
    """Pedidos de remanejamento que *usuario* vê: os que saem dos incisos que ele vê; para o analista de
    órgão, também os que chegam a uma UO que analisa; 403 para os demais perfis."""
    qs = remanejamentos_com_detalhes()
    if ve_tudo(usuario):
        return qs
    condicao = _por_inciso(usuario, "inciso_origem")
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        # O destino conta também: com `permite_outra_uo` o dinheiro pode chegar de outra UO.
        condicao |= Q(acao__uo__in=uos_do_orgao(usuario))
    return qs.filter(condicao)


def indicacoes(usuario):
    """Indicações que *usuario* vê: as dos incisos que ele vê nos relatórios; 403 para os demais perfis."""
    # Quem aprovou e quem encerrou aparecem no CSV e no relatório de impedimentos.
    qs = indicacoes_com_detalhes().select_related("aprovada_orgao_por", "aprovada_segov_por", "encerrada_por")
    if ve_tudo(usuario):
        return qs
    return qs.filter(_por_inciso(usuario, "inciso"))
