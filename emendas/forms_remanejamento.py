"""Nome antigo, só de passagem: os formulários do remanejamento moram em emendas/remanejamentos/forms.py. Fica
enquanto o relatório de remanejamentos (emendas/relatorios.py, de outra frente da reorganização) importa daqui;
não acrescente nada."""

from .remanejamentos.forms import FiltroRemanejamentosForm  # noqa: F401
