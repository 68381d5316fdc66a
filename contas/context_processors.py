from . import perfis as p


def perfis(request):
    usuario = getattr(request, "user", None)
    if usuario is None or not usuario.is_authenticated:
        return {"perfis": set()}
    nomes = p.perfis_do_usuario(usuario)
    return {
        "perfis": nomes,
        "e_parlamentar": p.PARLAMENTAR in nomes,
        "e_segov": p.e_segov(usuario),
        "e_administrador": p.ADMINISTRADOR in nomes,
        "carrega_dados": p.pode_carregar_dados(usuario),
        "e_orgao": p.ORGAO in nomes,
        "e_convenente": p.CONVENENTE in nomes,
        "ve_transferencias": p.ve_transferencias_especiais(usuario),
    }
