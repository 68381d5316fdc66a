"""Relatórios que podem ser gerados em segundo plano, pelo nome gravado em ``RelatorioGerado.nome``.

Caminhos em texto: o app ``relatorios`` não importa os módulos de domínio ao carregar (sem ciclo).
"""

from django.utils.module_loading import import_string

RELATORIOS = {
    "incisos": "emendas.relatorios_incisos.INCISOS",
    "totalizacao": "emendas.relatorios_incisos.TOTALIZACAO",
    "parlamentares": "emendas.relatorios_incisos.PARLAMENTARES",
    "saldos": "emendas.relatorios_saldos.SALDOS",
    "remanejamentos": "emendas.relatorios.PDF_REMANEJAMENTOS",
    "indicacoes": "emendas.relatorios_indicacoes.PDF_INDICACOES",
    "impedimentos": "emendas.relatorios_indicacoes.PDF_IMPEDIMENTOS",
}


def obter(nome: str):
    if nome not in RELATORIOS:
        raise LookupError(f"Relatório desconhecido: “{nome}”.")
    return import_string(RELATORIOS[nome])
