"""O bench por HTTP (``make bench``, ``python -m bench.http``): o servidor de produção de verdade, usuários reais
logados pelo formulário, cada página ao lado do seu piso (``bench/pisos.py``) na mesma execução.

``python -m bench.http --explain`` imprime o ``EXPLAIN ANALYZE`` das consultas das páginas medidas.
"""
