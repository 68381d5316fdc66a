"""O token de uso único (envios.unico), pela confirmação do remanejamento: o formulário que criou o nº 5 e o nº 6."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import signing
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from auditoria.models import RegistroAuditoria
from emendas.models import Remanejamento
from emendas.remanejamentos import views as telas_remanejamento
from emendas.services import cancelar_remanejamento, solicitar_remanejamento
from envios import unico
from envios.models import EnvioUnico
from tests.concorrencia import (
    em_paralelo, esperando_trava_consultiva, esperar_ate, primeiro_envio_rodando, so_no_postgres,
)
from tests.conftest import logado, meio_dia, token_da_pagina

LIVRE = date(2019, 2, 1)


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def cenario(programacoes, inciso, parlamentar, outro_parlamentar, segov, acao_saude_2, grupo_inv):
    return {"inciso": inciso, "parl": parlamentar.usuario, "outro": outro_parlamentar.usuario, "segov": segov,
            "acao": acao_saude_2, "grupo": grupo_inv,
            "url": reverse("emendas:novo_remanejamento", args=[inciso.pk])}


def dados_confirmacao(c, token):
    return {"acao": c["acao"].pk, "grupo_despesa": c["grupo"].pk, "valor": "1.000,00", "confirmar": "1",
            "detalhamento": "UBS", "envio_unico": token}


def abrir_confirmacao(cliente, c) -> str:
    # O formulário do pedido (GET) leva um token; o "Salvar" não age e a confirmação vem com um token novo.
    r = cliente.post(c["url"], {"acao": c["acao"].pk, "grupo_despesa": c["grupo"].pk, "valor": "1.000,00",
                                "salvar": "1", "envio_unico": token_da_pagina(cliente.get(c["url"]))})
    assert "Confirme o pedido" in r.content.decode()
    return token_da_pagina(r)


def textos(resposta) -> list[str]:
    return [str(m) for m in get_messages(resposta.wsgi_request)]


@pytest.mark.django_db
def test_reenviar_a_confirmacao_mostra_o_primeiro_resultado_e_cria_um_so(cenario):
    cliente = logado(cenario["parl"])
    token = abrir_confirmacao(cliente, cenario)
    primeira = cliente.post(cenario["url"], dados_confirmacao(cenario, token))
    rem = Remanejamento.objects.get()
    assert primeira.status_code == 302
    cliente.get(primeira["Location"])  # a pessoa viu a página do resultado; depois Voltar + Confirmar
    segunda = cliente.post(cenario["url"], dados_confirmacao(cenario, token))
    assert segunda.status_code == 302 and segunda["Location"] == primeira["Location"]
    assert textos(segunda) == [unico.JA_ENVIADO, f"Remanejamento nº {rem.pk} solicitado. O valor já foi reservado; "
                                                 "a SEGOV foi avisada."]
    assert Remanejamento.objects.count() == 1
    assert RegistroAuditoria.objects.filter(acao__icontains="remanejamento", id_objeto=str(rem.pk)).count() == 1


@pytest.mark.django_db
def test_cada_formulario_mostrado_tem_o_seu_token(cenario):
    cliente = logado(cenario["parl"])
    assert abrir_confirmacao(cliente, cenario) != abrir_confirmacao(cliente, cenario)
    assert not EnvioUnico.objects.exists()  # mostrar o formulário não grava nada


def recusado(resposta, motivo: str, voltar: str = "/") -> bool:
    """A página 400 do envio único: o aviso de sempre, o motivo, o link de volta e nenhuma mensagem de sessão."""
    html = resposta.content.decode()
    return (resposta.status_code == 400 and "Este formulário expirou ou veio incompleto. Recarregue a página e tente "
            "de novo." in html and motivo in html and f'href="{voltar}"' in html and not textos(resposta))


@pytest.mark.django_db
@pytest.mark.parametrize("estrago", ["sem-campo", "vazio", "abc", "troca-a-assinatura", "sem-dono"])
def test_sem_token_ou_token_forjado_da_400_registra_no_log_e_nada_muda(cenario, estrago, caplog):
    cliente = logado(cenario["parl"])
    token = abrir_confirmacao(cliente, cenario)
    motivo = unico.FORJADO
    if estrago in ("sem-campo", "vazio"):
        token, motivo = ("" if estrago == "vazio" else None), unico.SEM_TOKEN
    elif estrago == "troca-a-assinatura":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif estrago == "sem-dono":  # assinado por outro sal (outro segredo): não é um token deste sistema
        token = signing.dumps({"u": cenario["parl"].pk, "n": "x"}, salt="outro")
    elif estrago == "abc":
        token = "abc"
    dados = dados_confirmacao(cenario, token)
    if token is None:
        del dados["envio_unico"]
    with caplog.at_level("WARNING", logger="envios.unico"):
        r = cliente.post(cenario["url"], dados, HTTP_REFERER="http://testserver/x/")
    assert recusado(r, motivo, voltar="http://testserver/x/")
    assert not Remanejamento.objects.exists() and not EnvioUnico.objects.exists()
    assert not RegistroAuditoria.objects.filter(acao__icontains="remanejamento").exists()
    [registro] = [r for r in caplog.records if r.name == "envios.unico"]
    assert cenario["url"] in registro.getMessage() and motivo in registro.getMessage()
    assert (token or "sem-token-aqui") not in registro.getMessage()  # o token nunca vai para o log


@pytest.mark.django_db
def test_post_sem_token_em_rota_de_decisao_nao_decide(cenario):
    rem = solicitar_remanejamento(usuario=cenario["parl"], inciso=cenario["inciso"], acao=cenario["acao"],
                                  grupo_despesa=cenario["grupo"], valor=Decimal("10.00"))
    r = logado(cenario["segov"]).post(reverse("emendas:aprovar_remanejamento", args=[rem.pk]))
    assert recusado(r, unico.SEM_TOKEN)
    rem.refresh_from_db()
    assert rem.status == Remanejamento.Status.SOLICITADO


@pytest.mark.django_db
def test_token_de_outro_usuario_e_recusado(cenario):
    token = unico.novo_token(cenario["outro"])
    r = logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, token))
    assert recusado(r, unico.DE_OUTRO)  # sem Referer deste site: o link volta ao início
    assert not Remanejamento.objects.exists() and not EnvioUnico.objects.exists()


@pytest.mark.django_db
def test_token_usado_por_um_nao_serve_para_ver_o_resultado_de_outro(cenario):
    # Mesmo nonce assinado para os dois (só quem tem o segredo faria isso): a linha é do primeiro, o outro não vê.
    a = signing.dumps({"u": cenario["parl"].pk, "n": "mesmo"}, salt=unico._SAL)  # noqa: SLF001
    b = signing.dumps({"u": cenario["outro"].pk, "n": "mesmo"}, salt=unico._SAL)  # noqa: SLF001
    logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, a))
    r = logado(cenario["outro"]).post(cenario["url"], dados_confirmacao(cenario, b))
    assert recusado(r, unico.DE_OUTRO) and Remanejamento.objects.count() == 1
    assert "Remanejamento nº" not in r.content.decode()
    # Nem a página de espera mostra a linha do primeiro a quem não é o dono.
    espera = logado(cenario["outro"]).get(reverse("envios:andamento", args=[EnvioUnico.objects.get().chave]))
    assert espera.status_code == 200 and unico.NADA_GRAVADO in espera.content.decode() and not textos(espera)


@pytest.mark.django_db
def test_token_expirado_e_recusado(cenario):
    cliente = logado(cenario["parl"])
    token = abrir_confirmacao(cliente, cenario)
    with time_machine.travel(meio_dia(LIVRE) + unico.VALIDADE + timedelta(minutes=1), tick=False):
        cliente.force_login(cenario["parl"])  # a sessão também expira; o token, mesmo com login novo, não volta
        r = cliente.post(cenario["url"], dados_confirmacao(cenario, token))
    assert recusado(r, unico.EXPIRADO) and not Remanejamento.objects.exists()


@pytest.mark.django_db
def test_envio_com_erro_no_formulario_nao_gasta_o_token(cenario):
    cliente = logado(cenario["parl"])
    token = abrir_confirmacao(cliente, cenario)
    r = cliente.post(cenario["url"], {**dados_confirmacao(cenario, token), "valor": "-1,00"})
    assert r.status_code == 200 and "negativo" in r.content.decode()
    assert not EnvioUnico.objects.exists()
    cliente.post(cenario["url"], dados_confirmacao(cenario, token))
    assert Remanejamento.objects.count() == 1


@pytest.mark.django_db
def test_envio_recusado_pela_regra_nao_gasta_o_token(cenario):
    rem = solicitar_remanejamento(usuario=cenario["parl"], inciso=cenario["inciso"], acao=cenario["acao"],
                                  grupo_despesa=cenario["grupo"], valor=Decimal("10.00"))
    cancelar_remanejamento(usuario=cenario["parl"], remanejamento=rem)
    cliente = logado(cenario["segov"])
    r = cliente.post(reverse("emendas:aprovar_remanejamento", args=[rem.pk]),
                     {"envio_unico": unico.novo_token(cenario["segov"])})
    assert r.status_code == 302 and all(m.level_tag == "error" for m in get_messages(r.wsgi_request))
    assert not EnvioUnico.objects.exists()  # nada foi feito: tentar de novo não seria "agir duas vezes"


@pytest.mark.django_db
def test_excecao_na_view_libera_o_token(cenario):
    token = unico.novo_token(cenario["outro"])  # outro parlamentar não remaneja o inciso: 404
    r = logado(cenario["outro"]).post(cenario["url"], dados_confirmacao(cenario, token))
    assert r.status_code == 404 and not EnvioUnico.objects.exists()


@pytest.mark.django_db
def test_apagar_expirados_so_apaga_os_que_ja_seriam_recusados(cenario):
    cliente = logado(cenario["parl"])
    cliente.post(cenario["url"], dados_confirmacao(cenario, abrir_confirmacao(cliente, cenario)))
    assert unico.apagar_expirados() == 0 and EnvioUnico.objects.count() == 1
    assert unico.apagar_expirados(agora=meio_dia(LIVRE) + unico.VALIDADE + timedelta(seconds=1)) == 1


class ServicoQueEspera:
    """O módulo de serviços da tela de remanejamento, com o pedido parado até *condicao()* valer: o primeiro envio
    fica "no meio" enquanto o teste faz o segundo chegar."""

    def __init__(self, condicao):
        self.condicao, self.no_servico = condicao, threading.Event()

    def __getattr__(self, nome):
        return getattr(SERVICOS, nome)

    def solicitar_remanejamento(self, **kw):
        self.no_servico.set()
        esperar_ate(self.condicao, descricao="o segundo envio não chegou")
        return SERVICOS.solicitar_remanejamento(**kw)


SERVICOS = telas_remanejamento.services


def pagina_de_espera(resposta, chave) -> str:
    html = resposta.content.decode()
    url = reverse("envios:andamento", args=[chave])
    assert resposta.status_code == 200 and unico.EM_ANDAMENTO in html, html[:500]
    assert f'href="{url}"' in html and f'hx-get="{url}"' in html  # "Atualizar agora" e o htmx
    return html


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_dois_envios_simultaneos_do_mesmo_token_um_age_e_o_outro_espera_no_banco(cenario, monkeypatch):
    so_no_postgres()
    token = unico.novo_token(cenario["parl"])
    # O primeiro envio (o que pegou a vez) só sai do serviço quando o banco mostra o segundo parado na trava do
    # token: o segundo espera no PostgreSQL, não num laço de consultas, e vê o resultado quando o primeiro solta.
    servico = ServicoQueEspera(lambda: esperando_trava_consultiva(unico.CLASSE_DA_TRAVA) == 1)
    monkeypatch.setattr(telas_remanejamento, "services", servico)
    monkeypatch.setattr(unico, "ESPERA_MAXIMA", timedelta(seconds=60))  # a máquina dos testes pode estar lenta

    def enviar():
        r = logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, token))
        return r.status_code, r["Location"], textos(r)

    with time_machine.travel(meio_dia(LIVRE), tick=True):
        resultados = em_paralelo([enviar, enviar])
    assert all(isinstance(r, tuple) and r[0] == 302 for r in resultados), resultados
    assert Remanejamento.objects.count() == 1
    rem = Remanejamento.objects.get()
    repetidos = [r for r in resultados if r[2][0] == unico.JA_ENVIADO]
    assert len(repetidos) == 1, resultados
    assert f"Remanejamento nº {rem.pk} solicitado" in repetidos[0][2][1]
    assert resultados[0][1] == resultados[1][1]
    linha = EnvioUnico.objects.get()
    assert linha.concluido_em is not None and linha.usuario_id == cenario["parl"].pk
    assert esperando_trava_consultiva(unico.CLASSE_DA_TRAVA) == 0  # ninguém ficou com a vez


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_reenvio_que_passa_do_limite_mostra_a_espera_sem_segurar_o_worker_e_depois_o_resultado(cenario, monkeypatch):
    so_no_postgres()
    token = unico.novo_token(cenario["parl"])
    segundo_respondeu = threading.Event()
    servico = ServicoQueEspera(segundo_respondeu.is_set)
    monkeypatch.setattr(telas_remanejamento, "services", servico)
    monkeypatch.setattr(unico, "ESPERA_MAXIMA", timedelta(milliseconds=50))
    chave = unico.chave_do_token(token, cenario["parl"])
    andamento = reverse("envios:andamento", args=[chave])
    primeiro = {}

    def enviar_o_primeiro():
        try:
            primeiro["r"] = logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, token))
        finally:
            connection.close()

    with time_machine.travel(meio_dia(LIVRE), tick=True):
        thread = threading.Thread(target=enviar_o_primeiro)
        thread.start()
        try:
            assert servico.no_servico.wait(60)
            cliente = logado(cenario["parl"])
            pagina_de_espera(cliente.post(cenario["url"], dados_confirmacao(cenario, token)), chave)
            pagina_de_espera(cliente.get(andamento), chave)  # recarregada: o primeiro ainda não terminou
        finally:
            segundo_respondeu.set()
            thread.join(60)
        assert primeiro["r"].status_code == 302
        resultado = cliente.get(andamento)
    assert resultado.status_code == 302 and resultado["Location"] == primeiro["r"]["Location"]
    rem = Remanejamento.objects.get()
    assert textos(resultado)[0] == unico.JA_ENVIADO and f"Remanejamento nº {rem.pk}" in textos(resultado)[1]


@pytest.mark.django_db
def test_reenvio_enquanto_o_primeiro_roda_mostra_a_espera_e_ela_leva_ao_resultado(cenario, monkeypatch):
    # O primeiro envio reservou a chave e ainda roda noutro processo (no PostgreSQL, segurando a vez do token).
    monkeypatch.setattr(unico, "ESPERA_MAXIMA", timedelta(milliseconds=50))
    token = unico.novo_token(cenario["parl"])
    chave = unico.chave_do_token(token, cenario["parl"])
    linha = EnvioUnico.objects.create(chave=chave, usuario=cenario["parl"], caminho=cenario["url"])
    cliente = logado(cenario["parl"])
    andamento = reverse("envios:andamento", args=[chave])
    with primeiro_envio_rodando(chave):
        html = pagina_de_espera(cliente.post(cenario["url"], dados_confirmacao(cenario, token)), chave)
        assert f'<meta http-equiv="refresh" content="{unico.ATUALIZAR_A_CADA};url={andamento}">' in html  # sem JS
        pagina_de_espera(cliente.get(andamento), chave)
        fragmento = cliente.get(andamento, HTTP_HX_REQUEST="true")  # o htmx recarrega só o quadro
        assert 'id="envio-andamento"' in fragmento.content.decode() and "<html" not in fragmento.content.decode()
        # O primeiro termina: grava o resultado (como envios.unico faz) e solta a vez.
        linha.concluido_em, linha.destino = timezone.now(), "/emendas/remanejamentos/"
        linha.mensagens = [[messages.SUCCESS, "Remanejamento nº 7 solicitado.", ""]]
        linha.save()
    assert not Remanejamento.objects.exists()  # nenhum dos reenvios agiu
    pelo_htmx = cliente.get(andamento, HTTP_HX_REQUEST="true")
    assert pelo_htmx.status_code == 200 and pelo_htmx["HX-Redirect"] == "/emendas/remanejamentos/"
    destino = cliente.get(pelo_htmx["HX-Redirect"]).content.decode()  # o htmx leva a página inteira ao resultado
    assert unico.JA_ENVIADO in destino and "Remanejamento nº 7 solicitado." in destino
    r = cliente.get(andamento)  # sem JavaScript, o refresh
    assert r.status_code == 302 and r["Location"] == "/emendas/remanejamentos/"
    assert textos(r) == [unico.JA_ENVIADO, "Remanejamento nº 7 solicitado."]


@pytest.mark.django_db
def test_espera_de_um_envio_que_nao_gravou_nada_diz_que_nada_foi_gravado(cenario):
    chave = unico.chave_do_token(unico.novo_token(cenario["parl"]), cenario["parl"])
    r = logado(cenario["parl"]).get(reverse("envios:andamento", args=[chave]))
    assert r.status_code == 200 and unico.NADA_GRAVADO in r.content.decode()
    assert "hx-get" not in r.content.decode() and 'http-equiv="refresh"' not in r.content.decode()


@pytest.mark.django_db
def test_reenvio_de_um_envio_que_nao_terminou_nao_age_e_diz_por_que(cenario):
    # O processo do primeiro envio morreu entre a ação e o resultado: a reserva ficou sem resultado (e, no
    # PostgreSQL, a vez do token livre). O reenvio não sabe se a ação valeu, então não age de novo e manda conferir.
    token = unico.novo_token(cenario["parl"])
    EnvioUnico.objects.create(chave=unico.chave_do_token(token, cenario["parl"]), usuario=cenario["parl"],
                              caminho=cenario["url"], criado_em=meio_dia(LIVRE) - unico.ABANDONADA * 2)
    r = logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, token))
    html = r.content.decode()
    assert r.status_code == 200 and unico.NAO_REGISTRADO in html and "hx-get" not in html
    assert not Remanejamento.objects.exists()
