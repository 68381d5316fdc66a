"""Execução e registro das consultas ao CAGEC e ao SIAFI-MG, e leitura do histórico."""

import logging
import re
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from convenios.cnpj import normalizar_cnpj
from disponibilidade.services import registrar_queda, registrar_retorno

from .errors import IntegracaoIndisponivel
from .models import ConsultaIntegracao

logger = logging.getLogger("integracoes")

PADROES = {"CAGEC": "integracoes.cagec.CagecSimulado", "SIAFI": "integracoes.siafi.SiafiSimulado"}


def implementacao(sistema: str):
    """Instância da classe escolhida em ``settings.INTEGRACOES[sistema]`` (caminho pontuado)."""
    caminho = getattr(settings, "INTEGRACOES", {}).get(sistema) or PADROES[sistema]
    return import_string(caminho)()


def executar(*, sistema: str, cnpj: str, usuario=None):
    return executar_operacao(sistema=sistema, cnpj=cnpj, usuario=usuario,
                             chamar=lambda servico, cnpj: servico.consultar(cnpj))


def executar_operacao(*, sistema: str, cnpj: str, usuario=None, chamar):
    """Normaliza o CNPJ, chama ``chamar(servico, cnpj)`` (a consulta, ou o registro de uma transferência especial) e
    grava ``ConsultaIntegracao`` — com sucesso ou não.

    Chame FORA de ``transaction.atomic``: a chamada de rede não deve segurar transação
    aberta (travas e conexão presas por até ~20 s), e o registro da consulta precisa
    sobreviver mesmo que o chamador desfaça a transação dele depois. Dentro de um bloco
    atômico a consulta funciona, mas o registro some junto com um rollback do chamador.
    """
    cnpj = normalizar_cnpj(cnpj)  # CNPJ inválido: ValidationError, nada consultado nem registrado
    if transaction.get_connection().in_atomic_block:
        logger.warning(
            "Consulta ao %s (CNPJ %s) dentro de transaction.atomic: o registro some se a transação "
            "for desfeita e a chamada de rede segura a transação aberta. Consulte antes do atomic.",
            sistema, cnpj,
        )
    servico = implementacao(sistema)
    usuario = usuario if getattr(usuario, "pk", None) else None  # AnonymousUser e afins: sem usuário
    momento = timezone.now()
    inicio = time.monotonic()
    try:
        resposta = chamar(servico, cnpj)
    except Exception as erro:
        texto = erro.para_registro() if isinstance(erro, IntegracaoIndisponivel) else f"{type(erro).__name__}: {erro}"
        _registrar(sistema, cnpj, momento, usuario, inicio, sucesso=False, erro=texto)
        if isinstance(erro, IntegracaoIndisponivel):  # o sistema não respondeu: uma queda observada
            registrar_queda(sistema=sistema, detalhe=texto, agora=momento)
        raise
    _registrar(sistema, cnpj, momento, usuario, inicio, sucesso=True, resposta=resposta.como_dict())
    registrar_retorno(sistema=sistema)
    return resposta


def _registrar(sistema, cnpj, momento, usuario, inicio, **campos) -> ConsultaIntegracao:
    return ConsultaIntegracao.objects.create(
        sistema=sistema, cnpj=cnpj, momento=momento, usuario=usuario,
        latencia_ms=round((time.monotonic() - inicio) * 1000), **campos,
    )


def ultimas(cnpj: str, limite: int = 5) -> list[ConsultaIntegracao]:
    """As consultas mais recentes (CAGEC e SIAFI-MG) de um CNPJ, da mais nova para a mais antiga.

    Aceita CNPJ com ou sem máscara; não valida, porque serve só para exibir o histórico.
    """
    numeros = re.sub(r"\D", "", cnpj or "")
    return list(
        ConsultaIntegracao.objects.filter(cnpj=numeros).select_related("usuario").order_by("-momento", "-pk")[:limite]
    )
