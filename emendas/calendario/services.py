"""Escritas do calendário: o link privado do .ics, as escolhas de lembretes e a prorrogação de uma janela.

``gerar_link_calendario``, ``revogar_link_calendario``, ``salvar_preferencias_lembretes`` e ``prorrogar_janela`` são
reexportadas em ``emendas.services``.
"""

import hashlib
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis

from ..janelas import salvar_calendario
from ..models import Exercicio, JanelaOperacao, LinkCalendario, PreferenciaLembretes, ProrrogacaoJanela
from . import agenda

CAMPOS_PREFERENCIA = ("prazos", "fila_orgao", "semana_segov")


def hash_do_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _travar_usuario(usuario) -> None:
    get_user_model().objects.select_for_update(no_key=True).filter(pk=usuario.pk).first()


def gerar_link_calendario(*, usuario) -> str:
    """Cria o link privado do calendário do *usuario* e devolve o token (a única vez em que ele existe: o banco guarda
    só o SHA-256). O link anterior, se houver, deixa de valer na mesma transação."""
    if not usuario.is_authenticated:
        raise PermissionDenied("Entre no sistema para gerar o seu calendário.")
    token = secrets.token_urlsafe(32)
    agora = timezone.now()
    with transaction.atomic():
        # Trava a linha do usuário (e não só os links dele, que podem ainda não existir): dois cliques ao mesmo tempo
        # se enfileiram, o segundo revoga o link do primeiro, e nunca ficam dois ativos (a restrição recusaria).
        _travar_usuario(usuario)
        anteriores = list(LinkCalendario.objects.filter(usuario=usuario, revogado_em__isnull=True))
        if anteriores:
            LinkCalendario.objects.filter(pk__in=[l.pk for l in anteriores]).update(revogado_em=agora)
        link = LinkCalendario.objects.create(usuario=usuario, hash_token=hash_do_token(token), criado_em=agora)
        registrar(acao="calendario.link_gerado", objeto=link, usuario=usuario,
                  depois={"revogou_anteriores": len(anteriores)})
    return token


def revogar_link_calendario(*, usuario) -> int:
    """Desliga o link do calendário do *usuario* (quem o tiver recebe 404). Devolve quantos desligou (0 ou 1)."""
    agora = timezone.now()
    with transaction.atomic():
        _travar_usuario(usuario)  # a mesma trava de gerar_link_calendario: revogar e gerar não se cruzam
        ativos = list(LinkCalendario.objects.filter(usuario=usuario, revogado_em__isnull=True))
        for link in ativos:
            link.revogado_em = agora
            link.save(update_fields=["revogado_em"])
            registrar(acao="calendario.link_revogado", objeto=link, usuario=usuario,
                      depois={"revogado_em": agora.isoformat()})
    return len(ativos)


def usuario_do_token(token: str):
    """O usuário ativo dono do link ativo com este *token*, ou None (token errado, revogado ou conta inativa).

    Leitura pelo hash (índice único): comparar o hash, e não o token, não vaza nada pelo tempo de resposta.
    """
    link = (LinkCalendario.objects.select_related("usuario")
            .filter(hash_token=hash_do_token(token), revogado_em__isnull=True, usuario__is_active=True).first())
    if link is None:
        return None
    LinkCalendario.objects.filter(pk=link.pk).update(ultimo_acesso_em=timezone.now())
    return link.usuario


def preferencias_de(usuario) -> PreferenciaLembretes:
    """As escolhas do *usuario* (sem linha gravada: todas ligadas, o padrão; nada é gravado por ler)."""
    return PreferenciaLembretes.objects.filter(usuario=usuario).first() or PreferenciaLembretes(usuario=usuario)


def salvar_preferencias_lembretes(*, usuario, escolhas: dict) -> PreferenciaLembretes:
    """Grava quais lembretes o *usuario* quer (*escolhas*: campo → bool; os que não vieram ficam como estão)."""
    with transaction.atomic():
        pref, _ = PreferenciaLembretes.objects.select_for_update().get_or_create(usuario=usuario)
        antes = {c: getattr(pref, c) for c in CAMPOS_PREFERENCIA}
        for campo in CAMPOS_PREFERENCIA:
            if campo in escolhas:
                setattr(pref, campo, bool(escolhas[campo]))
        depois = {c: getattr(pref, c) for c in CAMPOS_PREFERENCIA}
        if depois != antes:
            pref.save(update_fields=list(CAMPOS_PREFERENCIA))
            registrar(acao="calendario.lembretes", objeto=pref, usuario=usuario, antes=antes, depois=depois)
    return pref


def prazos_do_exercicio(exercicio) -> list[agenda.Prazo]:
    """Os prazos do exercício com as janelas gravadas (uma consulta)."""
    return agenda.prazos_do_exercicio(exercicio, {(j.trilha, j.tipo): (j.inicio, j.fim)
                                                  for j in JanelaOperacao.objects.filter(exercicio=exercicio)})


def prorrogar_janela(*, usuario, exercicio, chave: str, novo_fim: date, justificativa: str) -> ProrrogacaoJanela:
    """A SEGOV prorroga um prazo do exercício até *novo_fim*, com justificativa: uma ação auditada.

    As fases mudam as datas do calendário (o fim da janela livre ou da obrigatória, que as janelas no padrão
    acompanham); as janelas de operação mudam só o próprio fim. Tudo por ``salvar_calendario``, que confere a ordem
    das datas e audita a mudança; aqui se acrescenta a justificativa, gravada e auditada.
    """
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV prorroga prazos.")
    justificativa = (justificativa or "").strip()
    if len(justificativa) < 10:
        raise ValidationError("Escreva a justificativa da prorrogação (pelo menos 10 caracteres).")
    with transaction.atomic():
        # Trava o exercício (passo 1 da ordem global, emendas/travas.py) antes de ler o fim atual: duas prorrogações
        # ao mesmo tempo não partem do mesmo "fim anterior".
        exercicio = Exercicio.objects.select_for_update(no_key=True).get(pk=exercicio.pk)
        prazo = next((p for p in prazos_do_exercicio(exercicio) if p.chave == chave), None)
        if prazo is None:
            raise ValidationError("Este prazo não existe no exercício.")
        if novo_fim <= prazo.fim:
            raise ValidationError(f"A prorrogação precisa de um fim depois de {prazo.fim:%d/%m/%Y} (o fim atual).")
        if chave == "fase:LIVRE":
            salvar_calendario(usuario=usuario, exercicio=exercicio, campos={"fim_janela_livre": novo_fim})
        elif chave == "fase:RESTRITA":
            salvar_calendario(usuario=usuario, exercicio=exercicio, campos={"fim_janela_obrigatoria": novo_fim})
        else:
            salvar_calendario(usuario=usuario, exercicio=exercicio, campos={},
                              janelas={(prazo.trilha, prazo.tipo): (prazo.inicio, novo_fim)})
        prorrogacao = ProrrogacaoJanela.objects.create(
            exercicio=exercicio, chave=chave, rotulo=prazo.titulo[:200], fim_anterior=prazo.fim, fim_novo=novo_fim,
            justificativa=justificativa, usuario=usuario,
        )
        registrar(acao="calendario.prorrogar", objeto=prorrogacao, usuario=usuario,
                  antes={"janela": prazo.titulo, "fim": prazo.fim.isoformat()},
                  depois={"janela": prazo.titulo, "fim": novo_fim.isoformat(), "justificativa": justificativa})
    return prorrogacao
