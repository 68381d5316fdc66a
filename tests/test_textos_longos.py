"""Texto maior que o limite é recusado com mensagem, nunca cortado calado (antes: ``[:4000]`` nos serviços)."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from convenios import services as convenios_services
from convenios.models import PropostaPlanoTrabalho, VerificacaoRegularidade
from emendas import services
from emendas.correcoes import corrigir_inciso
from emendas.indicacoes.forms import FiltroIndicacoesForm
from emendas.remanejamentos.forms import FiltroRemanejamentosForm
from relatorios.filtros import FiltroIndicacoesForm as FiltroIndicacoesRelatorioForm
from emendas.models import Indicacao, Remanejamento
from tests.conftest import logado
from tests.test_entrada_hostil import DIA_LIVRE, cenario  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
LONGO = "x" * 4001
RECUSA = "tem 4001 caracteres; o máximo é 4000"


def _chamadas(c):
    inc, rem, ind, prop = c["inciso"], c["rem"], c["em_analise"], c["proposta"]
    return {
        "reprovar remanejamento": lambda t: services.reprovar_remanejamento(
            usuario=c["segov"], remanejamento=rem, justificativa=t),
        "detalhamento do remanejamento": lambda t: services.solicitar_remanejamento(
            usuario=c["parlamentar"], inciso=inc, acao=c["acao2"], grupo_despesa=c["grupo"], valor=Decimal("1.00"),
            detalhamento=t),
        "objeto da indicação": lambda t: services.enviar_indicacao(
            usuario=c["parlamentar"], inciso=inc, forma_execucao="CONVENIO", valor=Decimal("1.00"),
            beneficiario=c["convenente"], objeto=t),
        "devolver para ajuste": lambda t: services.devolver_para_ajuste(usuario=c["orgao"], indicacao=ind,
                                                                        justificativa=t),
        "reprovar indicação": lambda t: services.reprovar_indicacao(usuario=c["orgao"], indicacao=ind,
                                                                    categoria=c["categoria"], justificativa=t),
        "cancelar indicação": lambda t: services.cancelar_indicacao(usuario=c["parlamentar"], indicacao=ind,
                                                                    justificativa=t),
        "corrigir inciso": lambda t: corrigir_inciso(usuario=c["segov"], inciso=inc, justificativa=t,
                                                     valor_inicial=Decimal("1000001.00")),
        "objeto da proposta": lambda t: convenios_services.gerar_proposta(
            usuario=c["usuario_conv"], convenente=c["convenente"], indicacoes={c["aprovada"]: Decimal("1.00")},
            objeto=t),
        "devolver proposta": lambda t: convenios_services.devolver_proposta(usuario=c["orgao"], proposta=prop,
                                                                           justificativa=t),
        "cancelar proposta": lambda t: convenios_services.cancelar_proposta(usuario=c["usuario_conv"], proposta=prop,
                                                                           justificativa=t),
        "exceção à consulta": lambda t: convenios_services.registrar_excecao(
            usuario=c["segov"], proposta=prop, sistema="CAGEC", momento="ENVIO", justificativa=t),
    }


def _estado():
    return (
        sorted(Remanejamento.objects.values_list("pk", "status", "justificativa", "detalhamento")),
        sorted(Indicacao.objects.values_list("pk", "status", "objeto", "justificativa")),
        sorted(PropostaPlanoTrabalho.objects.values_list("pk", "status", "objeto", "justificativa")),
        VerificacaoRegularidade.objects.count(),
    )


@pytest.mark.parametrize("nome", [
    "reprovar remanejamento", "detalhamento do remanejamento", "objeto da indicação", "devolver para ajuste",
    "reprovar indicação", "cancelar indicação", "corrigir inciso", "objeto da proposta", "devolver proposta",
    "cancelar proposta", "exceção à consulta",
])
def test_servico_recusa_texto_acima_de_4000_caracteres_em_vez_de_cortar(cenario, nome):  # noqa: F811
    antes = _estado()
    with time_machine.travel(DIA_LIVRE, tick=False), pytest.raises(ValidationError) as erro:
        _chamadas(cenario)[nome](LONGO)
    assert RECUSA in erro.value.messages[0]
    assert _estado() == antes


def test_ajuste_da_indicacao_recusa_objeto_longo(cenario):  # noqa: F811
    ind = cenario["em_analise"]
    services.devolver_para_ajuste(usuario=cenario["orgao"], indicacao=ind, justificativa="Detalhe o objeto")
    with pytest.raises(ValidationError, match=RECUSA):
        services.ajustar_indicacao(usuario=cenario["parlamentar"], indicacao=ind, objeto=LONGO)
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.AGUARDANDO_AJUSTE and ind.objeto == "Ambulância"


def test_justificativa_de_exatamente_4000_caracteres_e_guardada_inteira(cenario):  # noqa: F811
    texto = "y" * 4000
    with time_machine.travel(DIA_LIVRE, tick=False):
        rem = services.reprovar_remanejamento(usuario=cenario["segov"], remanejamento=cenario["rem"],
                                              justificativa=texto)
    rem.refresh_from_db()
    assert rem.justificativa == texto


def test_reprovacao_em_lote_com_justificativa_longa_e_recusada_sem_reprovar(cenario):  # noqa: F811
    rem = cenario["rem"]
    cliente = logado(cenario["segov"])
    with time_machine.travel(DIA_LIVRE, tick=False):
        resposta = cliente.enviar("/emendas/remanejamentos/analise/",
                                {"acao_lote": "reprovar", "selecionados": rem.pk, "justificativa": LONGO}, follow=True)
    assert "no máximo 4000 caracteres (ele possui 4001)" in resposta.content.decode()
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.SOLICITADO and rem.justificativa == ""


def test_devolucao_em_lote_do_orgao_com_justificativa_longa_nao_devolve(cenario):  # noqa: F811
    ind = cenario["em_analise"]
    cliente = logado(cenario["orgao"])
    resposta = cliente.enviar("/emendas/indicacoes/orgao/",
                            {"acao_lote": "devolver", "selecionados": ind.pk, "justificativa": LONGO, "confirmado": "1"}, follow=True)
    assert RECUSA in resposta.content.decode()
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.EM_ANALISE_ORGAO


def test_reprovacao_da_indicacao_com_justificativa_longa_diz_o_limite(cenario):  # noqa: F811
    ind = cenario["em_analise"]
    resposta = logado(cenario["orgao"]).enviar(
        f"/emendas/indicacoes/{ind.pk}/reprovar/",
        {"categoria": cenario["categoria"].pk, "justificativa": LONGO}, follow=True)
    assert "no máximo 4000 caracteres (ele possui 4001)" in resposta.content.decode()
    ind.refresh_from_db()
    assert ind.status == Indicacao.Status.EM_ANALISE_ORGAO


@pytest.mark.parametrize("form, campo", [
    (FiltroIndicacoesForm, "beneficiario"), (FiltroIndicacoesForm, "busca"), (FiltroRemanejamentosForm, "parlamentar"),
    (FiltroIndicacoesRelatorioForm, "municipio"),
])
def test_campos_de_filtro_tem_limite_de_tamanho(form, campo):
    filtro = form({campo: "z" * 201})
    assert not filtro.is_valid()
    assert "no máximo 200 caracteres" in filtro.errors[campo][0]
