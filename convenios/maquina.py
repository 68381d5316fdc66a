"""A tabela de transições da proposta de plano de trabalho (``sigcon.estados``), num módulo só dela.

Fica fora de ``convenios.services`` para que as regras de quem age (``convenios.permissoes``) e as telas a leiam
sem depender dos serviços (que dependem das regras). ``convenios.services.MAQUINA`` é este mesmo objeto.
"""

from sigcon.estados import Maquina

from .models import EventoProposta, PropostaPlanoTrabalho

Status = PropostaPlanoTrabalho.Status


def gravar_historico(proposta, anterior, novo, usuario, texto) -> None:
    EventoProposta.objects.create(proposta=proposta, usuario=usuario, status_anterior=anterior, status_novo=novo,
                                  observacao=texto)


# Transições permitidas, conferidas num só lugar (sigcon.estados). O cancelamento (convenios.vinculos) tem regra
# própria: vale de qualquer situação até a aprovação e solta os usos. O verbo de cada situação de chegada é também
# o nome da ação na tela (convenios:agir) e na auditoria ("proposta.enviar").
MAQUINA = Maquina(
    nome="proposta",
    transicoes={
        Status.CADASTRAMENTO: {Status.ENVIADA},
        Status.DEVOLVIDA: {Status.ENVIADA},
        Status.ENVIADA: {Status.EM_ANALISE},
        Status.EM_ANALISE: {Status.APROVADA, Status.DEVOLVIDA},
        # Formalização (DOMAIN.md §3.5, passos 10–15): SEGOV autoriza e o número nasce; as duas assinaturas; a
        # publicação (data e extrato) faz o instrumento vigente.
        Status.APROVADA: {Status.PLANO_AUTORIZADO},
        Status.PLANO_AUTORIZADO: {Status.ASSINADA},
        Status.ASSINADA: {Status.EM_PUBLICACAO},
        Status.EM_PUBLICACAO: {Status.VIGENTE},
    },
    verbos={Status.ENVIADA: "enviar", Status.EM_ANALISE: "receber", Status.APROVADA: "aprovar",
            Status.DEVOLVIDA: "devolver", Status.PLANO_AUTORIZADO: "autorizar_plano",
            Status.ASSINADA: "assinar_convenente", Status.EM_PUBLICACAO: "assinar_concedente",
            Status.VIGENTE: "publicar"},
    historico=gravar_historico,
    descrever=lambda proposta: f"A proposta nº {proposta.pk}",
)
