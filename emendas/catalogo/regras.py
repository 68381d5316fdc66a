"""Regras puras do catálogo: que catálogo cada forma de execução usa e que janela um ajuste do tipo pede.

DOMAIN.md §7.2 e §7.10: o convênio/parceria escolhe um tipo de atendimento; execução direta, Caixa Escolar, doação
de bens, Resolução SES e outros instrumentos, um tipo de aplicação; a transferência especial, nenhum (e não tem
ajuste). O ajuste tem duas janelas: a completa (troca o gênero do atendimento, ou o tipo de aplicação por um de outro
grupo de despesa) e a de mesmo GD (só categoria/especificação, mantido o gênero; ou um tipo de aplicação do mesmo
grupo). Na janela completa vale também o ajuste menor.
"""

from ..prazos import TipoJanela

ATENDIMENTO, APLICACAO = "atendimento", "aplicacao"
_FORMAS_ATENDIMENTO = frozenset({"CONVENIO"})
_FORMAS_APLICACAO = frozenset({"EXECUCAO_DIRETA", "CAIXA_ESCOLAR", "DOACAO_BENS", "RESOLUCAO_SES",
                               "OUTROS_INSTRUMENTOS"})


def catalogo_da_forma(forma: str) -> str | None:
    """``ATENDIMENTO``, ``APLICACAO`` ou None (transferência especial, forma desconhecida)."""
    if forma in _FORMAS_ATENDIMENTO:
        return ATENDIMENTO
    if forma in _FORMAS_APLICACAO:
        return APLICACAO
    return None


def janelas_do_ajuste(*, genero_antes: int | None = None, genero_depois: int | None = None,
                      gd_antes: int | None = None, gd_depois: int | None = None) -> tuple[str, ...]:
    """As janelas em que um ajuste do tipo pode ser feito (qualquer uma aberta basta).

    Atendimento: passe os gêneros (ids) antes e depois; aplicação: os grupos de despesa dos tipos. Sem tipo antes
    (indicação de antes dos catálogos): nada a comparar, o grupo é o do inciso, vale o ajuste de mesmo GD.
    """
    antes, depois = (genero_antes, genero_depois) if genero_depois is not None else (gd_antes, gd_depois)
    if antes is not None and antes != depois:
        return (TipoJanela.AJUSTE_COMPLETO,)
    return (TipoJanela.AJUSTE_COMPLETO, TipoJanela.AJUSTE_MESMO_GD)
