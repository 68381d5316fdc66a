"""Relatório "Incisos" ("Lista de Incisos"): uma linha por inciso, com os saldos de hoje."""

from .. import registro
from .por_inciso import (
    ACAO, ACAO_NOME, EMENDA, EXERCICIO, GRUPO, GRUPO_NOME, INCISO, ORIGEM, TIPO, TITULAR, UO, UO_NOME, VALOR_INICIAL,
    PorInciso, dinheiro,
)


# ---------------------------------------------------------------------------
# Incisos ("Lista de Incisos")

class RelatorioIncisos(PorInciso):
    nome = "incisos"
    titulo = "Incisos"
    descricao = ("Cada inciso com o valor inicial, o valor depois dos remanejamentos aprovados, o remanejamento "
                 "solicitado, o indicado e o disponível para indicação hoje.")
    colunas = [
        EXERCICIO, TITULAR, EMENDA, INCISO, TIPO, UO, UO_NOME, ACAO, ACAO_NOME, GRUPO, GRUPO_NOME, VALOR_INICIAL,
        dinheiro("valor_inciso", "Valor do inciso", "valor_inciso"),
        dinheiro("solicitado", "Remanejamento solicitado", "remanejamento_solicitado", "Remanej. solicitado"),
        dinheiro("indicado", "Indicado", "indicado"),
        dinheiro("disponivel", "Disponível para indicação", "disponivel_indicacao", "Disponível p/ indicação"),
        ORIGEM,
    ]


INCISOS = registro.registrar(RelatorioIncisos())
