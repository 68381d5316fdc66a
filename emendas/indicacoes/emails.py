"""E-mails da indicação (gravados na caixa de saída na transação de quem chama; enviados depois do commit)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone

from contas import perfis
from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email
from sigcon.dinheiro import formatar_brl
from sigcon.texto import plural

from ..models import Indicacao, Inciso
from ..visibilidade import emails_do_titular

Status = Indicacao.Status


def email_parlamentar(ind: Indicacao, inciso: Inciso, template: str, assunto: str, responsavel) -> None:
    emenda = inciso.emenda
    # O titular (num bloco, o responsável) e os assessores ativos dele.
    destinos = emails_do_titular(emenda.bloco.responsavel if emenda.bloco_id else emenda.parlamentar)
    ind = Indicacao.objects.select_related("beneficiario", "categoria_impedimento").get(pk=ind.pk)
    corpo = render_to_string(template, {
        "ind": ind, "inciso": inciso, "valor": formatar_brl(ind.valor), "responsavel": responsavel,
        "agora": timezone.localtime(), "url": settings.SIGCON_URL_BASE,
    })
    enfileirar_email(assunto=assunto, corpo=corpo, destinatarios=destinos, tipo=EmailPendente.Tipo.INDICACAO)


def enfileirar_resumo_segov(*, dia=None):
    """Resumo diário das indicações aguardando a SEGOV (idempotente: um por dia)."""
    dia = dia or timezone.localdate()
    pendentes = (
        Indicacao.objects.filter(status=Status.EM_ANALISE_SEGOV)
        .select_related("inciso__emenda__parlamentar", "inciso__emenda__bloco", "beneficiario")
        .order_by("aprovada_orgao_em")
    )
    quantidade = pendentes.count()
    if not quantidade:
        return None
    Usuario = get_user_model()
    destinatarios = [settings.SIGCON_EMAIL_SEGOV, *Usuario.objects.filter(
        groups__name=perfis.SEGOV, is_active=True).values_list("email", flat=True)]
    corpo = render_to_string("emails/resumo_segov.txt", {
        "dia": dia, "pendentes": pendentes[:200], "quantidade": quantidade, "url": settings.SIGCON_URL_BASE,
    })
    return enfileirar_email(
        assunto=f"SIGCON Saída – {plural(quantidade, 'indicação', 'indicações')} aguardando a SEGOV em {dia:%d/%m/%Y}",
        corpo=corpo, destinatarios=destinatarios, chave=f"resumo-segov-{dia.isoformat()}",
        tipo=EmailPendente.Tipo.RESUMO_SEGOV,
    )
