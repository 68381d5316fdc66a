"""Links de definir senha: nunca gravados na caixa de saída, montados só na hora do envio."""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from contas.links import link_definir_senha
from contas.services import convidar_usuario
from emendas.importacao import CABECALHO_LOA, importar_loa
from notificacoes.models import MARCA_LINK_SENHA, EmailPendente
from notificacoes.services import enfileirar_email, enviar_pendente
from tests.conftest import logado

pytestmark = pytest.mark.django_db

# uid/token de um link de senha: é isto que não pode aparecer em tela nenhuma nem no banco.
CREDENCIAL = re.compile(r"/senha/definir/[0-9A-Za-z_\-]+/[0-9A-Za-z]+-[0-9A-Za-z]+")


@pytest.fixture
def raiz(django_user_model):
    return django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")


@pytest.fixture
def segov_no_admin(segov):
    segov.is_staff = True
    segov.save(update_fields=["is_staff"])
    return logado(segov)


def pedir_nova_senha(client, email):
    r = client.post(reverse("password_reset"), {"email": email})
    assert r.status_code == 302
    return EmailPendente.objects.get(destinatarios=[email.lower()])


def test_segov_abre_o_pedido_de_senha_do_superusuario_na_caixa_de_saida_e_nao_ve_o_link(client, raiz,
                                                                                          segov_no_admin):
    email = pedir_nova_senha(client, "root@sigcon.test")
    assert not CREDENCIAL.search(email.corpo) and MARCA_LINK_SENHA in email.corpo
    for url in (reverse("admin:notificacoes_emailpendente_changelist"),
                reverse("admin:notificacoes_emailpendente_change", args=[email.pk])):
        r = segov_no_admin.get(url)
        assert r.status_code == 200
        assert not CREDENCIAL.search(r.content.decode())
    assert MARCA_LINK_SENHA in r.content.decode()


def test_link_vai_no_envio_e_define_a_senha(client, parlamentar):
    parlamentar.usuario.set_unusable_password()
    parlamentar.usuario.save()
    email = pedir_nova_senha(client, "ana@almg.test")
    assert enviar_pendente(email_id=email.pk)
    enviado = mail.outbox[-1].body
    assert MARCA_LINK_SENHA not in enviado
    caminho = CREDENCIAL.search(enviado).group(0)
    r = client.get("/conta" + caminho + "/", follow=True)
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Nova-senha-forte-1",
                                              "new_password2": "Nova-senha-forte-1"})
    assert r.status_code == 302
    parlamentar.usuario.refresh_from_db()
    assert parlamentar.usuario.check_password("Nova-senha-forte-1")
    email.refresh_from_db()
    assert not CREDENCIAL.search(email.corpo)


def test_convite_da_carga_da_loa_nao_grava_o_link():
    cab = ";".join(CABECALHO_LOA)
    linha = ("175;Ana Lacerda;PARLAMENTAR;ana@almg.test;S530;4291;Fundo Estadual de Saúde;4470;Atenção primária;"
             "4;Investimentos;1.000,00")
    importar_loa(conteudo=f"{cab}\n{linha}\n".encode(), ano=2027, publicacao=date(2027, 1, 8))
    convite = EmailPendente.objects.get()
    assert MARCA_LINK_SENHA in convite.corpo and not CREDENCIAL.search(convite.corpo)
    assert convite.link_senha_de.email == "ana@almg.test"
    assert enviar_pendente(email_id=convite.pk)
    assert CREDENCIAL.search(mail.outbox[-1].body)


def test_caixa_de_saida_e_so_leitura_ate_para_o_superusuario(client, raiz, segov_no_admin, usuario_parlamentar):
    convidar_usuario(usuario=usuario_parlamentar)
    email = EmailPendente.objects.get()
    enviar_pendente(email_id=email.pk)
    client.force_login(raiz)
    for cliente in (client, segov_no_admin):
        assert cliente.get(reverse("admin:notificacoes_emailpendente_add")).status_code == 403
        assert cliente.get(reverse("admin:notificacoes_emailpendente_delete", args=[email.pk])).status_code == 403
        r = cliente.post(reverse("admin:notificacoes_emailpendente_change", args=[email.pk]),
                         {"status": "PENDENTE", "assunto": "outro"})
        assert r.status_code == 403
        r = cliente.post(reverse("admin:notificacoes_emailpendente_changelist"),
                         {"action": "delete_selected", "_selected_action": [email.pk], "post": "yes"})
        assert EmailPendente.objects.filter(pk=email.pk, status="ENVIADO", assunto__icontains="senha").exists()


def test_email_de_link_sem_conta_ativa_falha_sem_mandar_a_marca(usuario_parlamentar):
    convidar_usuario(usuario=usuario_parlamentar)
    email = EmailPendente.objects.get()
    usuario_parlamentar.is_active = False
    usuario_parlamentar.save(update_fields=["is_active"])
    assert not enviar_pendente(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == "FALHOU" and "inativo" in email.ultimo_erro and not mail.outbox


def test_ninguem_enfileira_o_link_pronto(usuario_parlamentar):
    link = link_definir_senha(usuario_parlamentar)
    for corpo, de in ((f"abra {link}", None), (f"abra {link}", usuario_parlamentar), (MARCA_LINK_SENHA, None)):
        with pytest.raises(ValueError):
            enfileirar_email(assunto="x", corpo=corpo, destinatarios=["ana@almg.test"], link_senha_de=de)
    assert not EmailPendente.objects.exists()


def test_migracao_troca_o_link_gravado_pela_marca_e_liga_o_usuario(usuario_parlamentar):
    link = link_definir_senha(usuario_parlamentar)
    velho = EmailPendente.objects.create(assunto="defina sua senha", corpo=f"Olá.\nAbra:\n{link}\nFim.",
                                         destinatarios=["ana@almg.test"])
    outro = EmailPendente.objects.create(assunto="aviso", corpo="nada de senha", destinatarios=["ana@almg.test"])
    migracao = importlib.import_module("notificacoes.migrations.0003_link_de_senha_gerado_no_envio")
    migracao.mascarar_links_gravados(apps, None)
    velho.refresh_from_db()
    assert velho.corpo == f"Olá.\nAbra:\n{MARCA_LINK_SENHA}\nFim." and velho.link_senha_de == usuario_parlamentar
    assert EmailPendente.objects.get(pk=outro.pk).corpo == "nada de senha"
    assert enviar_pendente(email_id=velho.pk) and CREDENCIAL.search(mail.outbox[-1].body)
