"""Registro de transferência especial no SIAFI-MG pelo HTTP, contra o servidor falso local: contrato, chave de
idempotência, novas tentativas, circuito; e o serviço de ponta a ponta (fora do ar → "não enviado" → reenvio)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from contas import perfis
from emendas import services as em
from emendas.models import TransferenciaEspecial
from integracoes import siafi
from integracoes.circuito import ABERTO, CIRCUITOS
from integracoes.errors import IntegracaoIndisponivel
from integracoes.models import ConsultaIntegracao
from integracoes.tipos import PedidoTransferenciaEspecial
from tests.conftest import criar_usuario, meio_dia
from tests.fabricas import transferencias_aprovadas

from .conftest import bruto, json_, lento, status

pytestmark = pytest.mark.django_db
IDENT = "0b7d5a4e-1111-4c2d-9a7e-2f0c3d4e5f60"


@pytest.fixture
def pedido(cnpj):
    return PedidoTransferenciaEspecial(
        identificador=IDENT, cnpj=cnpj, exercicio=2019, indicacao=12, numero_resolucao="RES 10/2019",
        data_publicacao=date(2019, 1, 25), dotacao="1491.2090.4.4.40.42", valor=Decimal("1234.50"),
    )


def ok(numero="2019TE000321", identificador=IDENT, status_http=201):
    return json_({"identificador": identificador, "registrado": True, "numero_registro": numero}, status=status_http)


def test_registro_envia_o_contrato_com_a_chave_e_o_token(servidor, pedido, cnpj):
    servidor.responder(ok())
    r = siafi.registrar_transferencia_especial(pedido)
    assert (r.registrado, r.numero_registro, r.identificador) == (True, "2019TE000321", IDENT)
    (envio,) = servidor.envios
    assert envio["caminho"] == "/siafi/transferencias-especiais" and envio["chave"] == IDENT
    assert envio["corpo"] == {
        "identificador": IDENT, "cnpj": cnpj, "exercicio": 2019, "indicacao": 12, "numero_resolucao": "RES 10/2019",
        "data_publicacao": "2019-01-25", "dotacao": "1491.2090.4.4.40.42", "valor": "1234.50",
    }
    assert servidor.pedidos[0]["autorizacao"] == "Bearer segredo-siafi"
    consulta = ConsultaIntegracao.objects.get()
    assert consulta.sucesso and consulta.cnpj == cnpj and consulta.resposta["numero_registro"] == "2019TE000321"


def test_200_tambem_vale_como_registro(servidor, pedido):
    servidor.responder(ok(status_http=200))
    assert siafi.registrar_transferencia_especial(pedido).registrado


def test_422_e_recusa_com_motivo_sem_nova_tentativa(servidor, pedido):
    servidor.responder(json_({"erro": "REGISTRO_RECUSADO", "motivo": "Dotação inexistente"}, status=422))
    r = siafi.registrar_transferencia_especial(pedido)
    assert (r.registrado, r.motivo) == (False, "Dotação inexistente")
    assert servidor.total == 1
    assert CIRCUITOS["SIAFI"].estado != ABERTO


def test_5xx_tenta_de_novo_com_a_mesma_chave(servidor, pedido):
    servidor.responder(status(500), status(503), ok())
    assert siafi.registrar_transferencia_especial(pedido).registrado
    assert [e["chave"] for e in servidor.envios] == [IDENT] * 3


@pytest.mark.parametrize("acao, trecho", [
    (ok(identificador="outro"), "identificador da resposta"),
    (json_({"identificador": IDENT, "registrado": False, "numero_registro": "X"}), "registrado"),
    (json_({"identificador": IDENT, "registrado": True, "numero_registro": "  "}), "numero_registro"),
    (json_({"identificador": IDENT, "registrado": True}), "numero_registro"),
    (json_({"erro": "OUTRO", "motivo": "x"}, status=422), "REGISTRO_RECUSADO"),
    (bruto("<html>oi</html>", tipo="text/html"), "não é JSON"),
    (status(404), "HTTP 404"),
])
def test_fora_do_contrato_e_indisponivel(servidor, pedido, acao, trecho):
    servidor.responder(acao)
    with pytest.raises(IntegracaoIndisponivel) as exc:
        siafi.registrar_transferencia_especial(pedido)
    assert trecho in exc.value.detalhe
    assert not ConsultaIntegracao.objects.get().sucesso


def test_tempo_esgotado_tenta_tres_vezes_e_desiste(servidor, pedido):
    servidor.responder(lento(1.0))
    with pytest.raises(IntegracaoIndisponivel, match="não respondeu"):
        siafi.registrar_transferencia_especial(pedido)
    assert servidor.total == 3


def test_circuito_aberto_nao_toca_na_rede(servidor, pedido, settings):
    settings.INTEGRACOES_CIRCUITO_FALHAS = 2
    settings.INTEGRACOES_TENTATIVAS = 1
    servidor.responder(status(500))
    for _ in range(2):
        with pytest.raises(IntegracaoIndisponivel):
            siafi.registrar_transferencia_especial(pedido)
    assert CIRCUITOS["SIAFI"].estado == ABERTO
    antes = servidor.total
    with pytest.raises(IntegracaoIndisponivel, match="várias falhas seguidas"):
        siafi.registrar_transferencia_especial(pedido)
    assert servidor.total == antes


# --- o serviço, de ponta a ponta, contra o servidor falso ---------------------------------------------------------

def _cenario(exercicio, parlamentar, segov, grupo_inv):
    analista = criar_usuario("analista@governo.test", perfis.ORGAO, "Gabriela Governo")
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        (ind,) = transferencias_aprovadas(exercicio=exercicio, parlamentar=parlamentar, segov=segov,
                                          analista=analista, grupo=grupo_inv)
        (te,) = em.cadastrar_transferencia_especial(usuario=analista, indicacoes=[ind], numero_resolucao="RES 7/2019",
                                                    data_publicacao=date(2019, 1, 25), dotacao="")
    return analista, te


def test_fora_do_ar_nao_enviado_e_o_reenvio_registra_com_a_mesma_chave(servidor, exercicio, parlamentar, segov,
                                                                       grupo_inv, programacoes):
    analista, te = _cenario(exercicio, parlamentar, segov, grupo_inv)
    servidor.responder(status(500))
    te = em.enviar_transferencia_ao_siafi(usuario=analista, transferencia=te)
    assert te.status == TransferenciaEspecial.Status.NAO_ENVIADO and "não respondeu" in te.erro_siafi
    chave = str(te.identificador)
    servidor.responder(ok(identificador=chave))
    te = em.enviar_transferencia_ao_siafi(usuario=analista, transferencia=te)
    assert te.status == TransferenciaEspecial.Status.REGISTRADO_SIAFI and te.numero_siafi == "2019TE000321"
    assert {e["chave"] for e in servidor.envios} == {chave} and len(servidor.envios) == 4  # 3 tentativas + 1


@pytest.mark.django_db(transaction=True)
def test_a_chamada_ao_siafi_acontece_fora_de_transacao(servidor, exercicio, parlamentar, segov, grupo_inv,
                                                       programacoes, monkeypatch):
    analista, te = _cenario(exercicio, parlamentar, segov, grupo_inv)
    vistas = []
    original = siafi.SiafiHttp.registrar_transferencia_especial

    def espiar(self, pedido):
        vistas.append(transaction.get_connection().in_atomic_block)
        # O pedido já foi gravado (e vale para outra conexão): quem olhar agora vê o envio em andamento.
        vistas.append(TransferenciaEspecial.objects.get(pk=te.pk).envio_iniciado_em is not None)
        return original(self, pedido)

    monkeypatch.setattr(siafi.SiafiHttp, "registrar_transferencia_especial", espiar)
    servidor.responder(ok(identificador=str(te.identificador)))
    te = em.enviar_transferencia_ao_siafi(usuario=analista, transferencia=te)
    assert vistas == [False, True]
    assert te.status == TransferenciaEspecial.Status.REGISTRADO_SIAFI and te.envio_iniciado_em is None
