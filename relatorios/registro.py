"""Registro dos relatórios: cada declaração (``relatorios/definicoes/``) se registra ao ser importada.

O ``RelatoriosConfig.ready`` importa as declarações uma vez; a partir daí o registro dá as URLs
(``relatorios/urls.py``), o menu "Relatórios" (``templatetags/relatorios_menu.py``) e o relatório de
cada pedido de PDF em segundo plano (pelo nome gravado em ``RelatorioGerado.nome``). A ordem de
registro é a ordem do menu.
"""

_RELATORIOS: dict = {}


def registrar(relatorio):
    """Registra a declaração (uma instância de ``relatorios.base.Relatorio``) e a devolve."""
    if not relatorio.nome:
        raise ValueError("Relatório sem nome.")
    if relatorio.nome in _RELATORIOS and _RELATORIOS[relatorio.nome] is not relatorio:
        raise ValueError(f"Já há um relatório chamado “{relatorio.nome}”.")
    _RELATORIOS[relatorio.nome] = relatorio
    return relatorio


def remover(nome: str) -> None:
    """Tira um relatório do registro (os testes registram declarações de exemplo e as tiram depois)."""
    _RELATORIOS.pop(nome, None)


def todos() -> list:
    return list(_RELATORIOS.values())


def obter(nome: str):
    if nome not in _RELATORIOS:
        raise LookupError(f"Relatório desconhecido: “{nome}”.")
    return _RELATORIOS[nome]
