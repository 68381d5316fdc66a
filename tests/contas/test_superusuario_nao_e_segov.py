"""Superusuário é o administrador de TI, não a SEGOV: não aprova nem autoriza sem estar no grupo SEGOV."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contas import perfis
from convenios import services as convenios
from emendas.models import Remanejamento
from emendas.services import aprovar_remanejamento, reprovar_remanejamento, solicitar_remanejamento
from tests.conftest import logado, meio_dia
from tests.fabricas import cenario_convenio, formalizar

pytestmark = pytest.mark.django_db
LIVRE = date(2019, 2, 1)


@pytest.fixture
def raiz(django_user_model):
    return django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")


@pytest.fixture
def pedido(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        return solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                       grupo_despesa=grupo_inv, valor=Decimal("1000.00"))


def test_superusuario_sem_grupo_segov_nao_e_segov_mas_e_administrador(raiz):
    assert not perfis.e_segov(raiz)
    assert perfis.ADMINISTRADOR in perfis.perfis_do_usuario(raiz)
    assert perfis.pode_carregar_dados(raiz) and perfis.ve_todos_os_relatorios(raiz)


def test_superusuario_sem_segov_nao_aprova_nem_reprova_remanejamento(raiz, pedido):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        with pytest.raises(PermissionDenied, match="Somente a SEGOV"):
            aprovar_remanejamento(usuario=raiz, remanejamento=pedido)
        with pytest.raises(PermissionDenied, match="Somente a SEGOV"):
            reprovar_remanejamento(usuario=raiz, remanejamento=pedido, justificativa="não")
        r = logado(raiz).get(reverse("emendas:analise_remanejamentos"))
        assert r.status_code == 403
    pedido.refresh_from_db()
    assert pedido.status == Remanejamento.Status.SOLICITADO


def test_superusuario_no_grupo_segov_aprova(raiz, pedido):
    raiz.groups.add(Group.objects.get(name=perfis.SEGOV))
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        aprovar_remanejamento(usuario=raiz, remanejamento=pedido)
    pedido.refresh_from_db()
    assert pedido.status == Remanejamento.Status.APROVADO


def test_superusuario_sem_segov_nao_autoriza_liberacao(raiz, inciso, parlamentar, analista_orgao, segov):
    conv, u, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao, segov=segov)
    p = convenios.gerar_proposta(usuario=u, convenente=conv, indicacoes={ind: Decimal("1000.00")}, objeto="Reforma")
    convenios.enviar_proposta(usuario=u, proposta=p)
    convenios.receber_proposta(usuario=analista_orgao, proposta=p)
    convenios.aprovar_proposta(usuario=analista_orgao, proposta=p)
    with pytest.raises(PermissionDenied, match="Somente a SEGOV"):
        convenios.autorizar_plano(usuario=raiz, proposta=p)  # superusuário não é SEGOV
    p = formalizar(cadastrador=u, analista_orgao=analista_orgao, proposta=p, segov=segov)
    lib = convenios.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=Decimal("500.00"))
    with pytest.raises(PermissionDenied, match="Somente a SEGOV"):
        convenios.autorizar_liberacao(usuario=raiz, liberacao=lib)
    cliente = logado(raiz)
    assert cliente.enviar(reverse("convenios:autorizar", args=[lib.pk])).status_code == 403
    assert cliente.get(reverse("convenios:liberacoes")).status_code == 403
    lib.refresh_from_db()
    assert lib.status == "SOLICITADA"


def test_superusuario_importa_dados_e_entra_no_admin_mas_nao_ve_o_menu_da_segov(raiz):
    cliente = logado(raiz)
    assert cliente.get(reverse("emendas:importar")).status_code == 200
    html = cliente.get("/").content.decode()
    assert "administrador(a) de TI" in html and reverse("emendas:importar") in html
    assert reverse("emendas:analise_remanejamentos") not in html
    assert cliente.get(reverse("admin:index")).status_code == 200


def test_parlamentar_nao_importa_dados(parlamentar):
    assert logado(parlamentar.usuario).get(reverse("emendas:importar")).status_code == 403
