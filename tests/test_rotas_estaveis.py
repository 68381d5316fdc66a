"""As URLs de antes da reorganização em pacotes (issue 12) continuam as mesmas: mesmo caminho, mesmo nome.

``rotas_antes_da_arquitetura.json`` foi tirado do ``sigcon.urls`` antes de mover as views (admin à parte, ele é
do Django). Rotas novas podem aparecer; nenhuma das antigas pode sumir, mudar de caminho ou de nome.
"""

import json
import re
from pathlib import Path

import pytest
from django.urls import resolve, reverse

ROTAS = json.loads((Path(__file__).parent / "rotas_antes_da_arquitetura.json").read_text())
EXEMPLOS = {"int": "7", "str": "aprovar_orgao", "slug": "x-1", "path": "a/b", None: "MQ"}
_CONVERSOR = re.compile(r"<(?:(\w+):)?(\w+)>")


def _exemplo(caminho: str) -> tuple[str, dict]:
    kwargs = {}

    def trocar(m):
        valor = "x-y" if m.group(2) == "token" else EXEMPLOS[m.group(1)]
        kwargs[m.group(2)] = int(valor) if m.group(1) == "int" else valor
        return valor

    return "/" + _CONVERSOR.sub(trocar, caminho), kwargs


def test_o_retrato_tem_as_rotas_do_sistema():
    assert len(ROTAS) > 70 and all(r["nome"] for r in ROTAS)


@pytest.mark.parametrize("rota", ROTAS, ids=[r["nome"] for r in ROTAS])
def test_rota_antiga_tem_o_mesmo_caminho_e_o_mesmo_nome(rota):
    url, kwargs = _exemplo(rota["caminho"])
    assert reverse(rota["nome"], kwargs=kwargs) == url
    assert resolve(url).view_name == rota["nome"]
