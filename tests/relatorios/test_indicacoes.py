from datetime import date
from decimal import Decimal
from shutil import which

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convenios.cnpj import formatar_cnpj, gerar_cnpj
from emendas.models import Acao, Bloco, CategoriaImpedimento, Indicacao, UnidadeOrcamentaria
from emendas.prazos import OrigemSaldo
from relatorios import base
from relatorios.definicoes.indicacoes import COLUNAS_IMPEDIMENTOS, COLUNAS_INDICACOES
from emendas.services import (
    aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, devolver_para_ajuste, enviar_indicacao,
    reprovar_indicacao,
)
from tests.conftest import logado
from tests.fabricas import convenente, em, linhas_csv, texto_do_pdf

pytestmark = pytest.mark.django_db
M = Decimal
Forma = Indicacao.FormaExecucao
LIVRE, OUTRO_DIA, RESTRITA = date(2019, 2, 1), date(2019, 2, 5), date(2019, 3, 1)
SEM_PDFTOTEXT = pytest.mark.skipif(which("pdftotext") is None, reason="pdftotext (poppler-utils) não instalado")
URLS = ["relatorio_indicacoes", "relatorio_indicacoes_csv", "relatorio_indicacoes_pdf",
        "relatorio_impedimentos", "relatorio_impedimentos_csv", "relatorio_impedimentos_pdf"]


@pytest.fixture(autouse=True)
def _janela_livre():
    with em(LIVRE):
        yield


@pytest.fixture
def cenario(inciso, fabrica, parlamentar, outro_parlamentar, analista_orgao, segov):
    """Seis indicações: 1 aprovada, 2 execução direta em análise, 3 reprovada, 4 cancelada, 5 em ajuste
    (todas de Ana, UO 4291, em 01/02) e 6 de Bruno na UO 1261, em 05/02."""
    ana = parlamentar.usuario
    prefeitura = convenente(1, "Prefeitura de Betim", "Betim")
    hospital = convenente(2, "Hospital Regional", "Contagem")
    escola = convenente(3, "Caixa Escolar Tiradentes", "Uberaba")
    categoria = CategoriaImpedimento.objects.get(exercicio__isnull=True, nome="Desistência do beneficiário")
    uo_educ = UnidadeOrcamentaria.objects.create(
        codigo="1261", nome="Secretaria de Educação", secretaria=UnidadeOrcamentaria.Secretaria.EDUCACAO)
    acao_educ = Acao.objects.create(uo=uo_educ, codigo="4001", nome="Ensino médio", area=Acao.Area.EDUCACAO)
    do_bruno = fabrica.inciso(outro_parlamentar, "1000.00", acao=acao_educ)

    def indicar(valor, benef, forma=Forma.CONVENIO, usuario=ana, no_inciso=inciso):
        return enviar_indicacao(usuario=usuario, inciso=no_inciso, forma_execucao=forma, valor=M(valor),
                                beneficiario=benef, objeto=f"Objeto {valor}")

    aprovada = indicar("1234.56", prefeitura)
    aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=aprovada)
    aprovar_indicacao_segov(usuario=segov, indicacao=aprovada)
    indicar("100.00", None, Forma.EXECUCAO_DIRETA)
    reprovada = indicar("50.00", hospital)
    cancelada = indicar("25.00", prefeitura)
    ajuste = indicar("10.00", prefeitura)
    devolver_para_ajuste(usuario=analista_orgao, indicacao=ajuste, justificativa="Detalhar o objeto.")
    with em(OUTRO_DIA):
        indicar("7.00", escola, usuario=outro_parlamentar.usuario, no_inciso=do_bruno)
    with em(RESTRITA):
        reprovar_indicacao(usuario=analista_orgao, indicacao=reprovada, categoria=categoria,
                           justificativa="O município desistiu da obra.")
        cancelar_indicacao(usuario=ana, indicacao=cancelada, justificativa="Mudança de prioridade.")
    return {"ana": ana, "bruno": outro_parlamentar.usuario, "orgao": analista_orgao, "segov": segov,
            "prefeitura": prefeitura, "hospital": hospital, "inciso": inciso, "categoria": categoria}


