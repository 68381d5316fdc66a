from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from emendas import selectors
from emendas.models import Acao, Bloco, Inciso, ProgramacaoElegivel, Remanejamento, UnidadeOrcamentaria
from emendas.prazos import OrigemSaldo
from emendas.services import (
    aprovar_remanejamento, cancelar_remanejamento, reprovar_remanejamento, solicitar_remanejamento,
)
from notificacoes.models import EmailPendente
from tests.conftest import meio_dia

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE, RESTRITA, ENCERRADA, FECHADO = date(2019, 2, 1), date(2019, 3, 1), date(2019, 3, 20), date(2019, 1, 20)


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


@pytest.fixture
def base(programacoes, inciso, parlamentar, segov, acao_saude_2, grupo_inv):
    return {"inciso": inciso, "usuario": parlamentar.usuario, "acao": acao_saude_2, "grupo": grupo_inv, "segov": segov}


def pedir(b, valor="100000.00", **extra):
    dados = {"usuario": b["usuario"], "inciso": b["inciso"], "acao": b["acao"], "grupo_despesa": b["grupo"],
             "valor": M(valor), **extra}
    return solicitar_remanejamento(**dados)


def saldos(inciso, dia):
    return selectors.saldos_inciso(Inciso.objects.get(pk=inciso.pk), dia)


def test_pedido_reduz_o_disponivel_na_hora_e_avisa_a_segov(base, settings):
    with em(LIVRE):
        rem = pedir(base, "100000.00", detalhamento="  Reforma da UBS  ")
        s = saldos(base["inciso"], LIVRE)
    assert rem.status == Remanejamento.Status.SOLICITADO and rem.saldo_origem == OrigemSaldo.LIVRE
    assert rem.detalhamento == "Reforma da UBS"
    assert (s.remanejamento_solicitado, s.disponivel_remanejamento) == (M("100000"), M("900000"))
    email = EmailPendente.objects.get()
    assert email.destinatarios == sorted([settings.SIGCON_EMAIL_SEGOV, "segov@segov.test"])
    assert "S501" in email.corpo and "R$ 100.000,00" in email.corpo and "Reforma da UBS" in email.corpo
    assert list(rem.registros.values_list("status_novo", flat=True)) == ["SOLICITADO"]


def test_aprovacao_cria_inciso_r_e_avisa_o_parlamentar(base):
    with em(LIVRE):
        rem = pedir(base, "200000.00")
        novo = aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    rem.refresh_from_db()
    assert (novo.numero, novo.tipo, novo.valor_inicial) == ("R1", "R", M("200000.00"))
    assert novo.inciso_origem == base["inciso"] and novo.emenda == base["inciso"].emenda
    assert (novo.acao, novo.grupo_despesa, novo.saldo_inicial) == (base["acao"], base["grupo"], OrigemSaldo.LIVRE)
    assert rem.status == "APROVADO" and rem.inciso_gerado == novo and rem.decidido_por == base["segov"]
    origem = saldos(base["inciso"], LIVRE)
    assert (origem.valor_inciso, origem.remanejamento_solicitado) == (M("800000"), M("0"))
    assert saldos(novo, LIVRE).disponivel_indicacao == M("200000")
    email = EmailPendente.objects.filter(assunto__contains="aprovado").get()
    assert email.destinatarios == ["ana@almg.test"] and "Novo inciso: R1" in email.corpo
    assert list(rem.registros.values_list("status_anterior", "status_novo")) == [("", "SOLICITADO"), ("SOLICITADO", "APROVADO")]
    with em(LIVRE):
        segundo = aprovar_remanejamento(usuario=base["segov"], remanejamento=pedir(base, "1.00"))
    assert segundo.numero == "R2"


