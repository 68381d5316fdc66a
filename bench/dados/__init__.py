"""Gerador de dados do benchmark (issue 13): o estado inteiro num banco PostgreSQL próprio.

``preparar()`` mantém um banco MODELO (``<banco>_modelo``) gerado uma vez com semente fixa e marcado com uma
impressão digital (escala, semente, ``VERSAO_DADOS`` e o ano corrente) no comentário do banco; a cada
chamada recria o banco de trabalho como cópia dele (``CREATE DATABASE … TEMPLATE``), roda ``migrate`` (índices
novos do código entram) e desloca o calendário do exercício corrente para que hoje seja o último dia da
janela livre. Cada rodada do bench começa dos mesmos dados, mesmo depois de uma rajada de escritas.

Escala "estado": 10 exercícios; em cada um 77 parlamentares × 100 incisos S e 6 bancadas × 20, ~3.400
remanejamentos aprovados (os incisos R), ~5.000 remanejamentos e ~20.000 indicações em todas as situações; no
exercício corrente 1.000 remanejamentos SOLICITADO, 1.000 indicações EM_ANALISE_SEGOV e 300 EM_ANALISE_ORGAO.
Cada inciso usa no máximo 60% do valor: o resto fica LIVRE para a rajada.

Medido nesta máquina (2 núcleos, PostgreSQL 15 local): a medir.

Uso: ``python -m bench.dados [--escala estado|pequena] [--refazer]`` (ou ``python bench/dados``).
"""

from .bancos import url_do_banco

__all__ = ["preparar", "conferir_invariante", "url_do_banco", "VERSAO_DADOS"]

# Suba quando o gerador mudar: o modelo com outra versão é gerado de novo.
VERSAO_DADOS = 1


def preparar(*, escala: str = "estado", semente: int = 2026, refazer: bool = False) -> dict:
    """Banco de trabalho pronto (cópia do modelo, migrado, hoje = fim da janela livre); devolve o cenário.

    Importa o resto só aqui: o pacote é importável antes do ``django.setup()`` (``python -m bench.dados``).
    """
    from .preparo import preparar as _preparar

    return _preparar(escala=escala, semente=semente, refazer=refazer)


def conferir_invariante(ano: int | None = None) -> list[str]:
    """Problemas do invariante do dinheiro em todo inciso do exercício (padrão: o corrente); vazia = certo."""
    from .calendario import conferir_invariante as _conferir

    return _conferir(ano)
