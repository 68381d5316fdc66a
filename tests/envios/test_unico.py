"""O token de uso único (envios.unico), pela confirmação do remanejamento: o formulário que criou o nº 5 e o nº 6."""

import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from emendas.models import Remanejamento
from emendas.remanejamentos import views as telas_remanejamento
from emendas.services import cancelar_remanejamento, solicitar_remanejamento
from envios import unico
from envios.models import EnvioUnico
from tests.concorrencia import em_paralelo, so_no_postgres
from tests.conftest import logado, meio_dia

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


def token_da_pagina(resposta) -> str:
    achados = re.findall(r'name="envio_unico" value="([^"]+)"', resposta.content.decode())
    assert achados, "a página não tem o campo do envio único"
    return achados[-1]


def dados_confirmacao(c, token):
    return {"acao": c["acao"].pk, "grupo_despesa": c["grupo"].pk, "valor": "1.000,00", "confirmar": "1",
            "detalhamento": "UBS", "envio_unico": token}


def abrir_confirmacao(cliente, c) -> str:
    r = cliente.post(c["url"], {"acao": c["acao"].pk, "grupo_despesa": c["grupo"].pk, "valor": "1.000,00",
                                "salvar": "1"})
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


@pytest.mark.django_db
@pytest.mark.parametrize("estrago", ["abc", "troca-a-assinatura", "sem-dono"])
def test_token_forjado_e_recusado_com_mensagem_e_nada_muda(cenario, estrago):
    cliente = logado(cenario["parl"])
    token = abrir_confirmacao(cliente, cenario)
    if estrago == "troca-a-assinatura":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif estrago == "sem-dono":  # assinado por outro sal (outro segredo): não é um token deste sistema
        token = signing.dumps({"u": cenario["parl"].pk, "n": "x"}, salt="outro")
    elif estrago == "abc":
        token = "abc"
    r = cliente.post(cenario["url"], dados_confirmacao(cenario, token), HTTP_REFERER="http://testserver/x/")
    assert r.status_code == 302 and r["Location"] == "http://testserver/x/"
    assert textos(r) == [unico.FORJADO]
    assert not Remanejamento.objects.exists() and not EnvioUnico.objects.exists()


@pytest.mark.django_db
def test_token_de_outro_usuario_e_recusado(cenario):
    token = unico.novo_token(cenario["outro"])
    r = logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, token))
    assert textos(r) == [unico.DE_OUTRO] and r["Location"] == "/"  # sem Referer deste site: o início
    assert not Remanejamento.objects.exists()


@pytest.mark.django_db
def test_token_usado_por_um_nao_serve_para_ver_o_resultado_de_outro(cenario):
    # Mesmo nonce assinado para os dois (só quem tem o segredo faria isso): a linha é do primeiro, o outro não vê.
    a = signing.dumps({"u": cenario["parl"].pk, "n": "mesmo"}, salt=unico._SAL)  # noqa: SLF001
    b = signing.dumps({"u": cenario["outro"].pk, "n": "mesmo"}, salt=unico._SAL)  # noqa: SLF001
    logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, a))
    r = logado(cenario["outro"]).post(cenario["url"], dados_confirmacao(cenario, b))
    assert textos(r) == [unico.DE_OUTRO] and Remanejamento.objects.count() == 1


@pytest.mark.django_db
def test_token_expirado_e_recusado(cenario):
    cliente = logado(cenario["parl"])
    token = abrir_confirmacao(cliente, cenario)
    with time_machine.travel(meio_dia(LIVRE) + unico.VALIDADE + timedelta(minutes=1), tick=False):
        cliente.force_login(cenario["parl"])  # a sessão também expira; o token, mesmo com login novo, não volta
        r = cliente.post(cenario["url"], dados_confirmacao(cenario, token))
    assert textos(r) == [unico.EXPIRADO] and not Remanejamento.objects.exists()


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


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_dois_envios_simultaneos_do_mesmo_token_um_age_e_o_outro_ve_o_resultado(cenario, monkeypatch):
    so_no_postgres()
    token = unico.novo_token(cenario["parl"])
    # O segundo envio encontra a chave já reservada enquanto o primeiro ainda está no serviço: o serviço espera o
    # segundo começar a esperar (sem isso as duas threads poderiam simplesmente não se cruzar).
    segundo_esperando = threading.Event()
    esperar_original, servico_original = unico._resultado_do_primeiro, telas_remanejamento.services  # noqa: SLF001

    def esperar(chave, usuario):
        segundo_esperando.set()
        return esperar_original(chave, usuario)

    class ServicoQueEspera:
        def __getattr__(self, nome):
            return getattr(servico_original, nome)

        @staticmethod
        def solicitar_remanejamento(**kw):
            assert segundo_esperando.wait(15), "o segundo envio não chegou"
            return servico_original.solicitar_remanejamento(**kw)

    monkeypatch.setattr(unico, "_resultado_do_primeiro", esperar)
    monkeypatch.setattr(telas_remanejamento, "services", ServicoQueEspera())

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


@pytest.mark.django_db
def test_reenvio_de_um_envio_que_nao_terminou_nao_age_e_diz_por_que(cenario):
    # O processo do primeiro envio morreu entre a ação e o resultado: a reserva ficou sem resultado. O reenvio não
    # sabe se a ação valeu, então não age de novo e manda conferir.
    token = unico.novo_token(cenario["parl"])
    EnvioUnico.objects.create(chave=unico.chave_do_token(token, cenario["parl"]), usuario=cenario["parl"],
                              caminho=cenario["url"], criado_em=meio_dia(LIVRE) - unico.ABANDONADA * 2)
    r = logado(cenario["parl"]).post(cenario["url"], dados_confirmacao(cenario, token))
    assert textos(r) == [unico.EM_ANDAMENTO] and not Remanejamento.objects.exists()
