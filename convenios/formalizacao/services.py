"""Formalização do convênio (DOMAIN.md §3.5, passos 10–15) e a adequação (volta ao convenente).

``APROVADA`` →``autorizar_plano`` (SEGOV; o instrumento recebe o número)→ ``PLANO_AUTORIZADO``
→``assinar_convenente`` (representante legal + testemunha)→ ``ASSINADA`` →``assinar_concedente``→
``EM_PUBLICACAO`` →``publicar`` (data e extrato)→ ``VIGENTE``. A liberação de recursos só a partir de ``VIGENTE``
(``convenios.services.solicitar_liberacao``).

O CAGEC é consultado nos momentos do regime da proposta (``regularidade.MOMENTOS_CAGEC``): no Decreto 48.745/2023,
nas duas assinaturas; no regime legado (Decisões: cadastro e envio), em nenhum passo da formalização.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from emendas.models import SequenciaExercicio
from emendas.travas import reservar_numeros
from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email
from sigcon.dinheiro import formatar_brl
from sigcon.texto import texto_limitado

from ..cnpj import normalizar_cpf
from ..maquina import MAQUINA
from ..models import PropostaPlanoTrabalho as Proposta
from ..passos import consultas_do_passo, indicacoes_da_proposta, mudar, proposta_atual, transicao, travar_proposta
from ..permissoes import exigir_passo
from ..selectors import valor_total

Status = Proposta.Status


def numero_do_instrumento(sequencial: int, ano: int) -> str:
    """"0007/2019": o sequencial do exercício das indicações, com o ano (como o Diário Oficial publica)."""
    return f"{sequencial:04d}/{ano}"


def _exercicio_do_instrumento(proposta):
    """O exercício mais antigo das indicações usadas (a proposta pode juntar exercícios do mesmo regime)."""
    exercicios = sorted({i.exercicio for i in indicacoes_da_proposta(proposta)}, key=lambda e: e.ano)
    if not exercicios:
        raise ValidationError(f"A proposta nº {proposta.pk} não usa nenhuma indicação: não há o que formalizar.")
    return exercicios[0]


def autorizar_plano(*, usuario, proposta) -> Proposta:
    """SEGOV autoriza o plano aprovado pelo concedente; o instrumento recebe o número (DOMAIN.md §3.5, passo 11)."""
    atual = proposta_atual(proposta)
    verificacoes = consultas_do_passo(usuario=usuario, proposta=atual, novo=Status.PLANO_AUTORIZADO, momento=None)
    with transaction.atomic():
        p = travar_proposta(atual)
        exigir_passo(usuario, p, Status.PLANO_AUTORIZADO)
        # Confere com a proposta travada ANTES de pedir o número: uma autorização recusada (outra passou na frente)
        # não gasta número, e a sequência não tem buracos.
        MAQUINA.conferir(p, Status.PLANO_AUTORIZADO)
        if valor_total(p) <= 0:
            raise ValidationError(f"A proposta nº {p.pk} não usa nenhuma indicação: não há o que autorizar.")
        exercicio = _exercicio_do_instrumento(p)
        # Passo 5 da ordem global (emendas/travas.py): o contador do exercício, por último, solto no commit;
        # duas autorizações simultâneas nunca recebem o mesmo número (nada de Max()+1).
        [sequencial] = reservar_numeros(exercicio.pk, SequenciaExercicio.Nome.CONVENIO)
        p.numero_instrumento = numero_do_instrumento(sequencial, exercicio.ano)
        p.autorizado_por, p.autorizado_em = usuario, timezone.now()
        return mudar(p, Status.PLANO_AUTORIZADO, usuario=usuario, verificacoes=verificacoes,
                     observacao=f"Plano autorizado pela SEGOV; instrumento nº {p.numero_instrumento}.",
                     campos=["numero_instrumento", "autorizado_por", "autorizado_em"])


def _testemunha(nome, cpf) -> tuple[str, str]:
    nome = texto_limitado(nome, obrigatorio="Informe o nome da testemunha da assinatura.", rotulo="O nome da testemunha",
                          maximo=200)
    if not (cpf or "").strip():
        raise ValidationError("Informe o CPF da testemunha da assinatura.")
    return nome, normalizar_cpf(cpf)


def assinar_convenente(*, usuario, proposta, testemunha_nome, testemunha_cpf) -> Proposta:
    """O representante legal do convenente assina o termo, com uma testemunha (nome e CPF)."""
    nome, cpf = _testemunha(testemunha_nome, testemunha_cpf)
    atual = proposta_atual(proposta)
    verificacoes = consultas_do_passo(usuario=usuario, proposta=atual, novo=Status.ASSINADA,
                                      momento="ASSINATURA_CONVENENTE")
    with transaction.atomic():
        p = travar_proposta(atual)
        p.assinado_convenente_por, p.assinado_convenente_em = usuario, timezone.now()
        p.testemunha_nome, p.testemunha_cpf = nome, cpf
        return mudar(p, Status.ASSINADA, usuario=usuario, verificacoes=verificacoes,
                     observacao=f"Assinatura eletrônica do representante legal; testemunha: {nome}.",
                     campos=["assinado_convenente_por", "assinado_convenente_em", "testemunha_nome",
                             "testemunha_cpf"])


def assinar_concedente(*, usuario, proposta) -> Proposta:
    """O concedente assina; o instrumento vai para publicação (ainda não vigente)."""
    atual = proposta_atual(proposta)
    verificacoes = consultas_do_passo(usuario=usuario, proposta=atual, novo=Status.EM_PUBLICACAO,
                                      momento="ASSINATURA_CONCEDENTE")
    with transaction.atomic():
        p = travar_proposta(atual)
        p.assinado_concedente_por, p.assinado_concedente_em = usuario, timezone.now()
        return mudar(p, Status.EM_PUBLICACAO, usuario=usuario, verificacoes=verificacoes,
                     observacao="Assinatura do concedente; aguarda a publicação.",
                     campos=["assinado_concedente_por", "assinado_concedente_em"])


def extrato_padrao(p: Proposta, data_publicacao: date) -> str:
    """O extrato publicado no Diário Oficial quando quem publica não digita outro."""
    partes = [
        f"Extrato do {p.get_tipo_instrumento_display().lower()} nº {p.numero_instrumento}.",
        f"Concedente: {p.concedente}.",
        f"Convenente: {p.convenente.razao_social} (CNPJ {p.convenente.cnpj_formatado}).",
        f"Objeto: {p.objeto}.",
        f"Valor: {formatar_brl(valor_total(p))}.",
    ]
    if p.vigencia_inicio and p.vigencia_fim:
        partes.append(f"Vigência: {p.vigencia_inicio:%d/%m/%Y} a {p.vigencia_fim:%d/%m/%Y}.")
    partes.append(f"Publicado em {data_publicacao:%d/%m/%Y}.")
    return " ".join(partes)


def _conferir_data(p: Proposta, data_publicacao) -> None:
    if not isinstance(data_publicacao, date):
        raise ValidationError("Informe a data de publicação no Diário Oficial.")
    hoje = timezone.localdate()
    if data_publicacao > hoje:
        raise ValidationError(f"A data de publicação ({data_publicacao:%d/%m/%Y}) não pode ser depois de hoje "
                              f"({hoje:%d/%m/%Y}).")
    if p.assinado_concedente_em and data_publicacao < timezone.localdate(p.assinado_concedente_em):
        raise ValidationError(
            f"A data de publicação ({data_publicacao:%d/%m/%Y}) é anterior à assinatura do concedente "
            f"({timezone.localdate(p.assinado_concedente_em):%d/%m/%Y})."
        )


def publicar(*, usuario, proposta, data_publicacao, extrato="") -> Proposta:
    """Registra a publicação (data e extrato): o instrumento passa a vigente e pode ter liberações."""
    atual = proposta_atual(proposta)
    _conferir_data(atual, data_publicacao)
    extrato = texto_limitado(extrato or "", rotulo="O extrato") if (extrato or "").strip() else ""
    verificacoes = consultas_do_passo(usuario=usuario, proposta=atual, novo=Status.VIGENTE, momento=None)
    with transaction.atomic():
        p = travar_proposta(atual)
        _conferir_data(p, data_publicacao)
        p.data_publicacao = data_publicacao
        p.extrato_publicacao = extrato or extrato_padrao(p, data_publicacao)
        return mudar(p, Status.VIGENTE, usuario=usuario, verificacoes=verificacoes,
                     observacao=f"Publicado no Diário Oficial em {data_publicacao:%d/%m/%Y}.",
                     campos=["data_publicacao", "extrato_publicacao"])


# ---------------------------------------------------------------------------
# Adequação

def destinatarios_da_adequacao(p: Proposta) -> list[str]:
    """Usuários ativos do convenente e o parlamentar (ou o responsável pelo bloco) de cada indicação usada."""
    convenente = list(p.convenente.usuarios.filter(is_active=True).values_list("email", flat=True))
    titulares = []
    for u in p.usos.select_related("indicacao__inciso__emenda__parlamentar__usuario",
                                   "indicacao__inciso__emenda__bloco__responsavel__usuario"):
        emenda = u.indicacao.inciso.emenda
        titulares.append(emenda.bloco.responsavel.usuario.email if emenda.bloco_id else emenda.parlamentar.usuario.email)
    return [*convenente, *titulares]


def devolver_proposta(*, usuario, proposta, justificativa) -> Proposta:
    """Volta ao convenente para adequação, com e-mail ao convenente e ao parlamentar (DOMAIN.md §3.5 e §3.6)."""
    exigir_passo(usuario, proposta, Status.DEVOLVIDA)
    justificativa = texto_limitado(justificativa, obrigatorio="Informe a justificativa da devolução.",
                                   rotulo="A justificativa")
    with transaction.atomic():
        p = transicao(proposta, Status.DEVOLVIDA, usuario=usuario, observacao=justificativa,
                      justificativa=justificativa)
        # Caixa de saída: gravado nesta transação, enviado depois do commit (nunca some, nunca sai duas vezes).
        enfileirar_email(
            assunto=f"SIGCON Saída – proposta nº {p.pk} devolvida para adequação",
            corpo=render_to_string("emails/proposta_adequacao.txt", {
                "proposta": p, "usuario": usuario, "justificativa": justificativa, "agora": timezone.localtime(),
                "usos": p.usos.select_related("indicacao__inciso__emenda"), "url": settings.SIGCON_URL_BASE,
            }),
            destinatarios=destinatarios_da_adequacao(p), tipo=EmailPendente.Tipo.PROPOSTA,
        )
    return p
