"""O README e o ARCHITECTURE.md só apontam para dentro do repositório (um clone novo acha tudo o que citam)."""

import re
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("arquivo", ["README.md", "ARCHITECTURE.md"])
def test_links_e_caminhos_citados_existem_no_repositorio(arquivo):
    texto = (RAIZ / arquivo).read_text(encoding="utf-8")
    assert "../" not in texto, "caminho para fora do repositório"
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", texto)
    assert any(link.startswith("docs/") for link in links)
    faltando = [link for link in links if "://" not in link and not (RAIZ / link).exists()]
    assert not faltando, faltando


def test_regras_no_repositorio_trazem_o_quadro_que_manda():
    assert "## Decisions (binding)" in (RAIZ / "docs" / "DOMAIN.md").read_text(encoding="utf-8")
    resumo = (RAIZ / "docs" / "REGRAS.md").read_text(encoding="utf-8")
    assert "Para onde o dinheiro volta" in resumo and "](DOMAIN.md)" in resumo
