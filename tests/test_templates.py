"""Conferências de todos os templates que valem para qualquer tela."""

import re
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(p for p in RAIZ.glob("**/templates/**/*.html") if ".venv" not in p.parts)


def test_ha_templates_para_conferir():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("arquivo", TEMPLATES, ids=[str(p.relative_to(RAIZ)) for p in TEMPLATES])
def test_comentario_de_uma_linha_fecha_na_mesma_linha(arquivo):
    # {# ... #} do Django vale só numa linha: aberto numa e fechado noutra, o texto aparece na página
    # (aconteceu com o texto da fase, visto na captura do painel). Comentário longo: {% comment %}.
    abertos = [n for n, linha in enumerate(arquivo.read_text(encoding="utf-8").splitlines(), 1)
               if re.search(r"\{#(?!.*#\})", linha)]
    assert not abertos, f"{arquivo.name}: comentário {{# sem #}} na mesma linha (linhas {abertos}); use {{% comment %}}"


# PDF e e-mail não são telas: a tabela do PDF é lida no papel; as de tela precisam da legenda para o leitor.
TELAS_COM_TABELA = [p for p in TEMPLATES if "<table" in p.read_text(encoding="utf-8") and not p.name.endswith("_pdf.html")
                    and p.name not in {"pdf.html", "_estilo_pdf.html"}
                    and "emails" not in p.parts and "bench" not in p.parts]


@pytest.mark.parametrize("arquivo", TELAS_COM_TABELA, ids=[str(p.relative_to(RAIZ)) for p in TELAS_COM_TABELA])
def test_toda_tabela_de_dados_tem_legenda(arquivo):
    texto = arquivo.read_text(encoding="utf-8")
    tabelas, legendas = texto.count("<table"), texto.count("<caption")
    assert legendas >= tabelas, f"{arquivo.name}: <table> {tabelas}, <caption> {legendas}"


def test_a_tabela_das_indicacoes_de_cada_inciso_tem_legenda():
    # Desenhada em Python (emendas/templatetags/indicacoes_lista.py), fora dos templates.
    codigo = (RAIZ / "emendas/templatetags/indicacoes_lista.py").read_text(encoding="utf-8")
    assert codigo.count("<table") == codigo.count("<caption")
