"""Clientes HTTP contra um servidor falso de verdade: contrato, tempo limite, novas tentativas, circuito."""

import threading
import time
from datetime import date

import pytest

from integracoes import cagec, siafi
from integracoes.cagec import NAO_CADASTRADO
from integracoes.circuito import ABERTO, CIRCUITOS, FECHADO, MEIO_ABERTO, Circuito
from integracoes.errors import IntegracaoIndisponivel
from integracoes.models import ConsultaIntegracao
from integracoes.tipos import Pendencia

from .conftest import bruto, derrubar, json_, lento, status

pytestmark = pytest.mark.django_db


def resposta_cagec(cnpj, **extra):
    return {
        "cnpj": cnpj,
        "situacao": "IRREGULAR",
        "pendencias": [
            {"descricao": "Certidão do FGTS vencida", "validade": "2026-12-31"},
            {"descricao": "Prestação de contas em atraso", "validade": None},
        ],
        "razao_social": "Prefeitura de Sabará",
        "municipio": "Sabará",
        "tipo": "ADM_MUNICIPAL",
        "representante_legal": {
            "nome": "João Prefeito", "cpf": "12345678909", "cargo": "Prefeito",
            "email": "joao@sabara.test", "fim_mandato": "2028-12-31",
        },
        "siafi": {"bloqueado": True, "motivo": "Inadimplência"},
        **extra,
    }


def test_cagec_resposta_normal_vira_dataclass_e_leva_o_token(servidor, cnpj, segov):
    servidor.responder(json_(resposta_cagec(cnpj)))
    r = cagec.consultar(cnpj, usuario=segov)
    assert (r.cnpj, r.regular, r.situacao) == (cnpj, False, "IRREGULAR")
    assert r.pendencias == [
        Pendencia("Certidão do FGTS vencida", date(2026, 12, 31)), Pendencia("Prestação de contas em atraso", None),
    ]
    assert (r.razao_social, r.municipio, r.tipo) == ("Prefeitura de Sabará", "Sabará", "ADM_MUNICIPAL")
    assert r.representante_legal == {
        "nome": "João Prefeito", "cpf": "12345678909", "cargo": "Prefeito",
        "email": "joao@sabara.test", "fim_mandato": date(2028, 12, 31),
    }
    assert (r.siafi_bloqueado, r.siafi_motivo) == (True, "Inadimplência")
    assert servidor.pedidos == [{"caminho": f"/cagec/convenentes/{cnpj}", "autorizacao": "Bearer segredo-cagec"}]
    c = ConsultaIntegracao.objects.get()
    assert c.sucesso and c.usuario == segov and c.resposta == r.como_dict()


def test_cagec_campos_opcionais_podem_faltar(servidor, cnpj):
    servidor.responder(json_({"situacao": "REGULAR", "pendencias": [], "siafi": {"bloqueado": False}}))
    r = cagec.consultar(cnpj)
    assert (r.regular, r.razao_social, r.representante_legal, r.siafi_motivo) == (True, "", None, "")


def test_siafi_resposta_normal_e_token(servidor, cnpj):
    servidor.responder(json_({"cnpj": cnpj, "bloqueado": True, "motivo": "Débito inscrito em dívida ativa"}))
    r = siafi.consultar(cnpj)
    assert (r.cnpj, r.bloqueado, r.motivo) == (cnpj, True, "Débito inscrito em dívida ativa")
    assert servidor.pedidos == [{"caminho": f"/siafi/credores/{cnpj}", "autorizacao": "Bearer segredo-siafi"}]


def test_404_cagec_e_nao_cadastrado_e_siafi_e_desbloqueado(servidor, cnpj):
    servidor.responder(
        json_({"erro": "CONVENENTE_NAO_CADASTRADO", "cnpj": cnpj}, status=404),
        json_({"erro": "CREDOR_NAO_CADASTRADO", "cnpj": cnpj}, status=404),
    )
    r = cagec.consultar(cnpj)
    assert r.regular is False and r.pendencias == [Pendencia(NAO_CADASTRADO)]
    assert siafi.consultar(cnpj).bloqueado is False
    assert servidor.total == 2  # 404 é resposta, não falha: nada de nova tentativa
    assert CIRCUITOS["CAGEC"].estado == FECHADO
    assert ConsultaIntegracao.objects.filter(sucesso=True).count() == 2


