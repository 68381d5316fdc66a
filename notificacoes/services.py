"""Caixa de saída: gravar um e-mail e agendar o envio para depois do commit.

O envio em si (reserva, SMTP, marca) fica em ``notificacoes.envio``, de que a tarefa depende; daqui só se agenda a
tarefa. Assim ``services`` → ``tasks`` → ``envio``, sem ciclo (antes ``services`` e ``tasks`` se importavam).
"""

import logging

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from auditoria.services import registrar

from .envio import MAX_TENTATIVAS, enviar_pendente, ids_pendentes, reservar_email  # noqa: F401  (interface pública)
from .models import LINK_DE_SENHA_PRONTO, MARCA_LINK_SENHA, TIPOS_DE_AVISO, Aviso, EmailPendente
from .tasks import enviar_email

log = logging.getLogger(__name__)


def enfileirar_email(*, assunto: str, corpo: str, destinatarios, chave: str | None = None,
                     link_senha_de=None, tipo: str = EmailPendente.Tipo.OUTRO) -> EmailPendente | None:
    """Grava o e-mail na caixa de saída e agenda o envio para depois do commit.

    Com *chave*, um segundo pedido com a mesma chave não cria outro e-mail. Um e-mail com link de definir
    senha traz ``MARCA_LINK_SENHA`` no corpo e o usuário em *link_senha_de*: o link (com o token) só é
    montado no envio, então nem o banco nem o admin da caixa de saída o mostram.

    *tipo* diz de onde vem o e-mail; os de ``TIPOS_DE_AVISO`` viram também notificação no sistema (``Aviso``)
    para cada conta ativa destinatária. Um e-mail com link de senha nunca vira notificação, qualquer que seja o tipo.
    """
    if LINK_DE_SENHA_PRONTO.search(corpo) or (MARCA_LINK_SENHA in corpo) != (link_senha_de is not None):
        raise ValueError("Link de senha: use MARCA_LINK_SENHA no corpo junto com link_senha_de (nunca o link).")
    destinatarios = sorted({d.strip().lower() for d in destinatarios if d and d.strip()})
    if not destinatarios:
        return None
    campos = {"assunto": assunto[:250], "corpo": corpo, "destinatarios": destinatarios, "link_senha_de": link_senha_de,
              "tipo": tipo}
    if chave is not None:
        email, criado = EmailPendente.objects.get_or_create(chave=chave, defaults=campos)
        if not criado:
            return email
    else:
        email = EmailPendente.objects.create(**campos)
    if tipo in TIPOS_DE_AVISO and link_senha_de is None:
        _criar_avisos(email)
    transaction.on_commit(lambda: _agendar(email.pk))
    return email


def _agendar(email_id: int) -> None:
    try:
        enviar_email.delay(email_id)
    except OperationalError:  # broker fora do ar: a tarefa periódica reenvia depois
        log.warning("Broker indisponível; e-mail %s fica pendente para reenvio.", email_id, exc_info=True)


def _criar_avisos(email: EmailPendente) -> None:
    # Um INSERT … SELECT só (o pedido de remanejamento, na rajada do dia do prazo, não paga duas idas ao banco).
    # Os e-mails das contas são gravados em minúsculas (contas.models), como os destinatários aqui.
    Usuario = get_user_model()
    usuarios, avisos = Usuario._meta, Aviso._meta
    marcas = ", ".join(["%s"] * len(email.destinatarios))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {avisos.db_table} (usuario_id, email_id, criado_em) "
            f"SELECT {usuarios.pk.column}, %s, %s FROM {usuarios.db_table} "
            f"WHERE {usuarios.get_field('email').column} IN ({marcas}) AND {usuarios.get_field('is_active').column}",
            [email.pk, email.criado_em, *email.destinatarios],
        )


def marcar_como_lido(*, usuario, aviso: Aviso) -> bool:
    """Marca a notificação do *usuario* como lida (de novo não muda nada). Devolve se mudou."""
    agora = timezone.now()
    with transaction.atomic():
        # O UPDATE condicional faz o papel da trava: dois cliques ao mesmo tempo marcam e auditam uma vez só.
        mudou = Aviso.objects.filter(pk=aviso.pk, usuario_id=usuario.pk, lido_em__isnull=True).update(lido_em=agora)
        if mudou:
            aviso.lido_em = agora
            registrar(acao="notificacao.lida", objeto=aviso, usuario=usuario, antes={"lido_em": None},
                      depois={"lido_em": agora.isoformat()})
    return bool(mudou)


def marcar_todos_como_lidos(*, usuario) -> int:
    """Marca como lidas todas as notificações não lidas do *usuario*; devolve quantas eram."""
    agora = timezone.now()
    with transaction.atomic():
        n = Aviso.objects.filter(usuario_id=usuario.pk, lido_em__isnull=True).update(lido_em=agora)
        if n:
            registrar(acao="notificacao.todas_lidas", usuario=usuario, depois={"quantidade": n,
                                                                              "lido_em": agora.isoformat()})
    return n
