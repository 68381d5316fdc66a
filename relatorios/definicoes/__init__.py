"""As declarações dos relatórios, uma por módulo; importar um módulo registra o relatório.

A ordem dos imports é a ordem do menu "Relatórios". Um relatório novo: um módulo aqui e uma linha abaixo.
"""

from . import (  # noqa: F401  (registram)
    incisos, remanejamentos, totalizacao, indicacoes, execucao, parlamentares, saldos, saneamento, filas,
)
