"""O .ics de cada usuário (lido de volta com a biblioteca icalendar), o link revogável e a API pública."""

import hashlib
from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from contas import perfis
from emendas import services as em
from emendas.calendario import agenda
from emendas.models import LinkCalendario
from envios.models import EnvioUnico
from tests.conftest import criar_usuario, logado

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dominio_fixo(settings):
    settings.SIGCON_URL_BASE = "http://127.0.0.1:8000"  # o domínio dos UIDs


def _ler(resposta):
    assert resposta.status_code == 200
    assert resposta["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(resposta.content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _url(token):
    return reverse("calendario:ics", kwargs={"token": token})


def test_parlamentar_recebe_so_os_prazos_do_parlamentar(exercicio, parlamentar):
    token = em.gerar_link_calendario(usuario=parlamentar.usuario)
    eventos = _ler(Client().get(_url(token)))
    assert "2019-fase-LIVRE@127.0.0.1" in eventos
    livre = eventos["2019-fase-LIVRE@127.0.0.1"]
    assert livre["DTSTART"].dt == exercicio.data_liberacao
    assert livre["DTEND"].dt == exercicio.fim_janela_livre + timedelta(days=1)  # fim exclusivo do iCalendar
    assert "passam a SPR" in str(livre["DESCRIPTION"])
    assert "2019-SR-PRIORIZACAO@127.0.0.1" in eventos and "2019-P-INDICACAO_CANCELAMENTO@127.0.0.1" in eventos
    assert not any("VALOR_UTILIZADO" in uid or "PLANO_SEGOV" in uid for uid in eventos)


def test_convenente_e_segov_recebem_os_seus(exercicio, convenente, segov):
    eventos = _ler(Client().get(_url(em.gerar_link_calendario(usuario=convenente))))
    assert "2019-SR-PLANO_SEGOV@127.0.0.1" in eventos and "2019-SR-VINCULO_PROPOSTA@127.0.0.1" in eventos
    assert "2019-fase-LIVRE@127.0.0.1" not in eventos and "2019-SR-PRIORIZACAO@127.0.0.1" not in eventos
    todos = agenda.prazos_do_exercicio(exercicio, exercicio.janelas)
    eventos_segov = _ler(Client().get(_url(em.gerar_link_calendario(usuario=segov))))
    assert set(eventos_segov) == {f"2019-{p.chave.replace(':', '-')}@127.0.0.1" for p in todos}
    assert len(eventos_segov) == len(exercicio.janelas) + 1  # as duas fases no lugar da janela das quatro datas


def test_token_errado_revogado_ou_substituido_da_404(exercicio, parlamentar):
    usuario = parlamentar.usuario
    assert Client().get(_url("nao-existe")).status_code == 404
    primeiro = em.gerar_link_calendario(usuario=usuario)
    segundo = em.gerar_link_calendario(usuario=usuario)  # gerar outro desliga o primeiro
    assert Client().get(_url(primeiro)).status_code == 404
    assert Client().get(_url(segundo)).status_code == 200
    assert em.revogar_link_calendario(usuario=usuario) == 1
    assert Client().get(_url(segundo)).status_code == 404
    usuario.is_active = False
    usuario.save()
    terceiro = em.gerar_link_calendario(usuario=usuario)
    assert Client().get(_url(terceiro)).status_code == 404  # conta desativada: o link não abre


def test_so_o_hash_do_token_fica_no_banco_e_a_url_aparece_uma_vez(exercicio, parlamentar):
    cliente = logado(parlamentar.usuario)
    resposta = cliente.enviar(reverse("calendario:gerar_link"))
    assert resposta.status_code == 200 and resposta["Cache-Control"] == "no-store"
    html = resposta.content.decode()
    inicio = html.index("/calendario/", html.index('id="url-calendario"'))
    token = html[inicio + len("/calendario/"):html.index(".ics", inicio)]
    assert len(token) >= 40
    link = LinkCalendario.objects.get()
    assert link.hash_token == hashlib.sha256(token.encode()).hexdigest()
    gravado = " ".join(str(v) for l in (LinkCalendario, RegistroAuditoria, EnvioUnico)
                       for v in l.objects.values_list())
    assert token not in gravado
    # Voltar à tela não mostra o endereço de novo (nem dá para mostrar: só o hash existe).
    assert token not in cliente.get(reverse("calendario:meu")).content.decode()
    assert Client().get(_url(token)).status_code == 200


def test_revogar_pela_tela(exercicio, parlamentar):
    token = em.gerar_link_calendario(usuario=parlamentar.usuario)
    resposta = logado(parlamentar.usuario).enviar(reverse("calendario:revogar_link"), follow=True)
    assert "Link revogado" in resposta.content.decode()
    assert Client().get(_url(token)).status_code == 404


def test_outro_usuario_nao_revoga_o_link_de_ninguem(exercicio, parlamentar, outro_parlamentar):
    token = em.gerar_link_calendario(usuario=parlamentar.usuario)
    logado(outro_parlamentar.usuario).enviar(reverse("calendario:revogar_link"))
    assert Client().get(_url(token)).status_code == 200


def test_api_publica_do_ano(exercicio):
    resposta = Client().get(reverse("calendario:api", kwargs={"ano": 2019}))
    assert resposta.status_code == 200 and "public" in resposta["Cache-Control"]
    dados = resposta.json()
    assert dados["datas"]["fim_janela_livre"] == "2019-02-25" and dados["fim_inclusivo"] is True
    por_chave = {p["chave"]: p for p in dados["prazos"]}
    assert por_chave["fase:LIVRE"]["depois_do_fim"] == {
        "dia": "2019-02-26", "baldes": ["livre"], "destino": "sem_remanejamento", "tipos_de_inciso": ["S", "R"]}
    assert por_chave["fase:RESTRITA"]["inicio"] == "2019-02-26" and por_chave["fase:RESTRITA"]["fim"] == "2019-03-11"
    assert por_chave["SR:PLANO_SEGOV"]["depois_do_fim"] is None
    assert len(dados["prazos"]) == len(exercicio.janelas) + 1
    assert Client().get(reverse("calendario:api", kwargs={"ano": 1999})).status_code == 404


def test_prorrogacao_muda_o_ics_sem_duplicar_o_evento(exercicio, parlamentar, segov):
    token = em.gerar_link_calendario(usuario=parlamentar.usuario)
    antes = _ler(Client().get(_url(token)))
    em.prorrogar_janela(usuario=segov, exercicio=exercicio, chave="SR:AJUSTE_COMPLETO",
                        novo_fim=exercicio.janelas[("SR", "AJUSTE_COMPLETO")][1] + timedelta(days=10),
                        justificativa="CAGEC fora do ar por dois dias")
    depois = _ler(Client().get(_url(token)))
    assert set(antes) == set(depois)
    uid = "2019-SR-AJUSTE_COMPLETO@127.0.0.1"
    assert depois[uid]["DTEND"].dt == antes[uid]["DTEND"].dt + timedelta(days=10)


def test_membro_de_perfil_novo_sem_prazos_recebe_calendario_vazio(exercicio):
    usuario = criar_usuario("sem@perfil.test", None, "Sem Perfil")
    assert _ler(Client().get(_url(em.gerar_link_calendario(usuario=usuario)))) == {}
    assert perfis.perfis_do_usuario(usuario) == set()


@pytest.mark.parametrize("anos", [1, 3])
def test_ics_com_consultas_constantes(segov, anos, django_assert_max_num_queries):
    from datetime import date

    from emendas.models import Exercicio

    for k in range(anos):
        Exercicio.objects.create(ano=2019 + k, data_publicacao_loa=date(2019 + k, 1, 10))
    token = em.gerar_link_calendario(usuario=segov)
    with django_assert_max_num_queries(6):
        eventos = _ler(Client().get(_url(token)))
    assert len(eventos) == anos * len(Exercicio.objects.first().janelas) + anos