def numeros(resposta):
    assert resposta.status_code == 200
    return [ind.numero for ind in resposta.context["pagina"].object_list]


def _decimal(texto):
    return M(texto.replace(".", "").replace(",", "."))


def _lote(c, n, inicio):
    """*n* indicações reprovadas com todas as chaves preenchidas (direto no banco: rápido e sem regras)."""
    agora = timezone.now()
    Indicacao.objects.bulk_create([
        Indicacao(
            exercicio=c["inciso"].exercicio, numero=inicio + k, inciso=c["inciso"], forma_execucao=Forma.CONVENIO,
            beneficiario=c["prefeitura"], objeto="Lote", valor=M("1.00"), status=Indicacao.Status.REPROVADA,
            origem_saldo=OrigemSaldo.LIVRE, saldo_devolucao=OrigemSaldo.LIVRE, enviada_por=c["ana"],
            aprovada_orgao_por=c["orgao"], aprovada_orgao_em=agora, aprovada_segov_por=c["segov"],
            aprovada_segov_em=agora, encerrada_por=c["orgao"], encerrada_em=agora,
            categoria_impedimento=c["categoria"], justificativa="Lote",
        )
        for k in range(n)
    ])


# --- Valores Indicados --------------------------------------------------------------------------

def test_tela_lista_so_as_ativas_com_o_total(cenario):
    r = logado(cenario["segov"]).get(reverse("relatorio_indicacoes"))
    assert numeros(r) == [6, 5, 2, 1]  # mais recentes primeiro; 5 aguarda ajuste e é ativa
    html = r.content.decode()
    assert "4 indicações · total R$ 1.351,56" in html
    assert f"Prefeitura de Betim ({formatar_cnpj(gerar_cnpj(1))})" in html and "a definir" in html
    assert "Mostrar canceladas, reprovadas e devolvidas" in html
    assert "As devolvidas para ajuste continuam ativas e aparecem sempre." in html


def test_mostrar_encerradas_inclui_reprovadas_e_canceladas(cenario):
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1"})
    assert numeros(r) == [6, 5, 4, 3, 2, 1]
    assert "total R$ 1.426,56" in r.content.decode()
    # Escolher uma situação encerrada mostra essa situação mesmo sem marcar a opção.
    assert numeros(c.get(reverse("relatorio_indicacoes"), {"status": "CANCELADA"})) == [4]


