"""Impedimento de ordem técnica dentro da proposta (issue 16, item 6; DOMAIN.md §7.8–7.9): tira o uso e reprova a
indicação numa transação só; o valor volta pelo balde da tabela das Decisões; recusado da publicação em diante;
duas autorizações simultâneas da SEGOV dão um número só (PostgreSQL)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from convenios import services
from convenios.models import PropostaPlanoTrabalho as Proposta, UsoIndicacao
from emendas import prazos, selectors
from emendas.models import CategoriaImpedimento, Indicacao, Inciso, SequenciaExercicio
from emendas.prazos import OrigemSaldo
from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao, reprovar_indicacao
from notificacoes.models import EmailPendente
from tests.conftest import logado, meio_dia
from tests.fabricas import cenario_convenio, formalizar

M = Decimal
S = Proposta.Status
LIVRE, RESTRITA, ENCERRADA = date(2019, 2, 5), date(2019, 3, 1), date(2019, 3, 20)


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov,
            "parl": parlamentar.usuario, "inciso": inciso}


def categoria():
    return CategoriaImpedimento.objects.get_or_create(nome="Ausência de projeto de engenharia", exercicio=None)[0]


def segunda_indicacao(cv, valor="50000.00"):
    ind = enviar_indicacao(usuario=cv["parl"], inciso=cv["inciso"], forma_execucao="CONVENIO", valor=M(valor),
                           beneficiario=cv["conv"], objeto="Equipamentos")
    aprovar_indicacao_orgao(usuario=cv["orgao"], indicacao=ind)
    return aprovar_indicacao_segov(usuario=cv["segov"], indicacao=ind)


def proposta(cv, usos, ate=S.APROVADA):
    p = services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes=usos, objeto="Reforma da sede")
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    p = services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    if ate != S.APROVADA:
        p = formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"], ate=ate)
    return p


def saldos(inciso):
    return selectors.saldos_inciso(Inciso.objects.get(pk=inciso.pk))


def iot(cv, p, ind, usuario=None):
    return services.reprovar_indicacao_na_proposta(usuario=usuario or cv["orgao"], proposta=p, indicacao=ind,
                                                   categoria=categoria(), justificativa="Sem projeto básico.")


@pytest.mark.django_db
@pytest.mark.parametrize("dia, balde", [(LIVRE, OrigemSaldo.LIVRE), (RESTRITA, OrigemSaldo.COM_REMANEJAMENTO),
                                        (ENCERRADA, OrigemSaldo.RESERVADO_PL)])
@pytest.mark.parametrize("situacao", [S.APROVADA, S.PLANO_AUTORIZADO, S.ASSINADA])
def test_iot_na_proposta_tira_o_uso_reprova_e_o_valor_volta_ao_balde_do_dia(cv, dia, balde, situacao):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        outra = segunda_indicacao(cv)
        p = proposta(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")}, ate=situacao)
    with time_machine.travel(meio_dia(dia), tick=False):
        antes = saldos(cv["inciso"])
        assert prazos.destino_devolucao_indicacao(cv["ind"].exercicio, dia, cv["ind"].origem_saldo,
                                                  cancelamento=False) == balde
        emails = EmailPendente.objects.count()
        p = iot(cv, p, outra)
        depois = saldos(cv["inciso"])
    outra.refresh_from_db()
    assert outra.status == Indicacao.Status.REPROVADA and outra.saldo_devolucao == balde
    assert outra.categoria_impedimento == categoria() and outra.justificativa == "Sem projeto básico."
    assert not UsoIndicacao.objects.filter(indicacao=outra).exists()
    assert p.status == situacao and list(p.usos.values_list("indicacao", flat=True)) == [cv["ind"].pk]
    campo = {OrigemSaldo.LIVRE: "livre", OrigemSaldo.COM_REMANEJAMENTO: "com_remanejamento",
             OrigemSaldo.RESERVADO_PL: "reservado_pl"}[balde]
    # Os 50.000,00 da indicação inteira (nada liberado) saem do indicado e entram no balde do dia.
    assert getattr(depois, campo) - getattr(antes, campo) == M("50000.00")
    assert antes.indicado - depois.indicado == M("50000.00")
    assert EmailPendente.objects.count() == emails + 1  # o parlamentar é avisado (emails/indicacao_reprovada.txt)
    evento = p.eventos.order_by("pk").last()
    assert f"Indicação nº {outra.numero} reprovada" in evento.observacao and "R$ 50.000,00" in evento.observacao


@pytest.mark.django_db
def test_iot_da_unica_indicacao_cancela_a_proposta(cv):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        p = proposta(cv, {cv["ind"]: M("100000.00")})
        p = iot(cv, p, cv["ind"])
    assert p.status == S.CANCELADA and not p.usos.exists()
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.REPROVADA


@pytest.mark.django_db
@pytest.mark.parametrize("situacao", [S.EM_PUBLICACAO, S.VIGENTE])
def test_iot_na_proposta_recusado_da_publicacao_em_diante(cv, situacao):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        p = proposta(cv, {cv["ind"]: M("100000.00")}, ate=situacao)
        antes = saldos(cv["inciso"])
        with pytest.raises(ValidationError, match="da publicação em diante não cabe impedimento"):
            iot(cv, p, cv["ind"])
        assert saldos(cv["inciso"]) == antes
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.APROVADA and p.usos.count() == 1


@pytest.mark.django_db
def test_so_o_analista_do_concedente_da_o_iot_na_proposta(cv, outro_parlamentar):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        p = proposta(cv, {cv["ind"]: M("100000.00")})
        for intruso in (cv["u"], cv["segov"], cv["parl"]):
            with pytest.raises(PermissionDenied):
                iot(cv, p, cv["ind"], usuario=intruso)
    cv["ind"].refresh_from_db()
    assert cv["ind"].status == Indicacao.Status.APROVADA and p.usos.count() == 1


@pytest.mark.django_db
def test_indicacao_fora_da_proposta_e_recusada_e_a_tela_do_orgao_aponta_a_proposta(cv):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        outra = segunda_indicacao(cv)
        p = proposta(cv, {cv["ind"]: M("100000.00")})
        with pytest.raises(ValidationError, match=f"não está vinculada à proposta nº {p.pk}"):
            iot(cv, p, outra)
        # Pela tela do órgão a indicação usada não é reprovada: o canal é a proposta.
        with pytest.raises(ValidationError, match="Dê o impedimento de ordem técnica dentro da proposta"):
            reprovar_indicacao(usuario=cv["orgao"], indicacao=cv["ind"], categoria=categoria(), justificativa="x")
    outra.refresh_from_db()
    assert outra.status == Indicacao.Status.APROVADA


@pytest.mark.django_db
def test_iot_pela_tela_passa_pela_revisao(cv):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        outra = segunda_indicacao(cv)
        p = proposta(cv, {cv["ind"]: M("100000.00"), outra: M("50000.00")})
        url = reverse("convenios:impedimento", args=[p.pk])
        dados = {"indicacao": outra.pk, "categoria": categoria().pk, "justificativa": "Sem projeto básico."}
        pagina = logado(cv["orgao"]).get(reverse("convenios:proposta", args=[p.pk])).content.decode()
        assert "Impedimento de ordem técnica" in pagina
        assert "Impedimento de ordem técnica" not in logado(cv["u"]).get(
            reverse("convenios:proposta", args=[p.pk])).content.decode()
        r = logado(cv["orgao"]).enviar(url, dados)
        texto = r.content.decode()
        assert "Revise antes de confirmar" in texto and "R$ 50.000,00" in texto
        outra.refresh_from_db()
        assert outra.status == Indicacao.Status.APROVADA
        assert logado(cv["segov"]).enviar(url, {**dados, "confirmado": "1"}).status_code == 403
        r = logado(cv["orgao"]).enviar(url, {**dados, "confirmado": "1"})
        assert r.status_code == 302
    outra.refresh_from_db()
    assert outra.status == Indicacao.Status.REPROVADA


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_duas_autorizacoes_simultaneas_dao_um_numero_so(inciso, parlamentar, analista_orgao, segov):
    if connection.vendor != "postgresql":
        pytest.skip("concorrência real exige PostgreSQL (defina DATABASE_URL)")
    cv = {}
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    cv.update(conv=convenente, u=usuario, ind=ind, orgao=analista_orgao, segov=segov)
    mesma = proposta(cv, {ind: M("1000.00")})
    outra = proposta(cv, {ind: M("2000.00")})
    barreira = threading.Barrier(3)
    resultados = []

    def autorizar(p):
        from django.db import connections

        try:
            barreira.wait()
            resultados.append(services.autorizar_plano(usuario=segov, proposta=p).numero_instrumento)
        except ValidationError as exc:
            resultados.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=autorizar, args=(p,)) for p in (mesma, mesma, outra)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numeros = sorted(r for r in resultados if r.endswith("/2019"))
    assert numeros == ["0001/2019", "0002/2019"]  # um número para cada proposta, sem repetir nem pular
    assert len([r for r in resultados if "não pode passar a" in r]) == 1
    assert SequenciaExercicio.objects.get(exercicio=ind.exercicio, nome="CONVENIO").ultimo == 2
    assert Proposta.objects.get(pk=mesma.pk).numero_instrumento in numeros
