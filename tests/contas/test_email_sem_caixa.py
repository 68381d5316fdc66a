"""E-mail único sem contar maiúsculas: uma pessoa, uma conta, em todo caminho de entrada."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from emendas.importacao import CABECALHO_LOA, importar_loa
from emendas.models import Parlamentar
from tests.conftest import SENHA, criar_usuario, logado

pytestmark = pytest.mark.django_db
Usuario = get_user_model()


@pytest.fixture
def raiz():
    return Usuario.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")


def criar_pelo_admin(raiz, email):
    return logado(raiz).post(reverse("admin:contas_usuario_add"), {
        "email": email, "nome": "Ana Lacerda", "password1": "Senha-forte-123", "password2": "Senha-forte-123",
        "usable_password": "true"})


def test_banco_recusa_o_mesmo_email_com_outra_caixa():
    criar_usuario("ana@x.test")
    outro = criar_usuario("bia@x.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        # update() não passa pelo save() que normaliza: quem barra é a restrição do banco.
        Usuario.objects.filter(pk=outro.pk).update(email="ANA@x.test")


def test_conta_criada_no_admin_como_Ana_e_a_da_carga_da_loa_com_ana_sao_uma_so(raiz):
    r = criar_pelo_admin(raiz, "  Ana@X.test ")
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Usuario.objects.get(nome="Ana Lacerda").email == "ana@x.test"
    linha = ("175;Ana Lacerda;PARLAMENTAR;ana@x.test;S530;4291;Fundo Estadual de Saúde;4470;Atenção primária;"
             "4;Investimentos;1.000,00")
    importar_loa(conteudo=f"{';'.join(CABECALHO_LOA)}\n{linha}\n".encode(), ano=2027, publicacao=date(2027, 1, 8))
    assert Usuario.objects.filter(email__iexact="ana@x.test").count() == 1
    assert Parlamentar.objects.get().usuario.email == "ana@x.test"
    r = logado(raiz).get(reverse("admin:contas_usuario_changelist"))  # nada quebrado na lista
    assert r.status_code == 200


def test_carga_da_loa_acha_conta_antiga_gravada_com_maiusculas():
    antiga = criar_usuario("ana@x.test")
    Usuario.objects.filter(pk=antiga.pk).update(email="Ana@X.test")  # gravada antes da normalização
    linha = ("175;Ana Lacerda;PARLAMENTAR;ANA@x.test;S530;4291;Fundo Estadual de Saúde;4470;Atenção primária;"
             "4;Investimentos;1.000,00")
    importar_loa(conteudo=f"{';'.join(CABECALHO_LOA)}\n{linha}\n".encode(), ano=2027, publicacao=date(2027, 1, 8))
    assert Usuario.objects.count() == 1 and Parlamentar.objects.get().usuario_id == antiga.pk


def test_admin_recusa_email_repetido_com_outra_caixa_e_diz_por_que(raiz):
    criar_usuario("ana@x.test")
    r = criar_pelo_admin(raiz, "ANA@x.test")
    assert r.status_code == 200
    assert "Já existe um usuário com este e-mail" in r.content.decode()
    assert Usuario.objects.filter(email__iexact="ana@x.test").count() == 1
    bia = criar_usuario("bia@x.test")
    r = logado(raiz).post(reverse("admin:contas_usuario_change", args=[bia.pk]), {
        "email": "Ana@X.test", "nome": "Bia", "is_active": "on", "last_login_0": "", "last_login_1": ""})
    assert r.status_code == 200 and "Já existe um usuário com este e-mail" in r.content.decode()
    bia.refresh_from_db()
    assert bia.email == "bia@x.test"


def test_login_com_o_email_em_maiusculas_e_espacos_funciona(client):
    criar_usuario("ana@x.test")
    r = client.post(reverse("login"), {"username": " ANA@X.TEST ", "password": SENHA})
    assert r.status_code == 302


def test_login_acha_conta_antiga_gravada_com_maiusculas(client):
    antiga = criar_usuario("ana@x.test")
    Usuario.objects.filter(pk=antiga.pk).update(email="Ana@X.test")
    r = client.post(reverse("login"), {"username": "aNa@x.TEST", "password": SENHA})
    assert r.status_code == 302 and int(client.session["_auth_user_id"]) == antiga.pk


def test_comando_criar_usuario_normaliza_e_reaproveita_a_conta():
    call_command("criar_usuario", " Bia@X.test ", "--perfil", "visualizador", "--senha", "Senha-forte-123")
    call_command("criar_usuario", "BIA@x.test", "--perfil", "segov")
    bia = Usuario.objects.get()
    assert bia.email == "bia@x.test"
    assert set(bia.groups.values_list("name", flat=True)) == {"Visualizador de Relatórios", "SEGOV"}


def test_pedido_de_senha_com_email_em_maiusculas_chega_a_conta(client):
    from notificacoes.models import EmailPendente

    criar_usuario("ana@x.test")
    client.post(reverse("password_reset"), {"email": "ANA@X.test"})
    assert EmailPendente.objects.get().destinatarios == ["ana@x.test"]
