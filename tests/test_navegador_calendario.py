"""No navegador de verdade: o parlamentar gera o link do calendário pela tela "Meu calendário" (o endereço aparece uma
vez e abre o .ics), desliga um lembrete e revoga o link; a SEGOV vê os minutos de queda e prorroga uma janela com
justificativa. Telas em 1366 e 390 px, nada passando da borda direita."""

from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from disponibilidade.models import QuedaIntegracao
from emendas.models import Exercicio, PreferenciaLembretes, ProrrogacaoJanela
from tests.conftest import Fabrica
from tests.navegador_util import entrar, fotografar, navegador  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exercicio(parlamentar, segov, acao_saude, grupo_inv):
    hoje = timezone.localdate()
    ex = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    Fabrica(ex, acao_saude, grupo_inv).inciso(parlamentar, "120000.00")
    return ex


def _nada_passa_da_borda(page, largura):
    largura_do_documento = page.evaluate("document.documentElement.scrollWidth")
    assert largura_do_documento <= largura, f"a página tem {largura_do_documento} px em {largura} px"


def test_parlamentar_gera_usa_e_revoga_o_link(navegador, live_server, exercicio, parlamentar):
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, parlamentar.usuario.email)
    page.get_by_role("button", name="Ana Lacerda").click()
    page.get_by_role("link", name="Meu calendário").click()
    page.get_by_role("heading", name="Meu calendário").wait_for()
    page.get_by_role("button", name="Gerar link do calendário").click()
    url = page.get_by_label("Endereço para assinar").input_value()
    assert url.startswith(live_server.url + "/calendario/") and url.endswith(".ics")
    fotografar(page, "meu_calendario_link", conferir=_nada_passa_da_borda)
    resposta = Client().get(url[len(live_server.url):])
    eventos = icalendar.Calendar.from_ical(resposta.content).walk("VEVENT")
    assert any("Janela livre" in str(e["SUMMARY"]) for e in eventos)

    page.goto(live_server.url + "/calendario/")
    assert page.get_by_label("Endereço para assinar").count() == 0  # aparece uma vez só
    page.get_by_label("Prazos das minhas janelas (saldos que mudam de balde)").uncheck()
    page.get_by_role("button", name="Salvar escolhas").click()
    page.get_by_text("Escolhas de lembretes salvas").wait_for()
    assert PreferenciaLembretes.objects.get(usuario=parlamentar.usuario).prazos is False
    page.get_by_role("button", name="Revogar link").click()
    page.get_by_text("Link revogado").wait_for()
    fotografar(page, "meu_calendario_revogado", conferir=_nada_passa_da_borda)
    assert Client().get(url[len(live_server.url):]).status_code == 404
    page.close()


def test_segov_ve_as_quedas_e_prorroga(navegador, live_server, exercicio, segov):
    fim = exercicio.fim_janela_livre
    agora = timezone.now()
    QuedaIntegracao.objects.create(sistema="SIAFI", inicio=agora - timedelta(minutes=90), fim=agora - timedelta(minutes=45))
    page = navegador.new_page(viewport={"width": 1366, "height": 900})
    entrar(page, live_server.url, segov.email)
    page.get_by_role("button", name="SEGOV", exact=True).click()
    page.get_by_role("link", name="Prazos e disponibilidade").click()
    page.get_by_role("heading", name=f"Prazos e disponibilidade – exercício {exercicio.ano}").wait_for()
    fotografar(page, "calendario_segov_quedas", conferir=_nada_passa_da_borda)
    page.locator("a[href$='prorrogar/?chave=fase%3ALIVRE']").click()
    novo = fim + timedelta(days=3)
    page.get_by_label("Novo último dia (dd/mm/aaaa)").fill(novo.strftime("%d/%m/%Y"))
    page.get_by_label("Justificativa").fill("SIAFI-MG fora do ar 45 minutos nos últimos dias da janela")
    fotografar(page, "calendario_prorrogar", conferir=_nada_passa_da_borda)
    page.get_by_role("button", name="Prorrogar").click()
    page.get_by_text(f"prorrogada até {novo:%d/%m/%Y}").wait_for()
    assert ProrrogacaoJanela.objects.get().fim_novo == novo
    assert page.get_by_text("SIAFI-MG fora do ar 45 minutos").count() == 1
    page.close()


def test_telas_do_calendario_sem_violacao_seria_do_axe_nem_da_csp(navegador, live_server, exercicio, parlamentar,
                                                                     segov):
    from tests.test_acessibilidade_navegador import Auditor

    a = Auditor(navegador, live_server.url)
    entrar(a.page, live_server.url, parlamentar.usuario.email)
    a.abrir_e_avaliar("/calendario/", "meu-calendario")
    a.page.get_by_role("button", name="Gerar link do calendário").click()
    a.avaliar("meu-calendario-link-novo")
    a.page.context.clear_cookies()
    entrar(a.page, live_server.url, segov.email)
    a.abrir_e_avaliar(f"/calendario/exercicio/{exercicio.ano}/", "calendario-segov")
    a.abrir_e_avaliar(f"/calendario/exercicio/{exercicio.ano}/prorrogar/?chave=fase%3ARESTRITA", "prorrogar")
    a.fechar()
    a.sem_violacoes()
