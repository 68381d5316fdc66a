"""O formulário de indicação: linhas a mais e a menos sem perder nada, total no servidor, erros na linha e no total,
revisão antes de gravar e o beneficiário de um CNPJ digitado (pelos adaptadores de integracoes/)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import Indicacao
from integracoes.models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada
from tests.conftest import logado, meio_dia

pytestmark = pytest.mark.django_db
LIVRE, RESTRITA = date(2019, 2, 1), date(2019, 3, 1)


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def c(inciso, parlamentar):
    p1 = Convenente.objects.create(cnpj=gerar_cnpj(21), razao_social="Prefeitura de Betim", municipio="Betim",
                                   tipo="ADM_MUNICIPAL")
    p2 = Convenente.objects.create(cnpj=gerar_cnpj(22), razao_social="APAE de Contagem", municipio="Contagem", tipo="OSC")
    return {"inciso": inciso, "usuario": parlamentar.usuario, "p1": p1, "p2": p2,
            "url": reverse("emendas:nova_indicacao", args=[inciso.pk])}


def _input(html, nome):
    """A tag <input ...> do campo *nome*."""
    antes, depois = html.split(f'name="{nome}"', 1)
    return "<input" + antes.rsplit("<input", 1)[1] + f'name="{nome}"' + depois.split(">", 1)[0] + ">"


def _post(c, **dados):
    base = {"forma_execucao": "CONVENIO", "objeto": "Reforma da UBS", "cnpj_1": c["p1"].cnpj_formatado,
            "valor_1": "100.000,00"}
    return logado(c["usuario"]).enviar(c["url"], {**base, **dados})  # um login por pedido: o teste viaja no tempo


def test_abre_com_uma_linha_e_o_total_zerado_contra_o_disponivel(c):
    html = logado(c["usuario"]).get(c["url"]).content.decode()
    assert 'name="cnpj_1"' in html and 'name="cnpj_2"' not in html
    assert "Total das linhas: <span data-total-valor>R$ 0,00</span>" in html
    assert "disponível R$ 1.000.000,00 · sobram R$ 1.000.000,00" in html
    assert 'data-disponivel-livre="1000000.00"' in html


def test_adicionar_linha_sem_javascript_guarda_o_que_foi_digitado(c):
    r = _post(c, acao="adicionar", cnpj_2=c["p2"].cnpj, valor_2="50,00")
    html = r.content.decode()
    form = r.context["form"]
    assert r.status_code == 200 and form.n == 3 and not form.is_bound
    assert 'name="cnpj_3"' in html and f'value="{c["p2"].cnpj}"' in html and 'value="50,00"' in html
    assert "Reforma da UBS</textarea>" in html
    # O total é do servidor também, e o nome de quem já foi digitado aparece embaixo da linha.
    assert "R$ 100.050,00" in html and "Prefeitura de Betim" in html and "APAE de Contagem" in html
    assert "class=\"alert alert-danger\"" not in html  # adicionar não valida: nenhum erro aparece ainda
    assert "autofocus" in _input(html, "cnpj_3") and "autofocus" not in _input(html, "cnpj_1")
    assert not Indicacao.objects.exists()


def test_adicionar_linha_pelo_htmx_devolve_so_o_formulario(c):
    r = logado(c["usuario"]).enviar(c["url"], {"acao": "adicionar", "n_linhas": "1", "cnpj_1": c["p1"].cnpj},
                      HTTP_HX_REQUEST="true", HTTP_HX_TARGET="form-indicacao")
    html = r.content.decode()
    assert "<html" not in html
    assert '<form id="form-indicacao"' in html and 'name="cnpj_2"' in html


def test_remover_linha_sobe_as_seguintes(c):
    r = _post(c, remover_linha="1", n_linhas="3", cnpj_2=c["p2"].cnpj, valor_2="50,00", cnpj_3="", valor_3="7,00")
    form = r.context["form"]
    assert form.n == 2
    assert (form.initial["cnpj_1"], form.initial["valor_1"]) == (c["p2"].cnpj, "50,00")
    assert form.initial["valor_2"] == "7,00"


@pytest.mark.parametrize("forjado", ["abc", "²", "99999999999999999999", "-1", "0"])
def test_remover_linha_forjada_nao_derruba_a_tela(c, forjado):
    r = _post(c, acao="remover", remover=forjado, n_linhas="2", cnpj_2=c["p2"].cnpj)
    assert r.status_code == 200 and r.context["form"].n == 2
    r = _post(c, n_linhas=forjado)  # e o número de linhas forjado não vira erro: a revisão sai
    assert r.status_code == 200 and "Revise antes de enviar" in r.content.decode()


def test_o_limite_de_linhas_e_respeitado(c):
    dados = {"acao": "adicionar", "n_linhas": "999"}
    r = _post(c, **dados)
    html = r.content.decode()
    assert r.context["form"].n == 50 and 'value="adicionar"' not in html and "Até 50 beneficiários por envio." in html


def test_envio_vazio_diz_inclua_ao_menos_um_beneficiario_no_campo(c):
    r = _post(c, cnpj_1="", valor_1="")
    form = r.context["form"]
    assert form.errors["cnpj_1"] == ["Inclua ao menos um beneficiário: informe o CNPJ e o valor."]
    html = r.content.decode()
    assert 'id="resumo-erros"' in html and 'href="#id_cnpj_1"' in html
    assert "autofocus" in form.fields["cnpj_1"].widget.attrs


def test_saldo_excedido_vai_para_a_linha_que_passa_e_mostra_o_total(c):
    r = _post(c, valor_1="600.000,00", cnpj_2=c["p2"].cnpj, valor_2="500.000,00", cnpj_3=c["p2"].cnpj,
              valor_3="1,00")
    form = r.context["form"]
    esperado = ("O total das linhas, R$ 1.100.001,00, passa o saldo livre disponível, R$ 1.000.000,00, "
                "em R$ 100.001,00.")
    assert list(form.errors) == ["valor_2"] and esperado in form.errors["valor_2"][0]
    html = r.content.decode()
    assert f'<p class="text-danger small mb-0 mt-1" id="erro-total">{esperado}</p>' in html
    assert 'aria-invalid="true"' in _input(html, "valor_2") and "autofocus" in _input(html, "valor_2")
    assert "passa em R$ 100.001,00" in html
    assert not Indicacao.objects.exists()


def test_na_janela_restrita_o_total_e_conferido_contra_o_saldo_escolhido(c):
    with time_machine.travel(meio_dia(RESTRITA), tick=False):
        r = _post(c, origem_saldo="COM_REMANEJAMENTO", valor_1="1,00")
        # No dia 1/3/2019 o saldo livre virou "sem possibilidade"; o "com possibilidade" está zerado.
        assert "passa o saldo com possibilidade de remanejamento disponível, R$ 0,00" in r.context["form"].errors["valor_1"][0]
        r = _post(c, origem_saldo="SEM_REMANEJAMENTO", valor_1="1,00")
        assert r.status_code == 200 and "Revise antes de enviar" in r.content.decode()


def test_revisao_mostra_tudo_e_nao_grava_ate_confirmar(c):
    r = _post(c, cnpj_2=c["p2"].cnpj, valor_2="50,50")
    html = r.content.decode()
    assert r.status_code == 200 and "Revise antes de enviar" in html and not Indicacao.objects.exists()
    for trecho in ("Prefeitura de Betim", "APAE de Contagem", "2 indicações", "R$ 100.050,50", "S501",
                   "Livre", "disponível hoje R$ 1.000.000,00, depois do envio R$ 899.949,50",
                   "Celebração de convênio / parceria", "Confirmar e enviar 2 indicações"):
        assert trecho in html, trecho
    # A confirmação leva de volta exatamente o que foi revisado (campos escondidos) e só ela grava.
    assert 'type="hidden" name="valor_2" value="50,50"' in html and 'name="acao" value="confirmar"' in html
    r = _post(c, cnpj_2=c["p2"].cnpj, valor_2="50,50", acao="confirmar")
    assert r.status_code == 302 and Indicacao.objects.count() == 2


def test_corrigir_volta_ao_formulario_com_os_dados(c):
    r = _post(c, cnpj_2=c["p2"].cnpj, valor_2="50,50", n_linhas="2", acao="corrigir")
    form = r.context["form"]
    assert "Revisar indicações" in r.content.decode() and form.n == 2 and form.initial["valor_2"] == "50,50"
    assert not Indicacao.objects.exists()


def test_confirmar_com_saldo_que_acabou_entre_a_revisao_e_o_envio_mostra_o_erro_na_linha(c, parlamentar):
    from emendas.services import enviar_indicacao
    _post(c)  # revisão
    enviar_indicacao(usuario=parlamentar.usuario, inciso=c["inciso"], forma_execucao="CONVENIO",
                     valor=Decimal("950000.00"), beneficiario=c["p1"], objeto="Outra aba")
    r = _post(c, acao="confirmar")
    form = r.context["form"]
    # Na confirmação quem confere é o serviço, com o inciso travado: o erro dele vai para a linha, e o total
    # aparece com o disponível de agora.
    assert "Linha 1: Valor acima do saldo livre" in form.errors["valor_1"][0] and Indicacao.objects.count() == 1
    assert form.erro_total == ("O total das linhas, R$ 100.000,00, passa o saldo livre disponível, R$ 50.000,00, "
                               "em R$ 50.000,00.")
    assert 'id="erro-total"' in r.content.decode()


def test_erro_do_servico_na_linha_vai_para_o_campo(c):
    from django.core.exceptions import ValidationError
    from emendas.indicacoes.forms import IndicacaoForm

    form = IndicacaoForm({"forma_execucao": "CONVENIO", "objeto": "x", "cnpj_1": c["p1"].cnpj, "valor_1": "1,00",
                          "cnpj_3": c["p2"].cnpj, "valor_3": "2,00"},
                         formas=["CONVENIO"], pede_origem=False, disponiveis={"LIVRE": Decimal("10.00")})
    assert form.is_valid()
    form.erro_do_servico(ValidationError("Linha 2: Valor acima do saldo. Nenhuma indicação foi gravada."))
    assert form.errors["valor_3"] == ["Linha 2: Valor acima do saldo. Nenhuma indicação foi gravada."]
    form.erro_do_servico(ValidationError("Fora da janela."))
    assert form.non_field_errors() == ["Fora da janela."]


# --- o beneficiário do CNPJ digitado ------------------------------------------------------------------------

def _cnpj(c, cnpj, **extra):
    return logado(c["usuario"]).get(reverse("emendas:beneficiario_por_cnpj"), {"cnpj_2": cnpj, **extra}, HTTP_HX_REQUEST="true")


def test_cnpj_digitado_mostra_nome_e_consulta_o_cagec_quando_nunca_consultado(c):
    SituacaoSimulada.objects.create(cnpj=c["p1"].cnpj, cagec_regular=False, siafi_bloqueado=True,
                                    siafi_motivo="Omissão")
    html = _cnpj(c, c["p1"].cnpj_formatado, forma_execucao="CONVENIO").content.decode()
    assert "Prefeitura de Betim" in html and "Irregular" in html and "bloqueado" in html and "<html" not in html
    assert "Omissão" not in html  # o motivo do SIAFI é para o órgão e a SEGOV
    assert ConsultaIntegracao.objects.filter(sistema="CAGEC", cnpj=c["p1"].cnpj).count() == 1
    c["p1"].refresh_from_db()
    assert c["p1"].situacao_cagec == "IRREGULAR" and c["p1"].siafi_bloqueado is True
    # Consultada há pouco: a tela usa a situação guardada, sem nova consulta.
    _cnpj(c, c["p1"].cnpj)
    assert ConsultaIntegracao.objects.count() == 1


def test_cnpj_com_situacao_velha_e_cagec_fora_do_ar_mostra_a_ultima_conhecida(c):
    Convenente.objects.filter(pk=c["p1"].pk).update(
        situacao_cagec="REGULAR", siafi_bloqueado=False, situacao_consultada_em=timezone.now() - timedelta(days=3))
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    html = _cnpj(c, c["p1"].cnpj).content.decode()
    assert "Regular" in html and "O CAGEC não respondeu agora; esta é a última situação conhecida." in html


def test_cnpj_de_tipo_que_a_forma_nao_aceita_avisa_na_linha(c):
    html = _cnpj(c, c["p2"].cnpj, forma_execucao="TRANSFERENCIA_ESPECIAL").content.decode()
    assert "APAE de Contagem" in html and "não aceita beneficiário do tipo" in html


@pytest.mark.parametrize("digitado, trecho", [
    ("11.111.111/1111-11", "CNPJ inválido"),
    (gerar_cnpj(999), "sem convenente cadastrado"),
    ("123", ""),
])
def test_cnpj_invalido_ou_desconhecido(c, digitado, trecho):
    html = _cnpj(c, digitado).content.decode()
    assert trecho in html and ConsultaIntegracao.objects.count() == 0
    if not trecho:
        assert html.strip() == ""


def test_cnpj_sem_htmx_abre_uma_pagina(c):
    r = logado(c["usuario"]).get(reverse("emendas:beneficiario_por_cnpj"), {"cnpj": c["p1"].cnpj})
    assert "<html" in r.content.decode() and "Prefeitura de Betim" in r.content.decode()
    assert r.headers["Vary"].count("HX-Request") == 1


def test_convenente_nao_usa_a_consulta_por_cnpj(c):
    from contas import perfis
    from tests.conftest import criar_usuario

    outro = criar_usuario("conv@x.test", perfis.CONVENENTE, "Conv")
    assert logado(outro).get(reverse("emendas:beneficiario_por_cnpj"), {"cnpj": c["p1"].cnpj}).status_code == 403
