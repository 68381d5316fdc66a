"""Nome antigo, só de passagem: as regras do remanejamento moram em emendas/remanejamentos/regras.py e
``validar_valor`` em emendas/regras.py. Fica enquanto convenios/services.py importa daqui; não acrescente nada."""

from .regras import validar_valor  # noqa: F401
