"""Nome antigo, só de passagem: a indicação mora em emendas/indicacoes/services.py e a entrada pública é
``emendas.services``. Fica enquanto convenios/ e os testes de relatórios (de outras frentes da reorganização)
importam daqui; não acrescente nada."""

from .indicacoes.services import (  # noqa: F401
    MAQUINA, aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, devolver_para_ajuste,
    e_analista_da_uo, enviar_indicacao, reprovar_indicacao,
)
