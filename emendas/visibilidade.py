"""Quem vê quais incisos, remanejamentos e indicações: a regra única das telas e dos relatórios.

Os filtros saem como ``emenda_id IN (ids)`` (ou ``uo_id IN (ids)``), com os ids calculados antes numa consulta
pequena: o banco segue os índices das chaves (emenda → inciso → indicação) em vez de percorrer a tabela inteira
testando ``parlamentar = X OR bloco IN (subconsulta)`` em cada linha (issue 13; bench/EXPLAIN_paginas.md).

O assessor (DOMAIN.md §1.2) é tratado aqui como o titular: ``titulares_do_usuario`` dá os parlamentares em nome de
quem o usuário age (o próprio e os que o associaram, com vínculo ativo, lidos a cada chamada: desassociado perde o
acesso na hora). As listas mostram um titular só, ``parlamentar_do_usuario`` (o escolhido no seletor do topo,
``?titular=<id>``, guardado na sessão por ``emendas.assessores.middleware``); a escrita vale para qualquer um deles
(``pode_escrever_no_inciso``: o serviço não tem sessão, e o inciso já diz de quem é).
"""

from django.db.models import Q

from contas import perfis

from .models import Bloco, Emenda, Inciso, Parlamentar, VinculoAssessor

NENHUM = Q(pk__in=[])


def parlamentares_assessorados(usuario) -> list[Parlamentar]:
    """Os parlamentares que associaram *usuario* como assessor, com vínculo ativo, por nome (uma consulta; nenhuma
    para quem não tem o perfil Assessor)."""
    if not usuario.is_authenticated or not perfis.tem_perfil(usuario, perfis.ASSESSOR):
        return []
    return list(Parlamentar.objects.filter(vinculos_assessores__assessor=usuario, vinculos_assessores__ativo=True)
                .select_related("usuario").order_by("nome", "pk"))


def titulares_do_usuario(usuario) -> list[Parlamentar]:
    """Em nome de quem o usuário age: o próprio parlamentar primeiro, depois os que ele assessora."""
    if not usuario.is_authenticated:
        return []
    proprio = getattr(usuario, "parlamentar", None)
    outros = [p for p in parlamentares_assessorados(usuario) if proprio is None or p.pk != proprio.pk]
    return [proprio, *outros] if proprio is not None else outros


def parlamentar_do_usuario(usuario) -> Parlamentar | None:
    """O titular das telas agora: o próprio parlamentar (guardado no usuário pelo Django: uma consulta por
    requisição); para o assessor, o escolhido no seletor (``usuario.titular_escolhido_id``) se ainda o atende, senão
    o primeiro que atende. As listas nunca misturam dois titulares."""
    if not usuario.is_authenticated:
        return None
    escolhido = getattr(usuario, "titular_escolhido_id", None)
    proprio = getattr(usuario, "parlamentar", None)
    if proprio is not None and (escolhido is None or escolhido == proprio.pk):
        return proprio
    titulares = titulares_do_usuario(usuario)
    return next((p for p in titulares if p.pk == escolhido), titulares[0] if titulares else None)


def titular_do_inciso(inciso: Inciso) -> int:
    """Id do parlamentar que escreve no inciso: o titular da emenda; num bloco, o responsável."""
    emenda = inciso.emenda
    return emenda.parlamentar_id or emenda.bloco.responsavel_id


def representa(usuario, parlamentar_id: int) -> bool:
    """*usuario* age em nome do parlamentar? Ele mesmo, ou seu assessor com vínculo ativo (lido agora)."""
    if not usuario.is_authenticated:
        return False
    proprio = getattr(usuario, "parlamentar", None)
    if proprio is not None and proprio.pk == parlamentar_id:
        return True
    return perfis.tem_perfil(usuario, perfis.ASSESSOR) and VinculoAssessor.objects.filter(
        assessor=usuario, parlamentar_id=parlamentar_id, ativo=True).exists()


def emails_do_titular(parlamentar: Parlamentar) -> list[str]:
    """Quem recebe os e-mails do titular (decisões, devoluções, diligências): o parlamentar e os assessores ativos."""
    assessores = (VinculoAssessor.objects.filter(parlamentar=parlamentar, ativo=True, assessor__is_active=True)
                  .order_by("assessor__email").values_list("assessor__email", flat=True))
    return [parlamentar.usuario.email, *assessores]


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
        if usuario.is_authenticated and emenda.parlamentar.usuario_id == usuario.pk:
            return True
        # O assessor vê o inciso do titular escolhido (a mesma regra das listas).
        parlamentar = parlamentar_do_usuario(usuario) if perfis.tem_perfil(usuario, perfis.ASSESSOR) else None
        return parlamentar is not None and parlamentar.pk == emenda.parlamentar_id
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
    if perfis.age_como_parlamentar(usuario) and (ids := incisos_visiveis(usuario)):
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
