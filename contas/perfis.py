"""Perfis de acesso (grupos do Django) e as perguntas que as telas fazem sobre eles.

O que cada perfil pode fazer está declarado em ``contas/papeis.py``.
"""

from .grupos import ADMINISTRADOR, ASSESSOR, CONVENENTE, ORGAO, PARLAMENTAR, SEGOV, TODOS, VISUALIZADOR  # noqa: F401
from .papeis import NO_SISTEMA

# Nome aceito pelo comando criar_usuario → grupo.
POR_CHAVE = {
    "parlamentar": PARLAMENTAR,
    "segov": SEGOV,
    "orgao": ORGAO,
    "convenente": CONVENENTE,
    "admin": ADMINISTRADOR,
    "visualizador": VISUALIZADOR,
    "assessor": ASSESSOR,
}


def perfis_do_usuario(usuario) -> set[str]:
    """Grupos do usuário; o superusuário tem também o perfil Administrador (TI, não SEGOV)."""
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


def age_como_parlamentar(usuario) -> bool:
    """Parlamentar ou assessor: as telas do titular (incisos, remanejamentos, indicações, diligências). O que ele vê e
    em que escreve é a regra de ``emendas.visibilidade`` (o assessor, só os parlamentares com vínculo ativo)."""
    return tem_perfil(usuario, PARLAMENTAR, ASSESSOR)


def e_analista_da_uo(usuario, uo_id) -> bool:
    """Analista de órgão vinculado à UO (o órgão concedente de uma proposta, o órgão que analisa uma indicação)."""
    return tem_perfil(usuario, ORGAO) and usuario.uos_analisadas.filter(pk=uo_id).exists()


def _pode(usuario, acao: str) -> bool:
    return tem_perfil(usuario, *NO_SISTEMA[acao])


def e_segov(usuario) -> bool:
    """Só quem está no grupo SEGOV: ser superusuário (administrador de TI) não basta para aprovar ou autorizar."""
    return _pode(usuario, "decidir_como_segov")


def pode_carregar_dados(usuario) -> bool:
    """Importar LOA e programações: SEGOV e administradores (carga no período fechado)."""
    return _pode(usuario, "carregar_dados")


def ve_todos_os_relatorios(usuario) -> bool:
    """SEGOV, administradores e visualizadores de relatórios veem os dados de todos."""
    return _pode(usuario, "ver_todos_os_relatorios")


def ve_auditoria(usuario) -> bool:
    """Ler a trilha de auditoria (nunca alterar: ninguém altera)."""
    return _pode(usuario, "ver_auditoria")


def pode_informar_diligencia(usuario) -> bool:
    """Perfil que abre e fecha diligências (o serviço confere também a UO da indicação)."""
    return _pode(usuario, "informar_diligencia")


def pode_responder_diligencia(usuario) -> bool:
    """Perfil que responde diligências (o serviço confere também que é o titular da indicação)."""
    return _pode(usuario, "responder_diligencia")


def pode_gerir_transferencia_especial(usuario) -> bool:
    """Perfil que cadastra, envia ao SIAFI e encerra transferências especiais (o serviço confere também a UO)."""
    return _pode(usuario, "gerir_transferencia_especial")


def ve_transferencias_especiais(usuario) -> bool:
    """Perfil que abre "Transferências Especiais" (o órgão só as das UOs que analisa)."""
    return _pode(usuario, "ver_transferencias_especiais")


def pode_registrar_execucao(usuario) -> bool:
    """Perfil que registra o controle de execução (o serviço confere também a UO da indicação)."""
    return _pode(usuario, "registrar_execucao")
