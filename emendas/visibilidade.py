"""Quem vê quais incisos, remanejamentos e indicações: a regra única das telas e dos relatórios.

Os filtros saem como ``emenda_id IN (ids)`` (ou ``uo_id IN (ids)``), com os ids calculados antes numa consulta
pequena: o banco segue os índices das chaves (emenda → inciso → indicação) em vez de percorrer a tabela inteira
testando ``parlamentar = X OR bloco IN (subconsulta)`` em cada linha (issue 13; bench/EXPLAIN_paginas.md).
"""

from django.db.models import Q

from contas import perfis

from .models import Bloco, Emenda, Inciso, Parlamentar

NENHUM = Q(pk__in=[])


def parlamentar_do_usuario(usuario) -> Parlamentar | None:
    """O parlamentar do usuário (guardado no próprio usuário pelo Django: uma consulta por requisição)."""
    return getattr(usuario, "parlamentar", None) if usuario.is_authenticated else None


def emendas_visiveis(usuario) -> list[int]:
    """Ids das emendas do parlamentar e das dos blocos de que é responsável ou membro (uma consulta)."""
    parlamentar = parlamentar_do_usuario(usuario)
    if parlamentar is None:
        return []
    # Uma emenda por titular e exercício: a lista tem poucas dezenas de ids, mesmo com dez exercícios.
    blocos = Bloco.objects.filter(Q(responsavel=parlamentar) | Q(membros=parlamentar)).values("pk")
    emendas = Emenda.objects.filter(Q(parlamentar=parlamentar) | Q(bloco__in=blocos)).order_by()
    return list(emendas.values_list("pk", flat=True))


def filtro_incisos_visiveis(usuario) -> Q:
    """Incisos que o usuário pode ver: os seus, os dos blocos de que participa; tudo para SEGOV."""
    if perfis.e_segov(usuario):
        return Q()
    ids = emendas_visiveis(usuario)
    return Q(emenda_id__in=ids) if ids else NENHUM


def pode_ver_inciso(usuario, inciso: Inciso) -> bool:
    """A regra de ``filtro_incisos_visiveis`` para um inciso já carregado (com ``emenda`` e ``emenda.bloco``): a página
    de um inciso lê o inciso pelo id e confere aqui, sem a consulta dos ids das emendas do usuário nem a do seu
    parlamentar (o titular vem com o inciso); só o inciso de um bloco lê o parlamentar do usuário, e o membro que não
    é o responsável, a participação."""
    if perfis.e_segov(usuario):
        return True
    emenda = inciso.emenda
    if emenda.parlamentar_id:
        return usuario.is_authenticated and emenda.parlamentar.usuario_id == usuario.pk
    parlamentar = parlamentar_do_usuario(usuario)
    if parlamentar is None:
        return False
    if emenda.bloco.responsavel_id == parlamentar.pk:
        return True
    return emenda.bloco.membros.filter(pk=parlamentar.pk).exists()


def filtro_incisos_remanejaveis(usuario, campo: str = "emenda_id") -> Q:
    """Incisos em que o usuário pode pedir remanejamento: os seus e os dos blocos de que é responsável (*campo*: o
    caminho até a emenda, ``inciso__emenda_id`` para filtrar indicações)."""
    parlamentar = parlamentar_do_usuario(usuario)
    if parlamentar is None:
        return NENHUM
    ids = list(Emenda.objects.filter(Q(parlamentar=parlamentar) | Q(bloco__responsavel=parlamentar)).order_by()
               .values_list("pk", flat=True))
    return Q(**{f"{campo}__in": ids}) if ids else NENHUM


def ids_das_uos_do_analista(usuario) -> list[int]:
    return list(usuario.uos_analisadas.values_list("pk", flat=True))


def filtro_indicacoes_visiveis(usuario, prefixo: str = "") -> Q:
    """SEGOV: todas; órgão: as das UOs que analisa; parlamentar: as dos incisos que vê.

    *prefixo* aplica a mesma regra a quem pende de uma indicação (``"indicacao__"``: as diligências)."""
    if perfis.e_segov(usuario):
        return Q()
    filtro = NENHUM
    if perfis.tem_perfil(usuario, perfis.ORGAO) and (uos := ids_das_uos_do_analista(usuario)):
        filtro |= Q(**{f"{prefixo}inciso__acao__uo_id__in": uos})
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR) and (ids := incisos_visiveis(usuario)):
        # Ids dos incisos, não a junção com o inciso: com "ORDER BY numero DESC LIMIT 50" o banco descia o índice
        # do número conferindo o inciso de cada linha (15 mil blocos); com a lista, 3,7 mil (EXPLAIN_paginas.md).
        filtro |= Q(**{f"{prefixo}inciso_id__in": ids})
    return filtro


def incisos_visiveis(usuario) -> list[int]:
    """Ids dos incisos do parlamentar e dos seus blocos, de todos os exercícios (~170 por ano)."""
    ids = emendas_visiveis(usuario)
    return list(Inciso.objects.filter(emenda_id__in=ids).order_by().values_list("pk", flat=True)) if ids else []


def filtro_remanejamentos_visiveis(usuario) -> Q:
    """SEGOV: todos; parlamentar: os que saem dos incisos que vê."""
    if perfis.e_segov(usuario):
        return Q()
    ids = emendas_visiveis(usuario)
    return Q(inciso_origem__emenda_id__in=ids) if ids else NENHUM


def filtro_transferencias_visiveis(usuario, prefixo: str = "") -> Q:
    """Indicações de transferência especial que o usuário vê em "Transferências Especiais" (DOMAIN.md §3.4): a SEGOV,
    o visualizador de relatórios e o TI, todas; o órgão, as das UOs que analisa; os demais, nenhuma."""
    if perfis.ve_todos_os_relatorios(usuario):
        return Q()
    if perfis.ve_transferencias_especiais(usuario) and (uos := ids_das_uos_do_analista(usuario)):
        return Q(**{f"{prefixo}inciso__acao__uo_id__in": uos})
    return NENHUM
