import pytest

from emendas.catalogo.carga import carregar_catalogo

ATENDIMENTO_CSV = (
    "grupo_despesa;genero;categoria;especificacao\n"
    "4;REFORMA OU OBRA;Construção;Prédio Público\n"
    "4;REFORMA OU OBRA;Reforma;Mercado Municipal\n"
    "4;AQUISIÇÃO DE BENS;Permanente;Mobiliário\n"
    "3;AQUISIÇÃO DE BENS;Consumo;Gêneros Alimentícios\n"
    "3;SERVIÇOS;Capacitação;Curso\n"
)
APLICACAO_CSV = (
    "grupo_despesa;tipo_aplicacao\n"
    "4;Ambulância Tipo A Simples Remoção Furgão\n"
    "4;Kit viatura e armamento na PMMG\n"
    "3;Capacitação\n"
)


@pytest.fixture
def catalogo(segov, grupo_inv, grupo_odc):
    """Os dois catálogos carregados: investimento (GD 4) e custeio (GD 3)."""
    carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=ATENDIMENTO_CSV.encode())
    carregar_catalogo(usuario=segov, tipo="aplicacao", conteudo=APLICACAO_CSV.encode())
    return {"inv": grupo_inv, "odc": grupo_odc}
