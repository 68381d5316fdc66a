"""Carga da LOA e do anexo de programações elegíveis a partir de CSV.

Cada carga é atômica: se qualquer linha estiver errada nada é gravado e cada erro
diz a linha e o campo. Importar o mesmo arquivo duas vezes não muda nada.

Um módulo por carga (``loa``, ``programacoes``) e o que elas têm em comum (``leitura``); daqui se importa tudo.
"""

from .leitura import MAX_LINHAS, ErroImportacao, ErroLinha, Resultado, conferir_tamanhos, ler_csv, registrar_importacao
from .loa import CABECALHO_LOA, MAIOR_INTEIRO, importar_loa
from .programacoes import CABECALHO_PROGRAMACOES, importar_programacoes

__all__ = [
    "CABECALHO_LOA", "CABECALHO_PROGRAMACOES", "MAX_LINHAS", "MAIOR_INTEIRO", "ErroImportacao", "ErroLinha",
    "Resultado", "conferir_tamanhos", "ler_csv", "registrar_importacao", "importar_loa", "importar_programacoes",
]
