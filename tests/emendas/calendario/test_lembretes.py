"""Lembretes de prazo: a tarefa diária atravessando os últimos dias da janela livre (time_machine), cada e-mail uma vez
só, com os números certos; as escolhas de cada usuário; o órgão com fila atrasada; o resumo da semana da SEGOV."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import services as em
from emendas.models import Bloco
from emendas.tasks import lembretes_de_prazo
from notificacoes.models import EmailPendente
from tests.conftest import logado, meio_dia

# A tarefa do beat roda no processo do teste (com o broker do CI configurado, .delay() iria ao Redis).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_na_hora")]

FIM_LIVRE = date(2019, 2, 25)  # D0 = 10/01/2019: liberação 26/01, janela livre até 25/02, obrigatória até 11/03


def _lembretes(**filtro):
    return list(EmailPendente.objects.filter(tipo=EmailPendente.Tipo.LEMBRETE, **filtro).order_by("criado_em", "pk"))


def _atravessar(de: date, ate: date):
    """Roda a tarefa do beat duas vezes por dia (a segunda não pode duplicar nada), de *de* até *ate*."""
    dia = de
    while dia <= ate:
        with time_machine.travel(meio_dia(dia), tick=False):
            lembretes_de_prazo.delay()
            lembretes_de_prazo.delay()
        dia += timedelta(days=1)


@pytest.fixture
def cenario(settings, exercicio, fabrica, parlamentar, outro_parlamentar, analista_orgao, segov):
    settings.SIGCON_LEMBRETE_DIAS_ANTES = 7
    settings.SIGCON_SLA_ORGAO_DIAS = 5
    inciso = fabrica.inciso(parlamentar, "150000.00")
    fabrica.inciso(outro_parlamentar, "80000.00")
    bloco = Bloco.objects.create(nome="Minas Unida", responsavel=parlamentar)
    bloco.membros.add(parlamentar, outro_parlamentar)
    fabrica.inciso(bloco, "40000.00")
    beneficiario = Convenente.objects.create(cnpj=gerar_cnpj(77), razao_social="Prefeitura de Ouro Preto",
                                             municipio="Ouro Preto", tipo="ADM_MUNICIPAL")
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        indicacao = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                                        valor=Decimal("30000.00"), beneficiario=beneficiario, objeto="Ambulância")
    return {"indicacao": indicacao, "bloco": bloco}


def test_parlamentar_recebe_7_e_1_dia_antes_uma_vez_cada_com_os_saldos(cenario, parlamentar, outro_parlamentar):
    _atravessar(FIM_LIVRE - timedelta(days=10), FIM_LIVRE + timedelta(days=2))
    de_ana = _lembretes(destinatarios=[parlamentar.usuario.email])
    assert [e.chave for e in de_ana] == [
        f"lembrete-2019-fase:LIVRE-u{parlamentar.usuario.pk}-2019-02-18",
        f"lembrete-2019-fase:LIVRE-u{parlamentar.usuario.pk}-2019-02-24",
    ]
    sete, um = de_ana
    assert "faltam 7 dias" in sete.corpo and "falta 1 dia" in um.corpo
    # 150.000 − 30.000 indicados = 120.000 livres dela; o bloco de que é responsável, 40.000.
    assert "R$ 120.000,00 livres passam a SPR em 26/02" in sete.corpo
    assert "Bloco Minas Unida" in sete.corpo and "R$ 40.000,00 livres passam a SPR em 26/02" in sete.corpo
    assert "Saldos hoje: Livre R$ 120.000,00" in sete.corpo
    # Bruno: só o que é dele (o membro do bloco não recebe o do bloco, que não escreve).
    (de_bruno, _) = _lembretes(destinatarios=[outro_parlamentar.usuario.email])
    assert "R$ 80.000,00 livres passam a SPR" in de_bruno.corpo and "Minas Unida" not in de_bruno.corpo
    # Os lembretes viram também notificação no sistema.
    assert sete.avisos.filter(usuario=parlamentar.usuario).exists()


def test_quem_desligou_os_lembretes_nao_recebe(cenario, parlamentar, outro_parlamentar):
    resposta = logado(parlamentar.usuario).enviar(reverse("calendario:preferencias"), {}, follow=True)
    assert "Escolhas de lembretes salvas" in resposta.content.decode()
    _atravessar(FIM_LIVRE - timedelta(days=7), FIM_LIVRE - timedelta(days=7))
    assert not _lembretes(destinatarios=[parlamentar.usuario.email])
    assert len(_lembretes(destinatarios=[outro_parlamentar.usuario.email])) == 1
    logado(parlamentar.usuario).enviar(reverse("calendario:preferencias"), {"prazos": "on"})
    _atravessar(FIM_LIVRE - timedelta(days=1), FIM_LIVRE - timedelta(days=1))
    assert len(_lembretes(destinatarios=[parlamentar.usuario.email])) == 1


def test_sem_saldo_que_mude_de_balde_nao_ha_lembrete(settings, exercicio, fabrica, parlamentar):
    settings.SIGCON_LEMBRETE_DIAS_ANTES = 7
    fabrica.inciso(parlamentar, "0.00")
    _atravessar(FIM_LIVRE - timedelta(days=7), FIM_LIVRE - timedelta(days=7))
    assert not _lembretes()


def test_analista_do_orgao_recebe_a_fila_atrasada(cenario, analista_orgao):
    _atravessar(FIM_LIVRE - timedelta(days=8), FIM_LIVRE)
    do_orgao = _lembretes(destinatarios=[analista_orgao.email])
    assert [e.chave for e in do_orgao] == [
        f"lembrete-orgao-2019-fase:LIVRE-u{analista_orgao.pk}-2019-02-18",
        f"lembrete-orgao-2019-fase:LIVRE-u{analista_orgao.pk}-2019-02-24",
    ]
    numero = cenario["indicacao"].numero
    assert f"nº {numero}" in do_orgao[0].corpo and "R$ 30.000,00" in do_orgao[0].corpo
    assert "há mais de 5 dias" in do_orgao[0].corpo


def test_analista_sem_fila_atrasada_nao_recebe(cenario, analista_orgao, segov):
    em.aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=cenario["indicacao"])
    _atravessar(FIM_LIVRE - timedelta(days=7), FIM_LIVRE - timedelta(days=7))
    assert not _lembretes(destinatarios=[analista_orgao.email])


def test_segov_recebe_o_resumo_da_semana_um_por_dia(cenario, segov):
    _atravessar(FIM_LIVRE - timedelta(days=8), FIM_LIVRE - timedelta(days=5))
    da_segov = _lembretes(destinatarios=[segov.email])
    # A semana é hoje e os seis dias seguintes: a de 19/02 vai até 25/02; a de 18/02 (até 24/02), ainda não.
    assert [e.chave for e in da_segov] == [f"lembrete-semana-u{segov.pk}-2019-02-{d}" for d in (19, 20)]
    # 120.000 (Ana) + 80.000 (Bruno) + 40.000 (bloco) livres.
    assert "R$ 240.000,00 passam a SPR em 26/02" in da_segov[0].corpo
    assert "1 indicação(ões) em análise nos órgãos (1 há mais de 5 dias)" in da_segov[0].corpo


def test_a_tarefa_devolve_quantos_entraram(cenario):
    with time_machine.travel(meio_dia(FIM_LIVRE - timedelta(days=7)), tick=False):
        primeiro = em.enviar_lembretes()
        assert primeiro == 3  # Ana, Bruno e o analista (a semana da SEGOV, de 18 a 24/02, ainda não tem o fim)
        assert em.enviar_lembretes() == 0


def test_o_assessor_ativo_recebe_os_lembretes_do_titular_e_o_desassociado_nao(cenario, parlamentar):
    from contas import perfis
    from tests.conftest import criar_usuario

    criar_usuario("ativo@almg.test", perfis.ASSESSOR, "Assessor Ativo")
    criar_usuario("antigo@almg.test", perfis.ASSESSOR, "Assessor Antigo")
    em.associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email="ativo@almg.test")
    antigo = em.associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email="antigo@almg.test")
    em.desassociar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, assessor=antigo.assessor)
    _atravessar(FIM_LIVRE - timedelta(days=1), FIM_LIVRE - timedelta(days=1))
    (do_ativo,) = _lembretes(destinatarios=["ativo@almg.test"])
    # Os mesmos titulares e números que o parlamentar recebe (o dele e o do bloco de que é responsável).
    assert "R$ 120.000,00 livres passam a SPR em 26/02" in do_ativo.corpo and "Bloco Minas Unida" in do_ativo.corpo
    assert not _lembretes(destinatarios=["antigo@almg.test"])
