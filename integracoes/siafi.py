"""SIAFI-MG — sistema de finanças do Estado: este CNPJ está bloqueado para pagamentos?

Uso: ``siafi.consultar(cnpj, usuario=request.user)`` → ``RespostaSiafi``. Chame FORA de
``transaction.atomic`` (veja ``consultas.executar``). Falha remota de qualquer tipo levanta
``IntegracaoIndisponivel``; CNPJ inválido levanta ``ValidationError``. Toda chamada fica em
``ConsultaIntegracao``.

A implementação vem de ``settings.INTEGRACOES["SIAFI"]``: ``SiafiSimulado`` (padrão, lê o
admin) ou ``SiafiHttp`` (serviço real).

Contrato HTTP (``SiafiHttp``)
-----------------------------
``GET {SIAFI_URL}/credores/{cnpj}`` (CNPJ só com os 14 dígitos), cabeçalho
``Authorization: Bearer {SIAFI_TOKEN}``. Respostas:

- 200, ``application/json``::

    {
      "cnpj": "12345678000195",       // opcional; se vier, tem de ser o consultado
      "bloqueado": true,              // obrigatório, bool
      "motivo": "Inadimplência ..."   // opcional, texto
    }

- 404, ``application/json``, com o corpo::

    {"erro": "CREDOR_NAO_CADASTRADO", "cnpj": "12345678000195"}   // os dois obrigatórios

  credor desconhecido no SIAFI-MG → ``bloqueado=False`` (nada o impede). Qualquer outro 404 (vazio,
  HTML de um proxy, outro código, outro CNPJ) é ``IntegracaoIndisponivel``: a consulta falha fechada,
  porque tomar um 404 qualquer por "sem bloqueio" deixaria passar a liberação de um credor bloqueado.
- 200 sem ``bloqueado`` booleano, ou com outro tipo em qualquer campo: ``IntegracaoIndisponivel``.
- 5xx, tempo esgotado, conexão recusada/derrubada: novas tentativas, depois ``IntegracaoIndisponivel``.
- Outros 4xx, JSON malformado ou fora do contrato: ``IntegracaoIndisponivel`` sem nova tentativa.

Registro de transferência especial (``registrar_transferencia_especial``)
------------------------------------------------------------------------
``POST {SIAFI_URL}/transferencias-especiais`` com o JSON de ``PedidoTransferenciaEspecial.como_dict()``
(``valor`` em texto com 2 casas, ``data_publicacao`` AAAA-MM-DD) e os cabeçalhos ``Authorization`` e
``Idempotency-Key: {identificador}``. O SIAFI-MG guarda a chave: um reenvio da mesma transferência (depois de um
tempo esgotado cuja resposta se perdeu) devolve o registro já feito, com o mesmo número — por isso as novas
tentativas de 5xx/tempo esgotado são seguras aqui também. Respostas:

- 200 ou 201, JSON ``{"identificador": "<o enviado>", "registrado": true, "numero_registro": "2026TE000123"}``
  (os três obrigatórios; outro identificador é ``IntegracaoIndisponivel``);
- 422, JSON ``{"erro": "REGISTRO_RECUSADO", "motivo": "Dotação inexistente"}``: o SIAFI-MG respondeu e recusou
  (``registrado=False`` com o motivo; sem nova tentativa);
- o resto, como na consulta: ``IntegracaoIndisponivel`` (e conta no circuito do SIAFI).
"""

import re

from django.utils import timezone

from . import consultas
from .cliente_http import ClienteHttp, ContratoInvalido, exigir
from .errors import IntegracaoIndisponivel
from .models import ServicoSimulado, SituacaoSimulada
from .tipos import PedidoTransferenciaEspecial, RespostaRegistroTransferencia, RespostaSiafi

SISTEMA = "SIAFI"
RECUSADO = "REGISTRO_RECUSADO"


def consultar(cnpj: str, *, usuario=None) -> RespostaSiafi:
    """Bloqueio do CNPJ no SIAFI-MG. Chame fora de ``transaction.atomic``."""
    return consultas.executar(sistema=SISTEMA, cnpj=cnpj, usuario=usuario)


def registrar_transferencia_especial(pedido: PedidoTransferenciaEspecial, *, usuario=None
                                     ) -> RespostaRegistroTransferencia:
    """Registra a transferência no SIAFI-MG (idempotente pelo ``identificador``). Chame fora de
    ``transaction.atomic``; a chamada fica em ``ConsultaIntegracao``, com sucesso ou não."""
    return consultas.executar_operacao(
        sistema=SISTEMA, cnpj=pedido.cnpj, usuario=usuario,
        chamar=lambda servico, _cnpj: servico.registrar_transferencia_especial(pedido),
    )


