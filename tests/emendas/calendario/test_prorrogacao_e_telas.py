"""A tela de prazos da SEGOV (minutos de queda nos últimos dias) e a prorrogação auditada; a tela "Meu calendário"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from disponibilidade.models import QuedaIntegracao
from disponibilidade.services import registrar_batimento
from emendas.calendario import selectors
from emendas.models import Exercicio, ProrrogacaoJanela
from tests.conftest import logado, meio_dia

pytestmark = pytest.mark.django_db
BRT = ZoneInfo("America/Sao_Paulo")


def test_segov_ve_os_minutos_de_queda_nos_ultimos_dias_de_cada_prazo(settings, exercicio, segov):
    settings.SIGCON_DIAS_FINAIS_DA_JANELA = 5
    registrar_batimento(agora=datetime(2019, 2, 1, tzinfo=BRT))
    # Duas horas de CAGEC fora no penúltimo dia da janela livre (25/02); uma queda antes dos 5 dias não conta.
    QuedaIntegracao.objects.create(sistema="CAGEC", inicio=datetime(2019, 2, 24, 10, tzinfo=BRT),
                                   fim=datetime(2019, 2, 24, 12, tzinfo=BRT))
    QuedaIntegracao.objects.create(sistema="CAGEC", inicio=datetime(2019, 2, 10, 10, tzinfo=BRT),
                                   fim=datetime(2019, 2, 10, 12, tzinfo=BRT))
    with time_machine.travel(meio_dia(date(2019, 2, 26)), tick=False):
        linhas = {l.prazo.chave: l for l in selectors.prazos_com_quedas(exercicio, date(2019, 2, 26))}
        livre = linhas["fase:LIVRE"]
        assert livre.desde == date(2019, 2, 21) and livre.minutos.cagec == 120 and livre.minutos.siafi == 0
        assert livre.situacao["estado"] == "encerrada"
        resposta = logado(segov).get(reverse("calendario:segov", kwargs={"ano": 2019}))
    html = resposta.content.decode()
    assert resposta.status_code == 200 and "Janela livre" in html and ">120<" in html


def test_prorrogar_a_janela_livre_muda_o_calendario_e_fica_na_auditoria(exercicio, segov):
    url = reverse("calendario:prorrogar", kwargs={"ano": 2019})
    cliente = logado(segov)
    assert cliente.get(url, {"chave": "fase:LIVRE"}).status_code == 200
    resposta = cliente.enviar(url, {"chave": "fase:LIVRE", "novo_fim": "28/02/2019",
                                    "justificativa": "CAGEC fora do ar 120 minutos no penúltimo dia"}, follow=True)
    assert "prorrogada até 28/02/2019" in resposta.content.decode()
    exercicio.refresh_from_db()
    assert exercicio.fim_janela_livre == date(2019, 2, 28)
    p = ProrrogacaoJanela.objects.get()
    assert (p.fim_anterior, p.fim_novo, p.usuario) == (date(2019, 2, 25), date(2019, 2, 28), segov)
    registro = RegistroAuditoria.objects.get(acao="calendario.prorrogar")
    assert registro.depois["justificativa"].startswith("CAGEC fora do ar")
    assert RegistroAuditoria.objects.filter(acao="exercicio.editar").exists()


def test_prorrogar_uma_janela_de_operacao(exercicio, segov):
    fim = exercicio.janelas[("P", "PLANO_SEGOV")][1]
    logado(segov).enviar(reverse("calendario:prorrogar", kwargs={"ano": 2019}), {
        "chave": "P:PLANO_SEGOV", "novo_fim": f"{fim.day + 1:02d}/{fim.month:02d}/{fim.year}",
        "justificativa": "SIAFI-MG fora do ar na última semana"})
    assert Exercicio.objects.get(pk=exercicio.pk).janelas[("P", "PLANO_SEGOV")][1] == fim.replace(day=fim.day + 1)


def test_prorrogacao_que_encurta_ou_sem_justificativa_e_recusada(exercicio, segov):
    url = reverse("calendario:prorrogar", kwargs={"ano": 2019})
    resposta = logado(segov).enviar(url, {"chave": "fase:LIVRE", "novo_fim": "20/02/2019",
                                          "justificativa": "Motivo bem explicado aqui"}, follow=True)
    assert "precisa de um fim depois de 25/02/2019" in resposta.content.decode()
    resposta = logado(segov).enviar(url, {"chave": "fase:LIVRE", "novo_fim": "28/02/2019", "justificativa": "curta"})
    assert resposta.status_code == 200 and "justificativa" in resposta.content.decode().lower()
    assert not ProrrogacaoJanela.objects.exists()
    exercicio.refresh_from_db()
    assert exercicio.fim_janela_livre == date(2019, 2, 25)


def test_so_a_segov_prorroga(exercicio, parlamentar, analista_orgao):
    url = reverse("calendario:prorrogar", kwargs={"ano": 2019})
    for usuario in (parlamentar.usuario, analista_orgao):
        assert logado(usuario).enviar(url, {"chave": "fase:LIVRE", "novo_fim": "28/02/2019",
                                            "justificativa": "Quero mais prazo agora"}).status_code == 403
    assert not ProrrogacaoJanela.objects.exists()


def test_meu_calendario_mostra_os_prazos_e_as_escolhas_do_perfil(exercicio, parlamentar, segov):
    with time_machine.travel(meio_dia(date(2019, 2, 20)), tick=False):
        html = logado(parlamentar.usuario).get(reverse("calendario:meu")).content.decode()
    assert "Janela livre" in html and "Prazos das minhas janelas" in html and "Resumo diário" not in html
    assert "Gerar link do calendário" in html
    html = logado(segov).get(reverse("calendario:meu")).content.decode()
    assert "Resumo diário do que vence na semana" in html


def test_menu_leva_ao_calendario(exercicio, parlamentar, segov):
    assert 'href="/calendario/"' in logado(parlamentar.usuario).get("/").content.decode()
    html = logado(segov).get("/").content.decode()
    assert 'href="/calendario/exercicio/"' in html
    resposta = logado(segov).get(reverse("calendario:segov_atual"))
    assert resposta.status_code == 302 and resposta.url == reverse("calendario:segov", kwargs={"ano": 2019})


def test_tela_do_calendario_do_exercicio_leva_a_prorrogacao(exercicio, segov):
    html = logado(segov).get(reverse("emendas:exercicio_editar", kwargs={"ano": 2019})).content.decode()
    assert f'href="{reverse("calendario:segov", kwargs={"ano": 2019})}"' in html
