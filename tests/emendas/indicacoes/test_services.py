from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import selectors
from emendas.models import Bloco, CategoriaImpedimento, Inciso, Indicacao, UnidadeOrcamentaria
from emendas.prazos import OrigemSaldo
from emendas.services import (
    ajustar_indicacao, aprovar_indicacao_orgao, aprovar_indicacao_segov, cancelar_indicacao, devolver_para_ajuste,
    enviar_indicacao, enviar_indicacoes, formas_permitidas, reprovar_indicacao, retornar_ao_orgao,
    solicitar_remanejamento,
)
from emendas.services import enfileirar_resumo_segov
from notificacoes.models import EmailPendente
from tests.conftest import meio_dia

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE, RESTRITA, ENCERRADA, FECHADO = date(2019, 2, 1), date(2019, 3, 1), date(2019, 3, 20), date(2019, 1, 20)
Forma = Indicacao.FormaExecucao
LIV, CPR, SPR, NI, PL = (OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO, OrigemSaldo.SEM_REMANEJAMENTO,
                         OrigemSaldo.NAO_IMPOSITIVO, OrigemSaldo.RESERVADO_PL)


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


@pytest.fixture
def prefeitura(db):
    return Convenente.objects.create(cnpj=gerar_cnpj(1), razao_social="Prefeitura de Betim", municipio="Betim",
                                     tipo="ADM_MUNICIPAL")


@pytest.fixture
def categoria(db):
    return CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()


@pytest.fixture
def b(inciso, parlamentar, analista_orgao, segov, prefeitura, categoria):
    return {"inciso": inciso, "parl": parlamentar.usuario, "orgao": analista_orgao, "segov": segov,
            "benef": prefeitura, "cat": categoria}


def indicar(b, valor="300000.00", origem=None, **extra):
    dados = {"usuario": b["parl"], "inciso": b["inciso"], "forma_execucao": Forma.CONVENIO, "valor": M(valor),
             "beneficiario": b["benef"], "objeto": "Reforma da UBS", "origem_saldo": origem, **extra}
    return enviar_indicacao(**dados)


def saldos(b, dia):
    return selectors.saldos_inciso(Inciso.objects.get(pk=b["inciso"].pk), dia)


def reprovar(b, ind):
    return reprovar_indicacao(usuario=b["orgao"], indicacao=ind, categoria=b["cat"], justificativa="Sem projeto.")


def test_envio_na_janela_livre_consome_o_livre_e_numera(b):
    with em(LIVRE):
        i1 = indicar(b, "300000.00")
        i2 = indicar(b, "0.01")
    assert (i1.numero, i2.numero) == (1, 2)
    assert i1.status == Indicacao.Status.EM_ANALISE_ORGAO and i1.origem_saldo == LIV
    s = saldos(b, LIVRE)
    assert (s.indicado, s.livre, s.disponivel_remanejamento) == (M("300000.01"), M("699999.99"), M("699999.99"))


def test_fluxo_completo_orgao_e_segov(b):
    with em(LIVRE):
        ind = indicar(b)
        aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=ind)
        retornar_ao_orgao(usuario=b["segov"], indicacao=ind, justificativa="Conferir o plano.")
        aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=ind)
        aprovar_indicacao_segov(usuario=b["segov"], indicacao=ind)
    ind.refresh_from_db()
    assert ind.status == "APROVADA" and ind.aprovada_segov_por == b["segov"]
    assert list(ind.registros.values_list("status_novo", flat=True)) == [
        "EM_ANALISE_ORGAO", "EM_ANALISE_SEGOV", "RETORNADO_SEGOV", "EM_ANALISE_SEGOV", "APROVADA"]
    assert saldos(b, LIVRE).indicado == M("300000")


# --- Tabela "where money goes back to" (indicações) --------------------------------------------

