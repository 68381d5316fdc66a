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
