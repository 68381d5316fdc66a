"""CAGEC — Cadastro Geral de Convenentes do Estado: o convenente está regular?

Uso: ``cagec.consultar(cnpj, usuario=request.user)`` → ``RespostaCagec``. Chame FORA de
``transaction.atomic`` (veja ``consultas.executar``). Falha remota de qualquer tipo levanta
``IntegracaoIndisponivel``; CNPJ inválido levanta ``ValidationError``. Toda chamada fica em
``ConsultaIntegracao``.

A implementação vem de ``settings.INTEGRACOES["CAGEC"]``: ``CagecSimulado`` (padrão, lê o
admin) ou ``CagecHttp`` (serviço real).

Contrato HTTP (``CagecHttp``)
-----------------------------
``GET {CAGEC_URL}/convenentes/{cnpj}`` (CNPJ só com os 14 dígitos), cabeçalho
``Authorization: Bearer {CAGEC_TOKEN}``. Respostas:

- 200, ``application/json``::

    {
      "cnpj": "12345678000195",            // opcional; se vier, tem de ser o consultado
      "situacao": "REGULAR",               // obrigatório: "REGULAR" ou "IRREGULAR"
      "pendencias": [                      // obrigatório (lista vazia se não houver)
        {"descricao": "CND do FGTS vencida", "validade": "2026-12-31"}   // validade: "AAAA-MM-DD" ou null
      ],
      "razao_social": "Prefeitura de ...", // opcional, texto
      "municipio": "Belo Horizonte",       // opcional, texto
      "tipo": "ADM_MUNICIPAL",             // opcional, texto (códigos de Convenente.Tipo)
      "representante_legal": {             // opcional, objeto ou null
        "nome": "...", "cpf": "12345678901", "cargo": "Prefeito",
        "email": "...", "fim_mandato": "2028-12-31"                        // AAAA-MM-DD ou null
      },
      "siafi": {"bloqueado": false, "motivo": ""}   // obrigatório "bloqueado" (bool); "motivo" opcional
    }

- 404, ``application/json``, com o corpo::

    {"erro": "CONVENENTE_NAO_CADASTRADO", "cnpj": "12345678000195"}   // os dois obrigatórios

  CNPJ não cadastrado no CAGEC → ``regular=False`` com a pendência "Convenente não cadastrado no
  CAGEC" (não é falha do sistema). Qualquer outro 404 (vazio, HTML, outro código ou CNPJ) é
  ``IntegracaoIndisponivel``.
- 5xx, tempo esgotado, conexão recusada/derrubada: novas tentativas, depois ``IntegracaoIndisponivel``.
- Outros 4xx, JSON malformado ou fora do contrato: ``IntegracaoIndisponivel`` sem nova tentativa.
"""

import re

from django.utils import timezone

from convenios.models import Convenente

from . import consultas
from .cliente_http import ClienteHttp, ContratoInvalido, exigir, ler_data
from .errors import IntegracaoIndisponivel
from .models import ServicoSimulado, SituacaoSimulada, ler_pendencias
from .tipos import CAMPOS_REPRESENTANTE, Pendencia, RespostaCagec

SISTEMA = "CAGEC"
NAO_CADASTRADO = "Convenente não cadastrado no CAGEC"


def consultar(cnpj: str, *, usuario=None) -> RespostaCagec:
    """Situação do convenente no CAGEC. Chame fora de ``transaction.atomic``."""
    return consultas.executar(sistema=SISTEMA, cnpj=cnpj, usuario=usuario)


class CagecSimulado:
    """Responde a partir de ``SituacaoSimulada`` (admin); sem linha, o CNPJ está regular."""

    def consultar(self, cnpj: str) -> RespostaCagec:
        if ServicoSimulado.esta_fora_do_ar(SISTEMA):
            raise IntegracaoIndisponivel(SISTEMA, detalhe="simulador marcado como fora do ar")
        situacao = SituacaoSimulada.objects.filter(cnpj=cnpj).first() or SituacaoSimulada(cnpj=cnpj)
        convenente = Convenente.objects.filter(cnpj=cnpj).first()
        return RespostaCagec(
            cnpj=cnpj,
            regular=situacao.cagec_regular,
            pendencias=ler_pendencias(situacao.pendencias),
            razao_social=convenente.razao_social if convenente else "",
            municipio=convenente.municipio if convenente else "",
            tipo=convenente.tipo if convenente else "",
            representante_legal=situacao.representante_legal(),
            siafi_bloqueado=situacao.siafi_bloqueado,
            siafi_motivo=situacao.siafi_motivo,
            consultado_em=timezone.now(),
        )


class CagecHttp(ClienteHttp):
    sistema = SISTEMA
    caminho = "convenentes"
    setting_url = "CAGEC_URL"
    setting_token = "CAGEC_TOKEN"
    codigo_nao_cadastrado = "CONVENENTE_NAO_CADASTRADO"

    def nao_encontrado(self, cnpj: str) -> RespostaCagec:
        return RespostaCagec(cnpj=cnpj, regular=False, pendencias=[Pendencia(NAO_CADASTRADO)])

    def interpretar(self, cnpj: str, dados: dict) -> RespostaCagec:
        if re.sub(r"\D", "", exigir(dados, "cnpj", str, opcional=True, padrao=cnpj)) != cnpj:
            raise ContratoInvalido("o CNPJ da resposta não é o consultado")
        situacao = exigir(dados, "situacao", str)
        if situacao not in ("REGULAR", "IRREGULAR"):
            raise ContratoInvalido(f"situação desconhecida “{situacao}”")
        pendencias = []
        for item in exigir(dados, "pendencias", list):
            if not isinstance(item, dict):
                raise ContratoInvalido("pendência não é um objeto")
            pendencias.append(Pendencia(exigir(item, "descricao", str), ler_data(item, "validade")))
        representante = exigir(dados, "representante_legal", dict, opcional=True)
        if representante is not None:
            representante = {
                campo: ler_data(representante, campo) if campo == "fim_mandato"
                else exigir(representante, campo, str, opcional=True, padrao="")
                for campo in CAMPOS_REPRESENTANTE
            }
        siafi = exigir(dados, "siafi", dict)
        return RespostaCagec(
            cnpj=cnpj,
            regular=situacao == "REGULAR",
            pendencias=pendencias,
            razao_social=exigir(dados, "razao_social", str, opcional=True, padrao=""),
            municipio=exigir(dados, "municipio", str, opcional=True, padrao=""),
            tipo=exigir(dados, "tipo", str, opcional=True, padrao=""),
            representante_legal=representante,
            siafi_bloqueado=exigir(siafi, "bloqueado", bool),
            siafi_motivo=exigir(siafi, "motivo", str, opcional=True, padrao=""),
            consultado_em=timezone.now(),
        )
