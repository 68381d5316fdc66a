"""Telas: "Meus assessores" (listar, associar, desassociar com confirmação), o seletor do titular do assessor, o menu
e quem agiu e por quem na indicação."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emendas.models import VinculoAssessor
from emendas.services import associar_assessor, enviar_indicacao
from emendas.visibilidade import filtro_incisos_visiveis, parlamentar_do_usuario
from emendas.models import Inciso
from tests.conftest import criar_usuario, logado

from .conftest import em

pytestmark = pytest.mark.django_db


def test_meus_assessores_lista_e_associa_pelo_login(a):
    from contas import perfis

    criar_usuario("eva@almg.test", perfis.ASSESSOR, "Eva Assessora")
    cliente = logado(a["ana"].usuario)
    pagina = cliente.get(reverse("emendas:assessores")).content.decode()
    assert "Davi Assessor" in pagina and "davi@almg.test" in pagina and "Meus assessores" in pagina
    resposta = cliente.enviar(reverse("emendas:assessores"), {"email": "eva@almg.test"}, follow=True)
    assert "Eva Assessora (eva@almg.test) agora é seu assessor" in resposta.content.decode()
    assert VinculoAssessor.objects.filter(parlamentar=a["ana"], ativo=True).count() == 2


def test_associar_login_errado_mostra_a_mensagem_no_campo(a):
    resposta = logado(a["ana"].usuario).enviar(reverse("emendas:assessores"), {"email": "ninguem@almg.test"})
    assert resposta.status_code == 200
    assert "Não há usuário com o login" in resposta.content.decode()
    assert VinculoAssessor.objects.count() == 1


def test_desassociar_pede_confirmacao_e_so_o_confirmado_encerra(a):
    cliente = logado(a["ana"].usuario)
    url = reverse("emendas:desassociar_assessor", args=[a["vinculo"].pk])
    confirmacao = cliente.get(url).content.decode()
    assert "Confirmar: desassociar" in confirmacao and "Davi Assessor" in confirmacao
    cliente.enviar(url, {})  # sem "confirmado": só a confirmação de novo
    assert VinculoAssessor.objects.get().ativo
    resposta = cliente.enviar(url, {"confirmado": "1"}, follow=True)
    assert "foi desassociado" in resposta.content.decode()
    assert not VinculoAssessor.objects.get().ativo
    assert cliente.get(url).status_code == 404  # o vínculo encerrado não se desassocia de novo


def test_assessor_segov_e_outro_parlamentar_nao_gerem_os_assessores_dela(a):
    url = reverse("emendas:desassociar_assessor", args=[a["vinculo"].pk])
    assert logado(a["davi"]).get(reverse("emendas:assessores")).status_code == 403
    assert logado(a["segov"]).get(reverse("emendas:assessores")).status_code == 403
    assert logado(a["bruno"].usuario).get(url).status_code == 404
    assert logado(a["bruno"].usuario).enviar(url, {"confirmado": "1"}).status_code == 404
    assert VinculoAssessor.objects.get().ativo


def test_assessor_de_dois_ve_um_por_vez_e_troca_pelo_seletor(a):
    associar_assessor(usuario=a["bruno"].usuario, parlamentar=a["bruno"], email=a["davi"].email)
    cliente = logado(a["davi"])
    inicio = cliente.get(reverse("inicio")).content.decode()
    # Sem escolha: o primeiro por nome (Ana); só os incisos dela, e o seletor com os dois.
    assert a["inciso"].numero in inicio and a["inciso_bruno"].numero not in inicio
    assert "Agindo em nome de <strong data-titular-atual>Ana Lacerda</strong>" in inicio
    assert 'name="titular"' in inicio and "Bruno Tavares" in inicio
    bruno = cliente.get(reverse("inicio"), {"titular": a["bruno"].pk}).content.decode()
    assert a["inciso_bruno"].numero in bruno and a["inciso"].numero not in bruno
    # A escolha fica na sessão: a próxima página continua no Bruno, e o inciso da Ana some dela.
    assert cliente.get(reverse("emendas:inciso", args=[a["inciso"].pk])).status_code == 404
    assert cliente.get(reverse("emendas:inciso", args=[a["inciso_bruno"].pk])).status_code == 200


def test_escolha_de_quem_o_assessor_nao_atende_cai_no_primeiro(a):
    davi = a["davi"]
    davi.titular_escolhido_id = a["bruno"].pk  # o que a sessão diria com ?titular= de quem ele não atende
    assert parlamentar_do_usuario(davi) == a["ana"]
    ids = set(Inciso.objects.filter(filtro_incisos_visiveis(davi)).values_list("pk", flat=True))
    assert ids == {a["inciso"].pk}
    resposta = logado(davi).get(reverse("inicio"), {"titular": a["bruno"].pk}).content.decode()
    assert a["inciso_bruno"].numero not in resposta and a["inciso"].numero in resposta


def test_menu_do_assessor_lista_quem_ele_atende_e_o_do_parlamentar_tem_meus_assessores(a):
    menu = logado(a["davi"]).get(reverse("emendas:parlamentares_atendidos")).content.decode()
    assert "Parlamentares que atendo" in menu and f'?titular={a["ana"].pk}' in menu
    assert f'href="{reverse("emendas:assessores")}"' not in menu
    assert f'href="{reverse("emendas:assessores")}"' in logado(a["ana"].usuario).get(reverse("inicio")).content.decode()


def test_assessor_sem_vinculo_ve_o_aviso_e_nenhum_inciso(a):
    from emendas.services import desassociar_assessor

    desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    pagina = logado(a["davi"]).get(reverse("inicio")).content.decode()
    assert "Nenhum parlamentar associou você" in pagina and a["inciso"].numero not in pagina


def test_indicacao_mostra_quem_agiu_e_por_quem(a):
    with em():
        ind = enviar_indicacao(usuario=a["davi"], inciso=a["inciso"], forma_execucao="CONVENIO",
                               valor=Decimal("1000.00"), beneficiario=a["benef"], objeto="Reforma")
    pagina = logado(a["ana"].usuario).get(reverse("emendas:indicacao", args=[ind.pk])).content.decode()
    assert "Davi Assessor <span class=\"text-body-secondary\" data-em-nome-de>em nome de Ana Lacerda</span>" in pagina