class SiafiSimulado:
    """Responde a partir de ``SituacaoSimulada`` (admin); sem linha, o CNPJ não está bloqueado."""

    def consultar(self, cnpj: str) -> RespostaSiafi:
        if ServicoSimulado.esta_fora_do_ar(SISTEMA):
            raise IntegracaoIndisponivel(SISTEMA, detalhe="simulador marcado como fora do ar")
        situacao = SituacaoSimulada.objects.filter(cnpj=cnpj).first() or SituacaoSimulada(cnpj=cnpj)
        return RespostaSiafi(
            cnpj=cnpj, bloqueado=situacao.siafi_bloqueado, motivo=situacao.siafi_motivo, consultado_em=timezone.now()
        )

    def registrar_transferencia_especial(self, pedido: PedidoTransferenciaEspecial) -> RespostaRegistroTransferencia:
        """Registra sempre, salvo o município bloqueado no SIAFI simulado (recusa com o motivo do bloqueio); o
        número sai do identificador, então o reenvio devolve o mesmo registro, como o SIAFI de verdade."""
        if ServicoSimulado.esta_fora_do_ar(SISTEMA):
            raise IntegracaoIndisponivel(SISTEMA, detalhe="simulador marcado como fora do ar")
        situacao = SituacaoSimulada.objects.filter(cnpj=pedido.cnpj).first()
        if situacao is not None and situacao.siafi_bloqueado:
            return RespostaRegistroTransferencia(
                identificador=pedido.identificador, registrado=False,
                motivo=f"Credor bloqueado no SIAFI-MG: {situacao.siafi_motivo or 'sem motivo informado'}",
            )
        numero = f"{pedido.exercicio}TE{int(pedido.identificador.replace('-', '')[:8], 16) % 1000000:06d}"
        return RespostaRegistroTransferencia(identificador=pedido.identificador, registrado=True,
                                             numero_registro=numero)


class SiafiHttp(ClienteHttp):
    sistema = SISTEMA
    caminho = "credores"
    setting_url = "SIAFI_URL"
    setting_token = "SIAFI_TOKEN"
    codigo_nao_cadastrado = "CREDOR_NAO_CADASTRADO"

    def nao_encontrado(self, cnpj: str) -> RespostaSiafi:
        return RespostaSiafi(cnpj=cnpj, bloqueado=False)

    def interpretar(self, cnpj: str, dados: dict) -> RespostaSiafi:
        if re.sub(r"\D", "", exigir(dados, "cnpj", str, opcional=True, padrao=cnpj)) != cnpj:
            raise ContratoInvalido("o CNPJ da resposta não é o consultado")
        return RespostaSiafi(
            cnpj=cnpj,
            bloqueado=exigir(dados, "bloqueado", bool),
            motivo=exigir(dados, "motivo", str, opcional=True, padrao=""),
            consultado_em=timezone.now(),
        )

    def registrar_transferencia_especial(self, pedido: PedidoTransferenciaEspecial) -> RespostaRegistroTransferencia:
        def interpretar(codigo: int, dados: dict) -> RespostaRegistroTransferencia:
            if codigo == 422:
                if exigir(dados, "erro", str) != RECUSADO:
                    raise ContratoInvalido(f"422 sem o código “{RECUSADO}”")
                return RespostaRegistroTransferencia(identificador=pedido.identificador, registrado=False,
                                                     motivo=exigir(dados, "motivo", str) or "sem motivo informado")
            if exigir(dados, "identificador", str) != pedido.identificador:
                raise ContratoInvalido("o identificador da resposta não é o enviado")
            if exigir(dados, "registrado", bool) is not True:
                raise ContratoInvalido("resposta de sucesso sem “registrado”: true")
            numero = exigir(dados, "numero_registro", str).strip()
            if not numero:
                raise ContratoInvalido("campo “numero_registro” vazio")
            return RespostaRegistroTransferencia(identificador=pedido.identificador, registrado=True,
                                                 numero_registro=numero[:40])

        return self.enviar("transferencias-especiais", pedido.como_dict(), chave=pedido.identificador,
                           aceitos=(200, 201, 422), interpretar=interpretar)
