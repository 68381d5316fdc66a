"""Limite de pedidos das páginas e arquivos públicos: por IP e por minuto, contado no cache compartilhado (nunca na
memória do processo), 429 com a mensagem em português e Retry-After; e o cache das leituras pela versão dos dados."""

from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from transparencia import protecao

pytestmark = pytest.mark.django_db
LIMITES = {"paginas": 3, "arquivos": 2}


@override_settings(SIGCON_TRANSPARENCIA_LIMITES=LIMITES)
def test_pagina_passou_do_limite_recebe_429_com_mensagem(publico):
    cliente, url = Client(REMOTE_ADDR="203.0.113.7"), reverse("transparencia:busca")
    with time_machine.travel("2026-12-07 12:00:05 -03:00", tick=False):
        assert [cliente.get(url).status_code for _ in range(3)] == [200, 200, 200]
        resposta = cliente.get(url)
    assert resposta.status_code == 429
    texto = resposta.content.decode()
    assert "Muitos pedidos deste endereço em pouco tempo. Espere 55 segundos" in texto
    assert resposta["Retry-After"] == "55"
    with time_machine.travel("2026-12-07 12:00:10 -03:00", tick=False):
        # Outro IP tem o seu contador; outra página pública conta no mesmo do IP.
        assert Client(REMOTE_ADDR="203.0.113.8").get(url).status_code == 200
        assert cliente.get(reverse("transparencia:municipios")).status_code == 429
    with time_machine.travel("2026-12-07 12:01:01 -03:00", tick=False):
        assert cliente.get(url).status_code == 200  # minuto novo


@override_settings(SIGCON_TRANSPARENCIA_LIMITES=LIMITES)
def test_arquivos_tem_limite_proprio_e_429_em_texto(publico):
    cliente = Client(REMOTE_ADDR="203.0.113.9")
    url = reverse("transparencia:indicacoes_csv", args=[publico["exercicio"].ano])
    with time_machine.travel("2026-12-07 12:00:30 -03:00", tick=False):
        assert [cliente.get(url).status_code for _ in range(2)] == [200, 200]
        resposta = cliente.get(reverse("transparencia:datapackage"))
        assert resposta.status_code == 429 and resposta["Content-Type"] == "text/plain; charset=utf-8"
        assert "Muitos pedidos" in resposta.content.decode() and resposta["Retry-After"] == "30"
        assert cliente.get(reverse("transparencia:busca")).status_code == 200  # páginas: outro contador


@override_settings(SIGCON_TRANSPARENCIA_LIMITES=LIMITES)
def test_o_contador_fica_no_cache_compartilhado(publico):
    cliente, url = Client(REMOTE_ADDR="203.0.113.10"), reverse("transparencia:busca")
    with time_machine.travel("2026-12-07 12:00:00 -03:00", tick=False):
        for _ in range(4):
            cliente.get(url)
        janela = int(__import__("time").time() // 60)
        chave = f"transparencia:pedidos:paginas:203.0.113.10:{janela}"
        # No cache padrão (Redis em produção, a tabela do banco nos testes sem REDIS_URL), visível a todo processo.
        assert cache.get(chave) == 4
        assert Client(REMOTE_ADDR="203.0.113.10").get(url).status_code == 429  # outro "processo", o mesmo contador
        cache.delete(chave)
        assert Client(REMOTE_ADDR="203.0.113.10").get(url).status_code == 200


@override_settings(SIGCON_TRANSPARENCIA_LIMITES=LIMITES, SIGCON_PROXIES_REVERSOS=1)
def test_atras_do_proxy_conta_o_ip_do_cliente(publico):
    url = reverse("transparencia:busca")
    with time_machine.travel("2026-12-07 12:00:00 -03:00", tick=False):
        for _ in range(3):
            Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").get(url)
        assert Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1").get(url).status_code == 429
        assert Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2").get(url).status_code == 200


@override_settings(SIGCON_TRANSPARENCIA_LIMITES=LIMITES)
def test_cache_fora_do_ar_nao_derruba_a_pagina(publico):
    with mock.patch.object(protecao.cache, "add", side_effect=ConnectionError("redis fora")), \
         mock.patch.object(protecao.cache, "get", side_effect=ConnectionError("redis fora")), \
         mock.patch.object(protecao.cache, "set", side_effect=ConnectionError("redis fora")):
        respostas = [Client().get(reverse("transparencia:busca")).status_code for _ in range(5)]
    assert respostas == [200] * 5


def test_versao_dos_dados_ignora_login_e_notificacao_e_muda_com_a_auditoria(publico):
    from auditoria.services import registrar

    antes = protecao.versao_dos_dados()
    registrar(acao="conta.login", usuario=publico["ana"])
    registrar(acao="notificacao.lida", usuario=publico["ana"])
    assert protecao.versao_dos_dados() == antes
    registro = registrar(acao="indicacao.aprovar_segov", objeto=publico["do_mei"], usuario=publico["segov"])
    assert protecao.versao_dos_dados() == registro.pk > antes


def test_parametro_desconhecido_nao_cria_outra_entrada_no_cache(client, publico):
    url = reverse("transparencia:busca")
    primeira = client.get(url, {"situacao": "APROVADA"}).content
    with mock.patch("transparencia.selectors.indicacoes", side_effect=AssertionError("recalculou")):
        segunda = client.get(url, {"situacao": "APROVADA", "lixo": "x" * 50})
    assert segunda.status_code == 200 and primeira.count(b"/transparencia/indicacoes/") == \
        segunda.content.count(b"/transparencia/indicacoes/")
    assert b"lixo" not in segunda.content