@pytest.mark.parametrize(
    "pedido_em, decidido_em, acao, destino",
    [
        (LIVRE, LIVRE, "reprovar", OrigemSaldo.LIVRE),
        (LIVRE, LIVRE, "cancelar", OrigemSaldo.LIVRE),
        (LIVRE, RESTRITA, "reprovar", OrigemSaldo.SEM_REMANEJAMENTO),
        (LIVRE, RESTRITA, "cancelar", OrigemSaldo.SEM_REMANEJAMENTO),
        (LIVRE, ENCERRADA, "reprovar", OrigemSaldo.NAO_IMPOSITIVO),
        (LIVRE, ENCERRADA, "cancelar", OrigemSaldo.NAO_IMPOSITIVO),
    ],
)
def test_devolucao_de_pedido_feito_na_janela_livre(base, pedido_em, decidido_em, acao, destino):
    with em(pedido_em):
        rem = pedir(base, "300000.00")
    with em(decidido_em):
        if acao == "reprovar":
            reprovar_remanejamento(usuario=base["segov"], remanejamento=rem, justificativa="Ação sem cobertura.")
        else:
            cancelar_remanejamento(usuario=base["usuario"], remanejamento=rem)
    rem.refresh_from_db()
    assert rem.saldo_devolucao == destino
    s = saldos(base["inciso"], decidido_em)
    assert s.remanejamento_solicitado == M("0")
    assert s.saldo_do_balde(destino) >= M("300000")
    assert sum(s.baldes().values()) == s.valor_inciso == M("1000000")


def _cpr_de_300_mil(base):
    """Põe R$ 300.000,00 no balde CPR (como uma indicação da janela livre reprovada na restrita)."""
    Remanejamento.objects.create(
        inciso_origem=base["inciso"], acao=base["acao"], grupo_despesa=base["grupo"], valor=M("300000"),
        status="REPROVADO", saldo_origem=OrigemSaldo.LIVRE, saldo_devolucao=OrigemSaldo.COM_REMANEJAMENTO,
        solicitado_por=base["usuario"], solicitado_em=meio_dia(LIVRE), decidido_em=meio_dia(date(2019, 2, 27)),
        decidido_por=base["usuario"], justificativa="Reprovado para o teste.",
    )


@pytest.mark.parametrize("decidido_em, acao, destino", [
    (RESTRITA, "reprovar", OrigemSaldo.COM_REMANEJAMENTO),
    (RESTRITA, "cancelar", OrigemSaldo.COM_REMANEJAMENTO),
    (ENCERRADA, "reprovar", OrigemSaldo.NAO_IMPOSITIVO),
    (ENCERRADA, "cancelar", OrigemSaldo.NAO_IMPOSITIVO),
])
def test_devolucao_de_pedido_pago_com_cpr(base, decidido_em, acao, destino):
    _cpr_de_300_mil(base)
    with em(RESTRITA):
        assert saldos(base["inciso"], RESTRITA).disponivel_remanejamento == M("300000")
        rem = pedir(base, "120000.00")
        assert rem.saldo_origem == OrigemSaldo.COM_REMANEJAMENTO
        assert saldos(base["inciso"], RESTRITA).disponivel_remanejamento == M("180000")
    with em(decidido_em):
        if acao == "reprovar":
            reprovar_remanejamento(usuario=base["segov"], remanejamento=rem, justificativa="Sem dotação.")
        else:
            cancelar_remanejamento(usuario=base["usuario"], remanejamento=rem)
    rem.refresh_from_db()
    assert rem.saldo_devolucao == destino
    if decidido_em == RESTRITA:
        assert saldos(base["inciso"], RESTRITA).com_remanejamento == M("300000")


@pytest.mark.parametrize("pedido_em, aprovado_em, cpr, balde", [
    (LIVRE, LIVRE, False, OrigemSaldo.LIVRE),
    (LIVRE, RESTRITA, False, OrigemSaldo.SEM_REMANEJAMENTO),
    (RESTRITA, RESTRITA, True, OrigemSaldo.COM_REMANEJAMENTO),
    (RESTRITA, ENCERRADA, True, OrigemSaldo.NAO_IMPOSITIVO),
    (LIVRE, ENCERRADA, False, OrigemSaldo.NAO_IMPOSITIVO),
])
def test_inciso_r_nasce_no_balde_certo(base, pedido_em, aprovado_em, cpr, balde):
    if cpr:
        _cpr_de_300_mil(base)
    with em(pedido_em):
        rem = pedir(base, "50000.00")
    with em(aprovado_em):
        novo = aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    assert novo.saldo_inicial == balde
    s = saldos(novo, aprovado_em)
    assert s.saldo_do_balde(balde) == M("50000")


