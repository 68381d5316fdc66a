"""Fumaça dos pisos do bench (``bench/urls.py``): cada um responde 200 para o usuário certo, manda ao login quem
não entrou e nega (403) a outro perfil; e nenhum está nas rotas de produção (``sigcon.urls``).

Os pisos são SQL cru do PostgreSQL (``FILTER``, ``= ANY``, ``string_agg``): no SQLite só o último teste roda.
"""

from pathlib import Path

import pytest
from django.db import connection
from django.urls import Resolver404, resolve

from contas import perfis
from tests.conftest import criar_usuario, meio_dia

pytestmark = pytest.mark.urls("bench.urls")
so_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="os pisos do bench são SQL do PostgreSQL (FILTER, = ANY, string_agg)")

PISOS_DO_PARLAMENTAR = ["inicio/", "remanejamentos/", "indicacoes/", "visualizar_indicacoes/",
                        "relatorio/incisos/", "relatorio/indicacoes/"]
PISOS_DA_SEGOV = ["analise_remanejamentos/", "analise_segov/", "visualizar_indicacoes/", "csv/",
                  *[f"relatorio/{n}/" for n in ("incisos", "parlamentares", "totalizacao", "saldos", "remanejamentos",
                                                "indicacoes", "impedimentos")]]


@pytest.fixture(autouse=True)
def _templates_do_bench(settings):
    # O que bench/settings.py faz no servidor do bench.
    pasta = Path(__file__).resolve().parents[2] / "bench" / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], pasta]}]


@pytest.fixture
def inciso(fabrica, parlamentar):
    return fabrica.inciso(parlamentar)


def conteudo(resposta) -> bytes:
    return b"".join(resposta.streaming_content) if resposta.streaming else resposta.content


@so_postgres
@pytest.mark.parametrize("caminho", PISOS_DO_PARLAMENTAR)
def test_piso_do_parlamentar_responde_200_e_mostra_o_inciso(client, usuario_parlamentar, inciso, caminho):
    client.force_login(usuario_parlamentar)
    resposta = client.get("/bench/piso/" + caminho, secure=True)
    assert resposta.status_code == 200
    if caminho in ("inicio/", "indicacoes/", "relatorio/incisos/"):
        assert inciso.numero in resposta.content.decode()


@so_postgres
@pytest.mark.parametrize("caminho", PISOS_DA_SEGOV)
def test_piso_da_segov_responde_200(client, segov, inciso, caminho):
    client.force_login(segov)
    resposta = client.get("/bench/piso/" + caminho, secure=True)
    assert resposta.status_code == 200
    assert conteudo(resposta)


@so_postgres
def test_piso_do_inciso_e_da_fila_do_orgao(client, usuario_parlamentar, analista_orgao, outro_parlamentar, inciso):
    client.force_login(usuario_parlamentar)
    resposta = client.get(f"/bench/piso/inciso/{inciso.pk}/", secure=True)
    assert resposta.status_code == 200 and inciso.numero in resposta.content.decode()
    client.force_login(outro_parlamentar.usuario)
    assert client.get(f"/bench/piso/inciso/{inciso.pk}/", secure=True).status_code == 404  # não vê o inciso de outro
    client.force_login(analista_orgao)
    assert client.get("/bench/piso/analise_orgao/", secure=True).status_code == 200


@so_postgres
def test_post_cru_exige_csrf_e_redireciona(usuario_parlamentar):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True, headers={"Referer": "https://testserver/bench/piso/inicio/"})
    cliente.force_login(usuario_parlamentar)
    assert cliente.post("/bench/piso/post/", secure=True).status_code == 403  # sem o token
    cliente.get("/bench/piso/inicio/", secure=True)
    token = cliente.cookies["csrftoken"].value
    resposta = cliente.post("/bench/piso/post/", {"csrfmiddlewaretoken": token}, secure=True)
    assert resposta.status_code == 302
    usuario_parlamentar.refresh_from_db()
    assert usuario_parlamentar.last_login is not None


TODOS = sorted({*PISOS_DO_PARLAMENTAR, *PISOS_DA_SEGOV, "analise_orgao/", "inciso/1/", "post/"})


