"""O número de consultas de cada tela do núcleo não depende do tamanho dos dados (issue 13).

Cada tela é aberta com um cenário pequeno (10 incisos, 10 pedidos e 10 indicações em cada fila) e com um grande
(500 de cada): as consultas têm de ser as mesmas, em número. Tempo não se mede aqui (vai para o ``make bench``).
"""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contas import perfis
from emendas.models import Acao, Bloco, Inciso, Parlamentar, UnidadeOrcamentaria
from tests.conftest import criar_usuario, logado, meio_dia
from tests.fabricas import convenente, lote_das_paginas

pytestmark = pytest.mark.django_db
LIVRE = date(2019, 2, 1)
POUCOS, MUITOS = 10, 500


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def telas(exercicio, parlamentar, segov, analista_orgao, uo_saude, acao_saude, grupo_inv):
    """Ana vê os seus incisos e os do bloco de Carla (membro, só lê); o analista, os da UO 4291."""
    carla = Parlamentar.objects.create(usuario=criar_usuario("carla@almg.test", perfis.PARLAMENTAR), nome="Carla")
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=carla)
    bloco.membros.add(parlamentar)
    outras = [UnidadeOrcamentaria.objects.create(codigo=f"15{k}1", nome=f"Secretaria {k}") for k in range(2)]
    acoes = [acao_saude] + [Acao.objects.create(uo=uo, codigo="2000", nome="Ação") for uo in outras]
    dados = {"exercicio": exercicio, "parlamentar": parlamentar, "bloco": bloco, "acoes": acoes, "grupo": grupo_inv,
             "usuario": parlamentar.usuario, "beneficiario": convenente(71, "APAE de Betim", "Betim")}

    def crescer(ate):
        lote_das_paginas(**dados, n=ate - Inciso.objects.filter(tipo="S").count())

    return {"crescer": crescer, "parlamentar": parlamentar.usuario, "segov": segov, "orgao": analista_orgao,
            "uo": uo_saude}


def consultas(cliente, url, dados=None, **cabecalhos):
    cliente.get(url, dados, **cabecalhos)  # aquecimento: sessão e caches de processo ficam de fora da conta
    with CaptureQueriesContext(connection) as capturadas:
        resposta = cliente.get(url, dados, **cabecalhos)
    assert resposta.status_code == 200
    return len(capturadas), resposta


# (quem, rota, parâmetros, o que a tela grande mostra)
TELAS = [
    ("parlamentar", "inicio", {}, "S30499"),
    ("segov", "inicio", {}, "Bloco Minas"),
    ("segov", "emendas:analise_remanejamentos", {}, "500 pedido(s)"),
    ("segov", "emendas:analise_segov", {}, "500 indicação(ões)"),
    ("orgao", "emendas:analise_orgao", {}, "indicação(ões)"),
    ("parlamentar", "emendas:remanejamentos", {"uo": "uo"}, "S30497"),
    ("parlamentar", "emendas:indicacoes", {}, "S30499"),
    ("parlamentar", "emendas:visualizar_indicacoes", {}, "1000 indicação(ões)"),
    ("segov", "emendas:visualizar_indicacoes", {}, "1000 indicação(ões)"),
]


@pytest.mark.parametrize("quem, rota, parametros, na_tela", TELAS, ids=[f"{t[0]}-{t[1]}" for t in TELAS])
def test_consultas_da_tela_nao_crescem_com_os_dados(telas, quem, rota, parametros, na_tela):
    cliente = logado(telas[quem])
    parametros = {k: telas["uo"].pk if v == "uo" else v for k, v in parametros.items()}
    telas["crescer"](POUCOS)
    poucas, _ = consultas(cliente, reverse(rota), parametros)
    telas["crescer"](MUITOS)
    muitas, resposta = consultas(cliente, reverse(rota), parametros)
    assert na_tela in resposta.content.decode()
    print("CONTAGEM", quem, rota, poucas, muitas)
    assert muitas == poucas, f"{rota}: {poucas} consultas com {POUCOS}, {muitas} com {MUITOS}"
