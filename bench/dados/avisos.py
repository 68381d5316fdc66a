"""Notificações do bench: os e-mails que os movimentos gerados teriam mandado, com a notificação de cada
destinatário (``notificacoes.Aviso``), para a contagem de não lidas do menu ser medida com volume de verdade.

Remanejamento decidido → o titular (num bloco, o responsável); remanejamento ainda SOLICITADO → cada usuário
SEGOV; indicação reprovada ou aguardando ajuste → o titular. As do exercício corrente ficam não lidas; as dos
anteriores, lidas no dia seguinte. Um SEGOV termina com ~1.000 não lidas, um parlamentar com algumas dezenas.
"""

from datetime import timedelta

from emendas.models import Indicacao, Remanejamento
from notificacoes.models import Aviso, EmailPendente

from . import copia

_TITULAR = ("inciso_origem__emenda__parlamentar__usuario_id", "inciso_origem__emenda__bloco__responsavel__usuario_id")
_TITULAR_IND = ("inciso__emenda__parlamentar__usuario_id", "inciso__emenda__bloco__responsavel__usuario_id")


def gerar_avisos(ctx, ano_corrente: int) -> None:
    emails, destinos = [], []  # destinos[i]: [(usuario_id, lido_em)] do emails[i]

    def anotar(assunto, tipo, quando, usuarios, corrente):
        emails.append(EmailPendente(assunto=assunto, corpo=assunto, tipo=tipo, destinatarios=[],
                                    status=EmailPendente.Status.ENVIADO, criado_em=quando, enviado_em=quando))
        destinos.append([(u, None if corrente else quando + timedelta(days=1)) for u in usuarios if u])

    segov = [u.pk for u in ctx.segov]
    remanejamentos = Remanejamento.objects.values_list(
        "pk", "status", "solicitado_em", "decidido_em", "inciso_origem__exercicio__ano", *_TITULAR).order_by("pk")
    for pk, status, pedido, decidido, ano, titular, responsavel in remanejamentos.iterator(chunk_size=5000):
        corrente = ano == ano_corrente
        if status == Remanejamento.Status.SOLICITADO:
            anotar(f"SIGCON Saída – remanejamento solicitado nº {pk}", EmailPendente.Tipo.REMANEJAMENTO_SOLICITADO,
                   pedido, segov, corrente)
        elif decidido is not None:
            anotar(f"SIGCON Saída – remanejamento nº {pk} decidido", EmailPendente.Tipo.REMANEJAMENTO_DECIDIDO,
                   decidido, [responsavel or titular], corrente)
    indicacoes = Indicacao.objects.filter(
        status__in=[Indicacao.Status.REPROVADA, Indicacao.Status.AGUARDANDO_AJUSTE]).values_list(
        "numero", "enviada_em", "exercicio__ano", *_TITULAR_IND).order_by("pk")
    for numero, enviada, ano, titular, responsavel in indicacoes.iterator(chunk_size=5000):
        anotar(f"SIGCON Saída – indicação nº {numero}", EmailPendente.Tipo.INDICACAO, enviada + timedelta(days=3),
               [responsavel or titular], ano == ano_corrente)
    copia.gravar(emails)
    avisos = [Aviso(usuario_id=u, email_id=e.pk, criado_em=e.criado_em, lido_em=lido)
              for e, lista in zip(emails, destinos) for u, lido in lista]
    copia.gravar(avisos)
    ctx.somar("emails", len(emails))
    ctx.somar("avisos", len(avisos))
    ctx.somar("avisos_nao_lidos", sum(1 for a in avisos if a.lido_em is None))