@pytest.mark.parametrize("valor, trecho", [
    ("0", "maior que zero"), ("-5", "maior que zero"), ("10.005", "duas casas"),
    ("1000000.01", "pedido R$ 1.000.000,01, disponível R$ 1.000.000,00"),
])
def test_valores_invalidos_sao_recusados_sem_gravar(base, valor, trecho):
    with em(LIVRE), pytest.raises(ValidationError, match=trecho.replace("$", r"\$").replace(".", r"\.")):
        pedir(base, valor)
    assert not Remanejamento.objects.exists() and not EmailPendente.objects.exists()


@pytest.mark.parametrize("dia, trecho", [
    (FECHADO, "em atualização: remanejamentos podem ser pedidos a partir de 26/01/2019"),
    (ENCERRADA, "terminou em 11/03/2019"),
])
def test_fora_da_janela_e_recusado(base, dia, trecho):
    with em(dia), pytest.raises(ValidationError, match=trecho):
        pedir(base)


def test_na_restrita_so_o_cpr_pode_ser_remanejado(base):
    with em(RESTRITA), pytest.raises(ValidationError, match="disponível R\\$ 0,00"):
        pedir(base, "1.00")


def test_nao_impositivo_habilitado_permite_remanejar_depois_do_prazo(base):
    base["inciso"].exercicio.nao_impositivo_habilitado = True
    base["inciso"].exercicio.save()
    with em(ENCERRADA):
        rem = pedir(base, "10.00")
        novo = aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    assert rem.saldo_origem == OrigemSaldo.NAO_IMPOSITIVO and novo.saldo_inicial == OrigemSaldo.NAO_IMPOSITIVO


def test_destino_fora_das_programacoes_elegiveis(base, acao_saude_2, grupo_inv):
    ProgramacaoElegivel.objects.filter(acao=acao_saude_2, grupo_despesa=grupo_inv).update(recebe_remanejamento=False)
    with em(LIVRE), pytest.raises(ValidationError, match="não está entre as programações que recebem remanejamento"):
        pedir(base)
    sem_prog = Acao.objects.create(uo=acao_saude_2.uo, codigo="9999", nome="Sem anexo")
    with em(LIVRE), pytest.raises(ValidationError, match="ação 9999"):
        pedir(base, acao=sem_prog)


def test_destino_igual_a_origem_e_recusado(base, acao_saude, grupo_inv):
    with em(LIVRE), pytest.raises(ValidationError, match="mesma ação e grupo"):
        pedir(base, acao=acao_saude)


@pytest.fixture
def outra_uo(exercicio, grupo_inv):
    uo = UnidadeOrcamentaria.objects.create(codigo="1301", nome="Desenvolvimento Social")
    acao = Acao.objects.create(uo=uo, codigo="4159", nome="Proteção social")
    ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=acao, grupo_despesa=grupo_inv)
    uo_te = UnidadeOrcamentaria.objects.create(codigo="1491", nome="SEGOV")
    te = Acao.objects.create(uo=uo_te, codigo="2090", nome="Transferências especiais", area="IAG1", destino_livre=True)
    ProgramacaoElegivel.objects.create(exercicio=exercicio, acao=te, grupo_despesa=grupo_inv)
    return acao, te


def test_outra_uo_e_recusada_quando_a_politica_nao_permite(base, outra_uo):
    acao, te = outra_uo
    with em(LIVRE):
        with pytest.raises(ValidationError, match="não pode mudar a unidade orçamentária: .* UO 4291 .* UO 1301"):
            pedir(base, acao=acao)
        with pytest.raises(ValidationError, match="UO 1491"):
            pedir(base, acao=te)  # nem o destino livre, com a regra de 2019