@pytest.mark.parametrize("enviada, decidida, acao, destino", [
    (LIVRE, LIVRE, "reprovar", LIV),
    (LIVRE, RESTRITA, "reprovar", CPR),
    (LIVRE, ENCERRADA, "reprovar", PL),
    (LIVRE, LIVRE, "cancelar", LIV),
    (LIVRE, RESTRITA, "cancelar", SPR),
])
def test_indicacao_enviada_na_janela_livre(b, enviada, decidida, acao, destino):
    with em(enviada):
        ind = indicar(b, "300000.00")
    with em(decidida):
        if acao == "reprovar":
            reprovar(b, ind)
        else:
            cancelar_indicacao(usuario=b["parl"], indicacao=ind, justificativa="Desisti.")
    ind.refresh_from_db()
    assert ind.saldo_devolucao == destino
    s = saldos(b, decidida)
    assert s.indicado == M("0") and s.saldo_do_balde(destino) >= M("300000")
    assert sum(s.baldes().values()) == s.valor_inciso


@pytest.mark.parametrize("origem, decidida, acao, destino", [
    (SPR, RESTRITA, "reprovar", PL),
    (SPR, ENCERRADA, "reprovar", PL),
    (SPR, RESTRITA, "cancelar", SPR),
])
def test_indicacao_enviada_com_spr(b, origem, decidida, acao, destino):
    with em(RESTRITA):
        ind = indicar(b, "100000.00", origem=SPR)
        assert saldos(b, RESTRITA).sem_remanejamento == M("900000")
    with em(decidida):
        if acao == "reprovar":
            reprovar(b, ind)
        else:
            cancelar_indicacao(usuario=b["parl"], indicacao=ind, justificativa="Desisti.")
    ind.refresh_from_db()
    assert ind.saldo_devolucao == destino
    if destino == PL:
        assert saldos(b, decidida).reservado_pl == M("100000")


def _cpr(b, valor="200000.00"):
    """Indicação da janela livre reprovada na restrita: vira CPR."""
    with em(LIVRE):
        ind = indicar(b, valor)
    with em(RESTRITA):
        reprovar(b, ind)


@pytest.mark.parametrize("decidida, acao, destino", [
    (RESTRITA, "reprovar", CPR), (RESTRITA, "cancelar", CPR), (ENCERRADA, "reprovar", PL),
])
def test_indicacao_enviada_com_cpr(b, decidida, acao, destino):
    _cpr(b)
    with em(RESTRITA):
        ind = indicar(b, "150000.00", origem=CPR)
        assert saldos(b, RESTRITA).com_remanejamento == M("50000")
    with em(decidida):
        if acao == "reprovar":
            reprovar(b, ind)
        else:
            cancelar_indicacao(usuario=b["parl"], indicacao=ind, justificativa="Desisti.")
    ind.refresh_from_db()
    assert ind.saldo_devolucao == destino


@pytest.mark.parametrize("origem", [None, CPR, SPR])
def test_cancelamento_depois_do_prazo_e_recusado(b, origem):
    if origem == CPR:
        _cpr(b)
    with em(LIVRE if origem is None else RESTRITA):
        ind = indicar(b, "1000.00", origem=origem)
    with em(ENCERRADA), pytest.raises(ValidationError, match="não podem mais ser canceladas"):
        cancelar_indicacao(usuario=b["parl"], indicacao=ind, justificativa="x")
    ind.refresh_from_db()
    assert ind.status == "EM_ANALISE_ORGAO"


@pytest.mark.parametrize("acao", ["reprovar", "cancelar"])
def test_indicacao_de_saldo_nao_impositivo_volta_para_ele(b, acao):
    ex = b["inciso"].exercicio
    ex.nao_impositivo_habilitado = True
    ex.save()
    with em(ENCERRADA):
        ind = indicar(b, "5000.00")
        assert ind.origem_saldo == NI
        if acao == "reprovar":
            reprovar(b, ind)
        else:
            cancelar_indicacao(usuario=b["parl"], indicacao=ind, justificativa="x")
    ind.refresh_from_db()
    assert ind.saldo_devolucao == NI
    assert saldos(b, ENCERRADA).nao_impositivo == M("1000000")


