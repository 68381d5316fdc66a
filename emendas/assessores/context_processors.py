from contas import perfis

from .selectors import parlamentares_do_assessor


def assessoria(request):
    """O menu e o seletor do topo do assessor: os parlamentares que ele atende e o escolhido (só para quem tem o
    perfil Assessor: para os demais, nenhuma consulta)."""
    usuario = getattr(request, "user", None)
    if usuario is None or not usuario.is_authenticated or not perfis.tem_perfil(usuario, perfis.ASSESSOR):
        return {}
    atendidos = parlamentares_do_assessor(usuario)
    return {"e_assessor": True, "atendidos": atendidos,
            "titular_atual": next((a["parlamentar"] for a in atendidos if a["atual"]), None)}
