"""Janelas de operação do exercício (§5.6): padrões, a função pura, a gravação pela SEGOV, a migração e as telas."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from emendas import prazos
from emendas.janelas import janelas_na_linha_do_tempo
from emendas.models import Exercicio, JanelaOperacao
from emendas.prazos import Calendario, TipoJanela as Tipo, Trilha, janela_aberta
from emendas.services import salvar_calendario
from tests.conftest import D0, logado

SR, P, SANEADA = Trilha.SR, Trilha.P, Trilha.SR_SANEADA


# ---------------------------------------------------------------------------
# Puras

def test_padroes_saem_da_publicacao_e_as_quatro_datas_sao_a_indicacao_s_r():
    cal = Calendario.padrao(D0)
    j = cal.janelas
    assert j[(SR, Tipo.INDICACAO_CANCELAMENTO)] == (cal.data_liberacao, cal.fim_janela_obrigatoria)
    assert j[(SR, Tipo.PRIORIZACAO)] == (D0 + timedelta(days=16), D0 + timedelta(days=60))
    assert j[(SR, Tipo.AJUSTE_MESMO_GD)] == (cal.data_liberacao, D0 + timedelta(days=149))
    assert j[(P, Tipo.INDICACAO_CANCELAMENTO)] == (D0 + timedelta(days=225), D0 + timedelta(days=250))
    assert j[(SANEADA, Tipo.VALOR_UTILIZADO)] == (D0 + timedelta(days=197), D0 + timedelta(days=368))
    assert all(inicio <= fim for inicio, fim in j.values())
    assert (SANEADA, Tipo.INDICACAO_CANCELAMENTO) not in j  # trilha saneada não indica


@pytest.mark.parametrize("dias, aberta", [(-1, False), (0, True), (10, True), (44, True), (45, False)])
def test_janela_aberta_com_inicio_e_fim_inclusivos(dias, aberta):
    cal = Calendario.padrao(D0)  # priorização S/R: D0+16 a D0+60
    assert janela_aberta(cal, SR, Tipo.PRIORIZACAO, cal.data_liberacao + timedelta(days=dias)) is aberta


def test_indicacao_s_r_e_sempre_a_das_quatro_datas_mesmo_com_outra_na_tabela():
    cal = Calendario.padrao(D0, janelas={(SR, Tipo.INDICACAO_CANCELAMENTO): (D0, D0)})
    assert janela_aberta(cal, SR, Tipo.INDICACAO_CANCELAMENTO, cal.fim_janela_obrigatoria)
    assert not janela_aberta(cal, SR, Tipo.INDICACAO_CANCELAMENTO, cal.fim_janela_obrigatoria + timedelta(days=1))


def test_janela_que_o_exercicio_nao_tem_esta_fechada_e_as_janelas_podem_vir_prontas():
    cal = Calendario.padrao(D0, janelas={})
    assert not janela_aberta(cal, SR, Tipo.PRIORIZACAO, cal.data_liberacao)
    prontas = {(SR, Tipo.PRIORIZACAO): (D0, D0)}
    assert janela_aberta(cal, SR, Tipo.PRIORIZACAO, D0, janelas=prontas)


def test_mudar_o_calendario_leva_as_janelas_no_padrao_e_mantem_as_ajustadas():
    antes, depois = Calendario.padrao(D0), Calendario.padrao(D0 + timedelta(days=7))
    atuais = dict(antes.janelas)
    ajustada = (D0 + timedelta(days=20), D0 + timedelta(days=300))
    atuais[(P, Tipo.PLANO_SEGOV)] = ajustada
    novas = prazos.janelas_rederivadas(atuais, antes, depois)
    assert novas[(P, Tipo.PLANO_SEGOV)] == ajustada
    assert novas[(P, Tipo.INDICACAO_CANCELAMENTO)] == depois.janelas[(P, Tipo.INDICACAO_CANCELAMENTO)]
    assert novas[(SR, Tipo.INDICACAO_CANCELAMENTO)] == (depois.data_liberacao, depois.fim_janela_obrigatoria)


def test_situacao_da_janela_na_linha_do_tempo():
    assert prazos.situacao_janela(D0, D0 + timedelta(days=3), D0 - timedelta(days=2)) == {"estado": "futura", "dias": 2}
    assert prazos.situacao_janela(D0, D0 + timedelta(days=3), D0 + timedelta(days=1)) == {"estado": "aberta", "dias": 2}
    assert prazos.situacao_janela(D0, D0, D0 + timedelta(days=1))["estado"] == "encerrada"


# ---------------------------------------------------------------------------
# Banco

@pytest.mark.django_db
def test_criar_exercicio_cria_as_janelas_e_o_modelo_responde_a_janela_aberta(exercicio):
    linhas = {(j.trilha, j.tipo): (j.inicio, j.fim) for j in JanelaOperacao.objects.filter(exercicio=exercicio)}
    assert linhas == prazos.janelas_padrao(exercicio)
    ex = Exercicio.objects.get(pk=exercicio.pk)
    assert janela_aberta(ex, SR, Tipo.PRIORIZACAO, ex.fim_janela_obrigatoria)
    assert not janela_aberta(ex, P, Tipo.PRIORIZACAO, ex.fim_janela_obrigatoria)


@pytest.mark.django_db
def test_mudar_a_publicacao_move_as_janelas_no_padrao_e_a_de_indicacao_s_r(exercicio):
    ajustada = JanelaOperacao.objects.get(exercicio=exercicio, trilha=P, tipo=Tipo.PLANO_SEGOV)
    ajustada.fim = date(2019, 12, 20)
    ajustada.save()
    exercicio.data_publicacao_loa = D0 + timedelta(days=10)
    exercicio.data_liberacao = exercicio.fim_janela_livre = exercicio.fim_janela_obrigatoria = None
    exercicio.save()
    janelas = Exercicio.objects.get(pk=exercicio.pk).janelas
    novas = prazos.janelas_padrao(exercicio)
    assert janelas[(P, Tipo.INDICACAO_CANCELAMENTO)] == novas[(P, Tipo.INDICACAO_CANCELAMENTO)]
    assert janelas[(SR, Tipo.INDICACAO_CANCELAMENTO)] == (exercicio.data_liberacao, exercicio.fim_janela_obrigatoria)
    assert janelas[(P, Tipo.PLANO_SEGOV)][1] == date(2019, 12, 20)


@pytest.mark.django_db
def test_segov_muda_uma_janela_com_auditoria_e_a_de_indicacao_s_r_nao_muda_por_ali(exercicio, segov):
    nova = (date(2019, 2, 1), date(2019, 4, 30))
    salvar_calendario(usuario=segov, exercicio=exercicio, campos={}, janelas={
        (SR, Tipo.PRIORIZACAO): nova, (SR, Tipo.INDICACAO_CANCELAMENTO): (date(2019, 1, 1), date(2019, 12, 31)),
    })
    ex = Exercicio.objects.get(pk=exercicio.pk)
    assert ex.janelas[(SR, Tipo.PRIORIZACAO)] == nova
    assert ex.janelas[(SR, Tipo.INDICACAO_CANCELAMENTO)] == (ex.data_liberacao, ex.fim_janela_obrigatoria)
    registro = RegistroAuditoria.objects.get(acao="exercicio.janelas")
    rotulo = "Incisos S/R · Priorização das indicações impositivas"
    assert registro.depois == {rotulo: "01/02/2019 a 30/04/2019"} and registro.usuario == segov
    assert registro.antes == {rotulo: "26/01/2019 a 11/03/2019"}


@pytest.mark.django_db
def test_janela_com_fim_antes_do_inicio_e_quem_nao_e_segov_sao_recusados(exercicio, segov, usuario_parlamentar):
    with pytest.raises(ValidationError, match="não pode ser anterior ao início"):
        salvar_calendario(usuario=segov, exercicio=exercicio, campos={},
                          janelas={(P, Tipo.PRIORIZACAO): (date(2019, 9, 1), date(2019, 8, 1))})
    with pytest.raises(PermissionDenied):
        salvar_calendario(usuario=usuario_parlamentar, exercicio=exercicio, campos={}, janelas={})
    assert not RegistroAuditoria.objects.filter(acao="exercicio.janelas").exists()


@pytest.mark.django_db
def test_migracao_cria_as_janelas_dos_exercicios_existentes(exercicio):
    JanelaOperacao.objects.all().delete()
    migracao = importlib.import_module("emendas.migrations.0014_janelas_e_prioridade")
    migracao.criar_janelas_e_prioridades(apps, None)
    assert Exercicio.objects.get(pk=exercicio.pk).janelas == prazos.janelas_padrao(exercicio)


@pytest.mark.django_db
def test_linha_do_tempo_diz_as_janelas_abertas_e_futuras(exercicio):
    grupos = janelas_na_linha_do_tempo(exercicio, exercicio.data_liberacao)
    assert [g["trilha"] for g in grupos] == ["Incisos S/R", "Incisos S/R saneados",
                                             "Incisos P (remanejamento constitucional)"]
    sr = {j["rotulo"]: j for j in grupos[0]["janelas"]}
    assert sr["Indicação e cancelamento"]["estado"] == "aberta"
    assert sr["Indicação e cancelamento"]["dias"] == 44
    assert sr["Escolha do remanejamento constitucional"]["estado"] == "futura"


# ---------------------------------------------------------------------------
# Telas

def _dados_calendario(ex, **janelas):
    dados = {"data_publicacao_loa": ex.data_publicacao_loa.strftime("%d/%m/%Y"),
             "data_liberacao": ex.data_liberacao.strftime("%d/%m/%Y"),
             "fim_janela_livre": ex.fim_janela_livre.strftime("%d/%m/%Y"),
             "fim_janela_obrigatoria": ex.fim_janela_obrigatoria.strftime("%d/%m/%Y"),
             "limite_outra_uo_percentual": "10", "regime_cagec": ex.regime_cagec}
    dados.update({f"janela-{k}": v for k, v in janelas.items()})
    return dados


@pytest.mark.django_db
def test_tela_do_calendario_grava_a_janela_digitada_em_pt_br(exercicio, segov):
    c = logado(segov)
    url = reverse("emendas:exercicio_editar", args=[exercicio.ano])
    pagina = c.get(url).content.decode()
    assert "Janelas de operação" in pagina and 'name="janela-P__PRIORIZACAO__inicio"' in pagina
    assert 'name="janela-SR__INDICACAO_CANCELAMENTO__inicio"' not in pagina  # é a das quatro datas
    r = c.enviar(url, _dados_calendario(exercicio, P__PRIORIZACAO__inicio="01/08/2019", P__PRIORIZACAO__fim="30/09/2019"))
    assert r.status_code == 302
    assert Exercicio.objects.get(pk=exercicio.pk).janelas[(P, Tipo.PRIORIZACAO)] == (date(2019, 8, 1), date(2019, 9, 30))


@pytest.mark.django_db
@pytest.mark.parametrize("inicio, fim, mensagem", [
    ("31/02/2019", "30/09/2019", "Esse dia não existe no calendário"),
    ("01/10/2019", "30/09/2019", "não pode ser anterior ao início (01/10/2019)"),
])
def test_tela_do_calendario_recusa_data_errada_ao_lado_do_campo(exercicio, segov, inicio, fim, mensagem):
    url = reverse("emendas:exercicio_editar", args=[exercicio.ano])
    r = logado(segov).enviar(url, _dados_calendario(exercicio, P__PRIORIZACAO__inicio=inicio, P__PRIORIZACAO__fim=fim))
    assert r.status_code == 200 and mensagem in r.content.decode()
    assert 'aria-invalid="true"' in r.content.decode()
    assert Exercicio.objects.get(pk=exercicio.pk).janelas[(P, Tipo.PRIORIZACAO)] == prazos.janelas_padrao(exercicio)[
        (P, Tipo.PRIORIZACAO)]


@pytest.mark.django_db
def test_painel_do_parlamentar_mostra_as_janelas_de_operacao(exercicio, parlamentar, inciso):
    import time_machine

    from tests.conftest import meio_dia

    with time_machine.travel(meio_dia(exercicio.data_liberacao), tick=False):
        html = logado(parlamentar.usuario).get(reverse("inicio")).content.decode()
    assert "Prazos de cada operação" in html
    assert "Priorização das indicações impositivas" in html and "faltam 44 dias" in html
