"""O tipo de atendimento/aplicação no envio e no ajuste da indicação: o catálogo do GD do inciso e as duas janelas
de ajuste (bordas inclusivas, no dia de São Paulo)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import selectors
from emendas.catalogo.regras import catalogo_da_forma, janelas_do_ajuste
from emendas.models import EspecificacaoAtendimento, Indicacao, JanelaOperacao, RegistroIndicacao, TipoAplicacao
from emendas.prazos import OrigemSaldo, TipoJanela
from emendas.services import (
    aprovar_indicacao_orgao, devolver_para_ajuste, enviar_indicacao, ajustar_indicacao,
)

pytestmark = pytest.mark.django_db
SP = ZoneInfo("America/Sao_Paulo")
LIVRE = date(2019, 2, 1)
FIM_COMPLETO, FIM_MESMO_GD = date(2019, 4, 23), date(2019, 6, 8)  # D0+103 e D0+149 (D0 = 10/01/2019)
Forma = Indicacao.FormaExecucao


def em(dia, hora=time(12)):
    return time_machine.travel(datetime.combine(dia, hora, tzinfo=SP), tick=False)


def esp(nome):
    return EspecificacaoAtendimento.objects.get(nome=nome)


@pytest.fixture
def c(catalogo, inciso, parlamentar, analista_orgao, segov):
    benef = Convenente.objects.create(cnpj=gerar_cnpj(3), razao_social="Prefeitura de Betim", municipio="Betim",
                                      tipo="ADM_MUNICIPAL")
    return {"inciso": inciso, "parl": parlamentar.usuario, "orgao": analista_orgao, "segov": segov, "benef": benef}


def indicar(c, forma=Forma.CONVENIO, **tipo):
    return enviar_indicacao(usuario=c["parl"], inciso=c["inciso"], forma_execucao=forma, valor=Decimal("1000.00"),
                            beneficiario=c["benef"] if forma == Forma.CONVENIO else None, objeto="Obra", **tipo)


def devolvida(c, **tipo):
    with em(LIVRE):
        ind = indicar(c, **tipo) if tipo else indicar(c, especificacao_atendimento=esp("Prédio Público"))
        devolver_para_ajuste(usuario=c["orgao"], indicacao=ind, justificativa="Mude o tipo.")
    return ind


# --- regras puras --------------------------------------------------------------------------------

def test_cada_forma_usa_o_seu_catalogo():
    assert catalogo_da_forma("CONVENIO") == "atendimento"
    assert {catalogo_da_forma(f) for f in ("EXECUCAO_DIRETA", "CAIXA_ESCOLAR", "DOACAO_BENS", "RESOLUCAO_SES",
                                           "OUTROS_INSTRUMENTOS")} == {"aplicacao"}
    assert catalogo_da_forma("TRANSFERENCIA_ESPECIAL") is None


def test_trocar_o_genero_pede_a_janela_completa_e_o_resto_aceita_as_duas():
    assert janelas_do_ajuste(genero_antes=1, genero_depois=2) == (TipoJanela.AJUSTE_COMPLETO,)
    assert set(janelas_do_ajuste(genero_antes=1, genero_depois=1)) == {TipoJanela.AJUSTE_COMPLETO,
                                                                      TipoJanela.AJUSTE_MESMO_GD}
    assert TipoJanela.AJUSTE_MESMO_GD in janelas_do_ajuste(genero_antes=None, genero_depois=1)
    assert janelas_do_ajuste(gd_antes=3, gd_depois=4) == (TipoJanela.AJUSTE_COMPLETO,)


# --- envio ------------------------------------------------------------------------------------------

def test_envio_com_tipo_do_grupo_do_inciso_grava_o_tipo(c):
    with em(LIVRE):
        conv = indicar(c, especificacao_atendimento=esp("Mercado Municipal"))
        direta = indicar(c, Forma.EXECUCAO_DIRETA,
                         tipo_aplicacao=TipoAplicacao.objects.get(nome="Kit viatura e armamento na PMMG").pk)
    conv.refresh_from_db(), direta.refresh_from_db()
    assert str(conv.especificacao_atendimento) == "REFORMA OU OBRA – Reforma – Mercado Municipal"
    assert conv.tipo_aplicacao is None and direta.tipo_aplicacao.nome == "Kit viatura e armamento na PMMG"


@pytest.mark.parametrize("forjado", ["outro_gd", "inativo", "inexistente"])
def test_id_forjado_e_recusado_com_a_razao_e_nada_muda(c, forjado):
    alvo = {"outro_gd": lambda: esp("Gêneros Alimentícios").pk, "inexistente": lambda: 987654}.get(forjado)
    if forjado == "inativo":
        EspecificacaoAtendimento.objects.filter(nome="Mobiliário").update(ativa=False)
        alvo = lambda: esp("Mobiliário").pk  # noqa: E731
    with em(LIVRE):
        antes = selectors.saldos_inciso(c["inciso"], LIVRE).disponivel_indicacao
        with pytest.raises(ValidationError, match="não vale para o grupo de despesa 4 – Investimentos do inciso"):
            indicar(c, especificacao_atendimento=alvo())
        assert selectors.saldos_inciso(c["inciso"], LIVRE).disponivel_indicacao == antes
    assert not Indicacao.objects.exists()


def test_tipo_de_aplicacao_de_outro_grupo_e_recusado(c):
    custeio = TipoAplicacao.objects.get(nome="Capacitação")
    with em(LIVRE), pytest.raises(ValidationError, match="tipo de aplicação escolhido não vale"):
        indicar(c, Forma.EXECUCAO_DIRETA, tipo_aplicacao=custeio)
    assert not Indicacao.objects.exists()


def test_com_catalogo_carregado_o_tipo_e_obrigatorio(c):
    with em(LIVRE), pytest.raises(ValidationError, match="Escolha o tipo de atendimento"):
        indicar(c)
    with em(LIVRE), pytest.raises(ValidationError, match="Escolha o tipo de aplicação"):
        indicar(c, Forma.EXECUCAO_DIRETA)


def test_tipo_do_catalogo_errado_para_a_forma_e_recusado(c):
    with em(LIVRE), pytest.raises(ValidationError, match="usa tipo de atendimento, não tipo de aplicação"):
        indicar(c, tipo_aplicacao=TipoAplicacao.objects.get(nome="Kit viatura e armamento na PMMG"))


def test_sem_catalogo_do_grupo_a_indicacao_segue_sem_tipo(inciso, parlamentar, grupo_odc, segov):
    # Nada carregado (as indicações de antes dos catálogos): o envio continua como era.
    with em(LIVRE):
        ind = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao=Forma.EXECUCAO_DIRETA,
                               valor=Decimal("10.00"), objeto="x")
    assert ind.especificacao_atendimento is None and ind.tipo_aplicacao is None


# --- devolução --------------------------------------------------------------------------------------

def test_orgao_devolve_para_ajuste_tambem_em_analise_da_segov(c):
    with em(LIVRE):
        ind = indicar(c, especificacao_atendimento=esp("Prédio Público"))
        aprovar_indicacao_orgao(usuario=c["orgao"], indicacao=ind)
        devolver_para_ajuste(usuario=c["orgao"], indicacao=ind, justificativa="O objeto é reforma.")
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.AGUARDANDO_AJUSTE


def test_transferencia_especial_nao_tem_ajuste(c):
    ind = Indicacao.objects.create(exercicio=c["inciso"].exercicio, numero=900, inciso=c["inciso"],
                                   forma_execucao=Forma.TRANSFERENCIA_ESPECIAL, beneficiario=c["benef"], objeto="x",
                                   valor=Decimal("1.00"), origem_saldo=OrigemSaldo.LIVRE, enviada_por=c["parl"])
    with em(LIVRE), pytest.raises(ValidationError, match="transferência especial, que não tem ajuste"):
        devolver_para_ajuste(usuario=c["orgao"], indicacao=ind, justificativa="x")


# --- ajuste e as duas janelas ------------------------------------------------------------------------

def ajustar(c, ind, **tipo):
    return ajustar_indicacao(usuario=c["parl"], indicacao=ind, objeto="Obra ajustada", **tipo)


@pytest.mark.parametrize("dia, hora, aberta", [
    (FIM_COMPLETO, time(23, 30), True),  # 02:30 UTC do dia seguinte: ainda o último dia em São Paulo
    (FIM_COMPLETO + timedelta(days=1), time(0, 30), False),
])
def test_trocar_o_genero_so_ate_o_fim_da_janela_completa_inclusive(c, dia, hora, aberta):
    ind = devolvida(c)
    with em(dia, hora):
        if aberta:
            ajustar(c, ind, especificacao_atendimento=esp("Mobiliário"))
        else:
            with pytest.raises(ValidationError, match="só na janela do ajuste completo.*23/04/2019"):
                ajustar(c, ind, especificacao_atendimento=esp("Mobiliário"))
    ind.refresh_from_db()
    assert (ind.especificacao_atendimento.nome == "Mobiliário") is aberta
    assert (ind.status == Indicacao.Status.EM_ANALISE_ORGAO) is aberta


@pytest.mark.parametrize("dia, hora, aberta", [
    (FIM_MESMO_GD, time(23, 59), True),
    (FIM_MESMO_GD + timedelta(days=1), time(0, 1), False),
])
def test_categoria_do_mesmo_genero_ate_o_fim_da_janela_de_mesmo_gd_inclusive(c, dia, hora, aberta):
    ind = devolvida(c)
    with em(dia, hora):
        if aberta:
            ajustar(c, ind, especificacao_atendimento=esp("Mercado Municipal"))  # REFORMA OU OBRA → o mesmo
        else:
            with pytest.raises(ValidationError, match="Fora das janelas de ajuste"):
                ajustar(c, ind, especificacao_atendimento=esp("Mercado Municipal"))
    ind.refresh_from_db()
    assert (ind.especificacao_atendimento.nome == "Mercado Municipal") is aberta


def test_inicio_das_janelas_tambem_e_inclusivo(c):
    ind = devolvida(c)
    inicio = date(2019, 3, 1)
    JanelaOperacao.objects.filter(tipo__in=[TipoJanela.AJUSTE_COMPLETO, TipoJanela.AJUSTE_MESMO_GD]).update(
        inicio=inicio)
    ind = Indicacao.objects.get(pk=ind.pk)
    with em(inicio - timedelta(days=1), time(23, 59)), pytest.raises(ValidationError, match="01/03/2019"):
        ajustar(c, Indicacao.objects.select_related("exercicio").get(pk=ind.pk),
                especificacao_atendimento=esp("Mercado Municipal"))
    with em(inicio, time(0, 1)):
        ajustar(c, ind, especificacao_atendimento=esp("Mercado Municipal"))


def test_ajuste_so_do_objeto_nao_pede_janela_e_marca_ajustada(c):
    ind = devolvida(c)
    with em(FIM_MESMO_GD + timedelta(days=30)):
        ajustar(c, ind)
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.EM_ANALISE_ORGAO and ind.ajustada_em is not None
    assert ind.especificacao_atendimento.nome == "Prédio Público" and ind.objeto == "Obra ajustada"


def test_ajuste_com_id_de_outro_grupo_e_recusado_e_nada_muda(c):
    ind = devolvida(c)
    with em(LIVRE + timedelta(days=5)), pytest.raises(ValidationError, match="não vale para o grupo de despesa"):
        ajustar(c, ind, especificacao_atendimento=esp("Gêneros Alimentícios").pk)
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.AGUARDANDO_AJUSTE and ind.especificacao_atendimento.nome == "Prédio Público"
    assert ind.ajustada_em is None


def test_ajuste_do_tipo_fica_no_historico(c):
    ind = devolvida(c)
    with em(LIVRE + timedelta(days=5)):
        ajustar(c, ind, especificacao_atendimento=esp("Mobiliário"))
    ultimo = RegistroIndicacao.objects.filter(indicacao=ind).last()
    assert "Prédio Público → AQUISIÇÃO DE BENS – Permanente – Mobiliário" in ultimo.justificativa


def test_ajuste_do_tipo_de_aplicacao_no_mesmo_grupo(c):
    kit = TipoAplicacao.objects.get(nome="Kit viatura e armamento na PMMG")
    ambulancia = TipoAplicacao.objects.get(nome__startswith="Ambulância")
    with em(LIVRE):
        ind = indicar(c, Forma.EXECUCAO_DIRETA, tipo_aplicacao=kit)
        devolver_para_ajuste(usuario=c["orgao"], indicacao=ind, justificativa="Outro bem.")
    with em(FIM_MESMO_GD):  # a janela completa já fechou; a de mesmo GD, não
        ajustar(c, ind, tipo_aplicacao=ambulancia)
    ind.refresh_from_db()
    assert ind.tipo_aplicacao == ambulancia
