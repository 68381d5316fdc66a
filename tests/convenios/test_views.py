import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from convenios import services
from convenios.models import Liberacao, PropostaPlanoTrabalho as Proposta, UsoIndicacao
from integracoes.models import ServicoSimulado, SituacaoSimulada
from tests.fabricas import TESTEMUNHA, cenario_convenio
from tests.conftest import logado

M = Decimal





def post_gerar(cv, **extra):
    dados = {"objeto": "Reforma da sede", "tipo_instrumento": "CONVENIO", "natureza_especial": "",
             f"usar_{cv['ind'].pk}": "100.000,00", **extra}
    return logado(cv["u"]).enviar(reverse("convenios:gerar", args=[cv["conv"].pk]), dados)


@pytest.mark.django_db
def test_painel_do_convenente_mostra_as_indicacoes_aprovadas(cv):
    r = logado(cv["u"]).get(reverse("convenios:painel"))
    assert "Reforma da sede" in r.content.decode() and "R$ 300.000,00" in r.content.decode()


@pytest.mark.django_db
def test_gerar_pela_tela_e_cagec_irregular_mostra_pendencias_e_mantem_o_formulario(cv):
    SituacaoSimulada.objects.create(cnpj=cv["conv"].cnpj, cagec_regular=False, pendencias="CRC vencido | 01/01/2019")
    r = post_gerar(cv)
    html = r.content.decode()
    assert r.status_code == 200 and "Convenente IRREGULAR no CAGEC" in html and "CRC vencido (validade 01/01/2019)" in html
    assert 'value="100.000,00"' in html and "Reforma da sede" in html  # nada do que foi digitado se perde
    assert not Proposta.objects.exists()
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(cagec_regular=True)
    assert post_gerar(cv).status_code == 302


@pytest.mark.django_db
def test_vigencia_errada_fica_no_campo_em_dd_mm_aaaa(cv):
    r = post_gerar(cv, vigencia_inicio="31/02/2019", vigencia_fim="01/03/2019")
    form = r.context["form"]
    assert form.errors["vigencia_inicio"] == ["Data inválida: 31/02/2019. Esse dia não existe no calendário."]
    r = post_gerar(cv, vigencia_inicio="01/06/2019", vigencia_fim="01/03/2019")
    form = r.context["form"]
    assert form.errors["vigencia_fim"] == ["O fim da vigência (01/03/2019) é antes do início (01/06/2019)."]
    assert not form.non_field_errors() and not Proposta.objects.exists()
    html = r.content.decode()
    assert 'value="01/06/2019"' in html and 'data-mascara="data"' in html
    assert post_gerar(cv, vigencia_inicio="01/03/2019", vigencia_fim="31/12/2019").status_code == 302
    assert Proposta.objects.get().vigencia_fim.isoformat() == "2019-12-31"


@pytest.mark.django_db
def test_gerar_com_valor_forjado_acima_do_indicado_e_recusado(cv):
    r = post_gerar(cv, **{f"usar_{cv['ind'].pk}": "300.000,01"})
    assert "acima do disponível" in r.content.decode() and not Proposta.objects.exists()


@pytest.mark.django_db
def test_convenente_nao_gera_para_outro_cnpj(cv, inciso, parlamentar, analista_orgao, segov):
    outro, outro_u, _ = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                         segov=segov, n=2, valor="1.00")
    assert logado(cv["u"]).get(reverse("convenios:gerar", args=[outro.pk])).status_code == 404
    p = services.gerar_proposta(usuario=outro_u, convenente=outro, indicacoes={_: M("1")}, objeto="x")
    assert logado(cv["u"]).get(reverse("convenios:proposta", args=[p.pk])).status_code == 404
    assert logado(cv["parl"]).get(reverse("convenios:proposta", args=[p.pk])).status_code == 404


