"""Escritas do remanejamento. Cada serviço: trava o que o saldo depende, confere permissão, janela e
situação, muda, registra a auditoria e agenda os e-mails para depois do commit."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email
from sigcon.dinheiro import formatar_brl
from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from sigcon.estados import Maquina

from .. import prazos
from ..models import Inciso, RegistroRemanejamento, Remanejamento, SequenciaExercicio
from ..selectors import pode_escrever_no_inciso, saldos_inciso
from ..visibilidade import emails_do_titular, titular_do_inciso
from ..travas import reservar_numeros, travar_incisos_do_titular
from . import regras

Status = Remanejamento.Status

def _historico_remanejamento(rem, anterior, novo, usuario, texto, em_nome_de=None) -> None:
    RegistroRemanejamento.objects.create(
        remanejamento=rem, usuario=usuario, status_anterior=anterior, status_novo=novo, valor=rem.valor,
        observacao=texto, em_nome_de_id=em_nome_de,
    )


# Transições permitidas, conferidas num só lugar (sigcon.estados); as telas oferecem os botões a partir daqui.
MAQUINA = Maquina(
    nome="remanejamento",
    transicoes={Status.SOLICITADO: {Status.APROVADO, Status.REPROVADO, Status.CANCELADO}},
    verbos={Status.APROVADO: "aprovar", Status.REPROVADO: "reprovar", Status.CANCELADO: "cancelar"},
    historico=_historico_remanejamento,
    recusa="{objeto} está {atual} e não pode passar a {novo}.",
    descrever=lambda rem: f"O remanejamento nº {rem.pk}",
    extra_auditoria=lambda rem: {"valor": rem.valor},
)


def _mudar_status(rem: Remanejamento, novo: str, *, usuario, observacao: str = "", em_nome_de=None) -> None:
    MAQUINA.aplicar(rem, novo, usuario=usuario, texto=observacao, em_nome_de=em_nome_de)


# Quem leva o pedido a cada situação. Os serviços conferem com estas regras e as telas oferecem os botões com
# elas e a tabela de transições (transicoes_do_usuario), sem repetir condições.
def _pode_decidir(usuario, rem) -> bool:
    return perfis.e_segov(usuario)


def _pode_cancelar(usuario, rem) -> bool:
    return pode_escrever_no_inciso(usuario, rem.inciso_origem)


QUEM_PODE = {Status.APROVADO: _pode_decidir, Status.REPROVADO: _pode_decidir, Status.CANCELADO: _pode_cancelar}


def transicoes_do_usuario(*, usuario, remanejamento) -> frozenset[str]:
    """Situações a que *usuario* pode levar o pedido agora: a tabela (MAQUINA) e a regra de quem pode."""
    return frozenset(novo for novo in MAQUINA.seguintes(remanejamento.status)
                     if QUEM_PODE[novo](usuario, remanejamento))


def _exigir_segov(usuario) -> None:
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV aprova ou reprova remanejamentos.")


def conferir_pedido(*, usuario, inciso: Inciso, acao, grupo_despesa, valor: Decimal, dia=None) -> dict:
    """Todas as regras de um pedido, sem gravar. Devolve o saldo de origem e os saldos do inciso.

    O chamador que vai gravar deve ter travado os incisos do titular antes.
    """
    dia = dia or timezone.localdate()
    if not pode_escrever_no_inciso(usuario, inciso):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) pode remanejar este inciso.")
    valor = regras.validar_valor(valor)
    if not inciso.remanejavel:
        raise ValidationError(f"O inciso {inciso.numero} é do tipo P (remanejamento constitucional) e não pode ser remanejado.")
    origem = regras.validar_janela(inciso.exercicio, dia)
    saldos = saldos_inciso(inciso, dia)
    if valor > saldos.disponivel_remanejamento:
        raise ValidationError(
            f"Valor acima do disponível para remanejamento do inciso {inciso.numero}: pedido {formatar_brl(valor)}, "
            f"disponível {formatar_brl(saldos.disponivel_remanejamento)}."
        )
    regras.validar_destino(inciso=inciso, acao=acao, grupo_despesa=grupo_despesa)
    regras.validar_politica(inciso=inciso, acao=acao, valor=valor)
    return {"valor": valor, "origem": origem, "saldos": saldos}


@atomico
def solicitar_remanejamento(*, usuario, inciso, acao, grupo_despesa, valor, detalhamento="") -> Remanejamento:
    detalhamento = texto_limitado(detalhamento, rotulo="O detalhamento")
    # Antes das travas: quem recebe o aviso não depende de saldo nenhum.
    destinatarios = _destinatarios_segov()
    inciso = travar_incisos_do_titular(inciso)
    conferido = conferir_pedido(usuario=usuario, inciso=inciso, acao=acao, grupo_despesa=grupo_despesa, valor=valor)
    titular = titular_do_inciso(inciso)  # por quem agiu: o próprio titular ou o assessor dele
    rem = Remanejamento.objects.create(
        inciso_origem=inciso, acao=acao, grupo_despesa=grupo_despesa, valor=conferido["valor"],
        detalhamento=detalhamento, saldo_origem=conferido["origem"], solicitado_por=usuario, em_nome_de_id=titular,
    )
    RegistroRemanejamento.objects.create(
        remanejamento=rem, usuario=usuario, status_novo=Status.SOLICITADO, valor=rem.valor,
        observacao=f"Saldo de origem: {rem.get_saldo_origem_display().lower()}.", em_nome_de_id=titular,
    )
    registrar(acao="remanejamento.solicitar", objeto=rem, usuario=usuario, depois={
        "status": rem.status, "inciso": inciso.numero, "acao": str(acao), "grupo_despesa": str(grupo_despesa),
        "valor": rem.valor, "saldo_origem": rem.saldo_origem, "em_nome_de": titular})
    if inciso.exercicio.auto_aprovar_remanejamento:
        _aprovar(rem, origem=inciso, usuario=None, observacao="Aprovado automaticamente: regras do exercício atendidas.")
    else:
        _email_solicitacao(rem, inciso, destinatarios)
    return rem


@atomico
def cancelar_remanejamento(*, usuario, remanejamento) -> Remanejamento:
    # Trava o pedido: cancelar e aprovar ao mesmo tempo não podem ambos valer. Só esta trava: devolver
    # dinheiro não depende de saldo nenhum.
    rem = (Remanejamento.objects.select_for_update(no_key=True, of=("self",))
           .select_related("inciso_origem__exercicio").get(pk=remanejamento.pk))
    inciso = Inciso.objects.select_related("emenda__bloco").get(pk=rem.inciso_origem_id)
    if not pode_escrever_no_inciso(usuario, inciso):
        raise PermissionDenied("Somente quem pode remanejar o inciso pode cancelar o pedido.")
    hoje = timezone.localdate()
    _mudar_status(rem, Status.CANCELADO, usuario=usuario, em_nome_de=titular_do_inciso(inciso))
    rem.saldo_devolucao = prazos.destino_devolucao_remanejamento(inciso.exercicio, hoje, rem.saldo_origem)
    rem.decidido_por, rem.decidido_em = usuario, timezone.now()
    rem.save(update_fields=["status", "saldo_devolucao", "decidido_por", "decidido_em"])
    return rem


@atomico
def aprovar_remanejamento(*, usuario, remanejamento) -> Inciso:
    _exigir_segov(usuario)
    # Ordem global (emendas/travas.py): incisos do titular, depois o pedido. Os limites da política, conferidos
    # de novo aqui, dependem dos pedidos de todos os incisos do titular.
    origem = Inciso.objects.select_related("emenda").get(remanejamentos__pk=remanejamento.pk)
    origem = travar_incisos_do_titular(origem)
    # Trava o pedido: duas aprovações (ou aprovar e cancelar) simultâneas não podem ambas valer.
    rem = (Remanejamento.objects.select_for_update(no_key=True, of=("self",)).select_related("acao__uo", "grupo_despesa")
           .get(pk=remanejamento.pk))
    rem.inciso_origem = origem  # o já relido (o texto da auditoria e o e-mail o usam sem nova consulta)
    return _aprovar(rem, origem=origem, usuario=usuario)


def _aprovar(rem: Remanejamento, *, origem: Inciso, usuario, observacao: str = "") -> Inciso:
    """Aprova um pedido cujos incisos do titular e o próprio pedido já estão travados pelo chamador.

    *origem*: o inciso de origem relido por ``travar_incisos_do_titular`` (com exercício, emenda, ação e UO).
    """
    _mudar_status(rem, Status.APROVADO, usuario=usuario, observacao=observacao)
    exercicio = origem.exercicio
    # O que pode ter mudado desde o pedido (programações reimportadas, política editada, outros pedidos) é
    # conferido de novo, com as mesmas mensagens do pedido. A janela não: aprovar depois do prazo vale.
    regras.validar_destino(inciso=origem, acao=rem.acao, grupo_despesa=rem.grupo_despesa)
    regras.validar_politica(inciso=origem, acao=rem.acao, valor=rem.valor, excluir=rem.pk)
    agora = timezone.now()
    # Por último: o contador dos incisos R fica travado só para a gravação (emendas/travas.py, passo 5).
    numero, = reservar_numeros(exercicio.pk, SequenciaExercicio.Nome.INCISO_R)
    novo = Inciso.objects.create(
        exercicio=exercicio,
        emenda=origem.emenda,
        numero=f"R{numero}",
        acao=rem.acao,
        grupo_despesa=rem.grupo_despesa,
        valor_inicial=rem.valor,
        inciso_origem=origem,
        saldo_inicial=prazos.saldo_inicial_inciso_r(exercicio, timezone.localdate(agora), rem.saldo_origem),
        criado_em=agora,
    )
    rem.decidido_por, rem.decidido_em, rem.inciso_gerado = usuario, agora, novo
    rem.save(update_fields=["status", "decidido_por", "decidido_em", "inciso_gerado"])
    _email_decisao(rem, origem)
    return novo


@atomico
def reprovar_remanejamento(*, usuario, remanejamento, justificativa) -> Remanejamento:
    _exigir_segov(usuario)
    justificativa = texto_limitado(justificativa, obrigatorio="Informe a justificativa da reprovação.",
                                   rotulo="A justificativa")
    # Trava o pedido (única trava: devolver dinheiro não depende de saldo).
    rem = (Remanejamento.objects.select_for_update(no_key=True, of=("self",))
           .select_related("inciso_origem__exercicio").get(pk=remanejamento.pk))
    exercicio = rem.inciso_origem.exercicio
    _mudar_status(rem, Status.REPROVADO, usuario=usuario, observacao=justificativa)
    rem.saldo_devolucao = prazos.destino_devolucao_remanejamento(exercicio, timezone.localdate(), rem.saldo_origem)
    rem.justificativa = justificativa
    rem.decidido_por, rem.decidido_em = usuario, timezone.now()
    rem.save(update_fields=["status", "saldo_devolucao", "justificativa", "decidido_por", "decidido_em"])
    _email_decisao(rem)
    return rem


# ---------------------------------------------------------------------------
# E-mails (gravados na caixa de saída dentro da transação; enviados após o commit)

def _contexto_email(rem: Remanejamento, origem: Inciso | None = None) -> dict:
    """*origem*: o inciso relido por ``travar_incisos_do_titular`` (titular, ação, UO e grupo já carregados); com
    ele e o pedido com o destino carregado, o e-mail sai sem consulta, dentro da trava. Sem ele, relê tudo."""
    if origem is None:
        rem = Remanejamento.objects.select_related(
            "inciso_origem__emenda__parlamentar__usuario", "inciso_origem__emenda__bloco__responsavel__usuario",
            "inciso_origem__acao__uo", "inciso_origem__grupo_despesa", "acao__uo", "grupo_despesa", "solicitado_por",
            "decidido_por", "inciso_gerado",
        ).get(pk=rem.pk)
        origem = rem.inciso_origem
    return {"rem": rem, "inciso": origem, "valor": formatar_brl(rem.valor), "url": settings.SIGCON_URL_BASE}


def _destinatarios_segov() -> list[str]:
    Usuario = get_user_model()
    return [settings.SIGCON_EMAIL_SEGOV, *Usuario.objects.filter(
        groups__name=perfis.SEGOV, is_active=True).values_list("email", flat=True)]


def _email_solicitacao(rem: Remanejamento, origem: Inciso, destinatarios: list[str]) -> None:
    ctx = _contexto_email(rem, origem)
    enfileirar_email(
        assunto=f"SIGCON Saída – remanejamento solicitado: inciso {ctx['inciso'].numero}, {ctx['valor']}",
        corpo=render_to_string("emails/remanejamento_solicitado.txt", ctx),
        destinatarios=destinatarios, tipo=EmailPendente.Tipo.REMANEJAMENTO_SOLICITADO,
    )


def _email_decisao(rem: Remanejamento, origem: Inciso | None = None) -> None:
    ctx = _contexto_email(rem, origem)
    emenda = ctx["inciso"].emenda
    # O titular (num bloco, o responsável) e os assessores ativos dele.
    destinatarios = emails_do_titular(emenda.bloco.responsavel if emenda.bloco_id else emenda.parlamentar)
    situacao = "aprovado" if rem.status == Status.APROVADO else "reprovado"
    enfileirar_email(
        assunto=f"SIGCON Saída – remanejamento {situacao}: inciso {ctx['inciso'].numero}, {ctx['valor']}",
        corpo=render_to_string("emails/remanejamento_decidido.txt", ctx),
        destinatarios=destinatarios, tipo=EmailPendente.Tipo.REMANEJAMENTO_DECIDIDO,
    )
