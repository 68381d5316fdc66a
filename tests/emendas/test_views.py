import base64
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from emendas.models import Exercicio, Inciso
from tests.conftest import SENHA, com_token, criar_usuario, logado, meio_dia

pytestmark = pytest.mark.django_db


@time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False)
def test_pagina_inicial_do_parlamentar_mostra_incisos_e_janela(inciso, parlamentar, outro_parlamentar, fabrica):
    fabrica.inciso(outro_parlamentar, "777.77")
    r = logado(parlamentar.usuario).get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert inciso.numero in html and "R$ 1.000.000,00" in html
    assert "R$ 777,77" not in html
    assert "Janela livre" in html and "25/02/2019" in html
    assert r.context["janela"]["dias_restantes"] == 24


@time_machine.travel(meio_dia(date(2019, 1, 20)), tick=False)
def test_periodo_fechado_mostra_sistema_em_atualizacao(inciso, parlamentar):
    r = logado(parlamentar.usuario).get("/")
    html = r.content.decode()
    assert "Sistema em atualização" in html and "26/01/2019" in html
    linha = r.context["grupos"][0].linhas[0]
    assert linha["saldos"].disponivel_indicacao == Decimal("0")


@time_machine.travel(meio_dia(date(2019, 2, 26)), tick=False)
def test_janela_restrita_no_painel(inciso, parlamentar):
    r = logado(parlamentar.usuario).get("/")
    s = r.context["grupos"][0].linhas[0]["saldos"]
    assert s.disponivel_remanejamento == Decimal("0") and s.disponivel_indicacao == Decimal("1000000.00")
    assert "com possibilidade de remanejamento" in r.content.decode()


def test_anonimo_vai_para_o_login(client):
    r = client.get("/")
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_login_com_email_e_senha(client, parlamentar, inciso):
    r = client.post(reverse("login"), {"username": "ANA@almg.test", "password": SENHA}, follow=True)
    assert r.status_code == 200 and "Meus incisos" in r.content.decode()
    r = Client().post(reverse("login"), {"username": "ana@almg.test", "password": "errada"})
    assert "E-mail ou senha incorretos" in r.content.decode()


def test_inciso_de_outro_parlamentar_da_404(fabrica, parlamentar, outro_parlamentar):
    dele = fabrica.inciso(outro_parlamentar)
    assert logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[dele.pk])).status_code == 404
    assert logado(outro_parlamentar.usuario).get(reverse("emendas:inciso", args=[dele.pk])).status_code == 200


def test_detalhe_do_inciso_mostra_todos_os_baldes(inciso, parlamentar, segov):
    r = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[inciso.pk]))
    html = r.content.decode()
    for rotulo in ("Reservado para projeto de lei", "Não impositivo", "Disponível para indicação"):
        assert rotulo in html
    assert logado(segov).get(reverse("emendas:inciso", args=[inciso.pk])).status_code == 200


@time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False)
def test_painel_segov_tem_calendario_e_totais(inciso, segov, fabrica, outro_parlamentar):
    fabrica.inciso(outro_parlamentar, "0.01")
    r = logado(segov).get("/")
    html = r.content.decode()
    assert "Totais por titular" in html and "Ana Lacerda" in html and "Bruno Tavares" in html
    assert "R$ 1.000.000,01" in html  # total geral
    assert reverse("emendas:exercicio_editar", args=[2019]) in html


def test_parlamentar_nao_acessa_telas_da_segov(parlamentar, exercicio):
    c = logado(parlamentar.usuario)
    assert c.get(reverse("emendas:importar")).status_code == 403
    assert c.get(reverse("emendas:exercicio_editar", args=[2019])).status_code == 403
    assert c.enviar(reverse("emendas:exercicio_editar", args=[2019]), {"data_publicacao_loa": "2019-01-01"}).status_code == 403


def test_segov_edita_calendario_e_datas_fora_de_ordem_sao_recusadas(segov, exercicio):
    c = logado(segov)
    url = reverse("emendas:exercicio_editar", args=[2019])
    dados = {
        "data_publicacao_loa": "2019-01-10", "data_liberacao": "2019-01-28", "fim_janela_livre": "2019-02-27",
        "fim_janela_obrigatoria": "2019-03-11", "limite_outra_uo_percentual": "10", "regime_cagec": "LEGADO",
    }
    assert c.enviar(url, dados).status_code == 302
    exercicio.refresh_from_db()
    assert exercicio.data_liberacao == date(2019, 1, 28)
    ruim = dict(dados, fim_janela_livre="2019-01-20")
    r = c.enviar(url, ruim)
    assert r.status_code == 200 and "não pode ser anterior à liberação" in r.content.decode()
    exercicio.refresh_from_db()
    assert exercicio.fim_janela_livre == date(2019, 2, 27)


def test_edicao_exige_csrf(segov, exercicio):
    c = Client(enforce_csrf_checks=True)
    c.force_login(segov)
    r = c.post(reverse("emendas:exercicio_editar", args=[2019]), com_token(segov, {"data_publicacao_loa": "2019-01-01"}))
    assert r.status_code == 403
    exercicio.refresh_from_db()
    assert exercicio.data_publicacao_loa == date(2019, 1, 10)


LOA = (
    "emenda;titular;tipo_titular;email;inciso;uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;valor\n"
    "175;Ana Lacerda;PARLAMENTAR;ana@almg.test;S530;4291;FES;4470;AP;4;Investimentos;1.000,00\n"
).encode()


def _upload(nome, conteudo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nome, conteudo, content_type="text/csv")


