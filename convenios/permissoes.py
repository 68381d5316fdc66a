"""Quem age numa proposta: as perguntas de permissão, uma vez só, usadas pelos serviços e pelas telas.

``acoes_na_proposta`` diz que ações o usuário pode pedir agora na proposta (a tela mostra os botões por ela); os
serviços conferem com os mesmos predicados (``exigir_passo``, ``e_parte``, ``pode_cancelar``…), dentro da
transação, porque a proposta pode ter mudado entre a tela e o envio.
"""

from django.core.exceptions import PermissionDenied

from contas import perfis

from .maquina import MAQUINA, Status
from .models import PropostaPlanoTrabalho as Proposta

CONVENENTE, CONCEDENTE, SEGOV = "convenente", "concedente", "segov"

# Quem dá cada passo da tabela de transições (situação de chegada → parte que age).
QUEM_DA_O_PASSO = {
    Status.ENVIADA: CONVENENTE,
    Status.ASSINADA: CONVENENTE,
    Status.EM_ANALISE: CONCEDENTE,
    Status.APROVADA: CONCEDENTE,
    Status.DEVOLVIDA: CONCEDENTE,
    Status.PLANO_AUTORIZADO: SEGOV,
    Status.EM_PUBLICACAO: CONCEDENTE,
    Status.VIGENTE: CONCEDENTE,
}
RECUSA = {
    CONVENENTE: "Somente os usuários do convenente agem nesta proposta.",
    CONCEDENTE: "Somente o analista do órgão concedente age nesta proposta.",
    SEGOV: "Somente a SEGOV autoriza o plano de trabalho.",
}


def e_usuario_do_convenente(usuario, convenente) -> bool:
    return perfis.tem_perfil(usuario, perfis.CONVENENTE) and convenente.usuarios.filter(pk=usuario.pk).exists()


def e_concedente(usuario, proposta) -> bool:
    """Analista do órgão (UO) concedente da proposta."""
    return perfis.e_analista_da_uo(usuario, proposta.concedente_id)


class _Partes:
    """As perguntas sobre o usuário numa proposta, cada uma feita ao banco no máximo uma vez."""

    def __init__(self, usuario, proposta):
        self.usuario, self.proposta, self._respostas = usuario, proposta, {}

    def _uma_vez(self, chave, pergunta):
        if chave not in self._respostas:
            self._respostas[chave] = pergunta()
        return self._respostas[chave]

    @property
    def convenente(self) -> bool:
        return self._uma_vez(CONVENENTE, lambda: e_usuario_do_convenente(self.usuario, self.proposta.convenente))

    @property
    def concedente(self) -> bool:
        return self._uma_vez(CONCEDENTE, lambda: e_concedente(self.usuario, self.proposta))

    @property
    def segov(self) -> bool:
        return self._uma_vez("segov", lambda: perfis.e_segov(self.usuario))

    def e(self, parte: str) -> bool:
        return getattr(self, parte)


def exigir_convenente(usuario, convenente) -> None:
    if not e_usuario_do_convenente(usuario, convenente):
        raise PermissionDenied(RECUSA[CONVENENTE])


def exigir_concedente(usuario, proposta) -> None:
    if not e_concedente(usuario, proposta):
        raise PermissionDenied(RECUSA[CONCEDENTE])


def exigir_passo(usuario, proposta, novo: str) -> None:
    """Recusa (403) quem não é a parte que dá o passo até *novo*; a tabela de transições é conferida à parte."""
    parte = QUEM_DA_O_PASSO[novo]
    if not _Partes(usuario, proposta).e(parte):
        raise PermissionDenied(RECUSA[parte])


def _e_parte(partes: _Partes) -> bool:
    return partes.convenente or partes.concedente


def e_parte(usuario, proposta) -> bool:
    """Usuário do convenente ou analista do concedente: quem desvincula indicações."""
    return _e_parte(_Partes(usuario, proposta))


def _e_parte_ou_segov(partes: _Partes) -> bool:
    return _e_parte(partes) or partes.segov


def e_parte_ou_segov(usuario, proposta) -> bool:
    """As partes e a SEGOV: quem cancela (quando a situação deixa) e atualiza o convenente a partir do CAGEC."""
    return _e_parte_ou_segov(_Partes(usuario, proposta))


def _pode_desvincular(partes: _Partes) -> bool:
    return partes.proposta.status in Proposta.ANTES_DA_APROVACAO and _e_parte(partes)


def _pode_cancelar(partes: _Partes) -> bool:
    p = partes.proposta
    return (p.status in (*Proposta.ANTES_DA_APROVACAO, Status.APROVADA) and not p.liberacoes.exists()
            and _e_parte_ou_segov(partes))


def pode_desvincular(usuario, proposta) -> bool:
    """Convenente ou concedente, enquanto a proposta não foi aprovada (a tela mostra o botão por esta regra)."""
    return _pode_desvincular(_Partes(usuario, proposta))


def _pode_dar_iot(partes: _Partes) -> bool:
    # O impedimento é do analista do órgão (DOMAIN.md §7.8), até as assinaturas.
    return partes.proposta.status in Proposta.ACEITA_IOT and partes.concedente


def pode_dar_iot(usuario, proposta) -> bool:
    """Analista do concedente, até a assinatura do convenente (nunca em publicação nem vigente)."""
    return _pode_dar_iot(_Partes(usuario, proposta))


def pode_cancelar(usuario, proposta) -> bool:
    """Convenente, concedente ou SEGOV, até a aprovação, e nunca com liberações."""
    return _pode_cancelar(_Partes(usuario, proposta))


def acoes_na_proposta(usuario, proposta) -> frozenset[str]:
    """As ações que *usuario* pode pedir agora em *proposta* — os botões da tela.

    Os passos vêm da tabela de transições (``MAQUINA.seguintes``) filtrada por quem dá cada um
    (``QUEM_DA_O_PASSO``); os nomes são os verbos da tabela ("enviar", "aprovar"…), os mesmos de
    ``convenios:agir``. As outras: "iot" (impedimento de ordem técnica na proposta, analista do concedente até as
    assinaturas), "liberar" (concedente, proposta vigente), "autorizar" (SEGOV, cada parcela
    solicitada), "atualizar_cagec" (as partes e a SEGOV), "desvincular" (se sobra ao menos uma indicação) e
    "cancelar". A exceção da SEGOV depende da consulta que falhou: ``regularidade.excecoes_registraveis``.
    """
    partes = _Partes(usuario, proposta)
    acoes = {MAQUINA.verbos[novo] for novo in MAQUINA.seguintes(proposta.status) if partes.e(QUEM_DA_O_PASSO[novo])}
    if proposta.status == Status.VIGENTE and partes.concedente:
        acoes.add("liberar")
    if partes.segov:
        acoes.add("autorizar")
    if _e_parte_ou_segov(partes):
        acoes.add("atualizar_cagec")
    if _pode_desvincular(partes) and proposta.usos.count() > 1:
        acoes.add("desvincular")
    if _pode_cancelar(partes):
        acoes.add("cancelar")
    if _pode_dar_iot(partes) and proposta.usos.exists():
        acoes.add("iot")
    return frozenset(acoes)