@pytest.mark.django_db
@pytest.mark.parametrize("caminho", TODOS)
def test_sem_login_vai_ao_login(client, caminho):
    if caminho == "post/":
        resposta = client.post("/bench/piso/post/", secure=True)
    else:
        resposta = client.get("/bench/piso/" + caminho, secure=True)
    assert resposta.status_code == 302 and "/conta/entrar/" in resposta["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("caminho", [c for c in TODOS if c not in ("post/", "inciso/1/")])
def test_outro_perfil_recebe_403(client, caminho):
    client.force_login(criar_usuario("conv@conv.test", perfis.CONVENENTE))
    assert client.get("/bench/piso/" + caminho, secure=True).status_code == 403


@pytest.mark.parametrize("caminho", TODOS)
def test_pisos_nao_estao_nas_rotas_de_producao(caminho):
    with pytest.raises(Resolver404):
        resolve("/bench/piso/" + caminho, urlconf="sigcon.urls")
    assert resolve("/bench/piso/" + caminho, urlconf="bench.urls").url_name.startswith("piso_")


@so_postgres
def test_piso_da_os_mesmos_saldos_que_a_aplicacao(usuario_parlamentar, parlamentar, fabrica, acao_saude_2, grupo_inv):
    from bench import consultas
    from emendas.models import Indicacao, Remanejamento
    from emendas.prazos import OrigemSaldo
    from emendas.selectors import saldos_inciso
    from tests.fabricas import LIVRE, M

    inciso = fabrica.inciso(parlamentar, "1000.00")
    Indicacao.objects.create(exercicio=inciso.exercicio, numero=1, inciso=inciso, objeto="Piso", valor=M("100.00"),
                             forma_execucao=Indicacao.FormaExecucao.EXECUCAO_DIRETA, origem_saldo=OrigemSaldo.LIVRE,
                             enviada_por=usuario_parlamentar, enviada_em=meio_dia(LIVRE))
    Remanejamento.objects.create(inciso_origem=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv, valor=M("50.00"),
                                 saldo_origem=OrigemSaldo.LIVRE, solicitado_por=usuario_parlamentar,
                                 solicitado_em=meio_dia(LIVRE))
    (linha,) = consultas.incisos_com_saldos(onde=consultas.VISIVEL_AO_PARLAMENTAR, usuario=usuario_parlamentar.pk)
    s = saldos_inciso(inciso, LIVRE)
    assert linha[7:12] == (s.valor_inicial, s.valor_inciso, s.remanejamento_solicitado, s.indicado, s.livre)
    (total,) = consultas.saldos_agrupados()
    assert total == (1, s.valor_inicial, s.valor_inciso, s.remanejamento_solicitado, s.indicado, s.livre)


@so_postgres
def test_piso_dos_relatorios_de_listas_inclui_os_blocos_do_parlamentar(
        client, usuario_parlamentar, parlamentar, outro_parlamentar, fabrica, acao_saude_2, grupo_inv):
    """O parlamentar vê nos relatórios as indicações e os remanejamentos dos blocos de que é membro: o piso também
    (antes contava só os incisos próprios e devolvia menos linhas que a tela)."""
    from emendas.models import Bloco, Indicacao, Remanejamento
    from emendas.prazos import OrigemSaldo
    from tests.fabricas import LIVRE, M

    bloco = Bloco.objects.create(nome="Bloco do piso", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    for k, titular in enumerate((parlamentar, bloco, outro_parlamentar)):
        inciso = fabrica.inciso(titular, "1000.00")
        Indicacao.objects.create(exercicio=inciso.exercicio, numero=k + 1, inciso=inciso, objeto="Piso",
                                 valor=M(f"{k + 1}0.00"), forma_execucao=Indicacao.FormaExecucao.EXECUCAO_DIRETA,
                                 origem_saldo=OrigemSaldo.LIVRE, enviada_por=usuario_parlamentar,
                                 enviada_em=meio_dia(LIVRE))
        Remanejamento.objects.create(inciso_origem=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv,
                                     valor=M("5.00"), saldo_origem=OrigemSaldo.LIVRE,
                                     solicitado_por=usuario_parlamentar, solicitado_em=meio_dia(LIVRE))
    client.force_login(usuario_parlamentar)
    indicacoes = client.get("/bench/piso/relatorio/indicacoes/", secure=True)
    assert indicacoes.context["n"] == 2 and indicacoes.context["total"] == (2, M("30.00"))
    assert client.get("/bench/piso/relatorio/remanejamentos/", secure=True).context["n"] == 2
