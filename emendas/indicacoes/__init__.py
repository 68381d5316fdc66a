"""Indicação de recursos: envio, análise do órgão e da SEGOV, ajuste, cancelamento (serviços, regras, telas, rotas)."""
