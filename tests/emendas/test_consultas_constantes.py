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
from emendas.models import Acao, Bloco, Indicacao, Inciso, OrigemSaldo, Parlamentar, UnidadeOrcamentaria
from sigcon.texto import numero_pt
from tests.conftest import criar_usuario, logado, meio_dia
from tests.fabricas import M, convenente, lote_das_paginas

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
    ("segov", "emendas:analise_remanejamentos", {}, "500 pedidos de remanejamento"),
    ("segov", "emendas:analise_segov", {}, "500 indicações"),
    ("orgao", "emendas:analise_orgao", {}, "indicações"),
    ("parlamentar", "emendas:remanejamentos", {"uo": "uo"}, "S30497"),
    ("parlamentar", "emendas:indicacoes", {}, "S30499"),
    ("parlamentar", "emendas:visualizar_indicacoes", {}, "1.000 indicações"),
    ("segov", "emendas:visualizar_indicacoes", {}, "1.000 indicações"),
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
    assert muitas == poucas, f"{rota}: {poucas} consultas com {POUCOS}, {muitas} com {MUITOS}"


def _indicar_em_lote(inciso, usuario, beneficiario, ate):
    """*ate* indicações no inciso (sem *beneficiario*, todas de execução direta), direto no banco."""
    ja = Indicacao.objects.filter(inciso=inciso).count()
    Indicacao.objects.bulk_create([
        Indicacao(exercicio=inciso.exercicio, numero=k + 1, inciso=inciso, objeto="Lote", valor=M("1.00"),
                  forma_execucao="CONVENIO" if beneficiario and k % 2 else "EXECUCAO_DIRETA",
                  beneficiario=beneficiario if k % 2 else None,
                  origem_saldo=OrigemSaldo.LIVRE, enviada_por=usuario)
        for k in range(ja, ate)
    ])


@pytest.mark.parametrize("trecho", [False, True], ids=["pagina", "trecho-htmx"])
def test_consultas_das_indicacoes_do_inciso_nao_crescem(inciso, parlamentar, trecho):
    cliente = logado(parlamentar.usuario)
    beneficiario = convenente(72, "Prefeitura de Sabará", "Sabará")
    cabecalhos = {"HTTP_HX_REQUEST": "true"} if trecho else {}
    contagens = []
    for n in (POUCOS, MUITOS):
        _indicar_em_lote(inciso, parlamentar.usuario, beneficiario, n)
        contagens.append(consultas(cliente, reverse("emendas:indicacoes_do_inciso", args=[inciso.pk]),
                                   **cabecalhos))
    (poucas, _), (muitas, resposta) = contagens
    assert f"{numero_pt(MUITOS)} indicações do inciso {inciso.numero}" in resposta.content.decode()
    assert muitas == poucas


def test_consultas_da_pagina_do_inciso_nao_crescem(inciso, parlamentar):
    """A página do inciso não lê as indicações (vêm depois, pelo htmx): nem mais consultas, nem linhas na página."""
    cliente = logado(parlamentar.usuario)
    url = reverse("emendas:inciso", args=[inciso.pk])
    _indicar_em_lote(inciso, parlamentar.usuario, None, POUCOS)
    poucas, _ = consultas(cliente, url)
    _indicar_em_lote(inciso, parlamentar.usuario, None, MUITOS)
    muitas, resposta = consultas(cliente, url)
    assert muitas == poucas and "Lote" not in resposta.content.decode()


def _remanejar_em_lote(inciso, usuario, ate):
    """*ate* remanejamentos pendentes do inciso, cada um com o seu registro no histórico, direto no banco."""
    from emendas.models import RegistroRemanejamento, Remanejamento

    ja = Remanejamento.objects.filter(inciso_origem=inciso).count()
    novos = Remanejamento.objects.bulk_create([
        Remanejamento(inciso_origem=inciso, acao=inciso.acao, grupo_despesa=inciso.grupo_despesa, valor=M("1.00"),
                      saldo_origem=OrigemSaldo.LIVRE, solicitado_por=usuario)
        for _ in range(ja, ate)
    ])
    RegistroRemanejamento.objects.bulk_create([
        RegistroRemanejamento(remanejamento=r, usuario=usuario, status_novo="SOLICITADO", valor=r.valor) for r in novos
    ])


def test_consultas_da_pagina_do_inciso_nao_crescem_com_remanejamentos(inciso, parlamentar):
    """A página do inciso não lê os remanejamentos (vêm depois, pelo htmx): nem mais consultas, nem linhas na página."""
    cliente = logado(parlamentar.usuario)
    url = reverse("emendas:inciso", args=[inciso.pk])
    _remanejar_em_lote(inciso, parlamentar.usuario, POUCOS)
    poucas, _ = consultas(cliente, url)
    _remanejar_em_lote(inciso, parlamentar.usuario, MUITOS)
    muitas, resposta = consultas(cliente, url)
    assert muitas == poucas, f"{poucas} consultas com {POUCOS} remanejamentos, {muitas} com {MUITOS}"
    assert "mais recentes" not in resposta.content.decode()


@pytest.mark.parametrize("trecho", [False, True], ids=["pagina", "trecho-htmx"])
def test_consultas_dos_remanejamentos_do_inciso_nao_crescem(inciso, parlamentar, trecho):
    """Os remanejamentos do inciso (com os incisos gerados) saem de uma consulta limitada, qualquer que seja o total."""
    cliente = logado(parlamentar.usuario)
    url = reverse("emendas:remanejamentos_do_inciso", args=[inciso.pk])
    cabecalhos = {"HTTP_HX_REQUEST": "true"} if trecho else {}
    contagens = []
    for n in (POUCOS, MUITOS):
        _remanejar_em_lote(inciso, parlamentar.usuario, n)
        contagens.append(consultas(cliente, url, **cabecalhos))
    (poucas, _), (muitas, resposta) = contagens
    assert muitas == poucas, f"{poucas} consultas com {POUCOS} remanejamentos, {muitas} com {MUITOS}"
    assert "Os 50 mais recentes" in resposta.content.decode()


@pytest.mark.parametrize("trecho", [False, True], ids=["pagina", "trecho-htmx"])
def test_consultas_do_historico_do_inciso_nao_crescem(inciso, parlamentar, trecho):
    from emendas.models import RegistroIndicacao

    cliente = logado(parlamentar.usuario)
    url = reverse("emendas:historico_do_inciso", args=[inciso.pk])
    cabecalhos = {"HTTP_HX_REQUEST": "true"} if trecho else {}
    contagens = []
    for n in (POUCOS, MUITOS):
        _indicar_em_lote(inciso, parlamentar.usuario, None, n)
        _remanejar_em_lote(inciso, parlamentar.usuario, n)
        RegistroIndicacao.objects.bulk_create([
            RegistroIndicacao(indicacao=i, usuario=parlamentar.usuario, status_novo=i.status)
            for i in Indicacao.objects.filter(inciso=inciso, registros__isnull=True)
        ])
        contagens.append(consultas(cliente, url, **cabecalhos))
    (poucas, _), (muitas, resposta) = contagens
    assert muitas == poucas
    assert resposta.content.decode().count('<li class="border-bottom') == 50