@pytest.mark.django_db
def test_fluxo_pela_tela_ate_a_liberacao(cv):
    post_gerar(cv)
    p = Proposta.objects.get()
    url = lambda acao: reverse("convenios:agir", args=[p.pk, acao])  # noqa: E731
    assert logado(cv["orgao"]).enviar(url("enviar")).status_code == 403  # só o convenente envia
    logado(cv["u"]).enviar(url("enviar"), {"confirmado": "1"})
    for acao in ("receber", "aprovar"):
        logado(cv["orgao"]).enviar(url(acao), {"confirmado": "1"})
    assert logado(cv["orgao"]).enviar(url("autorizar_plano"), {"confirmado": "1"}).status_code == 403  # só a SEGOV
    logado(cv["segov"]).enviar(url("autorizar_plano"), {"confirmado": "1"})
    logado(cv["u"]).enviar(url("assinar_convenente"), {"confirmado": "1", **TESTEMUNHA})
    logado(cv["orgao"]).enviar(url("assinar_concedente"), {"confirmado": "1"})
    p.refresh_from_db()
    assert p.status == "EM_PUBLICACAO"
    logado(cv["orgao"]).enviar(url("publicar"), {"confirmado": "1", "data_publicacao": timezone.localdate().strftime("%d/%m/%Y")})
    p.refresh_from_db()
    assert p.status == "VIGENTE"
    SituacaoSimulada.objects.create(cnpj=cv["conv"].cnpj, siafi_bloqueado=True, siafi_motivo="Contas rejeitadas")
    r = logado(cv["orgao"]).enviar(reverse("convenios:liberar", args=[p.pk]), {"valor": "50.000,00", "confirmado": "1"})
    assert "Bloqueio no SIAFI-MG" in r.content.decode() and "Contas rejeitadas" in r.content.decode()
    SituacaoSimulada.objects.filter(cnpj=cv["conv"].cnpj).update(siafi_bloqueado=False)
    logado(cv["orgao"]).enviar(reverse("convenios:liberar", args=[p.pk]), {"valor": "50.000,00", "confirmado": "1"})
    lib = Liberacao.objects.get()
    r = logado(cv["segov"]).get(reverse("convenios:liberacoes"))
    assert "R$ 50.000,00" in r.content.decode()
    assert logado(cv["orgao"]).enviar(reverse("convenios:autorizar", args=[lib.pk])).status_code == 403
    logado(cv["segov"]).enviar(reverse("convenios:autorizar", args=[lib.pk]), {"confirmado": "1"})
    lib.refresh_from_db()
    assert lib.status == "AUTORIZADA"
    # O parlamentar vê a liberação na página da indicação.
    r = logado(cv["parl"]).get(reverse("emendas:indicacao", args=[cv["ind"].pk]))
    html = r.content.decode()
    assert "Valor utilizado: <strong>R$ 100.000,00</strong>" in html and "parcela 1: R$ 50.000,00 · Autorizada" in html


@pytest.mark.django_db
def test_cagec_fora_do_ar_pela_tela_e_excecao_da_segov(cv):
    post_gerar(cv)
    p = Proposta.objects.get()
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    r = logado(cv["u"]).enviar(reverse("convenios:agir", args=[p.pk, "enviar"]), {"confirmado": "1"}, follow=True)
    assert "O CAGEC não respondeu; seus dados estão salvos, tente novamente em instantes." in r.content.decode()
    r = logado(cv["segov"]).get(reverse("convenios:proposta", args=[p.pk]))
    assert "Exceção da SEGOV" in r.content.decode()
    logado(cv["segov"]).enviar(reverse("convenios:excecao", args=[p.pk]),
                             {"sistema": "CAGEC", "momento": "ENVIAR", "justificativa": "Indisponibilidade confirmada"})
    logado(cv["u"]).enviar(reverse("convenios:agir", args=[p.pk, "enviar"]), {"confirmado": "1"})
    p.refresh_from_db()
    assert p.status == "ENVIADA"


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_propostas_simultaneas_nao_passam_do_valor_da_indicacao(inciso, parlamentar, analista_orgao, segov):
    if connection.vendor != "postgresql":
        pytest.skip("concorrência real exige PostgreSQL (defina DATABASE_URL)")
    from emendas.models import CategoriaImpedimento  # noqa: F401  (garante apps carregados)

    conv, u, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao, segov=segov,
                                    valor="100.00", tipo="ADM_MUNICIPAL")
    barreira = threading.Barrier(4)
    resultados = []

    def gerar():
        barreira.wait()
        try:
            resultados.append(services.gerar_proposta(usuario=u, convenente=conv, indicacoes={ind: M("40.00")}, objeto="x"))
        except Exception as exc:  # conferido abaixo
            resultados.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=gerar) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(isinstance(r, Proposta) for r in resultados) == 2, resultados
    assert sum(u.valor for u in UsoIndicacao.objects.all()) == M("80.00")
