"""O gerador de dados do bench na escala pequena: dinheiro certo, calendário de hoje, modelo reaproveitado e
usuários que entram pelo formulário de login.

Roda em bancos próprios derivados do banco de testes (``<teste>_bench`` e ``<teste>_bench_modelo``), criados e
apagados aqui: o gerador copia bancos com ``CREATE DATABASE … TEMPLATE``, o que só o PostgreSQL faz.
"""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not os.environ.get("DATABASE_URL"),
    reason="o gerador do bench copia bancos com CREATE DATABASE … TEMPLATE: só no PostgreSQL (DATABASE_URL)",
)


@pytest.fixture(scope="module")
def bench(django_db_blocker, tmp_path_factory):
    from bench.dados import bancos, preparar

    original = dict(connection.settings_dict)
    url = bancos.com_nome(os.environ["DATABASE_URL"], f"{original['NAME']}_bench")
    antes = {k: os.environ.get(k) for k in ("BENCH_DATABASE_URL", "BENCH_CENARIO")}
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["BENCH_CENARIO"] = str(tmp_path_factory.mktemp("bench") / "cenario.json")
    with django_db_blocker.unblock():
        try:
            yield {"primeiro": preparar(escala="pequena", refazer=True), "preparar": preparar, "url": url}
        finally:
            connection.close()
            connection.settings_dict.update(original)
            for nome in (bancos.nome_do_banco(url), f"{bancos.nome_do_banco(url)}_modelo"):
                bancos.apagar(url, nome)
            for k, v in antes.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def test_dinheiro_certo_em_todos_os_exercicios(bench):
    from bench.dados import conferir_invariante
    from emendas.models import Exercicio, Inciso

    cenario = bench["primeiro"]
    assert cenario["gerou_modelo"]
    anos = list(Exercicio.objects.order_by("ano").values_list("ano", flat=True))
    assert anos == [cenario["ano"] - 1, cenario["ano"]]
    for ano in anos:
        assert conferir_invariante(ano) == []
    # O conferidor acusa quando o dinheiro não fecha (inciso com mais indicado do que vale).
    inciso = Inciso.objects.filter(exercicio__ano=cenario["ano"], indicacoes__status="APROVADA").first()
    Inciso.objects.filter(pk=inciso.pk).update(valor_inicial=1)
    assert conferir_invariante() != []


def test_hoje_e_o_ultimo_dia_da_janela_livre(bench):
    from emendas.models import Exercicio, Indicacao, Remanejamento

    bench["preparar"](escala="pequena")  # banco limpo de novo (o teste anterior estragou um inciso)
    hoje = timezone.localdate()
    corrente, passado = Exercicio.objects.order_by("-ano")
    assert corrente.fim_janela_livre == hoje
    assert corrente.data_liberacao == corrente.data_publicacao_loa + timedelta(days=16)
    assert corrente.fim_janela_livre == corrente.data_publicacao_loa + timedelta(days=46)
    assert corrente.fim_janela_obrigatoria == corrente.data_publicacao_loa + timedelta(days=60)
    assert passado.fim_janela_obrigatoria < hoje
    # Movimentos do exercício corrente foram feitos na janela livre, antes de hoje.
    for datas in (Indicacao.objects.filter(exercicio=corrente).values_list("enviada_em", flat=True),
                  Remanejamento.objects.filter(inciso_origem__exercicio=corrente).values_list("solicitado_em", flat=True)):
        dias = {timezone.localdate(d) for d in datas}
        assert dias and min(dias) >= corrente.data_liberacao and max(dias) < hoje


def test_cenario_tem_as_filas_e_os_logins(bench):
    from bench.dados.cadastros import ESCALAS

    escala = ESCALAS["pequena"]
    cenario = bench["primeiro"]
    assert len(cenario["parlamentares"]) == escala.parlamentares
    assert cenario["incisos_por_parlamentar"] == [escala.incisos_por_parlamentar]
    assert len(cenario["segov"]) >= 3 and cenario["analistas"] and cenario["convenentes"]
    corrente = cenario["contagens"]
    assert corrente["remanejamentos_corrente"]["SOLICITADO"] == escala.fila_remanejamentos
    assert corrente["indicacoes_corrente"]["EM_ANALISE_SEGOV"] == escala.fila_indicacoes
    assert corrente["indicacoes_corrente"]["EM_ANALISE_ORGAO"] == escala.em_analise_orgao
    assert corrente["remanejamentos_corrente"]["APROVADO"] == escala.aprovados_por_ano
    assert corrente["incisos_r"] == escala.aprovados_por_ano * escala.anos