def test_csv_tem_todas_as_colunas_e_os_valores(cenario):
    linhas = linhas_csv(logado(cenario["segov"]).get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"}))
    assert linhas[0] == COLUNAS_INDICACOES and len(linhas[0]) == 26
    por_numero = {int(l[0]): dict(zip(linhas[0], l)) for l in linhas[1:]}
    assert sorted(por_numero) == [1, 2, 3, 4, 5, 6]
    assert sum(_decimal(l["Valor"]) for l in por_numero.values()) == M("1426.56")
    um = por_numero[1]
    assert (um["Exercício"], um["Titular"], um["Inciso"], um["UO"]) == ("2019", "Ana Lacerda", "S501", "4291")
    assert um["Forma de execução"] == "Celebração de convênio / parceria"
    assert um["Beneficiário"] == f"Prefeitura de Betim ({formatar_cnpj(gerar_cnpj(1))})" and um["Município"] == "Betim"
    assert (um["Objeto"], um["Valor"], um["Situação"], um["Saldo de origem"]) == (
        "Objeto 1234.56", "1.234,56", "Aprovada", "Livre")
    assert um["Enviada em"] == "01/02/2019 12:00" and "<ana@almg.test>" in um["Enviada por"]
    assert (um["Aprovada pelo órgão por"], um["Aprovada pelo órgão em"]) == ("Otávio Órgão", "01/02/2019 12:00")
    assert (um["Aprovada pela SEGOV por"], um["Aprovada pela SEGOV em"]) == ("Sílvia SEGOV", "01/02/2019 12:00")
    assert um["Reprovada/cancelada por"] == um["Reprovada/cancelada em"] == ""
    assert um["Valor utilizado"] == um["Instrumento vinculado"] == ""
    assert por_numero[2]["Beneficiário"] == "a definir" and por_numero[2]["Município"] == ""
    tres = por_numero[3]
    assert tres["Situação"] == "Reprovada (impedimento técnico)"
    assert (tres["Reprovada/cancelada por"], tres["Reprovada/cancelada em"]) == ("Otávio Órgão", "01/03/2019 12:00")
    assert tres["Categoria do impedimento"] == "Desistência do beneficiário"
    assert tres["Justificativa"] == "O município desistiu da obra."
    assert por_numero[4]["Reprovada/cancelada por"] == "Ana Lacerda" and por_numero[4]["Situação"] == "Cancelada"
    assert por_numero[5]["Justificativa"] == "Detalhar o objeto."
    assert por_numero[6]["Enviada em"] == "05/02/2019 12:00" and por_numero[6]["UO"] == "1261"
    # Sem a opção, só as ativas.
    ativas = linhas_csv(logado(cenario["segov"]).get(reverse("relatorio_indicacoes_csv")))
    assert [int(l[0]) for l in ativas[1:]] == [6, 5, 2, 1]


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_pdf_tem_cabecalho_valores_total_e_paginas(cenario, tmp_path):
    texto = texto_do_pdf(logado(cenario["segov"]).get(reverse("relatorio_indicacoes_pdf"), {"uo": "4291"}), tmp_path)
    assert "SIGCON Saída – Valores Indicados" in texto and "Gerado em 01/02/2019 12:00" in texto
    assert "UO (código): 4291" in texto and "Emitido por Sílvia SEGOV" in texto
    assert "R$ 1.234,56" in texto and "R$ 100,00" in texto and "a definir" in texto
    assert "Total (3 indicações)" in texto and "R$ 1.344,56" in texto
    assert "R$ 7,00" not in texto and "Página 1 de 1" in texto


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_pdf_e_tela_com_muitas_linhas_paginam(cenario, tmp_path, monkeypatch):
    # 126 linhas: a tela pagina (100 por página) e o PDF, feito na hora com o limite acima delas, também.
    monkeypatch.setattr(base, "LIMITE_PDF_NA_HORA", 200)
    _lote(cenario, 120, 100)
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1"})
    assert len(numeros(r)) == 100 and "Mostrando 1–100 de 126 indicações" in r.content.decode()
    assert len(numeros(c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1", "pagina": "2"}))) == 26
    texto = texto_do_pdf(c.get(reverse("relatorio_indicacoes_pdf"), {"mostrar_encerradas": "1"}), tmp_path)
    assert "Total (126 indicações)" in texto and "R$ 1.546,56" in texto  # 1.426,56 + 120 × 1,00
    assert "Página 1 de" in texto and "Página 2 de" in texto


@pytest.mark.parametrize("filtro, esperado", [
    ({"ano": "2019"}, [6, 5, 4, 3, 2, 1]),
    ({"ano": "2020"}, []),
    ({"parlamentar": "bruno"}, [6]),
    ({"uo": "1261"}, [6]),
    ({"status": "APROVADA"}, [1]),
    ({"forma_execucao": "EXECUCAO_DIRETA"}, [2]),
    ({"municipio": "betim"}, [5, 4, 1]),
    ({"beneficiario": "hospital"}, [3]),
    ({"beneficiario": formatar_cnpj(gerar_cnpj(2))}, [3]),
    ({"de": "2019-02-05"}, [6]),
    ({"ate": "2019-02-04"}, [5, 4, 3, 2, 1]),
    ({"de": "2019-02-02", "ate": "2019-02-04"}, []),
])
def test_filtros_das_indicacoes(cenario, filtro, esperado):
    r = logado(cenario["segov"]).get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1", **filtro})
    assert numeros(r) == esperado


def test_filtro_invalido_mostra_o_erro_e_lista_vazia(cenario):
    r = logado(cenario["segov"]).get(reverse("relatorio_indicacoes"), {"ano": "dois mil"})
    assert numeros(r) == [] and "Escolha um dos exercícios carregados" in r.content.decode()


# --- Impedimento de Ordem Técnica ---------------------------------------------------------------

def test_impedimentos_tela_csv(cenario):
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_impedimentos"))
    assert numeros(r) == [3]
    html = r.content.decode()
    assert "1 indicação reprovada · total R$ 50,00" in html
    assert "Com possibilidade de remanejamento" in html and "Mostrar canceladas" not in html
    linhas = linhas_csv(c.get(reverse("relatorio_impedimentos_csv")))
    assert linhas[0] == COLUNAS_IMPEDIMENTOS
    assert linhas[1:] == [[
        "3", "S501", "4291", "Celebração de convênio / parceria", f"Hospital Regional ({formatar_cnpj(gerar_cnpj(2))})",
        "50,00", "01/03/2019 12:00", "Desistência do beneficiário", "O município desistiu da obra.",
        "Com possibilidade de remanejamento", "Otávio Órgão",
    ]]


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_impedimentos_pdf(cenario, tmp_path):
    _lote(cenario, 2, 100)
    texto = texto_do_pdf(logado(cenario["segov"]).get(reverse("relatorio_impedimentos_pdf")), tmp_path)
    assert "SIGCON Saída – Impedimento de Ordem Técnica" in texto and "Gerado em 01/02/2019 12:00" in texto
    # Colunas estreitas quebram o texto em linhas: conferir o começo.
    assert "Desistência do" in texto and "O município desistiu" in texto and "Com possibilidade de" in texto
    assert "R$ 50,00" in texto and "01/03/2019" in texto and "Otávio Órgão" in texto
    assert "Total (3 indicações)" in texto and "R$ 52,00" in texto and "Página 1 de 1" in texto


@pytest.mark.parametrize("filtro, esperado", [
    ({"uo": "4291"}, [3]),
    ({"uo": "1261"}, []),
    ({"parlamentar": "ana"}, [3]),
    ({"beneficiario": gerar_cnpj(2)[:8]}, [3]),
    ({"municipio": "Betim"}, []),
    ({"forma_execucao": "CONVENIO", "ano": "2019", "ate": "2019-02-01"}, [3]),
    # Situação não é filtro deste relatório: o parâmetro é ignorado, só reprovadas aparecem.
    ({"status": "APROVADA", "mostrar_encerradas": "1"}, [3]),
])
def test_filtros_dos_impedimentos(cenario, filtro, esperado):
    assert numeros(logado(cenario["segov"]).get(reverse("relatorio_impedimentos"), filtro)) == esperado


# --- Quem vê o quê ------------------------------------------------------------------------------

@pytest.mark.parametrize("perfil, indicacoes, impedimentos", [
    ("segov", [6, 5, 4, 3, 2, 1], [3]),
    ("ana", [5, 4, 3, 2, 1], [3]),
    ("bruno", [6], []),
    ("orgao", [5, 4, 3, 2, 1], [3]),  # analista da UO 4291 não vê a UO 1261
])
def test_visibilidade_por_perfil(cenario, perfil, indicacoes, impedimentos):
    c = logado(cenario[perfil])
    assert numeros(c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1"})) == indicacoes
    assert numeros(c.get(reverse("relatorio_impedimentos"))) == impedimentos
    linhas = linhas_csv(c.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"}))
    assert [int(l[0]) for l in linhas[1:]] == indicacoes


def test_convenente_e_recusado_e_anonimo_vai_para_o_login(cenario, convenente):
    c = logado(convenente)
    for nome in URLS:
        assert c.get(reverse(nome)).status_code == 403, nome
        assert Client().get(reverse(nome)).status_code == 302, nome


def test_filtro_com_dados_de_outro_parlamentar_devolve_vazio(cenario):
    c = logado(cenario["ana"])
    assert numeros(c.get(reverse("relatorio_indicacoes"), {"parlamentar": "Bruno", "mostrar_encerradas": "1"})) == []
    assert numeros(c.get(reverse("relatorio_indicacoes"), {"uo": "1261"})) == []
    assert len(linhas_csv(c.get(reverse("relatorio_indicacoes_csv"), {"parlamentar": "Bruno"}))) == 1
    assert len(linhas_csv(c.get(reverse("relatorio_impedimentos_csv"), {"parlamentar": "Bruno"}))) == 1


def test_membro_de_bloco_ve_as_indicacoes_do_bloco(cenario, fabrica, parlamentar, outro_parlamentar):
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fabrica.inciso(bloco, "500.00")
    enviar_indicacao(usuario=cenario["bruno"], inciso=do_bloco, forma_execucao=Forma.CONVENIO, valor=M("20.00"),
                     beneficiario=cenario["prefeitura"], objeto="Praça")
    r = logado(cenario["ana"]).get(reverse("relatorio_indicacoes"))
    assert numeros(r) == [7, 5, 2, 1] and "Bloco Minas" in r.content.decode()
    assert numeros(logado(cenario["bruno"]).get(reverse("relatorio_indicacoes"))) == [6, 7]
    assert numeros(logado(cenario["ana"]).get(reverse("relatorio_indicacoes"), {"parlamentar": "bloco"})) == [7]


# --- Consultas ----------------------------------------------------------------------------------

def _consultas(cliente, nome):
    with CaptureQueriesContext(connection) as capturadas:
        r = cliente.get(reverse(nome), {"mostrar_encerradas": "1"})
        assert r.status_code == 200
        if r.streaming:
            b"".join(r.streaming_content)  # o CSV só consulta enquanto é lido
    return len(capturadas)


@pytest.mark.pdf
def test_consultas_nao_crescem_com_as_linhas(cenario):
    clientes = {p: logado(cenario[p]) for p in ("segov", "ana", "orgao")}
    casos = [(p, nome) for p in clientes for nome in URLS if p == "ana" or not nome.endswith("_pdf")]
    poucas = {caso: _consultas(clientes[caso[0]], caso[1]) for caso in casos}
    _lote(cenario, 15, 100)  # 6 → 21 linhas: basta para um N+1 aparecer; o PDF grande só deixaria o teste lento
    muitas = {caso: _consultas(clientes[caso[0]], caso[1]) for caso in casos}
    assert muitas == poucas


def test_csv_mostra_valor_utilizado_e_proposta_vinculada(cenario):
    from convenios.services import gerar_proposta
    from emendas.models import Indicacao
    from tests.conftest import criar_usuario

    ind = Indicacao.objects.get(numero=1)
    usuario = criar_usuario("rl@betim.test", "Convenente", "Representante de Betim")
    ind.beneficiario.usuarios.add(usuario)
    proposta = gerar_proposta(usuario=usuario, convenente=ind.beneficiario, indicacoes={ind: M("600.00")}, objeto="Obra")
    linhas = linhas_csv(logado(cenario["segov"]).get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"}))
    por_numero = {int(l[0]): dict(zip(linhas[0], l)) for l in linhas[1:]}
    assert por_numero[1]["Valor utilizado"] == "600,00"
    assert por_numero[1]["Instrumento vinculado"] == f"Proposta nº {proposta.pk}"
    assert por_numero[2]["Valor utilizado"] == ""


def test_tela_ordena_pelas_colunas_e_ignora_ordem_desconhecida(cenario):
    c = logado(cenario["segov"])
    valores = lambda r: [ind.valor for ind in r.context["pagina"].object_list]  # noqa: E731
    crescente = valores(c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1", "ordem": "valor"}))
    assert crescente == sorted(crescente) and len(crescente) == 6
    decrescente = valores(c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1", "ordem": "-valor"}))
    assert decrescente == sorted(crescente, reverse=True)
    r = c.get(reverse("relatorio_indicacoes"), {"mostrar_encerradas": "1", "ordem": "senha; drop table"})
    assert r.status_code == 200 and numeros(r) == [6, 5, 4, 3, 2, 1]  # padrão: mais recentes primeiro
    html = c.get(reverse("relatorio_indicacoes"), {"ordem": "valor"}).content.decode()
    assert 'aria-sort="ascending"><a href="?ordem=-valor">Valor</a>' in html
    # CSV e PDF seguem a mesma ordem da tela.
    linhas = linhas_csv(c.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1", "ordem": "valor"}))
    assert [_decimal(l[10]) for l in linhas[1:]] == crescente
