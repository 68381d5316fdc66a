"""Dinheiro comprometido com uma proposta: a indicação não volta ao inciso enquanto a proposta a usa.

As saídas são desvincular a indicação ou cancelar a proposta (até a aprovação); depois disso, nada do que foi
usado ou liberado volta.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from convenios import services
from convenios.models import EventoProposta, PropostaPlanoTrabalho as Proposta, UsoIndicacao
from emendas import selectors
from emendas.models import CategoriaImpedimento, Indicacao, Inciso
from emendas.services import (
    aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, devolver_para_ajuste, enviar_indicacao,
    reprovar_indicacao,
)
from notificacoes.models import EmailPendente
from tests.conftest import logado, meio_dia
from tests.fabricas import cenario_convenio, formalizar

pytestmark = pytest.mark.django_db
M = Decimal
DIA = date(2019, 2, 5)  # janela livre do exercício de teste


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov,
            "parl": parlamentar.usuario, "inciso": inciso}


@pytest.fixture(autouse=True)
def _na_janela_livre():
    with time_machine.travel(meio_dia(DIA), tick=False):
        yield


def segunda_indicacao(cv, valor="50000.00"):
    ind = enviar_indicacao(usuario=cv["parl"], inciso=cv["inciso"], forma_execucao="CONVENIO", valor=M(valor),
                           beneficiario=cv["conv"], objeto="Equipamentos")
    aprovar_indicacao_orgao(usuario=cv["orgao"], indicacao=ind)
    return aprovar_indicacao_segov(usuario=cv["segov"], indicacao=ind)


def gerar(cv, usos):
    return services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes=usos, objeto="Reforma da sede")


def ate_aprovada(cv, p):
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    return services.aprovar_proposta(usuario=cv["orgao"], proposta=p)


def ate_vigente(cv, p):
    ate_aprovada(cv, p)
    return formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"])


def categoria():
    return CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()


def livre(inciso):
    return selectors.saldos_inciso(Inciso.objects.get(pk=inciso.pk)).livre


# --- Recusas enquanto a proposta usa a indicação ---------------------------------------------------------------

def test_parlamentar_nao_cancela_indicacao_usada_por_proposta_em_cadastramento(cv):
    p = gerar(cv, {cv["ind"]: M("100000.00")})
    livre_antes = livre(cv["inciso"])
    with pytest.raises(ValidationError) as erro:
        cancelar_indicacao(usuario=cv["parl"], indicacao=cv["ind"], justificativa="Desisti")
    msg = erro.value.messages[0]
    assert f"proposta nº {p.pk} (em cadastramento, usa R$ 100.000,00)" in msg
    assert "desvincular" in msg and "cancelar a proposta" in msg
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.APROVADA
    assert livre(cv["inciso"]) == livre_antes


def test_orgao_nao_da_iot_nem_devolve_para_ajuste_indicacao_de_convenio_vigente(cv):
    p = ate_vigente(cv, gerar(cv, {cv["ind"]: M("100000.00")}))
    services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("40000.00"))
    with pytest.raises(ValidationError) as erro:
        reprovar_indicacao(usuario=cv["orgao"], indicacao=cv["ind"], categoria=categoria(), justificativa="Inviável")
    assert f"proposta nº {p.pk} (vigente" in erro.value.messages[0]
    assert "só a parte não utilizada" in erro.value.messages[0]
    with pytest.raises(ValidationError, match="não pode ser devolvida para ajuste"):
        devolver_para_ajuste(usuario=cv["orgao"], indicacao=cv["ind"], justificativa="Ajustar o objeto")
    with pytest.raises(ValidationError, match="não pode ser cancelada"):
        cancelar_indicacao(usuario=cv["parl"], indicacao=cv["ind"], justificativa="Desisti")
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.APROVADA and cv["ind"].saldo_devolucao == ""


def test_o_cenario_do_revisor_nao_devolve_ao_inciso_o_que_o_convenio_paga(cv):
    """Vigente com parcela autorizada: cancelar, IOT e nova indicação com o mesmo dinheiro não passam."""
    p = ate_vigente(cv, gerar(cv, {cv["ind"]: M("300000.00")}))
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100000.00"))
    services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    livre_antes = livre(cv["inciso"])
    for tentativa in (
        lambda: cancelar_indicacao(usuario=cv["parl"], indicacao=cv["ind"], justificativa="Desisti"),
        lambda: reprovar_indicacao(usuario=cv["orgao"], indicacao=cv["ind"], categoria=categoria(), justificativa="x"),
    ):
        with pytest.raises(ValidationError):
            tentativa()
    assert livre(cv["inciso"]) == livre_antes
    # A liberação continua limitada ao que a proposta usa.
    with pytest.raises(ValidationError, match="resta R\\$ 200.000,00"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("200000.01"))
    with pytest.raises(ValidationError, match="não pode mais ser cancelada"):
        services.cancelar_proposta(usuario=cv["u"], proposta=p, justificativa="Desistência")


# --- Desvincular ------------------------------------------------------------------------------------------------

def test_desvincular_solta_a_indicacao_e_so_entao_ela_pode_ser_cancelada(cv):
    outra = segunda_indicacao(cv)
    p = gerar(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")})
    livre_antes = livre(cv["inciso"])
    services.desvincular_indicacao(usuario=cv["orgao"], proposta=p, indicacao=outra)
    assert list(p.usos.values_list("indicacao_id", flat=True)) == [cv["ind"].pk]
    assert EventoProposta.objects.filter(proposta=p, observacao__contains=f"nº {outra.numero} desvinculada").exists()
    cancelar_indicacao(usuario=cv["parl"], indicacao=outra, justificativa="Outro beneficiário")
    assert livre(cv["inciso"]) == livre_antes + M("50000.00")
    with pytest.raises(ValidationError, match="não pode ser cancelada"):
        cancelar_indicacao(usuario=cv["parl"], indicacao=cv["ind"], justificativa="Desisti")


def test_nao_desvincula_a_unica_indicacao_nem_depois_da_aprovacao(cv):
    p = gerar(cv, {cv["ind"]: M("100000.00")})
    with pytest.raises(ValidationError, match="única da proposta .* cancele a proposta"):
        services.desvincular_indicacao(usuario=cv["u"], proposta=p, indicacao=cv["ind"])
    outra = segunda_indicacao(cv)
    p2 = ate_aprovada(cv, gerar(cv, {cv["ind"]: M("1000.00"), outra: M("1000.00")}))
    with pytest.raises(ValidationError, match="depois da aprovação"):
        services.desvincular_indicacao(usuario=cv["u"], proposta=p2, indicacao=outra)
    assert p2.usos.count() == 2


def test_so_convenente_ou_concedente_desvinculam(cv, outro_parlamentar):
    outra = segunda_indicacao(cv)
    p = gerar(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")})
    for intruso in (cv["parl"], cv["segov"], outro_parlamentar.usuario):
        with pytest.raises(PermissionDenied):
            services.desvincular_indicacao(usuario=intruso, proposta=p, indicacao=outra)
    assert p.usos.count() == 2


# --- Cancelar a proposta ----------------------------------------------------------------------------------------

def test_cancelar_proposta_solta_tudo_registra_e_avisa_o_convenente(cv):
    outra = segunda_indicacao(cv)
    p = ate_aprovada(cv, gerar(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")}))
    p = services.cancelar_proposta(usuario=cv["orgao"], proposta=p, justificativa="Objeto inviável")
    assert p.status == Proposta.Status.CANCELADA and p.justificativa == "Objeto inviável"
    assert not UsoIndicacao.objects.filter(proposta=p).exists()
    evento = p.eventos.last()
    assert (evento.status_anterior, evento.status_novo) == ("APROVADA", "CANCELADA")
    assert "R$ 150.000,00" in evento.observacao and f"indicação nº {outra.numero}" in evento.observacao
    email = EmailPendente.objects.get(assunto__contains=f"proposta nº {p.pk} cancelada")
    assert email.destinatarios == [cv["u"].email]
    # O valor inteiro das indicações está disponível de novo: uma nova proposta usa tudo.
    nova = gerar(cv, {cv["ind"]: cv["ind"].valor})
    assert services.valor_total(nova) == cv["ind"].valor
    cancelar_indicacao(usuario=cv["parl"], indicacao=outra, justificativa="Outro beneficiário")


def test_cancelar_proposta_exige_justificativa_e_permissao(cv, outro_parlamentar):
    p = gerar(cv, {cv["ind"]: M("100000.00")})
    with pytest.raises(ValidationError, match="justificativa"):
        services.cancelar_proposta(usuario=cv["u"], proposta=p, justificativa="  ")
    with pytest.raises(PermissionDenied):
        services.cancelar_proposta(usuario=outro_parlamentar.usuario, proposta=p, justificativa="Intruso")
    p.refresh_from_db()
    assert p.status == Proposta.Status.CADASTRAMENTO and p.usos.count() == 1
    services.cancelar_proposta(usuario=cv["segov"], proposta=p, justificativa="Pedido do convenente")
    with pytest.raises(ValidationError, match="cancelada"):
        services.enviar_proposta(usuario=cv["u"], proposta=p)


# --- Telas ------------------------------------------------------------------------------------------------------

def test_tela_de_cancelar_indicacao_mostra_a_proposta_que_a_prende(cv):
    p = gerar(cv, {cv["ind"]: M("100000.00")})
    cliente = logado(cv["parl"])
    pagina = cliente.get(f"/emendas/indicacoes/{cv['ind'].pk}/cancelar/").content.decode()
    assert f"proposta nº {p.pk}" in pagina and "disabled" in pagina
    resposta = cliente.enviar(f"/emendas/indicacoes/{cv['ind'].pk}/cancelar/", {"justificativa": "Desisti"})
    assert resposta.status_code == 200 and f"proposta nº {p.pk}" in resposta.content.decode()
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.APROVADA


def test_tela_da_proposta_desvincula_e_cancela(cv):
    outra = segunda_indicacao(cv)
    p = gerar(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")})
    cliente = logado(cv["u"])
    pagina = cliente.get(f"/convenios/propostas/{p.pk}/").content.decode()
    assert f"/convenios/propostas/{p.pk}/desvincular/{outra.pk}/" in pagina and "Cancelar a proposta" in pagina
    resposta = cliente.enviar(f"/convenios/propostas/{p.pk}/desvincular/{outra.pk}/", follow=True)
    assert "desvinculada" in resposta.content.decode()
    assert list(p.usos.values_list("indicacao_id", flat=True)) == [cv["ind"].pk]
    # Só resta uma: o botão de desvincular some; cancelar sem justificativa não muda nada.
    assert f"/desvincular/" not in cliente.get(f"/convenios/propostas/{p.pk}/").content.decode()
    resposta = cliente.enviar(f"/convenios/propostas/{p.pk}/cancelar/", {"justificativa": ""}, follow=True)
    assert "Informe a justificativa" in resposta.content.decode()
    resposta = cliente.enviar(f"/convenios/propostas/{p.pk}/cancelar/", {"justificativa": "Desistência", "confirmado": "1"},
                           follow=True)
    assert "cancelada" in resposta.content.decode()
    p.refresh_from_db()
    assert p.status == "CANCELADA"
    assert "Cancelar a proposta" not in cliente.get(f"/convenios/propostas/{p.pk}/").content.decode()


def test_telas_de_vinculo_recusam_quem_nao_e_da_proposta(cv, parlamentar):
    outra = segunda_indicacao(cv)
    p = gerar(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")})
    cliente = logado(cv["parl"])  # o parlamentar não vê a proposta
    assert cliente.enviar(f"/convenios/propostas/{p.pk}/desvincular/{outra.pk}/").status_code == 404
    assert cliente.enviar(f"/convenios/propostas/{p.pk}/cancelar/", {"justificativa": "x"}).status_code == 404
    segov = logado(cv["segov"])  # a SEGOV vê e cancela, mas não desvincula
    assert "Desvincular" not in segov.get(f"/convenios/propostas/{p.pk}/").content.decode()
    resposta = segov.enviar(f"/convenios/propostas/{p.pk}/desvincular/{outra.pk}/")
    assert resposta.status_code == 403
    assert logado(cv["u"]).get(f"/convenios/propostas/{p.pk}/desvincular/{outra.pk}/").status_code == 405
    assert p.usos.count() == 2


def test_tela_do_orgao_recusa_iot_e_ajuste_de_indicacao_presa_e_nada_muda(cv):
    p = gerar(cv, {cv["ind"]: M("100000.00")})
    cliente = logado(cv["orgao"])
    url = f"/emendas/indicacoes/{cv['ind'].pk}/"
    resposta = cliente.enviar(url + "reprovar/", {"categoria": categoria().pk, "justificativa": "Inviável"}, follow=True)
    assert f"vinculada à proposta nº {p.pk} (em cadastramento" in resposta.content.decode()
    resposta = cliente.enviar(url + "devolver/", {"justificativa": "Ajustar"}, follow=True)
    assert "não pode ser devolvida para ajuste" in resposta.content.decode()
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.APROVADA and cv["ind"].registros.count() == 3
