"""Transferência especial (DOMAIN.md §3.4): cadastro (uma e "aplicar a todas"), envio ao SIAFI (simulado), reenvio,
encerramento, quem pode e as transições recusadas."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from auditoria.models import RegistroAuditoria
from contas import perfis
from emendas import services as em
from emendas.models import Indicacao, TransferenciaEspecial
from integracoes.models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada
from tests.conftest import criar_usuario

pytestmark = pytest.mark.django_db
Status = TransferenciaEspecial.Status
PUBLICADA = date(2019, 1, 25)


def _siafi_fora_do_ar(fora: bool) -> None:
    ServicoSimulado.objects.update_or_create(sistema="SIAFI", defaults={"fora_do_ar": fora})


def _cadastrar(analista, indicacoes, **extra):
    dados = {"numero_resolucao": "RES 123/2019", "data_publicacao": PUBLICADA, "dotacao": "1491.04.122.2090.4.4.40.42"}
    dados.update(extra)
    return em.cadastrar_transferencia_especial(usuario=analista, indicacoes=indicacoes, **dados)


def _registrada(analista, ind):
    (te,) = _cadastrar(analista, [ind])
    return em.enviar_transferencia_ao_siafi(usuario=analista, transferencia=te)


def test_cadastrar_aplica_a_todas_com_historico_e_auditoria(tes, analista_segov_uo):
    feitas = _cadastrar(analista_segov_uo, tes)
    assert [te.indicacao_id for te in feitas] == sorted(i.pk for i in tes)
    for te in TransferenciaEspecial.objects.all():
        assert (te.status, te.numero_resolucao, te.data_publicacao) == (Status.CADASTRADO, "RES 123/2019", PUBLICADA)
        assert te.cadastrada_por == analista_segov_uo
        (reg,) = te.registros.all()
        assert (reg.status_anterior, reg.status_novo, reg.usuario) == (Status.NAO_CADASTRADO, Status.CADASTRADO,
                                                                        analista_segov_uo)
    assert RegistroAuditoria.objects.filter(acao="transferencia_especial.cadastrar").count() == 3


def test_cadastrar_de_novo_altera_os_dados_sem_nova_transicao(tes, analista_segov_uo):
    _cadastrar(analista_segov_uo, tes[:1])
    (te,) = _cadastrar(analista_segov_uo, tes[:1], numero_resolucao="RES 200/2019", dotacao="")
    te.refresh_from_db()
    assert (te.status, te.numero_resolucao, te.dotacao) == (Status.CADASTRADO, "RES 200/2019", "")
    assert te.registros.count() == 1
    alteracao = RegistroAuditoria.objects.get(acao="transferencia_especial.alterar")
    assert alteracao.antes["numero_resolucao"] == "RES 123/2019" and alteracao.depois["numero_resolucao"] == "RES 200/2019"


def test_cadastro_em_lote_e_tudo_ou_nada(tes, analista_segov_uo):
    _registrada(analista_segov_uo, tes[0])  # registrada no SIAFI: os dados não mudam mais
    with pytest.raises(ValidationError) as exc:
        _cadastrar(analista_segov_uo, tes, numero_resolucao="RES 999/2019")
    texto = " ".join(exc.value.messages)
    assert "Nenhuma transferência especial foi cadastrada" in texto and f"nº {tes[0].numero}" in texto
    assert "registrado no siafi" in texto
    assert not TransferenciaEspecial.objects.filter(numero_resolucao="RES 999/2019").exists()
    assert TransferenciaEspecial.objects.count() == 1


@pytest.mark.parametrize("campo, valor, mensagem", [
    ("numero_resolucao", "  ", "Informe o nº da resolução"),
    ("numero_resolucao", "R" * 41, "o máximo é 40"),
    ("data_publicacao", None, "Informe a data de publicação"),
    ("data_publicacao", date(2019, 2, 2), "posterior a hoje"),
    ("dotacao", "9" * 81, "o máximo é 80"),
])
def test_dados_invalidos_recusados(tes, analista_segov_uo, campo, valor, mensagem):
    with pytest.raises(ValidationError, match=mensagem):
        _cadastrar(analista_segov_uo, tes[:1], **{campo: valor})
    assert not TransferenciaEspecial.objects.exists()


def test_so_o_analista_da_uo_gere(tes, analista_orgao, segov, parlamentar):
    for quem in (analista_orgao, segov, parlamentar.usuario):
        with pytest.raises(PermissionDenied, match="analista do órgão da UO"):
            _cadastrar(quem, tes[:1])
    assert not TransferenciaEspecial.objects.exists()


def test_so_indicacao_aprovada_de_transferencia_especial(tes, analista_segov_uo, inciso, parlamentar, analista_orgao):
    em.cancelar_indicacao(usuario=parlamentar.usuario, indicacao=tes[1], justificativa="Desistência")
    with pytest.raises(ValidationError, match="só a indicação aprovada"):
        _cadastrar(analista_segov_uo, [tes[1]])
    convenio = em.enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                   valor=Decimal("10.00"), objeto="Compra")
    inciso.acao.uo.analistas.add(analista_segov_uo)
    with pytest.raises(ValidationError, match="não é de transferência especial"):
        _cadastrar(analista_segov_uo, [convenio])


def test_lista_vazia_recusada(analista_segov_uo):
    with pytest.raises(ValidationError, match="Selecione ao menos uma"):
        _cadastrar(analista_segov_uo, [])


def test_enviar_ao_siafi_simulado_registra_e_grava_a_chamada(tes, analista_segov_uo):
    te = _registrada(analista_segov_uo, tes[0])
    assert te.status == Status.REGISTRADO_SIAFI and te.numero_siafi.startswith("2019TE")
    assert te.registrada_em is not None and te.envio_iniciado_em is None and te.tentativas == 1
    consulta = ConsultaIntegracao.objects.get()
    assert consulta.sucesso and consulta.sistema == "SIAFI" and consulta.cnpj == tes[0].beneficiario.cnpj
    assert consulta.resposta["numero_registro"] == te.numero_siafi
    assert [r.status_novo for r in te.registros.all()] == [Status.CADASTRADO, Status.REGISTRADO_SIAFI]
    assert RegistroAuditoria.objects.filter(acao="transferencia_especial.pedir_siafi").count() == 1
    assert RegistroAuditoria.objects.filter(acao="transferencia_especial.registrar_siafi").count() == 1


def test_siafi_fora_do_ar_deixa_nao_enviado_e_o_reenvio_registra(tes, analista_segov_uo):
    _siafi_fora_do_ar(True)
    (te,) = _cadastrar(analista_segov_uo, tes[:1])
    te = em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    assert te.status == Status.NAO_ENVIADO and "não respondeu" in te.erro_siafi
    te.refresh_from_db()
    assert te.status == Status.NAO_ENVIADO and te.envio_iniciado_em is None and te.numero_resolucao == "RES 123/2019"
    # Reenvio que falha de novo: continua "não enviado", com mais uma linha no histórico.
    te = em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    assert te.status == Status.NAO_ENVIADO and te.tentativas == 2
    _siafi_fora_do_ar(False)
    te = em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    assert te.status == Status.REGISTRADO_SIAFI and te.erro_siafi == "" and te.tentativas == 3
    assert [r.status_novo for r in te.registros.all()] == [
        Status.CADASTRADO, Status.NAO_ENVIADO, Status.NAO_ENVIADO, Status.REGISTRADO_SIAFI]
    assert list(ConsultaIntegracao.objects.order_by("pk").values_list("sucesso", flat=True)) == [False, False, True]


def test_recusa_do_siafi_mostra_o_motivo(tes, analista_segov_uo):
    SituacaoSimulada.objects.create(cnpj=tes[0].beneficiario.cnpj, siafi_bloqueado=True, siafi_motivo="Inadimplência")
    te = _registrada(analista_segov_uo, tes[0])
    assert te.status == Status.NAO_ENVIADO and te.erro_siafi == "Credor bloqueado no SIAFI-MG: Inadimplência"


def test_o_reenvio_tem_o_mesmo_identificador_e_o_mesmo_numero(tes, analista_segov_uo):
    (te,) = _cadastrar(analista_segov_uo, tes[:1])
    _siafi_fora_do_ar(True)
    em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    _siafi_fora_do_ar(False)
    te = em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    pedidos = RegistroAuditoria.objects.filter(acao="transferencia_especial.pedir_siafi").order_by("pk")
    assert {p.depois["pedido"]["identificador"] for p in pedidos} == {str(te.identificador)}
    assert pedidos[0].depois["pedido"]["valor"] == "100000.00"


def test_transicoes_invalidas(tes, analista_segov_uo):
    te = TransferenciaEspecial.objects.create(indicacao=tes[0])
    with pytest.raises(ValidationError, match="“não cadastrado” e não pode passar a “registrado no siafi”"):
        em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    with pytest.raises(ValidationError, match="não pode passar a “encerrado”"):
        em.encerrar_transferencia_especial(usuario=analista_segov_uo, transferencia=te)
    (te,) = _cadastrar(analista_segov_uo, tes[:1])
    with pytest.raises(ValidationError, match="“cadastrado” e não pode passar a “encerrado”"):
        em.encerrar_transferencia_especial(usuario=analista_segov_uo, transferencia=te)
    te = em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    with pytest.raises(ValidationError, match="“registrado no siafi” e não pode passar a “registrado no siafi”"):
        em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    te = em.encerrar_transferencia_especial(usuario=analista_segov_uo, transferencia=te)
    assert te.status == Status.ENCERRADO and te.encerrada_por == analista_segov_uo
    for acao in (lambda: em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te),
                 lambda: em.encerrar_transferencia_especial(usuario=analista_segov_uo, transferencia=te),
                 lambda: _cadastrar(analista_segov_uo, tes[:1])):
        with pytest.raises(ValidationError):
            acao()
    assert ConsultaIntegracao.objects.count() == 1  # as recusas nunca chamam o SIAFI


def test_a_maquina_e_a_da_especificacao():
    M = em.MAQUINA_TRANSFERENCIA
    assert M.seguintes(Status.NAO_CADASTRADO) == {Status.CADASTRADO}
    assert M.seguintes(Status.CADASTRADO) == {Status.REGISTRADO_SIAFI, Status.NAO_ENVIADO}
    assert M.seguintes(Status.NAO_ENVIADO) == {Status.REGISTRADO_SIAFI, Status.NAO_ENVIADO}
    assert M.seguintes(Status.REGISTRADO_SIAFI) == {Status.ENCERRADO}
    assert M.seguintes(Status.ENCERRADO) == frozenset()


def test_envio_em_andamento_recusa_o_segundo_e_o_perdido_pode_ser_refeito(tes, analista_segov_uo):
    (te,) = _cadastrar(analista_segov_uo, tes[:1])
    TransferenciaEspecial.objects.filter(pk=te.pk).update(envio_iniciado_em=timezone.now() - timedelta(seconds=10))
    with pytest.raises(ValidationError, match="já está sendo enviada"):
        em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    assert ConsultaIntegracao.objects.count() == 0
    TransferenciaEspecial.objects.filter(pk=te.pk).update(envio_iniciado_em=timezone.now() - timedelta(minutes=5))
    te = em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    assert te.status == Status.REGISTRADO_SIAFI


def test_enviar_so_o_analista_da_uo_e_so_indicacao_aprovada(tes, analista_segov_uo, analista_orgao, segov):
    (te,) = _cadastrar(analista_segov_uo, tes[:1])
    for quem in (analista_orgao, segov):
        with pytest.raises(PermissionDenied):
            em.enviar_transferencia_ao_siafi(usuario=quem, transferencia=te)
    Indicacao.objects.filter(pk=tes[0].pk).update(status=Indicacao.Status.AGUARDANDO_AJUSTE, justificativa="x")
    with pytest.raises(ValidationError, match="não pode ser enviada ao SIAFI"):
        em.enviar_transferencia_ao_siafi(usuario=analista_segov_uo, transferencia=te)
    assert ConsultaIntegracao.objects.count() == 0


def test_outro_analista_de_orgao_nao_gere_nem_com_perfil(tes):
    intruso = criar_usuario("outro@governo.test", perfis.ORGAO, "Outro Órgão")
    with pytest.raises(PermissionDenied):
        _cadastrar(intruso, tes[:1])


def test_registro_no_siafi_e_encerramento_registram_a_execucao_e_a_indicacao_nao_volta(tes, analista_segov_uo):
    from emendas.models import CategoriaImpedimento, ExecucaoIndicacao

    ind = tes[0]
    te = _registrada(analista_segov_uo, ind)
    execucao = ExecucaoIndicacao.objects.get(indicacao=ind)
    assert execucao.automatica and (execucao.utilizado, execucao.empenhado) == (ind.valor, ind.valor)
    assert (execucao.liquidado, execucao.pago) == (Decimal("0.00"), Decimal("0.00"))
    assert execucao.numero_empenho == te.numero_siafi
    # Registrada no SIAFI-MG, o dinheiro não volta ao inciso: reprovar e cancelar são recusados com o porquê.
    categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    with pytest.raises(ValidationError, match="controle de execução"):
        em.reprovar_indicacao(usuario=analista_segov_uo, indicacao=ind, categoria=categoria, justificativa="x")
    with pytest.raises(ValidationError, match="controle de execução"):
        em.cancelar_indicacao(usuario=ind.inciso.emenda.parlamentar.usuario, indicacao=ind, justificativa="x")
    em.encerrar_transferencia_especial(usuario=analista_segov_uo, transferencia=te)
    execucao.refresh_from_db()
    assert (execucao.liquidado, execucao.pago) == (ind.valor, ind.valor)
    assert Indicacao.objects.get(pk=ind.pk).status == Indicacao.Status.APROVADA


def test_nao_enviada_nao_registra_execucao(tes, analista_segov_uo):
    from emendas.models import ExecucaoIndicacao

    _siafi_fora_do_ar(True)
    assert _registrada(analista_segov_uo, tes[0]).status == Status.NAO_ENVIADO
    assert not ExecucaoIndicacao.objects.filter(indicacao=tes[0]).exists()
