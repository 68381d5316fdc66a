"""Limite de tentativas de senha (django-axes) e de pedidos de link de senha."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notificacoes.models import EmailPendente
from tests.conftest import SENHA, criar_usuario

pytestmark = pytest.mark.django_db

IP, OUTRO_IP = "10.1.1.1", "10.2.2.2"


def entrar(email, senha, ip=IP, url=None):
    cliente = Client(REMOTE_ADDR=ip)
    resposta = cliente.post(url or reverse("login"), {"username": email, "password": senha})
    return cliente, resposta


def logado_na_sessao(cliente) -> bool:
    return "_auth_user_id" in cliente.session


def errar(email, vezes, ip=IP, url=None):
    for _ in range(vezes):
        _, r = entrar(email, "senha-errada", ip, url)
    return r


@pytest.fixture
def ana(db):
    return criar_usuario("ana@almg.test", "Parlamentar", "Ana Lacerda")


def test_quatro_senhas_erradas_ainda_deixam_entrar(ana):
    r = errar("ana@almg.test", 4)
    assert r.status_code == 200 and "E-mail ou senha incorretos" in r.content.decode()
    cliente, r = entrar("ana@almg.test", SENHA)
    assert r.status_code == 302 and logado_na_sessao(cliente)


def test_cinco_senhas_erradas_bloqueiam_ate_a_senha_certa_com_aviso_em_portugues(ana):
    r = errar("ana@almg.test", 5)
    assert r.status_code == 429
    assert "Acesso bloqueado temporariamente" in r.content.decode()
    cliente, r = entrar("ana@almg.test", SENHA)
    html = r.content.decode()
    assert r.status_code == 429 and not logado_na_sessao(cliente)
    assert "Espere 15 minutos" in html and 'name="username"' in html  # a tela de entrada, não uma página crua


def test_130_senhas_erradas_e_depois_a_certa_nao_entra(ana):
    errar("ana@almg.test", 130)
    cliente, r = entrar("ana@almg.test", SENHA)
    assert r.status_code == 429 and not logado_na_sessao(cliente)


def test_bloqueio_acaba_depois_de_15_minutos(ana):
    errar("ana@almg.test", 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        cliente, r = entrar("ana@almg.test", SENHA)
        assert r.status_code == 302 and logado_na_sessao(cliente)


def test_bloqueio_e_da_conta_neste_ip_nao_da_conta_em_outro_ip_nem_de_outra_conta(ana):
    bruno = criar_usuario("bruno@almg.test", "Parlamentar")
    errar("ana@almg.test", 5)
    cliente, _ = entrar("ana@almg.test", SENHA, ip=OUTRO_IP)
    assert logado_na_sessao(cliente)
    cliente, _ = entrar(bruno.email, SENHA, ip=IP)
    assert logado_na_sessao(cliente)


def test_maiusculas_e_espacos_no_email_contam_como_a_mesma_conta(ana):
    for variante in ("Ana@almg.test", "ANA@ALMG.TEST", " ana@almg.test", "ana@Almg.test", "aNa@almg.test"):
        errar(variante, 1)
    cliente, r = entrar("ana@almg.test", SENHA)
    assert r.status_code == 429 and not logado_na_sessao(cliente)


def test_login_do_admin_tambem_e_protegido(db):
    admin = get_user_model().objects.create_superuser(email="ti@sigcon.test", password=SENHA)
    url = reverse("admin:login")
    errar(admin.email, 5, url=url)
    cliente, r = entrar(admin.email, SENHA, url=url)
    assert r.status_code == 429 and not logado_na_sessao(cliente)
    assert "Acesso bloqueado temporariamente" in r.content.decode()


def test_bloqueio_emite_o_sinal_para_a_auditoria(ana):
    from axes.signals import user_locked_out

    recebidos = []

    def ouvir(sender, request, username, ip_address, **kwargs):
        recebidos.append((username, ip_address))

    user_locked_out.connect(ouvir)
    try:
        errar("Ana@almg.test", 5)
    finally:
        user_locked_out.disconnect(ouvir)
    assert recebidos and recebidos[0] == ("ana@almg.test", IP)


# --- pedidos de link de senha ---------------------------------------------------------------------

def pedir(email, ip=IP):
    return Client(REMOTE_ADDR=ip).post(reverse("password_reset"), {"email": email})


def emails_para(email):
    return sum(email in e.destinatarios for e in EmailPendente.objects.all())


def test_tres_pedidos_por_email_por_hora_e_o_quarto_nao_envia_mas_responde_igual(ana):
    respostas = [pedir("ana@almg.test", ip=f"10.0.0.{n}") for n in range(1, 6)]
    assert [r.status_code for r in respostas] == [302] * 5
    assert {r["Location"] for r in respostas} == {reverse("password_reset_done")}
    assert emails_para("ana@almg.test") == 3


def test_email_inexistente_recebe_a_mesma_resposta(ana):
    existe, nao_existe = pedir("ana@almg.test"), pedir("ninguem@almg.test")
    assert (existe.status_code, existe["Location"]) == (nao_existe.status_code, nao_existe["Location"])
    assert EmailPendente.objects.count() == 1


def test_limite_por_email_ignora_maiusculas(ana):
    for variante in ("ana@almg.test", "ANA@almg.test", "Ana@Almg.Test", "ana@ALMG.test"):
        pedir(variante, ip=OUTRO_IP)
    assert EmailPendente.objects.count() == 3


def test_dez_pedidos_por_ip_por_hora_e_o_decimo_primeiro_e_recusado_com_aviso(db):
    for n in range(10):
        criar_usuario(f"pessoa{n}@x.test")
        assert pedir(f"pessoa{n}@x.test").status_code == 302
    criar_usuario("mais.uma@x.test")
    r = pedir("mais.uma@x.test")
    assert r.status_code == 429
    assert "Muitos pedidos de link de senha a partir deste endereço" in r.content.decode()
    assert EmailPendente.objects.count() == 10
    assert pedir("mais.uma@x.test", ip=OUTRO_IP).status_code == 302  # outro IP segue podendo pedir
    assert EmailPendente.objects.count() == 11


def test_30_pedidos_em_sequencia_enfileiram_no_maximo_3_emails(ana):
    for _ in range(30):
        pedir("ana@almg.test")
    assert emails_para("ana@almg.test") == 3


def test_falhas_e_bloqueio_ficam_na_auditoria(ana):
    from auditoria.models import RegistroAuditoria

    errar("ana@almg.test", 5)
    acoes = list(RegistroAuditoria.objects.order_by("pk").values_list("acao", flat=True))
    assert acoes.count("conta.bloqueio") == 1
    assert len([a for a in acoes if a != "conta.bloqueio"]) >= 5  # cada senha errada também
    bloqueio = RegistroAuditoria.objects.get(acao="conta.bloqueio")
    assert bloqueio.depois["email"] == "ana@almg.test" and bloqueio.ip == IP
