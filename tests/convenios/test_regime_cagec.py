"""O regime da regularidade no CAGEC é do exercício (SEGOV define), nunca escolha do convenente (issue 9, item 6)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from convenios import services
from convenios.models import PropostaPlanoTrabalho as Proposta
from emendas.models import Exercicio, RegimeCagec
from emendas.services import aprovar_indicacao_orgao, aprovar_indicacao_segov, enviar_indicacao
from integracoes.models import ConsultaIntegracao, SituacaoSimulada
from tests.conftest import Fabrica, logado, meio_dia
from tests.fabricas import definir_regime_cagec

pytestmark = pytest.mark.django_db
M = Decimal




def gerar(cv, **extra):
    return services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M("1000.00")},
                                   objeto="Reforma da sede", **extra)


def test_exercicio_novo_nasce_no_regime_legado(exercicio):
    assert exercicio.regime_cagec == RegimeCagec.LEGADO
    # A proposta usa a mesma lista de valores (uma classe só, definida em emendas).
    assert Proposta.Regime is RegimeCagec and Proposta.Regime.DEC_48745 == "DEC_48745"


def test_proposta_recebe_o_regime_do_exercicio_das_indicacoes(cv):
    definir_regime_cagec(cv["ind"], "DEC_48745")
    SituacaoSimulada.objects.create(cnpj=cv["conv"].cnpj, cagec_regular=False, pendencias="CRC vencido")
    p = gerar(cv)
    assert p.regime == "DEC_48745"
    assert not ConsultaIntegracao.objects.exists()  # no Decreto 48.745 o CAGEC só é checado nas assinaturas
    definir_regime_cagec(cv["ind"], "LEGADO")
    assert p.regime == Proposta.objects.get(pk=p.pk).regime == "DEC_48745"  # a proposta guarda o regime de quando nasceu


def test_regime_informado_igual_ao_do_exercicio_e_aceito(cv):
    assert gerar(cv, regime="LEGADO").regime == "LEGADO"


@pytest.mark.parametrize("regime_exercicio, pedido", [("LEGADO", "DEC_48745"), ("DEC_48745", "LEGADO"),
                                                      ("LEGADO", "QUALQUER")])
def test_regime_diferente_do_exercicio_e_recusado_sem_consultar(cv, regime_exercicio, pedido):
    definir_regime_cagec(cv["ind"], regime_exercicio)
    rotulo = RegimeCagec(regime_exercicio).label
    with pytest.raises(ValidationError) as erro:
        gerar(cv, regime=pedido)
    assert erro.value.messages == [
        f"O regime do CAGEC é definido pela SEGOV para o exercício 2019: {rotulo}. A proposta não pode usar outro regime."
    ]
    assert not Proposta.objects.exists()
    assert not ConsultaIntegracao.objects.exists()


def test_indicacoes_de_exercicios_com_regimes_diferentes_sao_recusadas(cv, parlamentar, analista_orgao, segov,
                                                                        acao_saude, grupo_inv):
    ex2020 = Exercicio.objects.create(ano=2020, data_publicacao_loa=date(2020, 1, 10),
                                      regime_cagec=RegimeCagec.DEC_48745)
    inciso_2020 = Fabrica(ex2020, acao_saude, grupo_inv).inciso(parlamentar, "500000.00")
    with time_machine.travel(meio_dia(date(2020, 2, 1)), tick=False):
        ind_2020 = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso_2020, forma_execucao="CONVENIO",
                                    valor=M("1000.00"), beneficiario=cv["conv"], objeto="Reforma da sede")
        aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=ind_2020)
        aprovar_indicacao_segov(usuario=segov, indicacao=ind_2020)
    with pytest.raises(ValidationError, match=r"regimes do CAGEC diferentes \(2019: Decreto 46.319/2013 .*; "
                                              r"2020: Decreto 48.745/2023 .*\)\. Gere uma proposta para cada exercício"):
        services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], objeto="Obra",
                                indicacoes={cv["ind"]: M("1.00"), ind_2020: M("1.00")})
    assert not ConsultaIntegracao.objects.exists() and not Proposta.objects.exists()
    # Com o mesmo regime nos dois exercícios, a proposta sai.
    definir_regime_cagec(cv["ind"], "DEC_48745")
    p = services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], objeto="Obra",
                                indicacoes={cv["ind"]: M("1.00"), ind_2020: M("1.00")})
    assert p.regime == "DEC_48745"


def test_tela_de_gerar_nao_oferece_regime_e_mostra_o_do_exercicio(cv):
    definir_regime_cagec(cv["ind"], "DEC_48745")
    c = logado(cv["u"])
    url = reverse("convenios:gerar", args=[cv["conv"].pk])
    html = c.get(url).content.decode()
    assert 'name="regime"' not in html
    assert "Regularidade no CAGEC das indicações de 2019: <strong>Decreto 48.745/2023" in html
    # Um campo forjado no POST não muda nada: vale o regime do exercício.
    r = c.enviar(url, {"objeto": "Reforma", "tipo_instrumento": "CONVENIO", "natureza_especial": "", "regime": "LEGADO",
                     f"usar_{cv['ind'].pk}": "1.000,00"})
    assert r.status_code == 302
    p = Proposta.objects.get()
    assert p.regime == "DEC_48745"
    html = c.get(reverse("convenios:proposta", args=[p.pk])).content.decode()
    assert "Regime do CAGEC" in html and "Decreto 48.745/2023 (CAGEC só nas assinaturas)" in html
    assert "<select" not in html.split("Regime do CAGEC")[1].split("</dd>")[0]  # só leitura


def test_segov_define_o_regime_no_calendario_do_exercicio(segov, exercicio):
    c = logado(segov)
    url = reverse("emendas:exercicio_editar", args=[2019])
    assert 'name="regime_cagec"' in c.get(url).content.decode()
    dados = {
        "data_publicacao_loa": "2019-01-10", "data_liberacao": "2019-01-26", "fim_janela_livre": "2019-02-25",
        "fim_janela_obrigatoria": "2019-03-11", "limite_outra_uo_percentual": "10", "regime_cagec": "DEC_48745",
    }
    assert c.enviar(url, dados).status_code == 302
    exercicio.refresh_from_db()
    assert exercicio.regime_cagec == "DEC_48745"
    r = c.enviar(url, dict(dados, regime_cagec="INVENTADO"))
    assert r.status_code == 200 and "Faça uma escolha válida" in r.content.decode()
    exercicio.refresh_from_db()
    assert exercicio.regime_cagec == "DEC_48745"
    html = c.get("/?ano=2019").content.decode()
    assert "Regularidade no CAGEC das propostas: Decreto 48.745/2023" in html


def test_regime_no_admin_do_exercicio(client, django_user_model, exercicio):
    su = django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")
    client.force_login(su)
    html = client.get(reverse("admin:emendas_exercicio_change", args=[exercicio.pk])).content.decode()
    assert 'name="regime_cagec"' in html
