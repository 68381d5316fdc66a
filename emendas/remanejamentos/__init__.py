"""Remanejamento: pedido do titular, análise da SEGOV, cancelamento (serviços, regras, telas, rotas)."""
