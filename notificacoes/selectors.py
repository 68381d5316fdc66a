"""Leituras das notificações no sistema (cada usuário vê só as suas)."""

from django.http import Http404

from .models import Aviso


def nao_lidos(usuario) -> int:
    """Quantas notificações o usuário não leu: a contagem do menu, em toda página.

    Uma consulta só, resolvida pelo índice parcial ``aviso_nao_lido`` (só as não lidas estão nele).
    """
    return Aviso.objects.filter(usuario_id=usuario.pk, lido_em__isnull=True).count()


def avisos_do_usuario(usuario):
    """As notificações do usuário, da mais nova para a mais antiga, com o assunto e a data do e-mail."""
    return (Aviso.objects.filter(usuario_id=usuario.pk).select_related("email")
            .only("pk", "criado_em", "lido_em", "email__assunto", "email__tipo").order_by("-criado_em", "-id"))


def aviso_do_usuario(usuario, pk: int) -> Aviso:
    """A notificação *pk* se for do usuário; de outra pessoa, 404 (nem se diz que existe)."""
    aviso = Aviso.objects.select_related("email").filter(pk=pk, usuario_id=usuario.pk).first()
    if aviso is None:
        raise Http404("Notificação não encontrada.")
    return aviso
