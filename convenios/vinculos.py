"""Soltar o dinheiro que uma proposta prende: desvincular uma indicação, cancelar a proposta.

Enquanto uma proposta usa uma indicação, o valor está comprometido: a indicação não pode ser cancelada,
devolvida para ajuste nem reprovada pelo órgão (``emendas.indicacoes.services``). Estas são as saídas, até a
aprovação da proposta; e, até as assinaturas, o impedimento de ordem técnica dentro da proposta
(``reprovar_indicacao_na_proposta``). Fora dele, dinheiro usado ou liberado nunca volta ao inciso. Quem pode cada uma
(``pode_desvincular``, ``pode_cancelar``, também usadas pela tela) está em ``convenios.permissoes``.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from auditoria.services import registrar
from emendas.models import Indicacao
from emendas.services import reprovar_indicacao
from emendas.travas import travar_incisos_do_titular
from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email
from sigcon.dinheiro import ZERO, formatar_brl
from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from .models import EventoProposta, PropostaPlanoTrabalho, UsoIndicacao
from .permissoes import e_concedente, e_parte, e_parte_ou_segov

Proposta = PropostaPlanoTrabalho
Status = Proposta.Status


def _travar(proposta) -> PropostaPlanoTrabalho:
    # Trava a proposta (passo 4 da ordem global, emendas/travas.py): desvincular, cancelar, gerar parcelas e
    # mudar de situação não podem se cruzar. Só esta trava: apagar um uso não depende do saldo de ninguém.
    return (Proposta.objects.select_for_update(no_key=True, of=("self",)).select_related("convenente")
            .get(pk=proposta.pk))


def _uso(p, indicacao) -> UsoIndicacao:
    uso = UsoIndicacao.objects.select_related("indicacao").filter(proposta=p, indicacao=indicacao).first()
    if uso is None:
        raise ValidationError(f"A indicação nº {indicacao.numero} não está vinculada à proposta nº {p.pk}.")
    return uso


@atomico
def desvincular_indicacao(*, usuario, proposta, indicacao) -> PropostaPlanoTrabalho:
    """Tira uma indicação da proposta (apaga o uso); o valor volta a estar disponível na indicação."""
    p = _travar(proposta)
    if not e_parte(usuario, p):
        raise PermissionDenied("Somente os usuários do convenente ou o analista do concedente desvinculam indicações.")
    if p.status not in Proposta.ANTES_DA_APROVACAO:
        raise ValidationError(
            f"A proposta nº {p.pk} está “{p.get_status_display().lower()}”: depois da aprovação as indicações não "
            "podem mais ser desvinculadas."
        )
    uso = _uso(p, indicacao)
    if not p.usos.exclude(pk=uso.pk).exists():
        raise ValidationError(
            f"A indicação nº {uso.indicacao.numero} é a única da proposta nº {p.pk}: para soltá-la, cancele a proposta."
        )
    uso.delete()
    EventoProposta.objects.create(
        proposta=p, usuario=usuario, status_anterior=p.status, status_novo=p.status,
        observacao=f"Indicação nº {uso.indicacao.numero} desvinculada ({formatar_brl(uso.valor)} liberados na indicação).",
    )
    registrar(acao="proposta.desvincular_indicacao", objeto=p, usuario=usuario,
              antes={"indicacao": uso.indicacao.numero, "valor": uso.valor}, depois={"indicacao": None})
    return p


@atomico
def cancelar_proposta(*, usuario, proposta, justificativa) -> PropostaPlanoTrabalho:
    """Cancela a proposta (até APROVADA) e solta todas as indicações que ela usava."""
    justificativa = texto_limitado(justificativa, obrigatorio="Informe a justificativa do cancelamento.",
                                   rotulo="A justificativa")
    p = _travar(proposta)
    if not e_parte_ou_segov(usuario, p):
        raise PermissionDenied("Somente o convenente, o concedente ou a SEGOV cancelam a proposta.")
    if p.status not in (*Proposta.ANTES_DA_APROVACAO, Status.APROVADA):
        raise ValidationError(
            f"A proposta nº {p.pk} está “{p.get_status_display().lower()}” e não pode mais ser cancelada: depois das "
            "assinaturas o valor está comprometido com o convênio."
        )
    if p.liberacoes.exists():
        raise ValidationError(f"A proposta nº {p.pk} já tem liberações de recursos e não pode ser cancelada.")
    usos = list(p.usos.select_related("indicacao").order_by("indicacao__numero"))
    soltos = "; ".join(f"indicação nº {u.indicacao.numero}: {formatar_brl(u.valor)}" for u in usos)
    total = sum((u.valor for u in usos), ZERO)
    anterior = p.status
    p.status, p.justificativa = Status.CANCELADA, justificativa
    p.save(update_fields=["status", "justificativa"])
    p.usos.all().delete()
    EventoProposta.objects.create(
        proposta=p, usuario=usuario, status_anterior=anterior, status_novo=Status.CANCELADA,
        observacao=f"{justificativa} — valores soltos ({formatar_brl(total)}): {soltos or 'nenhum'}.",
    )
    registrar(acao="proposta.cancelar", objeto=p, usuario=usuario, antes={"status": anterior, "usos": soltos},
              depois={"status": p.status, "justificativa": p.justificativa})
    destinatarios = list(p.convenente.usuarios.filter(is_active=True).values_list("email", flat=True))
    enfileirar_email(
        assunto=f"SIGCON Saída – proposta nº {p.pk} cancelada",
        corpo=render_to_string("emails/proposta_cancelada.txt", {
            "proposta": p, "usuario": usuario, "justificativa": justificativa, "soltos": soltos, "total": total,
            "url": settings.SIGCON_URL_BASE,
        }),
        destinatarios=destinatarios, tipo=EmailPendente.Tipo.PROPOSTA,
    )
    return p



@atomico
def reprovar_indicacao_na_proposta(*, usuario, proposta, indicacao, categoria, justificativa) -> PropostaPlanoTrabalho:
    """Impedimento de ordem técnica dado dentro da proposta (DOMAIN.md §7.8–7.9): numa transação só, tira o uso
    da indicação e a reprova; o valor volta pelo balde de ``prazos.destino_devolucao_indicacao``, como em
    ``emendas.services.reprovar_indicacao``. Canal obrigatório para a indicação de convênio usada numa proposta;
    recusado da publicação em diante. Se era a única indicação, a proposta fica cancelada (não sobra dinheiro)."""
    # Ordem global (emendas/travas.py): incisos do titular, a indicação e só depois a proposta — a mesma de
    # reprovar_indicacao, que as retrava dentro desta transação (mesma conexão: não espera por si).
    travar_incisos_do_titular(indicacao.inciso)
    Indicacao.objects.select_for_update(no_key=True, of=("self",)).filter(pk=indicacao.pk).first()
    p = _travar(proposta)
    if not e_concedente(usuario, p):
        raise PermissionDenied("Somente o analista do órgão concedente dá o impedimento de ordem técnica na proposta.")
    if p.status not in Proposta.ACEITA_IOT:
        raise ValidationError(
            f"A proposta nº {p.pk} está “{p.get_status_display().lower()}”: da publicação em diante não cabe "
            "impedimento de ordem técnica."
        )
    uso = _uso(p, indicacao)
    uso.delete()
    ind = reprovar_indicacao(usuario=usuario, indicacao=uso.indicacao, categoria=categoria, justificativa=justificativa)
    anterior, ultima = p.status, not p.usos.exists()
    texto = (f"Indicação nº {ind.numero} reprovada por impedimento de ordem técnica ({categoria.nome}) e retirada "
             f"da proposta: {formatar_brl(uso.valor)} voltam ao inciso ({ind.get_saldo_devolucao_display()}).")
    if ultima:
        p.status, p.justificativa = Status.CANCELADA, f"Única indicação reprovada por impedimento: {ind.justificativa}"
        p.save(update_fields=["status", "justificativa"])
        texto += " Sem indicações, a proposta fica cancelada."
    EventoProposta.objects.create(proposta=p, usuario=usuario, status_anterior=anterior, status_novo=p.status,
                                  observacao=texto)
    registrar(acao="proposta.reprovar_indicacao", objeto=p, usuario=usuario,
              antes={"indicacao": ind.numero, "valor": uso.valor, "status": anterior},
              depois={"indicacao": None, "status": p.status, "categoria": categoria.nome,
                      "saldo_devolucao": ind.saldo_devolucao, "justificativa": ind.justificativa})
    return p