def test_cpr_de_indicacao_reprovada_pode_ser_remanejado(b, programacoes, acao_saude_2, grupo_inv):
    _cpr(b, "250000.00")
    with em(RESTRITA):
        s = saldos(b, RESTRITA)
        assert (s.disponivel_remanejamento, s.disponivel_indicacao) == (M("250000"), M("1000000"))
        rem = solicitar_remanejamento(usuario=b["parl"], inciso=b["inciso"], acao=acao_saude_2,
                                      grupo_despesa=grupo_inv, valor=M("250000.00"))
        assert rem.saldo_origem == CPR
        with pytest.raises(ValidationError, match="disponível R\\$ 0,00"):
            solicitar_remanejamento(usuario=b["parl"], inciso=b["inciso"], acao=acao_saude_2,
                                    grupo_despesa=grupo_inv, valor=M("0.01"))


# --- Recusas ------------------------------------------------------------------------------------

@pytest.mark.parametrize("campo, valor, trecho", [
    ("valor", M("0"), "maior que zero"),
    ("valor", M("-1"), "maior que zero"),
    ("valor", M("1.001"), "duas casas"),
    ("valor", M("1000000.01"), "pedido R\\$ 1.000.000,01, disponível R\\$ 1.000.000,00"),
    ("objeto", "   ", "Descreva o objeto"),
    ("beneficiario", None, "Informe o beneficiário"),
    ("forma_execucao", Forma.CAIXA_ESCOLAR, "não é permitida"),
    ("forma_execucao", Forma.TRANSFERENCIA_ESPECIAL, "não é permitida"),
])
def test_envio_invalido_e_recusado_sem_gravar(b, campo, valor, trecho):
    with em(LIVRE), pytest.raises(ValidationError, match=trecho):
        indicar(b, **{campo: valor}) if campo != "valor" else indicar(b, str(valor))
    assert not Indicacao.objects.exists()


def test_execucao_direta_pode_ficar_sem_beneficiario(b):
    with em(LIVRE):
        ind = indicar(b, "10.00", forma_execucao=Forma.EXECUCAO_DIRETA, beneficiario=None)
    assert ind.beneficiario is None


def test_formas_por_programacao(b, fabrica, parlamentar):
    uo = b["inciso"].acao.uo
    assert Forma.RESOLUCAO_SES not in formas_permitidas(b["inciso"])
    UnidadeOrcamentaria.objects.filter(pk=uo.pk).update(secretaria="SAUDE")
    assert Forma.RESOLUCAO_SES in formas_permitidas(Inciso.objects.select_related("acao__uo").get(pk=b["inciso"].pk))
    from emendas.models import Acao

    uo_te = UnidadeOrcamentaria.objects.create(codigo="1491", nome="SEGOV")
    te = Acao.objects.create(uo=uo_te, codigo="2090", nome="TE", destino_livre=True)
    assert formas_permitidas(fabrica.inciso(parlamentar, "1", acao=te)) == [Forma.TRANSFERENCIA_ESPECIAL]


@pytest.mark.parametrize("dia, origem, trecho", [
    (FECHADO, None, "abrem em 26/01/2019"),
    (ENCERRADA, None, "terminou em 11/03/2019"),
    (RESTRITA, None, "Escolha o saldo"),
    (LIVRE, SPR, "só pode usar o saldo livre"),
])
def test_janela_e_saldo_de_origem(b, dia, origem, trecho):
    with em(dia), pytest.raises(ValidationError, match=trecho):
        indicar(b, "1.00", origem=origem)


def test_na_restrita_o_valor_e_limitado_pelo_balde_escolhido(b):
    with em(RESTRITA), pytest.raises(ValidationError, match="com possibilidade de remanejamento .* disponível R\\$ 0,00"):
        indicar(b, "1.00", origem=CPR)


