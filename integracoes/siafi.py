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
"""

import re

from django.utils import timezone

from . import consultas
from .cliente_http import ClienteHttp, ContratoInvalido, exigir
from .errors import IntegracaoIndisponivel
from .models import ServicoSimulado, SituacaoSimulada
from .tipos import RespostaSiafi

SISTEMA = "SIAFI"


def consultar(cnpj: str, *, usuario=None) -> RespostaSiafi:
    """Bloqueio do CNPJ no SIAFI-MG. Chame fora de ``transaction.atomic``."""
    return consultas.executar(sistema=SISTEMA, cnpj=cnpj, usuario=usuario)


class SiafiSimulado:
    """Responde a partir de ``SituacaoSimulada`` (admin); sem linha, o CNPJ não está bloqueado."""

    def consultar(self, cnpj: str) -> RespostaSiafi:
        if ServicoSimulado.esta_fora_do_ar(SISTEMA):
            raise IntegracaoIndisponivel(SISTEMA, detalhe="simulador marcado como fora do ar")
        situacao = SituacaoSimulada.objects.filter(cnpj=cnpj).first() or SituacaoSimulada(cnpj=cnpj)
        return RespostaSiafi(
            cnpj=cnpj, bloqueado=situacao.siafi_bloqueado, motivo=situacao.siafi_motivo, consultado_em=timezone.now()
        )


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
