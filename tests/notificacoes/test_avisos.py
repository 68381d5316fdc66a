"""Notificações no sistema: o que foi enviado por e-mail ao usuário sobre o trabalho dele, com lida/não lida."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from auditoria.models import RegistroAuditoria
from contas import perfis
from emendas.models import Exercicio, ProgramacaoElegivel
from notificacoes.models import EmailPendente, Aviso
from notificacoes.services import enfileirar_email
from tests.conftest import Fabrica, criar_usuario, logado

pytestmark = pytest.mark.django_db

LINK_DE_SENHA = re.compile(r"/conta/senha/definir/[^/\s]+/[^/\s]+/")


@pytest.fixture
def hoje_livre(acao_saude, acao_saude_2, grupo_inv):
    hoje = timezone.localdate()
    ex = Exercicio.objects.create(ano=hoje.year, data_publicacao_loa=hoje - timedelta(days=20))
    ProgramacaoElegivel.objects.create(exercicio=ex, acao=acao_saude_2, grupo_despesa=grupo_inv)
    return Fabrica(ex, acao_saude, grupo_inv)


@pytest.fixture
def remanejamento_reprovado(hoje_livre, parlamentar, segov, acao_saude_2, grupo_inv):
    from emendas.services import reprovar_remanejamento, solicitar_remanejamento

    inciso = hoje_livre.inciso(parlamentar, "10000.00")
    rem = solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                  grupo_despesa=grupo_inv, valor=Decimal("1000.00"))
    return reprovar_remanejamento(usuario=segov, remanejamento=rem, justificativa="Fora da política")


def test_parlamentar_ve_o_email_da_decisao_e_a_segov_o_do_pedido(remanejamento_reprovado, parlamentar, segov):
    html = logado(parlamentar.usuario).get("/notificacoes/").content.decode()
    assert "remanejamento reprovado: inciso S501" in html
    assert "remanejamento solicitado" not in html  # o pedido foi à SEGOV, não a ele
    assert "Não lida" in html
    html_segov = logado(segov).get("/notificacoes/").content.decode()
    assert "remanejamento solicitado: inciso S501" in html_segov
    assert "remanejamento reprovado" not in html_segov


def test_outro_usuario_nao_ve_nem_marca_a_notificacao_de_alguem(remanejamento_reprovado, parlamentar,
                                                                outro_parlamentar):
    aviso = Aviso.objects.get(usuario=parlamentar.usuario)
    intruso = logado(outro_parlamentar.usuario)
    assert "remanejamento reprovado" not in intruso.get("/notificacoes/").content.decode()
    assert intruso.get(f"/notificacoes/{aviso.pk}/").status_code == 404
    assert intruso.enviar(f"/notificacoes/{aviso.pk}/lida/").status_code == 404
    intruso.enviar("/notificacoes/lidas/")  # "marcar todas" só mexe nas do próprio usuário
    aviso.refresh_from_db()
    assert aviso.lido_em is None


def test_abrir_marcar_como_lida_e_a_contagem_do_menu(remanejamento_reprovado, parlamentar):
    c = logado(parlamentar.usuario)
    aviso = Aviso.objects.get(usuario=parlamentar.usuario)
    inicio = c.get("/").content.decode()
    assert re.search(r'id="menu-notificacoes">Notificações <span[^>]*>1<span class="visually-hidden"> não lida</span>',
                     inicio)
    detalhe = c.get(f"/notificacoes/{aviso.pk}/").content.decode()
    assert "Fora da política" in detalhe and "não lida" in detalhe  # abrir não marca: só o botão (POST)
    assert c.get("/notificacoes/marcar/").status_code == 404
    assert c.get(f"/notificacoes/{aviso.pk}/lida/").status_code == 405

    resposta = c.enviar(f"/notificacoes/{aviso.pk}/lida/", {"voltar": "https://outro.site/"}, follow=True)
    assert resposta.redirect_chain[-1][0] == "/notificacoes/"  # destino forjado é ignorado
    html = resposta.content.decode()
    assert "Notificação marcada como lida." in html and "Lida" in html
    assert 'id="menu-notificacoes">Notificações</a>' in html  # sem contagem: nada por ler
    aviso.refresh_from_db()
    lido_em = aviso.lido_em
    assert lido_em is not None
    c.enviar(f"/notificacoes/{aviso.pk}/lida/")  # de novo: nada muda, nada se audita
    aviso.refresh_from_db()
    assert aviso.lido_em == lido_em
    assert RegistroAuditoria.objects.filter(acao="notificacao.lida", id_objeto=str(aviso.pk)).count() == 1


def test_marcar_todas_como_lidas(parlamentar):
    for n in range(3):
        enfileirar_email(assunto=f"Indicação {n} devolvida para ajuste", corpo="Ajuste", tipo="INDICACAO",
                         destinatarios=[parlamentar.usuario.email])
    c = logado(parlamentar.usuario)
    assert ">3<span class=\"visually-hidden\"> não lidas</span>" in c.get("/notificacoes/").content.decode()
    html = c.enviar("/notificacoes/lidas/", follow=True).content.decode()
    assert "3 notificações marcadas como lidas." in html
    assert not Aviso.objects.filter(usuario=parlamentar.usuario, lido_em__isnull=True).exists()
    assert RegistroAuditoria.objects.get(acao="notificacao.todas_lidas").depois["quantidade"] == 3


def test_so_contas_ativas_destinatarias_e_so_tipos_sobre_o_trabalho(parlamentar, outro_parlamentar):
    outro_parlamentar.usuario.is_active = False
    outro_parlamentar.usuario.save()
    email = enfileirar_email(assunto="Indicação reprovada", corpo="IOT", tipo="INDICACAO",
                             destinatarios=[parlamentar.usuario.email.upper(), outro_parlamentar.usuario.email,
                                            "caixa@segov.test"])
    assert list(email.avisos.values_list("usuario", flat=True)) == [parlamentar.usuario.pk]
    assert not enfileirar_email(assunto="Outro", corpo="x", destinatarios=[parlamentar.usuario.email]).avisos.exists()


def test_email_com_link_de_senha_nunca_vira_notificacao_mesmo_com_tipo_errado(parlamentar):
    from notificacoes.models import MARCA_LINK_SENHA

    email = enfileirar_email(assunto="x", corpo=f"Link: {MARCA_LINK_SENHA}", destinatarios=[parlamentar.usuario.email],
                             link_senha_de=parlamentar.usuario, tipo=EmailPendente.Tipo.INDICACAO)
    assert not email.avisos.exists()


def test_emails_de_convite_e_de_senha_nunca_aparecem_nas_notificacoes(client):
    from contas.services import criar_usuario as convidar
    from notificacoes.services import enviar_pendente

    usuario = convidar(email="nova@almg.test", perfil="parlamentar", nome="Nova Deputada")  # e-mail de convite
    assert client.post("/conta/senha/definir/", {"email": "nova@almg.test"}).status_code == 302  # e-mail de senha
    for email in EmailPendente.objects.all():
        assert enviar_pendente(email_id=email.pk)  # o link (uid + token) só existe no e-mail enviado
    links = [m for e in mail.outbox for m in LINK_DE_SENHA.findall(e.body)]
    assert len(links) == 2 and len(mail.outbox) == 2
    assert set(EmailPendente.objects.values_list("tipo", flat=True)) == {"CONVITE", "SENHA"}
    # Um e-mail de trabalho também, para a lista não estar vazia por outro motivo.
    enfileirar_email(assunto="Indicação nº 7 devolvida para ajuste", corpo="Ajuste", tipo="INDICACAO",
                     destinatarios=[usuario.email])
    c = logado(usuario)
    paginas = c.get("/notificacoes/").content.decode()
    for aviso in Aviso.objects.filter(usuario=usuario):
        paginas += c.get(f"/notificacoes/{aviso.pk}/").content.decode()
    assert "Indicação nº 7 devolvida para ajuste" in paginas
    for link in links:
        assert link not in paginas
    assert "/senha/definir/" not in paginas and "defina sua senha" not in paginas.lower()
    assert Aviso.objects.filter(usuario=usuario).count() == 1


@pytest.mark.parametrize("quantidade", [2, 40])
def test_lista_com_numero_constante_de_consultas(parlamentar, django_assert_max_num_queries, quantidade):
    for n in range(quantidade):
        enfileirar_email(assunto=f"Remanejamento {n} reprovado", corpo="x", tipo="REM_DECIDIDO",
                         destinatarios=[parlamentar.usuario.email])
    c = logado(parlamentar.usuario)
    with django_assert_max_num_queries(8):
        html = c.get("/notificacoes/").content.decode()
    assert html.count("Marcar como lida<span") == quantidade


def test_menu_conta_as_nao_lidas_com_uma_consulta_pelo_indice_parcial(parlamentar, segov):
    from notificacoes.selectors import nao_lidos

    for destino in (parlamentar.usuario, parlamentar.usuario, segov):
        enfileirar_email(assunto="Aviso", corpo="x", tipo="INDICACAO", destinatarios=[destino.email])
    primeiro = Aviso.objects.filter(usuario=parlamentar.usuario).order_by("pk").first()
    Aviso.objects.filter(pk=primeiro.pk).update(lido_em=timezone.now())
    assert nao_lidos(parlamentar.usuario) == 1 and nao_lidos(segov) == 1
    if connection.vendor != "postgresql":
        return  # o plano abaixo é o do PostgreSQL; a contagem já foi conferida nos dois bancos
    sql, params = Aviso.objects.filter(usuario_id=parlamentar.usuario.pk, lido_em__isnull=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tabela minúscula: sem isto o plano nem olha índice
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) t", params)
        plano = "\n".join(linha[0] for linha in cursor.fetchall())
    assert "aviso_nao_lido" in plano, plano


def test_menu_tem_ajuda_e_notificacoes_para_todo_perfil(db):
    for perfil in (perfis.PARLAMENTAR, perfis.SEGOV, perfis.ORGAO, perfis.CONVENENTE):
        html = logado(criar_usuario(f"{perfil[:5].lower()}@x.test", perfil)).get("/", follow=True).content.decode()
        assert 'href="/ajuda/">Ajuda</a>' in html and 'href="/notificacoes/"' in html