def test_importacao_pela_tela_previa_depois_confirmacao(segov):
    c = logado(segov)
    url = reverse("emendas:importar")
    r = c.enviar(url, {"tipo": "loa", "ano": 2027, "publicacao": "2027-01-08", "arquivo": _upload("loa.csv", LOA)})
    html = r.content.decode()
    assert "Prévia" in html and "1 incisos" in html
    assert not Inciso.objects.exists()  # prévia não grava
    r = c.enviar(url, {"confirmar": "1", "previa": str(r.context["previa"].pk)})
    assert r.status_code == 302 and r["Location"] == "/?ano=2027"
    assert Inciso.objects.get().valor_inicial == Decimal("1000.00")


def test_importacao_pela_tela_com_erro_mostra_lista(segov):
    r = logado(segov).enviar(
        reverse("emendas:importar"),
        {"tipo": "loa", "ano": 2027, "publicacao": "2027-01-08", "arquivo": _upload("l.csv", LOA.replace(b"1.000,00", b"mil"))},
    )
    html = r.content.decode()
    assert "Nada foi importado" in html and "Linha 2, campo “valor”" in html
    assert not Exercicio.objects.exists()


def test_confirmacao_forjada_sem_previa_nao_importa_nada(segov):
    # O formulário antigo (tipo, ano e o conteúdo no próprio envio) não é mais aceito: sem a prévia guardada
    # no servidor não há o que importar, nem validado nem sem validar.
    c = logado(segov)
    forjado = {"confirmar": "1", "tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
               "conteudo": base64.b64encode(LOA).decode()}
    for dados in (forjado, {**forjado, "previa": "@@@"}, {**forjado, "previa": "0" * 32}):
        r = c.enviar(reverse("emendas:importar"), dados, follow=True)
        assert "A prévia expirou ou já foi usada. Envie o arquivo novamente." in r.content.decode()
    assert not Inciso.objects.exists() and not Exercicio.objects.exists()


def test_carga_sem_data_de_publicacao_e_recusada(segov):
    r = logado(segov).enviar(reverse("emendas:importar"), {"tipo": "loa", "ano": 2027, "arquivo": _upload("l.csv", LOA)})
    assert "Informe a data de publicação" in r.content.decode()


def _pagina_com_n_incisos(fabrica, parlamentar, outro, n):
    from emendas.models import Acao, UnidadeOrcamentaria

    uos = [UnidadeOrcamentaria.objects.get_or_create(codigo=f"9{k}", defaults={"nome": f"UO {k}"})[0] for k in range(3)]
    acoes = [Acao.objects.get_or_create(uo=uo, codigo="1000", defaults={"nome": "A"})[0] for uo in uos]
    for k in range(n):
        fabrica.inciso(parlamentar, "10.00", acao=acoes[k % 3])
    return n


@time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False)
def test_pagina_inicial_tem_numero_constante_de_consultas(fabrica, parlamentar, outro_parlamentar, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = logado(parlamentar.usuario)
    _pagina_com_n_incisos(fabrica, parlamentar, outro_parlamentar, 10)
    with CaptureQueriesContext(connection) as com_10:
        assert c.get("/").status_code == 200
    _pagina_com_n_incisos(fabrica, parlamentar, outro_parlamentar, 490)
    with CaptureQueriesContext(connection) as com_500:
        r = c.get("/")
    assert sum(len(g.linhas) for g in r.context["grupos"]) == 500
    assert len(com_500) == len(com_10)
    assert len(com_10) <= 13  # 12 e a execução das indicações aprovadas (uma consulta, emendas/templatetags/execucao)


@time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False)
def test_painel_segov_tem_numero_constante_de_consultas(fabrica, parlamentar, outro_parlamentar, segov):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = logado(segov)
    _pagina_com_n_incisos(fabrica, parlamentar, outro_parlamentar, 5)
    with CaptureQueriesContext(connection) as poucos:
        c.get("/")
    _pagina_com_n_incisos(fabrica, outro_parlamentar, parlamentar, 300)
    with CaptureQueriesContext(connection) as muitos:
        c.get("/")
    assert len(muitos) == len(poucos)


def test_orgao_e_convenente_tem_pagina_inicial(analista_orgao, convenente, exercicio):
    r = logado(analista_orgao).get("/")
    assert "UO 4291" in r.content.decode()
    r = logado(convenente).get("/", follow=True)
    assert r.redirect_chain[-1][0] == reverse("convenios:painel")
    assert "não está vinculado a nenhum convenente" in r.content.decode()
    sem_perfil = criar_usuario("x@x.test")
    assert "ainda não tem perfil" in logado(sem_perfil).get("/").content.decode()


def test_definir_senha_pelo_link_vai_pela_caixa_de_saida(client, parlamentar):
    from django.core import mail

    from notificacoes.models import EmailPendente
    from notificacoes.services import enviar_pendente

    parlamentar.usuario.set_unusable_password()
    parlamentar.usuario.save()
    r = client.post(reverse("password_reset"), {"email": "ana@almg.test"})
    assert r.status_code == 302
    email = EmailPendente.objects.get()
    assert email.destinatarios == ["ana@almg.test"]
    assert "/conta/senha/definir/" not in email.corpo  # o link (com o token) só nasce no envio
    assert enviar_pendente(email_id=email.pk)
    link = next(l for l in mail.outbox[-1].body.splitlines() if "/conta/senha/definir/" in l)
    caminho = link.split("testserver", 1)[-1] if "testserver" in link else link[link.index("/conta"):]
    r = client.get(caminho, follow=True)
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Nova-senha-forte-1", "new_password2": "Nova-senha-forte-1"})
    assert r.status_code == 302
    parlamentar.usuario.refresh_from_db()
    assert parlamentar.usuario.check_password("Nova-senha-forte-1")