def test_varios_beneficiarios_tudo_ou_nada(b):
    outra = Convenente.objects.create(cnpj=gerar_cnpj(2), razao_social="APAE", municipio="Betim", tipo="OSC")
    with em(LIVRE):
        with pytest.raises(ValidationError, match="Linha 3: .*disponível R\\$ 100.000,00.*Nenhuma indicação foi gravada"):
            enviar_indicacoes(usuario=b["parl"], inciso=b["inciso"], forma_execucao=Forma.CONVENIO, objeto="Obra",
                              linhas=[(b["benef"], M("600000")), (outra, M("300000")), (b["benef"], M("100000.01"))])
        assert not Indicacao.objects.exists()
        criadas = enviar_indicacoes(usuario=b["parl"], inciso=b["inciso"], forma_execucao=Forma.CONVENIO,
                                    objeto="Obra", linhas=[(b["benef"], M("600000")), (outra, M("400000"))])
    assert [i.beneficiario for i in criadas] == [b["benef"], outra]
    assert saldos(b, LIVRE).disponivel_indicacao == M("0")


# --- Permissões --------------------------------------------------------------------------------

def test_so_o_titular_envia_e_cancela(b, outro_parlamentar):
    with em(LIVRE):
        with pytest.raises(PermissionDenied):
            indicar(b, usuario=outro_parlamentar.usuario)
        ind = indicar(b)
        with pytest.raises(PermissionDenied):
            cancelar_indicacao(usuario=outro_parlamentar.usuario, indicacao=ind, justificativa="x")


def test_membro_de_bloco_nao_indica(b, fabrica, outro_parlamentar, parlamentar):
    bloco = Bloco.objects.create(nome="Bloco", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fabrica.inciso(bloco, "100.00")
    with em(LIVRE):
        with pytest.raises(PermissionDenied):
            indicar(b, "1.00", inciso=do_bloco)
        indicar(b, "1.00", inciso=do_bloco, usuario=outro_parlamentar.usuario)


def test_analista_de_outra_uo_nao_analisa(b):
    from tests.conftest import criar_usuario

    outro = criar_usuario("educ@see.test", "Órgão")
    outro.uos_analisadas.add(UnidadeOrcamentaria.objects.create(codigo="1261", nome="SEE"))
    with em(LIVRE):
        ind = indicar(b)
        for f in (lambda u: aprovar_indicacao_orgao(usuario=u, indicacao=ind),
                  lambda u: devolver_para_ajuste(usuario=u, indicacao=ind, justificativa="x"),
                  lambda u: reprovar_indicacao(usuario=u, indicacao=ind, categoria=b["cat"], justificativa="x")):
            with pytest.raises(PermissionDenied):
                f(outro)
            with pytest.raises(PermissionDenied):
                f(b["segov"])  # a SEGOV não age no primeiro nível
            with pytest.raises(PermissionDenied):
                f(b["parl"])


def test_so_a_segov_no_segundo_nivel(b):
    with em(LIVRE):
        ind = indicar(b)
        aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=ind)
        with pytest.raises(PermissionDenied):
            aprovar_indicacao_segov(usuario=b["orgao"], indicacao=ind)
        with pytest.raises(PermissionDenied):
            retornar_ao_orgao(usuario=b["parl"], indicacao=ind, justificativa="x")


# --- Estados, ajuste, e-mails ------------------------------------------------------------------

