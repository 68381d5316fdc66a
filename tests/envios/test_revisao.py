"""A revisão antes do dinheiro mexer (envios.revisao): o primeiro POST só mostra a ação, os itens, quantos e o total;
nada muda até o "Confirmar". Quem não pode dar o passo não vê revisão nenhuma (403 ou a mensagem da regra)."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from convenios import services as conv
from convenios.models import Liberacao
from emendas.models import Indicacao, Remanejamento
from emendas.services import enviar_indicacao, solicitar_remanejamento
from envios import unico
from tests.conftest import logado, meio_dia
from tests.fabricas import TESTEMUNHA, cenario_convenio, convenio_vigente, proposta_aprovada

pytestmark = pytest.mark.django_db
SIM = {"confirmado": "1"}


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        yield


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov,
            "parl": parlamentar.usuario, "inciso": inciso}


def revisao(resposta) -> str:
    html = resposta.content.decode()
    assert resposta.status_code == 200 and "Revise antes de confirmar" in html, html[:400]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def confirmar_pela_revisao(cliente, url, resposta):
    """O "Confirmar" da página de revisão, como o navegador o envia: só os campos escondidos do formulário dela
    (os do primeiro POST, ``confirmado`` e o token de envio único novo)."""
    [form] = [f for f in re.findall(r"<form [^>]*method=\"post\".*?</form>", resposta.content.decode(), re.S)
              if 'name="confirmado"' in f]
    dados = {}
    for nome, valor in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        dados.setdefault(nome, []).append(unescape(valor))
    assert "envio_unico" in dados and dados["confirmado"] == ["1"], dados
    return cliente.post(url, dados)


def test_lote_de_remanejamentos_revisa_com_quantidade_e_total_e_so_o_confirmar_decide(
        programacoes, inciso, parlamentar, segov, acao_saude_2, grupo_inv):
    pedidos = [solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                       grupo_despesa=grupo_inv, valor=Decimal(v)) for v in ("1000.00", "234.56")]
    ids = [r.pk for r in pedidos]
    url = reverse("emendas:analise_remanejamentos")
    cliente = logado(segov)
    primeira = cliente.enviar(url, {"selecionados": ids, "acao_lote": "aprovar", "querystring": "status=SOLICITADO"})
    texto = revisao(primeira)
    assert "Aprovar remanejamentos : 2 pedidos, total R$ 1.234,56" in texto
    assert set(Remanejamento.objects.values_list("status", flat=True)) == {"SOLICITADO"}
    r = confirmar_pela_revisao(cliente, url, primeira)  # o "Confirmar" da página: os campos e o token dela
    assert r.status_code == 302 and r["Location"] == f"{url}?status=SOLICITADO"
    assert [str(m) for m in get_messages(r.wsgi_request)] == [
        f"2 pedidos aprovados: nº {ids[0]}, {ids[1]} (total R$ 1.234,56)."]
    assert set(Remanejamento.objects.values_list("status", flat=True)) == {"APROVADO"}


def test_revisao_do_lote_repete_os_campos_e_traz_um_token_novo(programacoes, inciso, parlamentar, segov,
                                                              acao_saude_2, grupo_inv):
    rem = solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                  grupo_despesa=grupo_inv, valor=Decimal("10.00"))
    token = unico.novo_token(segov)
    r = logado(segov).post(reverse("emendas:analise_remanejamentos"), {
        "selecionados": [rem.pk], "acao_lote": "reprovar", "justificativa": "Sem meta.", "envio_unico": token})
    html = r.content.decode()
    assert "Justificativa: Sem meta." in html
    for campo in (f'name="selecionados" value="{rem.pk}"', 'name="acao_lote" value="reprovar"',
                  'name="justificativa" value="Sem meta."', 'name="confirmado" value="1"'):
        assert campo in html
    assert token not in html  # o token do primeiro POST não serve para a confirmação


def test_lote_de_indicacoes_do_orgao_revisa_com_quantidade_e_total(cv):
    i2 = enviar_indicacao(usuario=cv["parl"], inciso=cv["inciso"], forma_execucao="CONVENIO", valor=Decimal("0.50"),
                          beneficiario=cv["conv"], objeto="Obra")
    url = reverse("emendas:analise_orgao")
    cliente = logado(cv["orgao"])
    texto = revisao(cliente.enviar(url, {"selecionados": [i2.pk], "acao_lote": "aprovar_orgao"}))
    assert "Aprovar indicações : 1 indicação, total R$ 0,50" in texto and "Instituto Esperança 1" in texto
    assert Indicacao.objects.get(pk=i2.pk).status == "EM_ANALISE_ORGAO"
    cliente.enviar(url, {"selecionados": [i2.pk], "acao_lote": "aprovar_orgao", **SIM})
    assert Indicacao.objects.get(pk=i2.pk).status == "EM_ANALISE_SEGOV"


def test_lote_para_devolver_sem_justificativa_avisa_antes_da_revisao(cv):
    i2 = enviar_indicacao(usuario=cv["parl"], inciso=cv["inciso"], forma_execucao="CONVENIO", valor=Decimal("5.00"),
                          beneficiario=cv["conv"], objeto="Obra")
    r = logado(cv["orgao"]).enviar(reverse("emendas:analise_orgao"), {"selecionados": [i2.pk], "acao_lote": "devolver"})
    assert r.status_code == 302
    assert "Informe a justificativa" in str(list(get_messages(r.wsgi_request))[0])


def test_lote_so_com_ids_de_outra_uo_nao_mostra_revisao_vazia(cv, outro_parlamentar):
    r = logado(cv["orgao"]).enviar(reverse("emendas:analise_orgao"), {"selecionados": ["999999"],
                                                                    "acao_lote": "aprovar_orgao"})
    assert r.status_code == 302
    assert "Nenhuma das indicações selecionadas" in str(list(get_messages(r.wsgi_request))[0])


def test_enviar_e_aprovar_proposta_revisam_os_itens_e_o_total(cv):
    p = conv.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: Decimal("1500.00")},
                            objeto="Reforma")
    url = lambda acao: reverse("convenios:agir", args=[p.pk, acao])  # noqa: E731
    texto = revisao(logado(cv["u"]).enviar(url("enviar")))
    assert f"Enviar ao concedente nº {p.pk} (Instituto Esperança 1) : 1 indicação, total R$ 1.500,00" in texto
    p.refresh_from_db()
    assert p.status == "CADASTRAMENTO"
    logado(cv["u"]).enviar(url("enviar"), SIM)
    logado(cv["orgao"]).enviar(url("receber"))  # receber não move dinheiro: sem revisão
    p.refresh_from_db()
    assert p.status == "EM_ANALISE"
    # O convenente não aprova: nem revisão ele vê, recebe o 403 do passo.
    assert logado(cv["u"]).enviar(url("aprovar")).status_code == 403
    texto = revisao(logado(cv["orgao"]).enviar(url("aprovar")))
    assert "Aprovar a proposta" in texto and "total R$ 1.500,00" in texto
    logado(cv["orgao"]).enviar(url("aprovar"), SIM)
    p.refresh_from_db()
    assert p.status == "APROVADA"


@pytest.fixture
def vigente(cv):
    p = proposta_aprovada(cadastrador=cv["u"], convenente=cv["conv"], indicacao=cv["ind"],
                          analista_orgao=cv["orgao"], valor=Decimal("1000.00"))
    return convenio_vigente(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p)


def test_solicitar_liberacao_revisa_o_valor_e_o_que_resta(cv, vigente):
    url = reverse("convenios:liberar", args=[vigente.pk])
    cliente = logado(cv["orgao"])
    primeira = cliente.enviar(url, {"valor": "400,00"})
    texto = revisao(primeira)
    assert "1 parcela, total R$ 400,00" in texto and "Resta liberar R$ 1.000,00; depois deste pedido, R$ 600,00" in texto
    assert not Liberacao.objects.exists()
    r = logado(cv["orgao"]).enviar(url, {"valor": "-1,00"})  # valor ruim: a mensagem, sem revisão
    assert r.status_code == 302 and not Liberacao.objects.exists()
    assert confirmar_pela_revisao(cliente, url, primeira).status_code == 302
    assert Liberacao.objects.get().valor == Decimal("400.00")


def test_reenviar_a_confirmacao_da_liberacao_nao_pede_outra_parcela(cv, vigente):
    url = reverse("convenios:liberar", args=[vigente.pk])
    cliente = logado(cv["orgao"])
    dados = {"valor": "400,00", "envio_unico": unico.novo_token(cv["orgao"]), **SIM}
    cliente.get(cliente.post(url, dados)["Location"])
    r = cliente.post(url, dados)
    assert [str(m) for m in get_messages(r.wsgi_request)] == [
        unico.JA_ENVIADO, "Parcela 1 solicitada; aguarda autorização da SEGOV."]
    assert Liberacao.objects.count() == 1


def test_autorizar_liberacao_revisa_e_so_a_segov(cv, vigente):
    lib = conv.solicitar_liberacao(usuario=cv["orgao"], proposta=vigente, valor=Decimal("250.00"))
    url = reverse("convenios:autorizar", args=[lib.pk])
    assert logado(cv["orgao"]).enviar(url).status_code == 403
    texto = revisao(logado(cv["segov"]).enviar(url, {"voltar": reverse("convenios:liberacoes")}))
    assert f"Autorizar a liberação da parcela 1 da proposta nº {vigente.pk} : 1 parcela, total R$ 250,00" in texto
    lib.refresh_from_db()
    assert lib.status == "SOLICITADA"
    r = logado(cv["segov"]).enviar(url, {"voltar": reverse("convenios:liberacoes"), **SIM})
    assert r["Location"] == reverse("convenios:liberacoes")
    lib.refresh_from_db()
    assert lib.status == "AUTORIZADA"


def test_aprovar_e_reprovar_um_remanejamento_isolado_revisam_antes(programacoes, inciso, parlamentar, segov,
                                                                   acao_saude_2, grupo_inv):
    a, b = [solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                    grupo_despesa=grupo_inv, valor=Decimal(v)) for v in ("300.00", "45.67")]
    cliente = logado(segov)
    texto = revisao(cliente.enviar(reverse("emendas:aprovar_remanejamento", args=[a.pk])))
    assert f"Aprovar o remanejamento nº {a.pk} : 1 pedido, total R$ 300,00" in texto and "novo inciso R" in texto
    assert "Confirmar: Aprovar o remanejamento" in texto
    url = reverse("emendas:reprovar_remanejamento", args=[b.pk])
    texto = revisao(cliente.enviar(url, {"justificativa": "Fora da política."}))
    assert f"Reprovar o remanejamento nº {b.pk} : 1 pedido, total R$ 45,67" in texto
    assert "O valor volta ao inciso de origem, como Livre. Justificativa: Fora da política." in texto
    assert set(Remanejamento.objects.values_list("status", flat=True)) == {"SOLICITADO"}
    # Sem justificativa não há o que revisar: a mensagem de sempre.
    assert cliente.enviar(url, {"justificativa": ""}).status_code == 302
    cliente.enviar(reverse("emendas:aprovar_remanejamento", args=[a.pk]), SIM)
    cliente.enviar(url, {"justificativa": "Fora da política.", **SIM})
    assert dict(Remanejamento.objects.values_list("pk", "status")) == {a.pk: "APROVADO", b.pk: "REPROVADO"}
    # Já decidido: sem revisão, o serviço diz por quê.
    assert cliente.enviar(reverse("emendas:aprovar_remanejamento", args=[a.pk])).status_code == 302


def test_reprovar_indicacao_pela_pagina_dela_revisa_com_categoria_e_destino_do_valor(cv):
    from emendas.models import CategoriaImpedimento

    i2 = enviar_indicacao(usuario=cv["parl"], inciso=cv["inciso"], forma_execucao="CONVENIO", valor=Decimal("12.34"),
                          beneficiario=cv["conv"], objeto="Obra")
    cat = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    url = reverse("emendas:agir_indicacao", args=[i2.pk, "reprovar"])
    dados = {"categoria": cat.pk, "justificativa": "Sem projeto."}
    # O parlamentar não reprova: nem revisão, o 403 da regra.
    assert logado(cv["parl"]).enviar(url, dados).status_code == 403
    texto = revisao(logado(cv["orgao"]).enviar(url, dados))
    assert f"Reprovar a indicação nº {i2.numero} (impedimento de ordem técnica) : 1 indicação, total R$ 12,34" in texto
    assert f"Categoria: {cat}. Justificativa: Sem projeto." in texto and "o valor volta para Livre" in texto
    assert Indicacao.objects.get(pk=i2.pk).status == "EM_ANALISE_ORGAO"
    logado(cv["orgao"]).enviar(url, {**dados, **SIM})
    assert Indicacao.objects.get(pk=i2.pk).status == "REPROVADA"


def test_assinaturas_e_cancelamento_da_proposta_revisam_itens_e_total(cv):
    from convenios.models import PropostaPlanoTrabalho

    p = proposta_aprovada(cadastrador=cv["u"], convenente=cv["conv"], indicacao=cv["ind"],
                          analista_orgao=cv["orgao"], valor=Decimal("800.00"))
    url = lambda acao: reverse("convenios:agir", args=[p.pk, acao])  # noqa: E731
    texto = revisao(logado(cv["segov"]).enviar(url("autorizar_plano")))
    assert f"Autorizar o plano e numerar o instrumento nº {p.pk} (Instituto Esperança 1) : 1 indicação" in texto
    p.refresh_from_db()
    assert p.status == "APROVADA" and p.numero_instrumento == ""
    logado(cv["segov"]).enviar(url("autorizar_plano"), SIM)
    texto = revisao(logado(cv["u"]).enviar(url("assinar_convenente"), TESTEMUNHA))
    assert f"Assinar (representante legal do convenente) nº {p.pk} (Instituto Esperança 1) : 1 indicação, total R$ 800,00" in texto
    assert "Testemunha: Teresa Testemunha" in texto
    p.refresh_from_db()
    assert p.status == "PLANO_AUTORIZADO"
    logado(cv["u"]).enviar(url("assinar_convenente"), {**SIM, **TESTEMUNHA})
    texto = revisao(logado(cv["orgao"]).enviar(url("assinar_concedente")))
    assert "Assinar (concedente)" in texto and "total R$ 800,00" in texto
    p.refresh_from_db()
    assert p.status == "ASSINADA"
    logado(cv["orgao"]).enviar(url("assinar_concedente"), SIM)
    p.refresh_from_db()
    assert p.status == "EM_PUBLICACAO"
    hoje = {"data_publicacao": timezone.localdate().strftime("%d/%m/%Y")}
    assert "Registrar a publicação" in revisao(logado(cv["orgao"]).enviar(url("publicar"), hoje))
    logado(cv["orgao"]).enviar(url("publicar"), {**SIM, **hoje})
    p.refresh_from_db()
    assert p.status == "VIGENTE"

    outra = conv.gerar_proposta(usuario=cv["u"], convenente=cv["conv"],
                                indicacoes={cv["ind"]: Decimal("100.00")}, objeto="Outra")
    cancelar = reverse("convenios:cancelar", args=[outra.pk])
    texto = revisao(logado(cv["u"]).enviar(cancelar, {"justificativa": "Desistência"}))
    assert f"Cancelar a proposta nº {outra.pk}" in texto and "1 indicação, total R$ 100,00" in texto
    assert "não pode ser desfeito" in texto and "Justificativa: Desistência" in texto
    assert PropostaPlanoTrabalho.objects.get(pk=outra.pk).status == "CADASTRAMENTO"
    logado(cv["u"]).enviar(cancelar, {"justificativa": "Desistência", **SIM})
    assert PropostaPlanoTrabalho.objects.get(pk=outra.pk).status == "CANCELADA"
