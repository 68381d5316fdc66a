"""Cancelar várias indicações de uma vez, com uma justificativa: tudo ou nada, e a tela com revisão."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from convenios import services as conv
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import selectors
from emendas.models import Indicacao, Inciso, RegistroIndicacao
from emendas.prazos import OrigemSaldo
from emendas.services import cancelar_indicacoes, enviar_indicacao
from envios.models import EnvioUnico
from tests.conftest import logado, meio_dia
from tests.fabricas import cenario_convenio

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE, RESTRITA, ENCERRADA = date(2019, 2, 1), date(2019, 3, 1), date(2019, 3, 20)
Status = Indicacao.Status


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


@pytest.fixture
def c(parlamentar, inciso, analista_orgao, segov):
    benef = Convenente.objects.create(cnpj=gerar_cnpj(5), razao_social="Prefeitura de Caeté", municipio="Caeté",
                                      tipo="ADM_MUNICIPAL")
    return {"parl": parlamentar.usuario, "parlamentar": parlamentar, "inciso": inciso, "benef": benef,
            "orgao": analista_orgao, "segov": segov}


def indicar(c, valor="1000.00", inciso=None, usuario=None):
    with em(LIVRE):
        return enviar_indicacao(usuario=usuario or c["parl"], inciso=inciso or c["inciso"], forma_execucao="CONVENIO",
                                valor=M(valor), beneficiario=c["benef"], objeto="Reforma")


def situacoes(*inds):
    return [Indicacao.objects.get(pk=i.pk).status for i in inds]


def test_cancela_todas_com_uma_justificativa_e_o_valor_volta(c):
    a, b, d = indicar(c, "100.00"), indicar(c, "250.00"), indicar(c, "50.00")
    with em(RESTRITA):
        canceladas = cancelar_indicacoes(usuario=c["parl"], indicacoes=[b, a], justificativa="Mudança de planos")
    assert [i.numero for i in canceladas] == [a.numero, b.numero]
    assert situacoes(a, b, d) == [Status.CANCELADA, Status.CANCELADA, Status.EM_ANALISE_ORGAO]
    for ind in (a, b):
        ind.refresh_from_db()
        assert ind.justificativa == "Mudança de planos" and ind.saldo_devolucao == OrigemSaldo.SEM_REMANEJAMENTO
        assert ind.encerrada_por == c["parl"] and ind.prioridade is None
        assert RegistroIndicacao.objects.filter(indicacao=ind, status_novo=Status.CANCELADA).count() == 1
    assert Indicacao.objects.get(pk=d.pk).prioridade == 1  # a que ficou sobe para 1ª
    saldos = selectors.saldos_inciso(Inciso.objects.get(pk=c["inciso"].pk), RESTRITA)
    # Na restrita o livre que sobrou virou SPR; os 350,00 cancelados voltam para lá (cancelamento nunca vira CPR).
    assert saldos.indicado == M("50.00") and saldos.saldo_do_balde(OrigemSaldo.SEM_REMANEJAMENTO) == M("999950.00")


def test_uma_que_nao_pode_e_nenhuma_e_cancelada_e_a_mensagem_diz_qual(c, parlamentar, analista_orgao, segov, inciso):
    convenente, cadastrador, presa = cenario_convenio(inciso=inciso, parlamentar=parlamentar,
                                                      analista_orgao=analista_orgao, segov=segov, valor="1000.00")
    with em(LIVRE):
        proposta = conv.gerar_proposta(usuario=cadastrador, convenente=convenente, indicacoes={presa: presa.valor},
                                       objeto="Reforma")
    livre, ja = indicar(c), indicar(c)
    with em(LIVRE):
        cancelar_indicacoes(usuario=c["parl"], indicacoes=[ja], justificativa="Antes")
        with pytest.raises(ValidationError) as erro:
            cancelar_indicacoes(usuario=c["parl"], indicacoes=[livre, presa, ja], justificativa="Todas")
    mensagens = erro.value.messages
    assert mensagens[0] == "Nenhuma indicação foi cancelada."
    assert any(f"nº {presa.numero}" in m and f"proposta nº {proposta.pk}" in m for m in mensagens)
    assert any(f"nº {ja.numero} está cancelada" in m for m in mensagens)
    assert situacoes(livre, presa) == [Status.EM_ANALISE_ORGAO, Status.APROVADA]


def test_depois_do_prazo_nenhuma_impositiva_e_cancelada(c):
    a, b = indicar(c), indicar(c)
    with em(ENCERRADA), pytest.raises(ValidationError, match="não podem mais ser canceladas"):
        cancelar_indicacoes(usuario=c["parl"], indicacoes=[a, b], justificativa="Tarde")
    assert situacoes(a, b) == [Status.EM_ANALISE_ORGAO] * 2


def test_indicacao_de_outro_titular_recusa_o_lote_inteiro(c, fabrica, outro_parlamentar):
    minha = indicar(c)
    alheia = indicar(c, inciso=fabrica.inciso(outro_parlamentar), usuario=outro_parlamentar.usuario)
    with em(LIVRE), pytest.raises(PermissionDenied, match=f"nº {alheia.numero}"):
        cancelar_indicacoes(usuario=c["parl"], indicacoes=[minha, alheia], justificativa="Todas")
    assert situacoes(minha, alheia) == [Status.EM_ANALISE_ORGAO] * 2


@pytest.mark.parametrize("indicacoes, justificativa, trecho", [
    ([], "Motivo", "Selecione ao menos uma"), (None, "  ", "Informe a justificativa"),
])
def test_lote_vazio_ou_sem_justificativa_e_recusado(c, indicacoes, justificativa, trecho):
    a = indicar(c)
    with em(LIVRE), pytest.raises(ValidationError, match=trecho):
        cancelar_indicacoes(usuario=c["parl"], indicacoes=[a] if indicacoes is None else indicacoes,
                            justificativa=justificativa)
    assert situacoes(a) == [Status.EM_ANALISE_ORGAO]


# ---------------------------------------------------------------------------
# Tela: marcar na "Indicação de Recursos", revisar, confirmar

def _token(html):
    trecho = html.split('id="form-cancelar-varias"', 1)[1]
    return trecho.split('name="envio_unico" value="', 1)[1].split('"', 1)[0]


def test_marcar_revisar_e_confirmar_o_cancelamento(c):
    a, b, d = indicar(c, "100.00"), indicar(c, "250.00"), indicar(c, "9.99")
    cliente = logado(c["parl"])
    url = reverse("emendas:cancelar_indicacoes")
    with em(LIVRE):
        lista = cliente.get(reverse("emendas:indicacoes")).content.decode()
        assert f'value="{a.pk}" form="form-cancelar-varias"' in lista
        dados = {"selecionados": [str(a.pk), str(b.pk)], "justificativa": "Remanejar para a saúde",
                 "envio_unico": _token(lista), "voltar": reverse("emendas:indicacoes")}
        revisao = cliente.post(url, dados)
        html = revisao.content.decode()
        assert revisao.status_code == 200 and "Cancelar indicações" in html
        assert "2 indicações, total R$ 350,00" in html and "Justificativa: Remanejar para a saúde" in html
        assert situacoes(a, b) == [Status.EM_ANALISE_ORGAO] * 2  # a revisão não muda nada
        confirmar = {**dados, "confirmado": "1", "envio_unico": html.split('name="envio_unico" value="', 1)[1]
                     .split('"', 1)[0]}
        r = cliente.post(url, confirmar, follow=True)
        assert "Canceladas: 2 indicações, total R$ 350,00" in r.content.decode()
        # Voltar e confirmar de novo não cancela outra vez (nem dá erro de "já cancelada").
        de_novo = cliente.post(url, confirmar, follow=True)
    assert situacoes(a, b, d) == [Status.CANCELADA, Status.CANCELADA, Status.EM_ANALISE_ORGAO]
    assert "nada foi feito de novo" in de_novo.content.decode() and "Canceladas: 2 indicações" in de_novo.content.decode()
    assert EnvioUnico.objects.count() == 1  # só o envio que agiu fica registrado (a revisão não age)


def test_tela_recusa_sem_marcadas_sem_justificativa_e_mostra_por_que_nenhuma(c):
    a = indicar(c)
    cliente = logado(c["parl"])
    url = reverse("emendas:cancelar_indicacoes")
    with em(LIVRE):
        lista = cliente.get(reverse("emendas:indicacoes")).content.decode()
        r = cliente.post(url, {"justificativa": "x", "envio_unico": _token(lista)}, follow=True)
        assert "Marque ao menos uma indicação" in r.content.decode()
        lista = cliente.get(reverse("emendas:indicacoes")).content.decode()
        r = cliente.post(url, {"selecionados": [str(a.pk)], "envio_unico": _token(lista)}, follow=True)
        assert "Informe a justificativa do cancelamento" in r.content.decode()
    with em(ENCERRADA):
        lista = cliente.get(reverse("emendas:indicacoes")).content.decode()
        r = cliente.post(url, {"selecionados": [str(a.pk)], "justificativa": "Tarde", "confirmado": "1",
                               "envio_unico": _token(lista)}, follow=True)
    html = r.content.decode()
    assert "Nenhuma indicação foi cancelada." in html and "não podem mais ser canceladas" in html
    assert situacoes(a) == [Status.EM_ANALISE_ORGAO]


def test_membro_do_bloco_nao_ve_as_caixas_nem_cancela(c, fabrica, outro_parlamentar):
    from emendas.models import Bloco

    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=c["parlamentar"])
    bloco.membros.add(outro_parlamentar)
    do_bloco = indicar(c, inciso=fabrica.inciso(bloco, "100000.00"))
    membro = logado(outro_parlamentar.usuario)
    with em(LIVRE):
        lista = membro.get(reverse("emendas:indicacoes")).content.decode()
        assert 'form="form-cancelar-varias"' not in lista and 'id="form-cancelar-varias"' not in lista
        from envios.unico import novo_token

        r = membro.post(reverse("emendas:cancelar_indicacoes"), {
            "selecionados": [str(do_bloco.pk)], "justificativa": "x", "confirmado": "1",
            "envio_unico": novo_token(outro_parlamentar.usuario)})
    assert r.status_code == 403 and situacoes(do_bloco) == [Status.EM_ANALISE_ORGAO]
