"""Formalização do convênio (issue 16, item 6; DOMAIN.md §3.5): APROVADA →autorizar_plano (SEGOV)→
PLANO_AUTORIZADO →assinar_convenente (representante legal + testemunha)→ ASSINADA →assinar_concedente→
EM_PUBLICACAO →publicar (data e extrato)→ VIGENTE; número do instrumento na autorização; CAGEC nos momentos do
regime; adequação com e-mails; liberação só de VIGENTE."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from convenios import services
from convenios.models import PropostaPlanoTrabalho as Proposta
from emendas.models import SequenciaExercicio
from integracoes.models import ConsultaIntegracao, SituacaoSimulada
from notificacoes.models import EmailPendente
from tests.conftest import meio_dia
from tests.fabricas import TESTEMUNHA, cenario_convenio, definir_regime_cagec, formalizar

pytestmark = pytest.mark.django_db
M = Decimal
S = Proposta.Status
DIA = date(2019, 2, 5)


@pytest.fixture(autouse=True)
def _num_dia_do_exercicio():
    with time_machine.travel(meio_dia(DIA), tick=False):
        yield


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov,
            "parl": parlamentar.usuario, "inciso": inciso}


def aprovada(cv, valor="1000.00"):
    p = services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M(valor)},
                                objeto="Reforma da sede", vigencia_inicio=date(2019, 3, 1),
                                vigencia_fim=date(2020, 2, 28))
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    return services.aprovar_proposta(usuario=cv["orgao"], proposta=p)


def em(cv, situacao, valor="1000.00"):
    p = aprovada(cv, valor)
    if situacao == S.APROVADA:
        return p
    return formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"], ate=situacao)


def contador():
    return SequenciaExercicio.objects.filter(nome="CONVENIO").values_list("ultimo", flat=True).first() or 0


# --- O caminho inteiro -----------------------------------------------------------------------------------

def test_caminho_inteiro_com_numero_assinaturas_e_publicacao(cv):
    p = aprovada(cv)
    assert p.numero_instrumento == ""
    p = services.autorizar_plano(usuario=cv["segov"], proposta=p)
    assert (p.status, p.numero_instrumento, p.autorizado_por) == (S.PLANO_AUTORIZADO, "0001/2019", cv["segov"])
    p = services.assinar_convenente(usuario=cv["u"], proposta=p, testemunha_nome=" Teresa Testemunha ",
                                    testemunha_cpf="529.982.247-25")
    assert (p.status, p.testemunha_nome, p.testemunha_cpf, p.assinado_convenente_por) == (
        S.ASSINADA, "Teresa Testemunha", "52998224725", cv["u"])
    p = services.assinar_concedente(usuario=cv["orgao"], proposta=p)
    assert p.status == S.EM_PUBLICACAO and p.assinado_concedente_por == cv["orgao"]
    p = services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=DIA)
    p.refresh_from_db()
    assert p.status == S.VIGENTE and p.data_publicacao == DIA
    assert p.extrato_publicacao == (
        "Extrato do convênio de saída nº 0001/2019. Concedente: " + str(p.concedente) + ". Convenente: Instituto "
        f"Esperança 1 (CNPJ {cv['conv'].cnpj_formatado}). Objeto: Reforma da sede. Valor: R$ 1.000,00. Vigência: "
        "01/03/2019 a 28/02/2020. Publicado em 05/02/2019."
    )
    assert list(p.eventos.values_list("status_novo", flat=True))[-4:] == [
        S.PLANO_AUTORIZADO, S.ASSINADA, S.EM_PUBLICACAO, S.VIGENTE]
    services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("400.00"))


def test_cada_autorizacao_recebe_o_proximo_numero_do_exercicio(cv):
    primeira, segunda = aprovada(cv, "100.00"), aprovada(cv, "200.00")
    assert services.autorizar_plano(usuario=cv["segov"], proposta=segunda).numero_instrumento == "0001/2019"
    assert services.autorizar_plano(usuario=cv["segov"], proposta=primeira).numero_instrumento == "0002/2019"
    assert contador() == 2


def test_autorizacao_recusada_nao_gasta_numero(cv):
    p = em(cv, S.PLANO_AUTORIZADO)
    with pytest.raises(ValidationError, match="plano autorizado pela segov” e não pode passar a"):
        services.autorizar_plano(usuario=cv["segov"], proposta=p)
    with pytest.raises(PermissionDenied, match="Somente a SEGOV"):
        services.autorizar_plano(usuario=cv["orgao"], proposta=aprovada(cv, "10.00"))
    assert contador() == 1


def test_publicado_extrato_digitado_fica_como_foi_digitado(cv):
    p = em(cv, S.EM_PUBLICACAO)
    p = services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=DIA, extrato="  Extrato nº 1 do DOE.  ")
    assert p.extrato_publicacao == "Extrato nº 1 do DOE."


# --- Transições válidas e inválidas, e quem pode -----------------------------------------------------------

PASSOS = {
    "autorizar": lambda cv, quem, p: services.autorizar_plano(usuario=cv[quem], proposta=p),
    "assinar_convenente": lambda cv, quem, p: services.assinar_convenente(usuario=cv[quem], proposta=p, **TESTEMUNHA),
    "assinar_concedente": lambda cv, quem, p: services.assinar_concedente(usuario=cv[quem], proposta=p),
    "publicar": lambda cv, quem, p: services.publicar(usuario=cv[quem], proposta=p, data_publicacao=DIA),
}
# passo → (de onde parte, quem o dá)
VALIDOS = {"autorizar": (S.APROVADA, "segov"), "assinar_convenente": (S.PLANO_AUTORIZADO, "u"),
           "assinar_concedente": (S.ASSINADA, "orgao"), "publicar": (S.EM_PUBLICACAO, "orgao")}
CHEGA = {"autorizar": S.PLANO_AUTORIZADO, "assinar_convenente": S.ASSINADA, "assinar_concedente": S.EM_PUBLICACAO,
         "publicar": S.VIGENTE}


@pytest.mark.parametrize("passo", list(PASSOS))
def test_cada_passo_vale_so_da_sua_situacao_e_para_quem_o_da(cv, passo):
    de, quem = VALIDOS[passo]
    for outra in (S.APROVADA, S.PLANO_AUTORIZADO, S.ASSINADA, S.EM_PUBLICACAO, S.VIGENTE):
        if outra == de:
            continue
        p = em(cv, outra, "10.00")
        with pytest.raises(ValidationError, match="não pode passar a"):
            PASSOS[passo](cv, quem, p)
        p.refresh_from_db()
        assert p.status == outra
    p = em(cv, de, "10.00")
    for intruso in {"segov", "u", "orgao", "parl"} - {quem}:
        with pytest.raises(PermissionDenied):
            PASSOS[passo](cv, intruso, p)
    assert PASSOS[passo](cv, quem, p).status == CHEGA[passo]


@pytest.mark.parametrize("nome, cpf, mensagem", [
    ("", "529.982.247-25", "nome da testemunha"),
    ("Teresa", "", "CPF da testemunha"),
    ("Teresa", "529.982.247-24", "CPF inválido"),
    ("Teresa", "111.111.111-11", "CPF inválido"),
])
def test_assinatura_do_convenente_exige_testemunha_valida(cv, nome, cpf, mensagem):
    p = em(cv, S.PLANO_AUTORIZADO)
    with pytest.raises(ValidationError, match=mensagem):
        services.assinar_convenente(usuario=cv["u"], proposta=p, testemunha_nome=nome, testemunha_cpf=cpf)
    p.refresh_from_db()
    assert p.status == S.PLANO_AUTORIZADO and p.testemunha_nome == ""


def test_publicacao_nao_aceita_data_futura_nem_anterior_a_assinatura(cv):
    p = em(cv, S.EM_PUBLICACAO)
    with pytest.raises(ValidationError, match=r"\(06/02/2019\) não pode ser depois de hoje \(05/02/2019\)"):
        services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=DIA + timedelta(days=1))
    with pytest.raises(ValidationError, match=r"anterior à assinatura do concedente \(05/02/2019\)"):
        services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=DIA - timedelta(days=1))
    with pytest.raises(ValidationError, match="Informe a data"):
        services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=None)
    p.refresh_from_db()
    assert p.status == S.EM_PUBLICACAO and p.data_publicacao is None


@pytest.mark.parametrize("situacao", [S.APROVADA, S.PLANO_AUTORIZADO, S.ASSINADA, S.EM_PUBLICACAO])
def test_liberacao_so_a_partir_de_vigente(cv, situacao):
    p = em(cv, situacao)
    with pytest.raises(ValidationError, match="proposta vigente"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1.00"))
    assert not p.liberacoes.exists()


def test_cancelar_so_ate_aprovada(cv):
    p = em(cv, S.PLANO_AUTORIZADO)
    with pytest.raises(ValidationError, match="não pode mais ser cancelada"):
        services.cancelar_proposta(usuario=cv["segov"], proposta=p, justificativa="Desistência")


# --- CAGEC nos momentos do regime --------------------------------------------------------------------------

def test_dec_48745_consulta_o_cagec_nas_duas_assinaturas_e_so_nelas(cv):
    definir_regime_cagec(cv["ind"], "DEC_48745")
    p = aprovada(cv)
    antes = ConsultaIntegracao.objects.count()
    SituacaoSimulada.objects.create(cnpj=cv["conv"].cnpj, cagec_regular=False, pendencias="CRC vencido")
    p = services.autorizar_plano(usuario=cv["segov"], proposta=p)  # a autorização não consulta
    assert ConsultaIntegracao.objects.count() == antes
    with pytest.raises(services.ErroRegularidade):
        services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(cagec_regular=True, pendencias="")
    p = services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    p = services.assinar_concedente(usuario=cv["orgao"], proposta=p)
    consultas = ConsultaIntegracao.objects.count()
    assert consultas == antes + 3
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(cagec_regular=False, pendencias="CRC vencido")
    services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=DIA)  # a publicação não consulta
    assert ConsultaIntegracao.objects.count() == consultas
    assert list(p.verificacoes.order_by("pk").values_list("momento", "resultado")) == [
        ("ASSINATURA_CONVENENTE", "IRREGULAR"), ("ASSINATURA_CONVENENTE", "REGULAR"),
        ("ASSINATURA_CONCEDENTE", "REGULAR")]


def test_legado_nao_consulta_o_cagec_na_formalizacao(cv):
    p = aprovada(cv)
    SituacaoSimulada.objects.create(cnpj=cv["conv"].cnpj, cagec_regular=False, pendencias="CRC vencido")
    antes = ConsultaIntegracao.objects.count()
    p = formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"])
    assert p.status == S.VIGENTE and ConsultaIntegracao.objects.count() == antes


def test_excecao_da_segov_na_assinatura_do_convenente_vale_do_plano_autorizado(cv):
    from integracoes.models import ServicoSimulado

    definir_regime_cagec(cv["ind"], "DEC_48745")
    p = em(cv, S.PLANO_AUTORIZADO)
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    with pytest.raises(ValidationError, match="não respondeu"):
        services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    assert services.excecoes_registraveis(usuario=cv["segov"], proposta=p) == [("CAGEC", "ASSINATURA_CONVENENTE")]
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ASSINATURA_CONVENENTE",
                               justificativa="CAGEC fora do ar")
    assert services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA).status == S.ASSINADA


# --- Adequação ---------------------------------------------------------------------------------------------

def test_adequacao_avisa_o_convenente_e_o_parlamentar(cv):
    p = services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M("1000.00")},
                                objeto="Reforma da sede")
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    antes = EmailPendente.objects.count()
    p = services.devolver_proposta(usuario=cv["orgao"], proposta=p, justificativa="Falta o cronograma.")
    assert p.status == S.DEVOLVIDA
    email = EmailPendente.objects.order_by("pk").last()
    assert EmailPendente.objects.count() == antes + 1
    assert sorted(email.destinatarios) == sorted([cv["u"].email, cv["parl"].email])
    assert f"proposta nº {p.pk} devolvida para adequação" in email.assunto
    assert "Falta o cronograma." in email.corpo and f"nº {cv['ind'].numero}" in email.corpo
    assert "R$ 1.000,00" in email.corpo


def test_adequacao_sem_justificativa_nao_muda_nada_nem_manda_email(cv):
    p = services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M("1000.00")},
                                objeto="Reforma da sede")
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    antes = EmailPendente.objects.count()
    with pytest.raises(ValidationError, match="justificativa"):
        services.devolver_proposta(usuario=cv["orgao"], proposta=p, justificativa="  ")
    p.refresh_from_db()
    assert p.status == S.EM_ANALISE and EmailPendente.objects.count() == antes


# --- Pelas telas ------------------------------------------------------------------------------------------------

def test_telas_recusam_valor_ruim_com_a_mensagem_e_sem_mudar_nada(cv):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests.conftest import logado

    p = em(cv, S.PLANO_AUTORIZADO)
    url = lambda acao: reverse("convenios:agir", args=[p.pk, acao])  # noqa: E731
    r = logado(cv["u"]).enviar(url("assinar_convenente"), {"confirmado": "1", "testemunha_nome": "Teresa",
                                                           "testemunha_cpf": "123"})
    assert r.status_code == 302
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["CPF inválido: “123”."]
    assert logado(cv["orgao"]).enviar(url("assinar_convenente"), {"confirmado": "1", **TESTEMUNHA}).status_code == 403
    p.refresh_from_db()
    assert p.status == S.PLANO_AUTORIZADO
    services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    services.assinar_concedente(usuario=cv["orgao"], proposta=p)
    r = logado(cv["orgao"]).enviar(url("publicar"), {"confirmado": "1", "data_publicacao": "06/02/2019"})
    assert [str(m) for m in get_messages(r.wsgi_request)] == [
        "A data de publicação (06/02/2019) não pode ser depois de hoje (05/02/2019)."]
    assert logado(cv["segov"]).enviar(url("publicar"), {"confirmado": "1", "data_publicacao": "05/02/2019"}
                                      ).status_code == 403
    p.refresh_from_db()
    assert p.status == S.EM_PUBLICACAO
    html = logado(cv["orgao"]).get(reverse("convenios:proposta", args=[p.pk])).content.decode()
    assert "Registrar a publicação" in html and "0001/2019" in html
    assert "Registrar a publicação" not in logado(cv["u"]).get(reverse("convenios:proposta", args=[p.pk])).content.decode()
