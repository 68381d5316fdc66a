"""Cenário dos testes de relatórios (fixtures); os leitores de CSV e PDF estão em tests/fabricas.py."""

from datetime import date
from decimal import Decimal
from shutil import which

import pytest

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from relatorios import acesso as relatorios_acesso
from emendas.models import Acao, Bloco, CategoriaImpedimento, Indicacao, UnidadeOrcamentaria
from emendas.services import aprovar_remanejamento, solicitar_remanejamento
from emendas.services import (
    aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, enviar_indicacao, reprovar_indicacao,
)
from tests.conftest import criar_usuario, logado  # noqa: F401  (logado: usado pelos testes deste pacote)
from tests.fabricas import em

M = Decimal
Forma = Indicacao.FormaExecucao
LIVRE = date(2019, 2, 1)
SEM_PDFTOTEXT = pytest.mark.skipif(which("pdftotext") is None, reason="pdftotext (poppler-utils) não instalado")
RELATORIOS = ["incisos", "totalizacao", "parlamentares", "saldos"]


@pytest.fixture(autouse=True)
def _janela_livre():
    with em(LIVRE):
        yield


@pytest.fixture
def visualizador(db):
    return criar_usuario("vera@segov.test", relatorios_acesso.VISUALIZADOR, "Vera Visualizadora")


@pytest.fixture
def cenario(inciso, fabrica, parlamentar, outro_parlamentar, analista_orgao, segov, visualizador, convenente,
            programacoes, acao_saude_2, grupo_inv, grupo_odc):
    """Cinco incisos em 01/02/2019 (janela livre):

    * S501 de Ana (UO 4291, ação 4470, grupo 4): 1.000.000,00; remanejou 100.000,00 (aprovado → R1) e pediu
      20.000,00 (pendente); indicações 1.234,56 aprovada + 100,00 em análise, 50,00 reprovada e 25,00 cancelada;
    * S502 de Ana (UO 1261, ação 4001, grupo 3): 200.000,00;
    * S503 de Bruno (UO 1261, ação 4001, grupo 3): 300.000,00, indicação de 7,00 em análise;
    * S504 do Bloco Minas (responsável Bruno, Ana é membro; UO 4291, 4470, grupo 4): 50.000,00;
    * R1 de Ana (UO 4291, ação 4471, grupo 3): 100.000,00, origem S501.
    O analista do órgão analisa a UO 4291: vê S501, S504 e R1.
    """
    ana = parlamentar.usuario
    uo_educ = UnidadeOrcamentaria.objects.create(
        codigo="1261", nome="Secretaria de Educação", secretaria=UnidadeOrcamentaria.Secretaria.EDUCACAO)
    acao_educ = Acao.objects.create(uo=uo_educ, codigo="4001", nome="Ensino médio", area=Acao.Area.EDUCACAO)
    s502 = fabrica.inciso(parlamentar, "200000.00", acao=acao_educ, grupo=grupo_odc)
    s503 = fabrica.inciso(outro_parlamentar, "300000.00", acao=acao_educ, grupo=grupo_odc)
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    s504 = fabrica.inciso(bloco, "50000.00")
    rem = solicitar_remanejamento(usuario=ana, inciso=inciso, acao=acao_saude_2, grupo_despesa=grupo_odc,
                                  valor=M("100000.00"))
    r1 = aprovar_remanejamento(usuario=segov, remanejamento=rem)
    solicitar_remanejamento(usuario=ana, inciso=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv,
                            valor=M("20000.00"))
    prefeitura = Convenente.objects.create(cnpj=gerar_cnpj(1), razao_social="Prefeitura de Betim", municipio="Betim",
                                           tipo="OUTRO")

    def indicar(valor, no_inciso=inciso, usuario=ana, forma=Forma.CONVENIO):
        return enviar_indicacao(usuario=usuario, inciso=no_inciso, forma_execucao=forma, valor=M(valor),
                                beneficiario=None if forma == Forma.EXECUCAO_DIRETA else prefeitura,
                                objeto=f"Objeto {valor}")

    aprovada = indicar("1234.56")
    aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=aprovada)
    aprovar_indicacao_segov(usuario=segov, indicacao=aprovada)
    indicar("100.00", forma=Forma.EXECUCAO_DIRETA)
    reprovar_indicacao(usuario=analista_orgao, indicacao=indicar("50.00"),
                       categoria=CategoriaImpedimento.objects.filter(exercicio__isnull=True).first(),
                       justificativa="Desistência.")
    cancelar_indicacao(usuario=ana, indicacao=indicar("25.00"), justificativa="Mudou de ideia.")
    indicar("7.00", no_inciso=s503, usuario=outro_parlamentar.usuario)
    return {
        "ana": ana, "bruno": outro_parlamentar.usuario, "orgao": analista_orgao, "segov": segov,
        "visualizador": visualizador, "convenente": convenente, "s501": inciso, "s502": s502, "s503": s503,
        "s504": s504, "r1": r1, "parlamentar": parlamentar, "exercicio": inciso.exercicio,
    }
