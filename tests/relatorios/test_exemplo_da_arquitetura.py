"""O exemplo "Como adicionar um relatório" do ARCHITECTURE.md funciona de verdade: a declaração do texto,
executada como está, ganha tela, CSV, PDF e visibilidade (o documento não pode mentir para quem o segue)."""

import re
import sys
import types
from pathlib import Path

import pytest
from django.urls import include, path, reverse

from relatorios import registro
from relatorios.urls import rotas
from sigcon import urls as urls_do_sistema
from tests.fabricas import ler_csv, texto_do_pdf
from tests.relatorios.conftest import logado

pytestmark = pytest.mark.django_db
ARQUITETURA = Path(__file__).resolve().parents[2] / "ARCHITECTURE.md"


def _codigo_da_declaracao() -> str:
    texto = ARQUITETURA.read_text(encoding="utf-8")
    secao = texto.split("## Como adicionar um relatório", 1)[1]
    blocos = re.findall(r"```python\n(.*?)```", secao, re.S)
    assert blocos and blocos[0].startswith("# relatorios/definicoes/por_uo.py"), "exemplo sumiu do ARCHITECTURE.md"
    return blocos[0]


@pytest.fixture
def por_uo(settings):
    modulo = types.ModuleType("relatorios.definicoes.por_uo")
    modulo.__package__ = "relatorios.definicoes"
    sys.modules[modulo.__name__] = modulo
    exec(compile(_codigo_da_declaracao(), "ARCHITECTURE.md", "exec"), modulo.__dict__)  # registra o relatório
    urls = types.ModuleType("tests.relatorios.urls_por_uo")
    urls.urlpatterns = [*urls_do_sistema.urlpatterns, path("relatorios/", include(rotas([modulo.POR_UO])))]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    yield modulo.POR_UO
    registro.remover("por_uo")
    del sys.modules[modulo.__name__], sys.modules[urls.__name__]


def test_declaracao_do_documento_vira_tela_csv_e_regra_de_acesso(por_uo, cenario, django_assert_max_num_queries):
    segov = logado(cenario["segov"])
    with django_assert_max_num_queries(15):
        r = segov.get(reverse("relatorio_por_uo"), {"ordem": "-valor"})
    assert r.status_code == 200 and "Saldos por UO" in r.content.decode() and "4291" in r.content.decode()
    cabecalho, linhas = ler_csv(segov.get(reverse("relatorio_por_uo_csv")))
    assert cabecalho == ["UO", "Incisos", "Valor do inciso"]
    assert {linha["UO"] for linha in linhas} >= {"4291", "1261"}
    assert logado(cenario["convenente"]).get(reverse("relatorio_por_uo")).status_code == 403


@pytest.mark.pdf
def test_declaracao_do_documento_vira_pdf(por_uo, cenario, tmp_path):
    texto = texto_do_pdf(logado(cenario["segov"]).get(reverse("relatorio_por_uo_pdf")), tmp_path)
    assert "Saldos por UO" in texto and "Total" in texto