def test_500_e_depois_200_da_certo_na_nova_tentativa(servidor, cnpj):
    servidor.responder(status(500), status(503), json_({"bloqueado": False}))
    assert siafi.consultar(cnpj).bloqueado is False
    assert servidor.total == 3
    assert ConsultaIntegracao.objects.get().sucesso


def test_sempre_500_esgota_as_3_tentativas(servidor, cnpj):
    servidor.responder(status(500))
    with pytest.raises(IntegracaoIndisponivel) as exc:
        cagec.consultar(cnpj)
    assert exc.value.sistema == "CAGEC"
    assert servidor.total == 3
    c = ConsultaIntegracao.objects.get()
    assert not c.sucesso and c.resposta is None and "3 tentativa(s)" in c.erro and "HTTP 500" in c.erro


def test_resposta_lenta_estoura_o_tempo_de_leitura_3_vezes(servidor, cnpj):
    servidor.responder(lento(0.6, {"bloqueado": False}))
    inicio = time.monotonic()
    with pytest.raises(IntegracaoIndisponivel) as exc:
        siafi.consultar(cnpj)
    assert exc.value.sistema == "SIAFI"
    assert servidor.total == 3
    assert time.monotonic() - inicio < 1.5  # 3 × 0,2 s de leitura + esperas mínimas, não 3 × 0,6 s
    c = ConsultaIntegracao.objects.get()
    assert "ReadTimeout" in c.erro and c.latencia_ms >= 600


def test_conexao_derrubada_sem_resposta(servidor, cnpj):
    servidor.responder(derrubar())
    with pytest.raises(IntegracaoIndisponivel):
        cagec.consultar(cnpj)
    assert servidor.total == 3
    assert "RemoteProtocolError" in ConsultaIntegracao.objects.get().erro


def test_conexao_derrubada_uma_vez_se_recupera(servidor, cnpj):
    servidor.responder(derrubar(), json_({"bloqueado": True, "motivo": "x"}))
    assert siafi.consultar(cnpj).bloqueado is True
    assert servidor.total == 2


def test_conexao_recusada(servidor, cnpj, settings, porta_fechada):
    settings.SIAFI_URL = f"http://127.0.0.1:{porta_fechada}"
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)
    assert "ConnectError" in ConsultaIntegracao.objects.get().erro


@pytest.mark.parametrize("acao", [
    bruto("{isto não é json"),
    bruto("[1, 2, 3]"),
    json_({"pendencias": [], "siafi": {"bloqueado": False}}),  # falta situacao
    json_({"situacao": "TALVEZ", "pendencias": [], "siafi": {"bloqueado": False}}),
    json_({"situacao": "REGULAR", "pendencias": [{"descricao": "x", "validade": "31/12/2026"}],
           "siafi": {"bloqueado": False}}),
    json_({"situacao": "REGULAR", "pendencias": [], "siafi": {"bloqueado": "não"}}),
    json_({"situacao": "REGULAR", "pendencias": []}),  # falta siafi
    json_({"cnpj": "11222333000181", "situacao": "REGULAR", "pendencias": [], "siafi": {"bloqueado": False}}),
], ids=["nao-json", "nao-objeto", "sem-situacao", "situacao-estranha", "data-errada", "bool-texto", "sem-siafi",
        "outro-cnpj"])
def test_json_malformado_ou_fora_do_contrato_falha_sem_nova_tentativa(servidor, cnpj, acao):
    servidor.responder(acao)
    with pytest.raises(IntegracaoIndisponivel):
        cagec.consultar(cnpj)
    assert servidor.total == 1  # o sistema respondeu; repetir não mudaria nada
    assert not ConsultaIntegracao.objects.get().sucesso


def test_siafi_sem_campo_bloqueado(servidor, cnpj):
    servidor.responder(json_({"motivo": "?"}))
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)
    assert servidor.total == 1


