"""Cenário e auxiliares dos testes de relatórios (fixtures aqui; funções importadas pelos módulos)."""

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal
from shutil import which

import pytest
import time_machine

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from relatorios import acesso as relatorios_acesso
from emendas.models import Acao, Bloco, CategoriaImpedimento, Emenda, Indicacao, Inciso, UnidadeOrcamentaria
from emendas.prazos import OrigemSaldo
from emendas.services import aprovar_remanejamento, solicitar_remanejamento
from emendas.services_indicacao import (
    aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, enviar_indicacao, reprovar_indicacao,
)
from tests.conftest import criar_usuario, logado, meio_dia  # noqa: F401  (logado: usado pelos testes deste pacote)

M = Decimal
Forma = Indicacao.FormaExecucao
LIVRE = date(2019, 2, 1)
SEM_PDFTOTEXT = pytest.mark.skipif(which("pdftotext") is None, reason="pdftotext (poppler-utils) não instalado")
RELATORIOS = ["incisos", "totalizacao", "parlamentares", "saldos"]


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


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


# --- auxiliares ------------------------------------------------------------------------------------

def _csv(resposta):
    assert resposta.status_code == 200 and resposta.streaming
    corpo = b"".join(resposta.streaming_content)
    assert corpo.startswith(b"\xef\xbb\xbf")
    linhas = list(csv.reader(io.StringIO(corpo.decode("utf-8-sig")), delimiter=";"))
    return linhas[0], [dict(zip(linhas[0], l)) for l in linhas[1:]]


def _pdf_texto(resposta, tmp_path):
    assert resposta.status_code == 200 and resposta["Content-Type"] == "application/pdf"
    return _texto(resposta.content, tmp_path)


def _texto(conteudo, tmp_path):
    if which("pdftotext") is None:
        print("pdftotext (poppler-utils) não instalado: conteúdo do PDF não conferido")
        pytest.skip("pdftotext (poppler-utils) não instalado")
    arquivo = tmp_path / "r.pdf"
    arquivo.write_bytes(conteudo)
    return subprocess.run(["pdftotext", "-layout", str(arquivo), "-"], capture_output=True, text=True,
                          check=True).stdout


def _numeros(resposta):
    """Números dos incisos na página (relatórios por inciso)."""
    assert resposta.status_code == 200
    return [l.inciso.numero for l in resposta.context["pagina"].object_list]


def _por(linhas, coluna):
    return {l[coluna]: l for l in linhas}


def _lote_incisos(c, n, indicacoes_por_inciso=2):
    """*n* incisos de Ana (UO 4291) com indicações, direto no banco: rápido e sem regras."""
    ex, s501 = c["exercicio"], c["s501"]
    emenda = Emenda.objects.create(exercicio=ex, numero=9000 + Emenda.objects.count(),
                                   parlamentar=c["parlamentar"])
    base = Inciso.objects.filter(exercicio=ex).count()
    novos = Inciso.objects.bulk_create([
        Inciso(exercicio=ex, emenda=emenda, numero=f"S{7000 + base + k}", tipo="S", acao=s501.acao,
               grupo_despesa=s501.grupo_despesa, valor_inicial=M("1000.00"))
        for k in range(n)
    ])
    ultimo = Indicacao.objects.filter(exercicio=ex).order_by("-numero").values_list("numero", flat=True).first() or 0
    status = [Indicacao.Status.APROVADA, Indicacao.Status.REPROVADA]
    categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    # Metade aprovada (pelo órgão e pela SEGOV), metade reprovada por impedimento: coerentes com a situação.
    Indicacao.objects.bulk_create([
        Indicacao(exercicio=ex, numero=ultimo + 1 + k * indicacoes_por_inciso + j, inciso=i,
                  forma_execucao=Forma.EXECUCAO_DIRETA, objeto="Lote", valor=M("10.00"), status=status[j % 2],
                  origem_saldo=OrigemSaldo.LIVRE, saldo_devolucao=OrigemSaldo.LIVRE if j % 2 else "",
                  enviada_por=c["ana"], aprovada_orgao_em=meio_dia(LIVRE), aprovada_segov_em=meio_dia(LIVRE),
                  encerrada_em=meio_dia(LIVRE) if j % 2 else None,
                  categoria_impedimento=categoria if j % 2 else None, justificativa="Lote" if j % 2 else "")
        for k, i in enumerate(novos) for j in range(indicacoes_por_inciso)
    ])
    return novos


