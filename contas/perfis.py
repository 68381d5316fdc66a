"""Perfis de acesso (grupos do Django) e as perguntas que as telas fazem sobre eles."""

PARLAMENTAR = "Parlamentar"
SEGOV = "SEGOV"
ORGAO = "Órgão"
CONVENENTE = "Convenente"
ADMINISTRADOR = "Administrador"

TODOS = [PARLAMENTAR, SEGOV, ORGAO, CONVENENTE, ADMINISTRADOR]

# Nome aceito pelo comando criar_usuario → grupo.
POR_CHAVE = {
    "parlamentar": PARLAMENTAR,
    "segov": SEGOV,
    "orgao": ORGAO,
    "convenente": CONVENENTE,
    "admin": ADMINISTRADOR,
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
