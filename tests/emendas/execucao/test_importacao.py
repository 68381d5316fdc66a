"""Importação do controle de execução (XLSX e CSV no formato do manual): tudo ou nada, com o erro de cada linha."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from emendas import arquivos_importacao, selectors
from emendas.execucao.importacao import CABECALHO_EXECUCAO, importar_execucao
from emendas.importacao import ErroImportacao
from emendas.models import ExecucaoIndicacao, Inciso, RegistroExecucao

from .conftest import LIVRE, aprovada, em

pytestmark = pytest.mark.django_db
M = Decimal


def csv_de(*linhas) -> bytes:
    return ("\n".join([";".join(CABECALHO_EXECUCAO), *(";".join(l) for l in linhas)]) + "\n").encode("utf-8-sig")


def xlsx_de(*linhas) -> bytes:
    livro = Workbook()
    aba = livro.active
    aba.append(CABECALHO_EXECUCAO + [None, None])  # colunas vazias de formatação à direita
    for linha in linhas:
        aba.append(list(linha))
    saida = io.BytesIO()
    livro.save(saida)
    return saida.getvalue()


@pytest.fixture
def duas(e):
    return aprovada(e, "100000.00"), aprovada(e, "50000.00")


def test_csv_bom_registra_todas_as_linhas_com_o_impedimento_parcial(e, duas):
    a, b = duas
    conteudo = csv_de(
        (str(a.numero), "100.000,00", "90.000,00", "2019NE000001", "01/02/2019", "80.000,00", "70.000,00",
         "01/02/2019", "", ""),
        (str(b.numero), "30.000,00", "0", "", "", "0", "0", "", e["cat"].nome.upper(), "A obra custou menos."),
    )
    with em(LIVRE):
        antes = selectors.saldos_inciso(Inciso.objects.get(pk=e["inciso"].pk), LIVRE)
        resultado = importar_execucao(usuario=e["orgao"], conteudo=conteudo, ano=2019)
        depois = selectors.saldos_inciso(Inciso.objects.get(pk=e["inciso"].pk), LIVRE)
    assert resultado.atualizados["execuções"] == 2 and resultado.criados["impedimentos parciais"] == 1
    ex_a, ex_b = ExecucaoIndicacao.objects.get(indicacao=a), ExecucaoIndicacao.objects.get(indicacao=b)
    assert (ex_a.empenhado, ex_a.pago, ex_a.data_empenho) == (M("90000.00"), M("70000.00"), date(2019, 2, 1))
    assert ex_b.valor_impedido == M("20000.00") and ex_b.categoria_impedimento == e["cat"]
    assert set(RegistroExecucao.objects.values_list("fonte", flat=True)) == {"IMPORTACAO"}
    assert depois.livre == antes.livre + M("20000.00")


def test_xlsx_com_numeros_e_datas_nas_celulas(e, duas):
    a, b = duas
    conteudo = xlsx_de(
        (a.numero, 100000, 99999.5, "NE-9", date(2019, 1, 30), 99999.5, 1234.56, date(2019, 2, 1), None, None),
        (b.numero, "50.000,00", "0", None, None, None, None, None, None, None),
    )
    with em(LIVRE):
        importar_execucao(usuario=e["segov"], conteudo=conteudo, ano=2019)
    ex_a = ExecucaoIndicacao.objects.get(indicacao=a)
    assert (ex_a.utilizado, ex_a.empenhado, ex_a.pago) == (M("100000.00"), M("99999.50"), M("1234.56"))
    assert ex_a.data_empenho == date(2019, 1, 30) and ex_a.data_pagamento == date(2019, 2, 1)
    assert ExecucaoIndicacao.objects.get(indicacao=b).utilizado == M("50000.00")


@pytest.mark.parametrize("linha_ruim, onde", [
    (("{b}", "50.000,00", "0", "", "31/02/2019", "0", "0", "", "", ""), "Linha 3, campo “data_empenho”"),
    (("{b}", "50,000.00", "0", "", "", "0", "0", "", "", ""), "Linha 3, campo “valor_utilizado”"),
    (("99999", "1,00", "0", "", "", "0", "0", "", "", ""), "Linha 3, campo “indicacao”"),
    (("{b}", "50.000,00", "10,00", "NE", "", "20,00", "0", "", "", ""), "Linha 3: O valor liquidado"),
    (("{b}", "10.000,00", "0", "", "", "0", "0", "", "", ""), "Linha 3: O valor utilizado é menor"),
    (("{b}", "10.000,00", "0", "", "", "0", "0", "", "Inexistente", "x"), "campo “categoria_impedimento”"),
    (("{a}", "100.000,00", "0", "", "", "0", "0", "", "", ""), "indicação repetida (já na linha 2)"),
])
def test_uma_linha_ruim_e_nada_muda(e, duas, linha_ruim, onde):
    a, b = duas
    boa = (str(a.numero), "100.000,00", "0", "", "", "0", "0", "", "", "")
    ruim = tuple(c.format(a=a.numero, b=b.numero) for c in linha_ruim)
    with em(LIVRE), pytest.raises(ErroImportacao) as erro:
        importar_execucao(usuario=e["orgao"], conteudo=csv_de(boa, ruim), ano=2019)
    assert any(onde in str(x) for x in erro.value.erros), [str(x) for x in erro.value.erros]
    assert not ExecucaoIndicacao.objects.exists() and not RegistroExecucao.objects.exists()


def test_linha_de_indicacao_de_outro_orgao_e_recusada(e, duas, outro_parlamentar):
    from contas import perfis
    from emendas.models import UnidadeOrcamentaria
    from tests.conftest import criar_usuario

    a, _ = duas
    outra = UnidadeOrcamentaria.objects.create(codigo="1261", nome="Educação")
    de_fora = criar_usuario("educ@educ.test", perfis.ORGAO, "Analista da educação")
    outra.analistas.add(de_fora)
    with em(LIVRE), pytest.raises(ErroImportacao, match="Somente o analista"):
        importar_execucao(usuario=de_fora, conteudo=csv_de((str(a.numero), "100.000,00", "0", "", "", "0", "0", "",
                                                            "", "")), ano=2019)
    assert not ExecucaoIndicacao.objects.exists()


def test_cabecalho_errado_e_arquivo_ilegivel(e):
    with pytest.raises(ErroImportacao, match="cabeçalho"):
        importar_execucao(usuario=e["orgao"], conteudo=b"indicacao;valor\n1;2\n", ano=2019)
    with pytest.raises(ErroImportacao, match="XLSX"):
        importar_execucao(usuario=e["orgao"], conteudo=b"PK\x03\x04lixo", ano=2019)


def test_previa_nao_grava_e_a_confirmacao_grava(e, duas):
    a, _ = duas
    conteudo = csv_de((str(a.numero), "100.000,00", "0", "", "", "0", "0", "", "", ""))
    with em(LIVRE):
        previa = arquivos_importacao.executar_importacao(tipo="execucao", conteudo=conteudo, ano=2019,
                                                         publicacao=None, simular=True, usuario=e["orgao"])
        assert previa.simulado and not ExecucaoIndicacao.objects.exists()
        guardada = arquivos_importacao.guardar_previa(usuario=e["orgao"], tipo="execucao", ano=2019, publicacao=None,
                                                      nome_original="execucao.csv", conteudo=conteudo)
        arquivos_importacao.confirmar_previa(usuario=e["orgao"], id_previa=str(guardada.pk))
    assert ExecucaoIndicacao.objects.get().utilizado == M("100000.00")