def test_outra_uo_com_limite_de_10_por_cento(base, outra_uo):
    acao, te = outra_uo
    ex = base["inciso"].exercicio
    ex.permite_outra_uo = True
    ex.save()
    with em(LIVRE):
        pedir(base, "60000.00", acao=acao)
        with pytest.raises(ValidationError) as erro:
            pedir(base, "40000.01", acao=acao)
        msg = erro.value.messages[0]
        assert "10.00% do montante impositivo (R$ 1.000.000,00) é R$ 100.000,00" in msg
        assert "já solicitado ou aprovado R$ 60.000,00" in msg and "disponível R$ 40.000,00" in msg
        pedir(base, "40000.00", acao=acao)
        pedir(base, "500000.00", acao=te)  # destino livre não conta no limite
        pedir(base, "1000.00")  # dentro da UO é livre


def test_minimo_em_saude(base, outra_uo, fabrica, parlamentar):
    acao, _ = outra_uo
    ex = base["inciso"].exercicio
    ex.permite_outra_uo = True
    ex.limite_outra_uo_percentual = M("100")
    ex.minimo_saude_percentual = M("50")
    ex.save()
    fabrica.inciso(parlamentar, "1000000.00", acao=acao)  # total 2 mi, 1 mi em saúde
    with em(LIVRE), pytest.raises(ValidationError) as erro:
        pedir(base, "0.01", acao=acao)
    assert "ficariam R$ 999.999,99 em saúde, abaixo de 50.00% do total (R$ 1.000.000,00 de R$ 2.000.000,00)" in erro.value.messages[0]


def test_inciso_p_nao_pode_ser_remanejado(base, fabrica, parlamentar):
    p = fabrica.inciso(parlamentar, "10.00", tipo="P")
    with em(LIVRE), pytest.raises(ValidationError, match="tipo P"):
        pedir(base, "1.00", inciso=p)


def test_outro_parlamentar_nao_remaneja_inciso_alheio(base, outro_parlamentar):
    with em(LIVRE), pytest.raises(PermissionDenied):
        pedir(base, usuario=outro_parlamentar.usuario)
    assert not Remanejamento.objects.exists()


