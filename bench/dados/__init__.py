"""Gerador de dados do benchmark (issue 13): o estado inteiro num banco PostgreSQL próprio.

``preparar()`` mantém um banco MODELO (``<banco>_modelo``) gerado uma vez com semente fixa e marcado com uma
impressão digital (escala, semente, ``VERSAO_DADOS`` e o ano corrente) no comentário do banco; a cada
chamada recria o banco de trabalho como cópia dele (``CREATE DATABASE … TEMPLATE``), roda ``migrate`` (índices
novos do código entram) e desloca o calendário do exercício corrente para que hoje seja o último dia da
janela livre. Cada rodada do bench começa dos mesmos dados, mesmo depois de uma rajada de escritas.

Escala "estado": 10 exercícios; em cada um 77 parlamentares × 100 incisos S e 6 bancadas × 20, ~3.400
remanejamentos aprovados (os incisos R), ~5.000 remanejamentos e ~20.000 indicações em todas as situações; no
exercício corrente 1.000 remanejamentos SOLICITADO, 1.000 indicações EM_ANALISE_SEGOV e 300 EM_ANALISE_ORGAO.
Cada inciso usa no máximo 60% do valor: o resto fica LIVRE para a rajada. Históricos (``RegistroIndicacao``,
``RegistroRemanejamento``) de todos os exercícios; e-mails dos
movimentos com as notificações dos destinatários (``bench/dados/avisos.py``); auditoria e convênios (propostas) não
são gerados.

Medido nesta máquina (2 núcleos, PostgreSQL 15 local, 3 de dezembro de 2026), gerar o modelo da escala estado:
65 s com a máquina livre (versão 1, sem os históricos dos exercícios passados); 170 s com os históricos e carga
~5; com carga 9–13 (outros benches e suítes rodando ao lado), 470 s com ``bulk_create`` e 355 s com ``COPY``,
dos quais só 75 s de CPU do Python: o resto é o PostgreSQL gravando ~1,1 milhão de linhas. Duas gerações com a
mesma semente dão bancos idênticos (md5 das indicações, incisos, remanejamentos e históricos). O modelo tem
212 MB (históricos de indicação 81 MB com 563 mil linhas, indicações 64 MB, incisos 25 MB, remanejamentos
14 MB). Reaproveitá-lo (cópia, migrate, deslocamento do calendário) leva 3 a 8 s; ``conferir_invariante()`` no
exercício corrente, 3 a 7 s.

O banco de trabalho é apagado e recriado: chame ``preparar()`` antes de subir o servidor do bench. Conexões
abertas no modelo (um EXPLAIN esquecido) são encerradas na cópia.

Variáveis: ``BENCH_DATABASE_URL`` (banco de trabalho; padrão ``sigcon_bench`` no servidor de ``DATABASE_URL``),
``BENCH_MODELO`` (nome do banco modelo, para vários bancos de trabalho usarem o mesmo; padrão
``<trabalho>_modelo``), ``BENCH_CENARIO`` (onde gravar o cenário; padrão ``bench/.cenario.json``).

Uso: ``python -m bench.dados [--escala estado|pequena] [--refazer]`` (ou ``python bench/dados``).
"""

from .bancos import VERSAO_DADOS, url_do_banco

__all__ = ["preparar", "conferir_invariante", "url_do_banco", "VERSAO_DADOS"]

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
