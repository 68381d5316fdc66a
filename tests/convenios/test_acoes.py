"""Os botões da proposta vêm da tabela de transições e das regras de quem age (convenios.permissoes), as mesmas que
os serviços conferem; ação desconhecida é 404; todo POST que deu certo termina num redirecionamento."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from convenios import permissoes, services, views
from convenios.models import EventoProposta, PropostaPlanoTrabalho as Proposta
from tests.fabricas import TESTEMUNHA, cenario_convenio, formalizar
from tests.conftest import logado

M = Decimal
S = Proposta.Status
PASSOS = {"enviar", "receber", "aprovar", "devolver", "autorizar_plano", "assinar_convenente", "assinar_concedente",
          "publicar"}
BOTOES = {
    "enviar": "Enviar ao concedente",
    "receber": "Receber para análise",
    "aprovar": "Aprovar a proposta",
    "devolver": "Devolver ao convenente",
    "autorizar_plano": "Autorizar o plano (SEGOV)",
    "assinar_convenente": "Assinar (representante legal)",
    "assinar_concedente": "Assinar (concedente)",
    "publicar": "Registrar a publicação",
    "iot": "Impedimento de ordem técnica",
    "liberar": "Solicitar liberação",
    "atualizar_cagec": "Atualizar do CAGEC",
    "cancelar": "Cancelar a proposta",
}


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    p = services.gerar_proposta(usuario=usuario, convenente=convenente, indicacoes={ind: M("1000.00")}, objeto="x")
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov,
            "parl": parlamentar.usuario, "p": p}


def _passos(usuario, proposta):
    proposta.refresh_from_db()
    return permissoes.acoes_na_proposta(usuario, proposta) & PASSOS


def test_as_acoes_de_agir_sao_os_verbos_da_tabela_de_transicoes():
    assert set(views.ACOES) == set(services.MAQUINA.verbos.values()) == PASSOS
    assert set(permissoes.QUEM_DA_O_PASSO) == set(services.MAQUINA.verbos)


@pytest.mark.django_db
def test_cada_situacao_oferece_o_passo_da_tabela_so_a_quem_o_da(cv):
    p, conv, orgao, segov = cv["p"], cv["u"], cv["orgao"], cv["segov"]

    def confere(do_convenente, do_concedente, da_segov=frozenset()):
        assert _passos(conv, p) == do_convenente and _passos(orgao, p) == do_concedente
        assert _passos(segov, p) == da_segov and _passos(cv["parl"], p) == set()

    confere({"enviar"}, set())
    services.enviar_proposta(usuario=conv, proposta=p)
    confere(set(), {"receber"})
    services.receber_proposta(usuario=orgao, proposta=p)
    confere(set(), {"aprovar", "devolver"})
    services.devolver_proposta(usuario=orgao, proposta=p, justificativa="Ajuste o objeto.")
    confere({"enviar"}, set())  # devolvida: o convenente envia de novo
    for verbo, quem in (("enviar", conv), ("receber", orgao), ("aprovar", orgao)):
        views.ACOES[verbo][0](quem, p, {})
    confere(set(), set(), {"autorizar_plano"})  # aprovada: aguarda a SEGOV
    services.autorizar_plano(usuario=segov, proposta=p)
    confere({"assinar_convenente"}, set())
    services.assinar_convenente(usuario=conv, proposta=p, **TESTEMUNHA)
    confere(set(), {"assinar_concedente"})
    services.assinar_concedente(usuario=orgao, proposta=p)
    confere(set(), {"publicar"})
    services.publicar(usuario=orgao, proposta=p, data_publicacao=timezone.localdate())
    confere(set(), set())
    assert "liberar" in permissoes.acoes_na_proposta(orgao, p)
    assert "liberar" not in permissoes.acoes_na_proposta(conv, p)
    assert "cancelar" not in permissoes.acoes_na_proposta(segov, p)  # vigente: não se cancela mais


@pytest.mark.django_db
def test_o_servico_recusa_quem_a_tela_nao_oferece_o_passo(cv):
    p = cv["p"]
    assert "enviar" not in permissoes.acoes_na_proposta(cv["orgao"], p)
    with pytest.raises(PermissionDenied, match="Somente os usuários do convenente"):
        services.enviar_proposta(usuario=cv["orgao"], proposta=p)
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    p.refresh_from_db()
    assert "receber" not in permissoes.acoes_na_proposta(cv["u"], p)
    with pytest.raises(PermissionDenied, match="Somente o analista do órgão concedente"):
        services.receber_proposta(usuario=cv["u"], proposta=p)


@pytest.mark.django_db
def test_pagina_mostra_os_botoes_das_acoes_permitidas_e_so_eles(cv):
    p = cv["p"]
    url = reverse("convenios:proposta", args=[p.pk])
    for usuario in (cv["u"], cv["orgao"], cv["segov"]):
        html = logado(usuario).get(url).content.decode()
        permitidas = permissoes.acoes_na_proposta(usuario, p)
        for acao, rotulo in BOTOES.items():
            assert (rotulo in html) == (acao in permitidas), (usuario, acao)
    assert permissoes.acoes_na_proposta(cv["u"], p) == {"enviar", "atualizar_cagec", "cancelar"}


@pytest.mark.django_db
def test_agir_com_acao_desconhecida_e_404_e_nao_muda_nada(cv):
    p = cv["p"]
    eventos = EventoProposta.objects.count()
    r = logado(cv["u"]).enviar(reverse("convenios:agir", args=[p.pk, "aprovar_tudo"]))
    assert r.status_code == 404
    p.refresh_from_db()
    assert p.status == S.CADASTRAMENTO and EventoProposta.objects.count() == eventos


@pytest.mark.django_db
def test_agir_com_acao_desconhecida_em_proposta_alheia_tambem_e_404(cv):
    r = logado(cv["parl"]).enviar(reverse("convenios:agir", args=[cv["p"].pk, "aprovar_tudo"]))
    assert r.status_code == 404


@pytest.mark.django_db
def test_passo_aceito_redireciona_para_a_proposta_com_a_mensagem(cv):
    p = cv["p"]
    r = logado(cv["u"]).enviar(reverse("convenios:agir", args=[p.pk, "enviar"]), {"confirmado": "1"})
    assert r.status_code == 302 and r.url == reverse("convenios:proposta", args=[p.pk])
    assert [str(m) for m in get_messages(r.wsgi_request)] == [f"Proposta nº {p.pk} enviada ao concedente."]


@pytest.mark.django_db
def test_passo_recusado_pela_regra_redireciona_com_a_mensagem_e_quem_nao_da_o_passo_recebe_403(cv):
    p = cv["p"]
    url = reverse("convenios:agir", args=[p.pk, "devolver"])
    assert logado(cv["u"]).enviar(url, {"justificativa": "x"}).status_code == 403  # o convenente nunca devolve
    r = logado(cv["orgao"]).enviar(url, {"justificativa": "x"})  # o concedente devolve, mas não em cadastramento
    assert r.status_code == 302 and r.url == reverse("convenios:proposta", args=[p.pk])
    assert [str(m) for m in get_messages(r.wsgi_request)] == [
        f"A proposta nº {p.pk} está “em cadastramento” e não pode passar a “devolvida para adequação”."]
    p.refresh_from_db()
    assert p.status == S.CADASTRAMENTO


@pytest.mark.django_db
def test_cagec_fora_do_ar_vira_mensagem_e_redireciona(cv, monkeypatch):
    from integracoes.errors import IntegracaoIndisponivel

    def fora(**kwargs):
        raise IntegracaoIndisponivel("CAGEC")

    monkeypatch.setattr(services, "atualizar_do_cagec", fora)
    r = logado(cv["u"]).enviar(reverse("convenios:atualizar_cagec", args=[cv["p"].pk]))
    assert r.status_code == 302
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["O CAGEC não respondeu; tente novamente em instantes."]


@pytest.mark.django_db
def test_liberacao_aceita_diz_o_numero_da_parcela(cv):
    p, conv, orgao = cv["p"], cv["u"], cv["orgao"]
    services.enviar_proposta(usuario=conv, proposta=p)
    services.receber_proposta(usuario=orgao, proposta=p)
    services.aprovar_proposta(usuario=orgao, proposta=p)
    formalizar(cadastrador=conv, analista_orgao=orgao, proposta=p)
    cliente = logado(orgao)
    url = reverse("convenios:liberar", args=[p.pk])
    r = cliente.enviar(url, {"valor": "100,00", "confirmado": "1"})
    assert r.status_code == 302
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["Parcela 1 solicitada; aguarda autorização da SEGOV."]
    r = logado(orgao).enviar(url, {"valor": "abc"})  # valor inválido: mensagem e volta, nada criado
    assert r.status_code == 302 and p.liberacoes.count() == 1
    (mensagem,) = get_messages(r.wsgi_request)
    assert mensagem.level_tag == "error" and "Parcela" not in str(mensagem)


@pytest.mark.django_db
def test_quem_so_le_a_proposta_recebe_403_ao_agir_e_nada_muda(cv, monkeypatch):
    # Hoje todo mundo que vê uma proposta é parte dela ou a SEGOV; um perfil que só leia (como o visualizador de
    # relatórios) recebe 403 em toda ação, antes de qualquer serviço.
    from convenios import selectors

    p = cv["p"]
    monkeypatch.setattr(selectors, "proposta_visivel", lambda usuario, pk: Proposta.objects.get(pk=pk))
    cliente = logado(cv["parl"])
    assert cliente.get(reverse("convenios:proposta", args=[p.pk])).status_code == 200
    pedidos = [("convenios:agir", [p.pk, "enviar"], {}), ("convenios:cancelar", [p.pk], {"justificativa": "x"}),
               ("convenios:atualizar_cagec", [p.pk], {}), ("convenios:liberar", [p.pk], {"valor": "1,00"})]
    for rota, args, dados in pedidos:
        assert cliente.enviar(reverse(rota, args=args), dados).status_code == 403, rota
    p.refresh_from_db()
    assert p.status == S.CADASTRAMENTO