def test_bloco_so_o_responsavel_remaneja(base, fabrica, parlamentar, outro_parlamentar):
    bloco = Bloco.objects.create(nome="Bloco", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fabrica.inciso(bloco, "1000.00")
    with em(LIVRE):
        with pytest.raises(PermissionDenied):
            pedir(base, "10.00", inciso=do_bloco)
        rem = pedir(base, "10.00", inciso=do_bloco, usuario=outro_parlamentar.usuario)
        aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    assert EmailPendente.objects.filter(assunto__contains="aprovado").get().destinatarios == ["bruno@almg.test"]


def test_so_a_segov_decide(base):
    with em(LIVRE):
        rem = pedir(base)
        with pytest.raises(PermissionDenied):
            aprovar_remanejamento(usuario=base["usuario"], remanejamento=rem)
        with pytest.raises(PermissionDenied):
            reprovar_remanejamento(usuario=base["usuario"], remanejamento=rem, justificativa="x")
    rem.refresh_from_db()
    assert rem.status == "SOLICITADO"


def test_reprovar_exige_justificativa_e_avisa(base):
    with em(LIVRE):
        rem = pedir(base)
        with pytest.raises(ValidationError, match="justificativa"):
            reprovar_remanejamento(usuario=base["segov"], remanejamento=rem, justificativa="   ")
        reprovar_remanejamento(usuario=base["segov"], remanejamento=rem, justificativa="Ação sem meta física.")
    email = EmailPendente.objects.filter(assunto__contains="reprovado").get()
    assert "Justificativa: Ação sem meta física." in email.corpo and email.destinatarios == ["ana@almg.test"]


def test_so_se_cancela_enquanto_solicitado(base):
    with em(LIVRE):
        rem = pedir(base)
        aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
        with pytest.raises(ValidationError, match="está aprovado e não pode passar a cancelado"):
            cancelar_remanejamento(usuario=base["usuario"], remanejamento=rem)
        with pytest.raises(ValidationError, match="está aprovado"):
            aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    assert Inciso.objects.filter(tipo="R").count() == 1


def test_outro_parlamentar_nao_cancela(base, outro_parlamentar):
    with em(LIVRE):
        rem = pedir(base)
        with pytest.raises(PermissionDenied):
            cancelar_remanejamento(usuario=outro_parlamentar.usuario, remanejamento=rem)


def test_aprovacao_automatica(base):
    ex = base["inciso"].exercicio
    ex.auto_aprovar_remanejamento = True
    ex.save()
    with em(LIVRE):
        rem = pedir(base, "10.00")
    rem.refresh_from_db()
    assert rem.status == "APROVADO" and rem.decidido_por is None and rem.inciso_gerado.numero == "R1"
    assert EmailPendente.objects.filter(assunto__contains="aprovado").count() == 1
    assert not EmailPendente.objects.filter(assunto__contains="solicitado").exists()


# --- A aprovação da SEGOV reconfere o que pode ter mudado desde o pedido (destino e política; não a janela) -------

def test_aprovacao_recusa_destino_que_deixou_de_ser_elegivel(base):
    with em(LIVRE):
        rem = pedir(base)
    ProgramacaoElegivel.objects.filter(acao=base["acao"], grupo_despesa=base["grupo"]).update(recebe_remanejamento=False)
    with em(LIVRE), pytest.raises(ValidationError, match="não está entre as programações que recebem remanejamento"):
        aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    rem.refresh_from_db()
    assert rem.status == "SOLICITADO" and not Inciso.objects.filter(tipo="R").exists()


def test_aprovacao_recusa_quando_o_limite_da_politica_baixou_e_nao_conta_o_pedido_duas_vezes(base, outra_uo):
    acao, _ = outra_uo
    ex = base["inciso"].exercicio
    ex.permite_outra_uo = True
    ex.save()
    with em(LIVRE):
        cheio = pedir(base, "100000.00", acao=acao)  # exatamente os 10%
        aprovar_remanejamento(usuario=base["segov"], remanejamento=cheio)  # o próprio pedido não conta em dobro
        ex.limite_outra_uo_percentual = M("15")
        ex.save()
        outro = pedir(base, "50000.00", acao=acao)
        ex.limite_outra_uo_percentual = M("12")
        ex.save()
        with pytest.raises(ValidationError) as erro:
            aprovar_remanejamento(usuario=base["segov"], remanejamento=outro)
    assert "12.00% do montante impositivo (R$ 1.000.000,00) é R$ 120.000,00" in erro.value.messages[0]
    assert "já solicitado ou aprovado R$ 100.000,00" in erro.value.messages[0]
    outro.refresh_from_db()
    assert outro.status == "SOLICITADO"


def test_aprovacao_recusa_quando_o_minimo_em_saude_passou_a_valer(base, outra_uo, fabrica, parlamentar):
    acao, _ = outra_uo
    ex = base["inciso"].exercicio
    ex.permite_outra_uo = True
    ex.limite_outra_uo_percentual = M("100")
    ex.save()
    fabrica.inciso(parlamentar, "1000000.00", acao=acao)
    with em(LIVRE):
        rem = pedir(base, "0.01", acao=acao)
    ex.minimo_saude_percentual = M("50")
    ex.save()
    with em(LIVRE), pytest.raises(ValidationError, match="Mínimo em saúde não atendido"):
        aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)


def test_aprovacao_depois_da_janela_vale_e_o_inciso_r_nasce_no_balde_do_dia(base):
    with em(LIVRE):
        rem = pedir(base)
    with em(ENCERRADA):
        novo = aprovar_remanejamento(usuario=base["segov"], remanejamento=rem)
    assert novo.saldo_inicial == OrigemSaldo.NAO_IMPOSITIVO and novo.valor_inicial == M("100000.00")
