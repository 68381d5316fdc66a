"""Perfis de acesso (grupos do Django) e as perguntas que as telas fazem sobre eles."""

PARLAMENTAR = "Parlamentar"
SEGOV = "SEGOV"
ORGAO = "Órgão"
CONVENENTE = "Convenente"
ADMINISTRADOR = "Administrador"
VISUALIZADOR = "Visualizador de Relatórios"  # somente leitura, vê todos os relatórios

TODOS = [PARLAMENTAR, SEGOV, ORGAO, CONVENENTE, ADMINISTRADOR, VISUALIZADOR]

# Nome aceito pelo comando criar_usuario → grupo.
POR_CHAVE = {
    "parlamentar": PARLAMENTAR,
    "segov": SEGOV,
    "orgao": ORGAO,
    "convenente": CONVENENTE,
    "admin": ADMINISTRADOR,
    "visualizador": VISUALIZADOR,
}


def perfis_do_usuario(usuario) -> set[str]:
    if not usuario.is_authenticated:
        return set()
    cache = getattr(usuario, "_perfis_cache", None)
    if cache is None:
        cache = set(usuario.groups.values_list("name", flat=True))
        if usuario.is_superuser:
            cache.add(ADMINISTRADOR)
        usuario._perfis_cache = cache
    return cache


def tem_perfil(usuario, *nomes: str) -> bool:
    return bool(perfis_do_usuario(usuario) & set(nomes))


def e_segov(usuario) -> bool:
    """SEGOV e administradores carregam dados e configuram o exercício."""
    return tem_perfil(usuario, SEGOV, ADMINISTRADOR)


def ve_todos_os_relatorios(usuario) -> bool:
    """SEGOV, administradores e visualizadores de relatórios veem os dados de todos."""
    return e_segov(usuario) or tem_perfil(usuario, VISUALIZADOR)