def test_401_nao_repete_e_avisa_que_falta_autorizacao(servidor, cnpj):
    servidor.responder(status(401))
    with pytest.raises(IntegracaoIndisponivel) as exc:
        cagec.consultar(cnpj)
    assert servidor.total == 1
    assert "não está autorizado" in str(exc.value)


def test_url_nao_configurada_e_indisponivel(servidor, cnpj, settings):
    settings.CAGEC_URL = ""
    with pytest.raises(IntegracaoIndisponivel):
        cagec.consultar(cnpj)
    assert servidor.total == 0
    assert "CAGEC_URL" in ConsultaIntegracao.objects.get().erro


def test_circuito_abre_falha_na_hora_e_fecha_depois_da_pausa(servidor, cnpj, settings):
    settings.INTEGRACOES_CIRCUITO_FALHAS = 2
    settings.INTEGRACOES_CIRCUITO_SEGUNDOS = 0.3
    servidor.responder(status(500))
    for _ in range(2):
        with pytest.raises(IntegracaoIndisponivel):
            cagec.consultar(cnpj)
    assert servidor.total == 6
    assert CIRCUITOS["CAGEC"].estado == ABERTO
    assert CIRCUITOS["SIAFI"].estado == FECHADO  # um circuito por sistema

    inicio = time.monotonic()
    for _ in range(3):
        with pytest.raises(IntegracaoIndisponivel) as exc:
            cagec.consultar(cnpj)
    assert time.monotonic() - inicio < 0.2
    assert servidor.total == 6  # nenhum pedido chegou ao servidor
    assert "várias falhas seguidas" in str(exc.value)
    assert "circuito aberto" in ConsultaIntegracao.objects.order_by("-pk").first().erro

    time.sleep(0.35)
    assert CIRCUITOS["CAGEC"].estado == MEIO_ABERTO
    servidor.responder(json_({"situacao": "REGULAR", "pendencias": [], "siafi": {"bloqueado": False}}))
    assert cagec.consultar(cnpj).regular
    assert CIRCUITOS["CAGEC"].estado == FECHADO
    cagec.consultar(cnpj)
    assert servidor.total == 8


def test_circuito_meio_aberto_reabre_se_o_teste_falhar(servidor, cnpj, settings):
    settings.INTEGRACOES_CIRCUITO_FALHAS = 1
    settings.INTEGRACOES_CIRCUITO_SEGUNDOS = 0.2
    servidor.responder(status(500))
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)
    time.sleep(0.25)
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)  # a consulta de teste vai à rede e falha
    assert servidor.total == 6
    assert CIRCUITOS["SIAFI"].estado == ABERTO
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)
    assert servidor.total == 6


def test_circuito_sucesso_zera_a_contagem(servidor, cnpj, settings):
    settings.INTEGRACOES_CIRCUITO_FALHAS = 2
    servidor.responder(status(500), status(500), status(500), json_({"bloqueado": False}), status(500))
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)
    assert siafi.consultar(cnpj).bloqueado is False  # 1 pedido
    with pytest.raises(IntegracaoIndisponivel):
        siafi.consultar(cnpj)
    assert CIRCUITOS["SIAFI"].estado == FECHADO  # falhas não consecutivas


def test_circuito_meio_aberto_deixa_passar_uma_consulta_por_vez(settings):
    settings.INTEGRACOES_CIRCUITO_FALHAS = 1
    settings.INTEGRACOES_CIRCUITO_SEGUNDOS = 0.05
    circuito = Circuito("CAGEC")
    circuito.registrar_falha()
    with pytest.raises(IntegracaoIndisponivel):
        circuito.permitir()
    time.sleep(0.06)
    liberadas = []

    def tentar():
        try:
            circuito.permitir()
            liberadas.append(1)
        except IntegracaoIndisponivel:
            pass

    threads = [threading.Thread(target=tentar) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert liberadas == [1]  # só a consulta de teste; as outras falham na hora
    circuito.liberar()  # o teste terminou sem veredito (erro nosso): a próxima pode testar
    circuito.permitir()
    circuito.registrar_sucesso()
    assert circuito.estado == FECHADO