def test_servicos_reais_aceitam_os_dados_gerados(bench):
    """Os serviços de verdade trabalham em cima dos dados: numeração continua da sequência, há saldo livre,
    as filas andam e o dinheiro continua fechando."""
    from decimal import Decimal

    from bench.dados import conferir_invariante
    from contas.models import Usuario
    from emendas import selectors
    from emendas.indicacoes import services as ind
    from emendas.models import Indicacao, Inciso, Remanejamento
    from emendas.remanejamentos import services as rem
    from emendas.visibilidade import filtro_incisos_remanejaveis

    cenario = bench["primeiro"]
    parlamentar = Usuario.objects.get(email=cenario["parlamentares"][0])
    segov = Usuario.objects.get(email=cenario["segov"][0])
    inciso = (Inciso.objects.filter(filtro_incisos_remanejaveis(parlamentar), exercicio=selectors.exercicio_atual(),
                                    tipo="S").order_by("pk").first())
    livre = selectors.saldos_inciso(inciso).disponivel_remanejamento
    assert livre >= inciso.valor_inicial * Decimal("0.4")
    destino = selectors.destinos_possiveis(inciso).first()
    pedido = rem.solicitar_remanejamento(usuario=parlamentar, inciso=inciso, acao=destino.acao,
                                         grupo_despesa=destino.grupo_despesa, valor=Decimal("1000.00"))
    ultimo_r = Inciso.objects.filter(exercicio=inciso.exercicio, tipo="R").count()
    novo = rem.aprovar_remanejamento(usuario=segov, remanejamento=pedido)
    assert novo.numero == f"R{ultimo_r + 1}"
    da_fila = Remanejamento.objects.filter(status="SOLICITADO", inciso_origem__exercicio=inciso.exercicio).first()
    rem.aprovar_remanejamento(usuario=segov, remanejamento=da_fila)

    ultima = Indicacao.objects.filter(exercicio=inciso.exercicio).count()
    enviada = ind.enviar_indicacao(usuario=parlamentar, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                   valor=Decimal("500.00"), objeto="Aquisição de equipamentos")
    assert enviada.numero == ultima + 1
    na_segov = Indicacao.objects.filter(status="EM_ANALISE_SEGOV", exercicio=inciso.exercicio).first()
    assert ind.aprovar_indicacao_segov(usuario=segov, indicacao=na_segov).status == "APROVADA"
    no_orgao = Indicacao.objects.filter(status="EM_ANALISE_ORGAO", exercicio=inciso.exercicio).select_related(
        "inciso__acao").first()
    analista = Usuario.objects.filter(uos_analisadas=no_orgao.inciso.acao.uo_id).first()
    assert ind.aprovar_indicacao_orgao(usuario=analista, indicacao=no_orgao).status == "EM_ANALISE_SEGOV"
    assert conferir_invariante() == []


def test_segundo_preparar_reaproveita_o_modelo_e_desfaz_escritas(bench):
    from emendas.models import Indicacao

    # A rajada do bench aprova a fila da SEGOV; a próxima rodada começa com a fila inteira de novo.
    Indicacao.objects.filter(status="EM_ANALISE_SEGOV").update(status="APROVADA", aprovada_segov_em=timezone.now())
    segundo = bench["preparar"](escala="pequena")
    assert not segundo["gerou_modelo"]
    assert segundo["contagens"] == bench["primeiro"]["contagens"]
    assert segundo["parlamentares"] == bench["primeiro"]["parlamentares"]


def test_parlamentar_entra_com_a_senha_pelo_formulario(bench, settings):
    from django.conf import global_settings

    # O hash do bench é o de produção (PBKDF2), não o MD5 que o conftest põe nos testes.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    cenario = bench["primeiro"]
    cliente = Client()
    resposta = cliente.post(reverse("login"), {"username": cenario["parlamentares"][0], "password": cenario["senha"]})
    assert resposta.status_code == 302
    inicio = cliente.get(reverse("inicio"))
    assert inicio.status_code == 200
    assert inicio.context["user"].email == cenario["parlamentares"][0]


def test_telas_abrem_com_os_dados_gerados(bench):
    """Dados incoerentes (situação × campos, inciso R sem origem, beneficiário errado) derrubam as telas."""
    from contas.models import Usuario
    from emendas.models import Inciso, Indicacao, Remanejamento

    cenario = bench["primeiro"]
    ano, parlamentar = cenario["ano"], cenario["parlamentares"][1]
    do_parlamentar = {"emenda__parlamentar__usuario__email": parlamentar}
    inciso = Inciso.objects.filter(exercicio__ano=ano, tipo="R", **do_parlamentar).first()
    indicacao = Indicacao.objects.filter(exercicio__ano=ano, **{f"inciso__{k}": v for k, v in do_parlamentar.items()}
                                         ).exclude(status="APROVADA").first()
    remanejamento = Remanejamento.objects.filter(inciso_origem__exercicio__ano=ano, status="APROVADO",
                                                 **{f"inciso_origem__{k}": v for k, v in do_parlamentar.items()}).first()
    paginas = {
        parlamentar: ["/", reverse("emendas:inciso", args=[inciso.pk]), reverse("emendas:indicacao", args=[indicacao.pk]),
                      reverse("emendas:remanejamento", args=[remanejamento.pk]), reverse("emendas:visualizar_indicacoes"),
                      reverse("relatorio_indicacoes")],
        cenario["segov"][0]: ["/", reverse("emendas:analise_remanejamentos"), reverse("emendas:analise_segov"),
                              reverse("relatorio_remanejamentos")],
        cenario["analistas"][0]["email"]: [reverse("emendas:analise_orgao")],
    }
    for email, urls in paginas.items():
        cliente = Client()
        cliente.force_login(Usuario.objects.get(email=email))
        for url in urls:
            assert cliente.get(url).status_code == 200, (email, url)


def test_notificacoes_tem_volume_e_as_do_exercicio_corrente_estao_por_ler(bench):
    # A contagem do menu (toda página medida) precisa de notificações de verdade no banco do bench.
    from bench.dados.cadastros import ESCALAS
    from notificacoes.models import Aviso
    from notificacoes.selectors import nao_lidos
    from contas.models import Usuario

    cenario = bench["primeiro"]
    segov = Usuario.objects.get(email=cenario["segov"][0])
    assert nao_lidos(segov) == ESCALAS["pequena"].fila_remanejamentos  # os pedidos ainda por decidir
    parlamentar = Usuario.objects.get(email=cenario["parlamentares"][0])
    assert Aviso.objects.filter(usuario=parlamentar).count() > nao_lidos(parlamentar) > 0
    assert not Aviso.objects.filter(email__tipo__in=["CONVITE", "SENHA"]).exists()