def test_ajuste_muda_so_o_objeto_e_mantem_a_data_de_envio(b):
    with em(LIVRE):
        ind = indicar(b)
        enviada = ind.enviada_em
        devolver_para_ajuste(usuario=b["orgao"], indicacao=ind, justificativa="Detalhe o tipo de atendimento.")
    email = EmailPendente.objects.get()
    assert email.destinatarios == ["ana@almg.test"] and "Detalhe o tipo de atendimento." in email.corpo
    assert "S501 / " in email.corpo
    with em(date(2019, 2, 10)):
        with pytest.raises(ValidationError, match="Descreva"):
            ajustar_indicacao(usuario=b["parl"], indicacao=ind, objeto="  ")
        ajustar_indicacao(usuario=b["parl"], indicacao=ind, objeto="Reforma – Mercado Municipal")
    ind.refresh_from_db()
    assert ind.status == "EM_ANALISE_ORGAO" and ind.objeto == "Reforma – Mercado Municipal"
    assert ind.enviada_em == enviada and ind.valor == M("300000") and ind.beneficiario == b["benef"]
    with em(date(2019, 2, 10)), pytest.raises(ValidationError, match="não está aguardando ajuste"):
        ajustar_indicacao(usuario=b["parl"], indicacao=ind, objeto="outro")


def test_reprovacao_exige_categoria_e_justificativa_e_avisa(b):
    with em(LIVRE):
        ind = indicar(b)
        with pytest.raises(ValidationError, match="justificativa"):
            reprovar_indicacao(usuario=b["orgao"], indicacao=ind, categoria=b["cat"], justificativa="")
        with pytest.raises(ValidationError, match="categoria"):
            reprovar_indicacao(usuario=b["orgao"], indicacao=ind, categoria=None, justificativa="x")
        reprovar(b, ind)
    email = EmailPendente.objects.get()
    assert b["cat"].nome in email.corpo and "Sem projeto." in email.corpo and "O valor foi para: Livre" in email.corpo


def test_categoria_propria_do_exercicio_substitui_a_padrao(b):
    propria = CategoriaImpedimento.objects.create(exercicio=b["inciso"].exercicio, nome="Categoria da LDO 2019")
    with em(LIVRE):
        ind = indicar(b)
        with pytest.raises(ValidationError, match="categoria"):
            reprovar(b, ind)  # a padrão não vale mais para este exercício
        reprovar_indicacao(usuario=b["orgao"], indicacao=ind, categoria=propria, justificativa="x")


@pytest.mark.parametrize("preparar, permitido", [
    ("EM_ANALISE_ORGAO", True), ("RETORNADO_SEGOV", True), ("AGUARDANDO_AJUSTE", True), ("APROVADA", True),
    ("EM_ANALISE_SEGOV", False), ("CANCELADA", False),
])
def test_reprovacao_so_dos_estados_permitidos(b, preparar, permitido):
    with em(LIVRE):
        ind = indicar(b)
        if preparar in ("RETORNADO_SEGOV", "APROVADA", "EM_ANALISE_SEGOV"):
            aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=ind)
        if preparar == "RETORNADO_SEGOV":
            retornar_ao_orgao(usuario=b["segov"], indicacao=ind, justificativa="x")
        if preparar == "APROVADA":
            aprovar_indicacao_segov(usuario=b["segov"], indicacao=ind)
        if preparar == "AGUARDANDO_AJUSTE":
            devolver_para_ajuste(usuario=b["orgao"], indicacao=ind, justificativa="x")
        if preparar == "CANCELADA":
            cancelar_indicacao(usuario=b["parl"], indicacao=ind, justificativa="x")
        if permitido:
            reprovar(b, ind)
        else:
            with pytest.raises(ValidationError, match="não pode passar a"):
                reprovar(b, ind)


def test_resumo_diario_da_segov_e_idempotente(b, settings):
    with em(LIVRE):
        assert enfileirar_resumo_segov() is None  # nada pendente, nada enviado
        ind = indicar(b)
        aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=ind)
        primeiro = enfileirar_resumo_segov()
        segundo = enfileirar_resumo_segov()
    assert primeiro.pk == segundo.pk and EmailPendente.objects.filter(assunto__contains="aguardando").count() == 1
    assert "Prefeitura de Betim" in primeiro.corpo and settings.SIGCON_EMAIL_SEGOV in primeiro.destinatarios
