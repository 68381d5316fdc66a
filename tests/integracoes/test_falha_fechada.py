"""Falha fechada: só a resposta do contrato vale; um 404 qualquer nunca quer dizer "sem bloqueio"."""

import pytest

from integracoes import cagec, siafi
from integracoes.errors import IntegracaoIndisponivel
from integracoes.models import ConsultaIntegracao

from .conftest import bruto, json_

pytestmark = pytest.mark.django_db

PAGINA_HTML = "<html><body><h1>404 Not Found</h1><hr>nginx</body></html>"


def _respostas_fora_do_contrato(cnpj, codigo_certo):
    return {
        "404-vazio": bruto("", status=404, tipo=None),
        "404-vazio-json": bruto("", status=404),
        "404-html-de-proxy": bruto(PAGINA_HTML, status=404, tipo="text/html"),
        "404-json-generico": json_({"erro": "not found"}, status=404),
        "404-json-sem-cnpj": json_({"erro": codigo_certo}, status=404),
        "404-json-de-outro-cnpj": json_({"erro": codigo_certo, "cnpj": "11222333000181"}, status=404),
        "404-codigo-do-outro-sistema": json_(
            {"erro": "CONVENENTE_NAO_CADASTRADO" if codigo_certo != "CONVENENTE_NAO_CADASTRADO"
             else "CREDOR_NAO_CADASTRADO", "cnpj": cnpj}, status=404),
        "404-contrato-em-text-html": bruto(f'{{"erro": "{codigo_certo}", "cnpj": "{cnpj}"}}', 404, "text/html"),
        "200-html": bruto(PAGINA_HTML, tipo="text/html"),
        "200-vazio": bruto(""),
    }


CASOS = [
    "404-vazio", "404-vazio-json", "404-html-de-proxy", "404-json-generico", "404-json-sem-cnpj",
    "404-json-de-outro-cnpj", "404-codigo-do-outro-sistema", "404-contrato-em-text-html", "200-html", "200-vazio",
]


@pytest.mark.parametrize("caso", CASOS)
def test_siafi_resposta_fora_do_contrato_e_indisponivel_e_nao_desbloqueio(servidor, cnpj, caso):
    servidor.responder(_respostas_fora_do_contrato(cnpj, "CREDOR_NAO_CADASTRADO")[caso])
    with pytest.raises(IntegracaoIndisponivel) as exc:
        siafi.consultar(cnpj)
    assert exc.value.sistema == "SIAFI"
    assert servidor.total == 1  # o servidor respondeu: repetir não mudaria nada
    consulta = ConsultaIntegracao.objects.get()
    assert not consulta.sucesso and consulta.resposta is None


@pytest.mark.parametrize("caso", CASOS)
def test_cagec_resposta_fora_do_contrato_e_indisponivel_e_nao_irregular(servidor, cnpj, caso):
    servidor.responder(_respostas_fora_do_contrato(cnpj, "CONVENENTE_NAO_CADASTRADO")[caso])
    with pytest.raises(IntegracaoIndisponivel):
        cagec.consultar(cnpj)
    assert not ConsultaIntegracao.objects.get().sucesso


@pytest.mark.parametrize("corpo", [
    {"cnpj": "{cnpj}", "bloqueado": "false"},
    {"cnpj": "{cnpj}", "bloqueado": 0},
    {"cnpj": "{cnpj}", "bloqueado": None},
    {"cnpj": "{cnpj}", "bloqueado": False, "motivo": 123},
    {"cnpj": 12345678000195, "bloqueado": False},
    {"situacao": "REGULAR"},
], ids=["bool-texto", "bool-numero", "bool-nulo", "motivo-numero", "cnpj-numero", "sem-bloqueado"])
def test_siafi_200_com_tipos_errados_e_indisponivel(servidor, cnpj, corpo):
    corpo = {k: (v.format(cnpj=cnpj) if isinstance(v, str) else v) for k, v in corpo.items()}
    servidor.responder(json_(corpo))
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)


def test_siafi_200_com_content_type_json_e_charset_vale(servidor, cnpj):
    servidor.responder(bruto(f'{{"cnpj": "{cnpj}", "bloqueado": false}}', tipo="application/json; charset=utf-8"))
    assert siafi.consultar(cnpj).bloqueado is False


def test_siafi_404_vazio_recusa_a_liberacao_em_vez_de_deixar_passar(servidor, cnpj):
    # O caso medido: proxy devolve 404 vazio para um host desconhecido. Antes era lido como "sem bloqueio".
    servidor.responder(bruto("", status=404, tipo=None))
    with pytest.raises(IntegracaoIndisponivel) as exc:
        siafi.consultar(cnpj)
    assert "SIAFI-MG" in str(exc.value)
    assert "HTTP 404" in ConsultaIntegracao.objects.get().erro
