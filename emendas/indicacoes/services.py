"""Indicação de recursos: envio, análise do órgão e da SEGOV, ajuste, impedimento técnico, cancelamento.

Mesmo formato dos serviços de remanejamento: trava, confere, muda, registra, agenda e-mails.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from convenios.models import Convenente, PropostaPlanoTrabalho
from notificacoes.services import enfileirar_email
from sigcon.dinheiro import formatar_brl
from sigcon.texto import texto_limitado
from sigcon.estados import Maquina
from sigcon.transacoes import atomico

from .. import prazos
from ..models import CategoriaImpedimento, Indicacao, Inciso, RegistroIndicacao, SequenciaExercicio, UnidadeOrcamentaria
from ..regras import validar_valor
from ..selectors import pode_escrever_no_inciso, saldos_inciso
from ..travas import proximo_numero, travar_incisos_do_titular
from . import regras

Status = Indicacao.Status
Forma = Indicacao.FormaExecucao


def formas_permitidas(inciso: Inciso) -> list[str]:
    """Formas de execução que a programação do inciso admite (DOMAIN.md §7.1)."""
    if inciso.acao.destino_livre:
        return [Forma.TRANSFERENCIA_ESPECIAL]  # UO 1491 / ação 2090: só transferência especial
    formas = [Forma.CONVENIO, Forma.EXECUCAO_DIRETA, Forma.DOACAO_BENS, Forma.OUTROS_INSTRUMENTOS]
    secretaria = inciso.acao.uo.secretaria
    if secretaria == UnidadeOrcamentaria.Secretaria.EDUCACAO:
        formas.insert(2, Forma.CAIXA_ESCOLAR)
    if secretaria == UnidadeOrcamentaria.Secretaria.SAUDE:
        formas.insert(2, Forma.RESOLUCAO_SES)
    return formas


def _historico_indicacao(ind, anterior, novo, usuario, texto) -> None:
    RegistroIndicacao.objects.create(
        indicacao=ind, usuario=usuario, status_anterior=anterior, status_novo=novo, justificativa=texto
    )


# Transições permitidas, conferidas num só lugar (sigcon.estados); as telas oferecem os botões a partir daqui.
MAQUINA = Maquina(
    nome="indicacao",
    transicoes={
        Status.EM_ANALISE_ORGAO: {Status.EM_ANALISE_SEGOV, Status.AGUARDANDO_AJUSTE, Status.REPROVADA,
                                  Status.CANCELADA},
        Status.EM_ANALISE_SEGOV: {Status.APROVADA, Status.RETORNADO_SEGOV, Status.CANCELADA},
        Status.RETORNADO_SEGOV: {Status.EM_ANALISE_SEGOV, Status.AGUARDANDO_AJUSTE, Status.REPROVADA,
                                 Status.CANCELADA},
        Status.AGUARDANDO_AJUSTE: {Status.EM_ANALISE_ORGAO, Status.REPROVADA, Status.CANCELADA},
        Status.APROVADA: {Status.REPROVADA, Status.AGUARDANDO_AJUSTE, Status.CANCELADA},
    },
    verbos={
        Status.EM_ANALISE_SEGOV: "aprovar_orgao", Status.APROVADA: "aprovar_segov",
        Status.RETORNADO_SEGOV: "retornar_ao_orgao", Status.AGUARDANDO_AJUSTE: "devolver_para_ajuste",
        Status.REPROVADA: "reprovar", Status.CANCELADA: "cancelar", Status.EM_ANALISE_ORGAO: "ajustar",
    },
    historico=_historico_indicacao,
    descrever=lambda ind: f"A indicação nº {ind.numero}",
    campo_texto="justificativa",
)


def _mudar(ind: Indicacao, novo: str, *, usuario, justificativa: str = "") -> None:
    MAQUINA.aplicar(ind, novo, usuario=usuario, texto=justificativa)


def _justificativa(texto) -> str:
    return texto_limitado(texto, obrigatorio="Informe a justificativa.", rotulo="A justificativa")


def _travar(indicacao) -> Indicacao:
    # Trava a indicação: duas decisões simultâneas (aprovar e reprovar, cancelar e aprovar) não podem ambas valer.
    # of=self: o select_related não pode travar também a linha do exercício (ver emendas/travas.py).
    return (Indicacao.objects.select_for_update(no_key=True, of=("self",)).select_related("exercicio")
            .get(pk=indicacao.pk))


def _inciso(ind: Indicacao) -> Inciso:
    return Inciso.objects.select_related("acao__uo", "emenda__parlamentar__usuario", "emenda__bloco__responsavel__usuario").get(
        pk=ind.inciso_id
    )


def exigir_sem_proposta(ind: Indicacao, acao: str) -> None:
    """O valor que uma proposta usa está comprometido (Decisões, "Money committed to a convênio").

    Chamada com a indicação travada: ``gerar_proposta`` trava as mesmas indicações antes de criar o uso.
    """
    usos = list(ind.usos.select_related("proposta").order_by("proposta_id"))
    if not usos:
        return
    propostas = ", ".join(
        f"nº {u.proposta_id} ({u.proposta.get_status_display().lower()}, usa {formatar_brl(u.valor)})" for u in usos
    )
    if all(u.proposta.status in PropostaPlanoTrabalho.ANTES_DA_APROVACAO for u in usos):
        saida = ("Para soltá-la, o convenente ou o órgão concedente deve desvincular a indicação da proposta ou "
                 "cancelar a proposta; depois tente de novo.")
    else:
        saida = ("A proposta já foi aprovada: o valor está comprometido com o convênio e só a parte não utilizada pode "
                 "voltar ao inciso, pelo controle de execução da proposta.")
    raise ValidationError(
        f"A indicação nº {ind.numero} não pode ser {acao}: está vinculada à proposta {propostas}. {saida}"
    )


def e_analista_da_uo(usuario, uo_id) -> bool:
    return perfis.tem_perfil(usuario, perfis.ORGAO) and usuario.uos_analisadas.filter(pk=uo_id).exists()


# Quem leva a indicação a cada situação (o órgão da UO, a SEGOV, o titular). Os serviços conferem com estas
# regras e as telas oferecem os botões com elas e a tabela de transições (transicoes_do_usuario).
_ANALISTA, _SEGOV, _TITULAR = "analista", "segov", "titular"
QUEM_PODE = {
    Status.EM_ANALISE_SEGOV: _ANALISTA, Status.AGUARDANDO_AJUSTE: _ANALISTA, Status.REPROVADA: _ANALISTA,
    Status.APROVADA: _SEGOV, Status.RETORNADO_SEGOV: _SEGOV,
    Status.CANCELADA: _TITULAR, Status.EM_ANALISE_ORGAO: _TITULAR,
}


def transicoes_do_usuario(*, usuario, indicacao) -> frozenset[str]:
    """Situações a que *usuario* pode levar a indicação agora: a tabela (MAQUINA) e a regra de quem pode."""
    inciso = indicacao.inciso
    papeis = {
        _ANALISTA: lambda: e_analista_da_uo(usuario, inciso.acao.uo_id),
        _SEGOV: lambda: perfis.e_segov(usuario),
        _TITULAR: lambda: pode_escrever_no_inciso(usuario, inciso),
    }
    return frozenset(novo for novo in MAQUINA.seguintes(indicacao.status) if papeis[QUEM_PODE[novo]]())


def _exigir_analista(usuario, inciso: Inciso) -> None:
    if not e_analista_da_uo(usuario, inciso.acao.uo_id):
        raise PermissionDenied(f"Somente o analista do órgão da UO {inciso.acao.uo.codigo} analisa esta indicação.")


def _exigir_segov(usuario) -> None:
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV faz a análise de segundo nível.")


def _exigir_titular(usuario, inciso: Inciso) -> None:
    if not pode_escrever_no_inciso(usuario, inciso):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) age sobre esta indicação.")


# ---------------------------------------------------------------------------
# Envio

def _conferir_envio(*, usuario, inciso, forma_execucao, valor, beneficiario, objeto, origem_saldo, dia):
    _exigir_titular(usuario, inciso)
    valor = validar_valor(valor)
    if forma_execucao not in formas_permitidas(inciso):
        nomes = ", ".join(Forma(f).label for f in formas_permitidas(inciso))
        raise ValidationError(
            f"A forma “{Forma(forma_execucao).label if forma_execucao in Forma.values else forma_execucao}” não é "
            f"permitida para o inciso {inciso.numero} (UO {inciso.acao.uo.codigo}, ação {inciso.acao.codigo}). "
            f"Permitidas: {nomes}."
        )
    recusa = regras.conferir_beneficiario(forma_execucao, _tipo_do_beneficiario(beneficiario))
    if recusa:
        raise ValidationError(recusa)
    objeto = texto_limitado(objeto, obrigatorio="Descreva o objeto da indicação.", rotulo="O objeto")
    usos = prazos.conferir_janela(inciso.exercicio, dia, "indicacao")
    if len(usos) == 1:
        if origem_saldo and origem_saldo != usos[0]:
            raise ValidationError(f"Hoje a indicação só pode usar o saldo {prazos.OrigemSaldo(usos[0]).label.lower()}.")
        origem = usos[0]
    else:
        if origem_saldo not in usos:
            raise ValidationError(
                "Escolha o saldo a usar: com possibilidade de remanejamento ou sem possibilidade de remanejamento."
            )
        origem = origem_saldo
    saldos = saldos_inciso(inciso, dia)
    disponivel = saldos.saldo_do_balde(origem)
    if valor > disponivel:
        raise ValidationError(
            f"Valor acima do saldo {prazos.OrigemSaldo(origem).label.lower()} do inciso {inciso.numero}: "
            f"pedido {formatar_brl(valor)}, disponível {formatar_brl(disponivel)}."
        )
    return valor, objeto, origem


def _tipo_do_beneficiario(beneficiario) -> str | None:
    """O tipo gravado no banco, não o do objeto recebido (que pode ter sido alterado em memória)."""
    if beneficiario is None:
        return None
    return Convenente.objects.values_list("tipo", flat=True).get(pk=beneficiario.pk)


@atomico
def enviar_indicacao(*, usuario, inciso, forma_execucao, valor, beneficiario=None, objeto="", origem_saldo=None) -> Indicacao:
    return _enviar(usuario=usuario, inciso=inciso, forma_execucao=forma_execucao, valor=valor,
                   beneficiario=beneficiario, objeto=objeto, origem_saldo=origem_saldo)


@atomico
def enviar_indicacoes(*, usuario, inciso, forma_execucao, objeto, linhas, origem_saldo=None) -> list[Indicacao]:
    """Várias indicações (uma por beneficiário) validadas juntas: se uma falha, nenhuma é gravada.

    *linhas*: lista de (beneficiario, valor). O erro diz a linha.
    """
    if not linhas:
        raise ValidationError("Inclua ao menos um beneficiário.")
    criadas = []
    for n, (beneficiario, valor) in enumerate(linhas, start=1):
        try:
            criadas.append(_enviar(usuario=usuario, inciso=inciso, forma_execucao=forma_execucao, valor=valor,
                                   beneficiario=beneficiario, objeto=objeto, origem_saldo=origem_saldo))
        except ValidationError as exc:
            raise ValidationError(f"Linha {n}: {' '.join(exc.messages)} Nenhuma indicação foi gravada.") from exc
    return criadas


def _enviar(*, usuario, inciso, forma_execucao, valor, beneficiario, objeto, origem_saldo) -> Indicacao:
    # Trava os incisos do titular (a indicação e o remanejamento disputam o mesmo saldo).
    inciso = travar_incisos_do_titular(inciso)
    dia = timezone.localdate()
    valor, objeto, origem = _conferir_envio(
        usuario=usuario, inciso=inciso, forma_execucao=forma_execucao, valor=valor, beneficiario=beneficiario,
        objeto=objeto, origem_saldo=origem_saldo, dia=dia,
    )
    ind = Indicacao.objects.create(
        exercicio_id=inciso.exercicio_id, numero=proximo_numero(inciso.exercicio_id, SequenciaExercicio.Nome.INDICACAO),
        inciso=inciso, forma_execucao=forma_execucao,
        beneficiario=beneficiario, objeto=objeto, valor=valor, origem_saldo=origem, enviada_por=usuario,
    )
    RegistroIndicacao.objects.create(
        indicacao=ind, usuario=usuario, status_novo=Status.EM_ANALISE_ORGAO,
        justificativa=f"Enviada usando o saldo {ind.get_origem_saldo_display().lower()}.",
    )
    registrar(acao="indicacao.enviar", objeto=ind, usuario=usuario, depois={
        "status": ind.status, "inciso": inciso.numero, "forma_execucao": forma_execucao, "valor": valor,
        "beneficiario": beneficiario, "objeto": objeto, "origem_saldo": origem})
    return ind


# ---------------------------------------------------------------------------
# Órgão

def aprovar_indicacao_orgao(*, usuario, indicacao) -> Indicacao:
    with transaction.atomic():
        ind = _travar(indicacao)
        _exigir_analista(usuario, _inciso(ind))
        _mudar(ind, Status.EM_ANALISE_SEGOV, usuario=usuario)
        ind.aprovada_orgao_por, ind.aprovada_orgao_em = usuario, timezone.now()
        ind.save(update_fields=["status", "aprovada_orgao_por", "aprovada_orgao_em"])
    return ind


def devolver_para_ajuste(*, usuario, indicacao, justificativa) -> Indicacao:
    justificativa = _justificativa(justificativa)
    with transaction.atomic():
        ind = _travar(indicacao)
        inciso = _inciso(ind)
        _exigir_analista(usuario, inciso)
        exigir_sem_proposta(ind, "devolvida para ajuste")
        _mudar(ind, Status.AGUARDANDO_AJUSTE, usuario=usuario, justificativa=justificativa)
        ind.justificativa = justificativa
        ind.save(update_fields=["status", "justificativa"])
        _email_parlamentar(ind, inciso, "emails/indicacao_ajuste.txt",
                           f"SIGCON Saída – indicação nº {ind.numero} devolvida para ajuste", usuario)
    return ind


def reprovar_indicacao(*, usuario, indicacao, categoria, justificativa) -> Indicacao:
    """Impedimento de ordem técnica. O valor segue a tabela de devolução das Decisões."""
    justificativa = _justificativa(justificativa)
    with transaction.atomic():
        ind = _travar(indicacao)
        inciso = _inciso(ind)
        _exigir_analista(usuario, inciso)
        if categoria is None or not CategoriaImpedimento.do_exercicio(ind.exercicio).filter(pk=categoria.pk).exists():
            raise ValidationError("Escolha uma categoria de impedimento de ordem técnica da lista do exercício.")
        exigir_sem_proposta(ind, "reprovada por impedimento técnico")
        _mudar(ind, Status.REPROVADA, usuario=usuario, justificativa=f"{categoria.nome}: {justificativa}")
        ind.saldo_devolucao = prazos.destino_devolucao_indicacao(
            ind.exercicio, timezone.localdate(), ind.origem_saldo, cancelamento=False
        )
        ind.categoria_impedimento, ind.justificativa = categoria, justificativa
        ind.encerrada_por, ind.encerrada_em = usuario, timezone.now()
        ind.save(update_fields=["status", "saldo_devolucao", "categoria_impedimento", "justificativa",
                                "encerrada_por", "encerrada_em"])
        _email_parlamentar(ind, inciso, "emails/indicacao_reprovada.txt",
                           f"SIGCON Saída – indicação nº {ind.numero} reprovada por impedimento técnico", usuario)
    return ind


# ---------------------------------------------------------------------------
# SEGOV

def aprovar_indicacao_segov(*, usuario, indicacao) -> Indicacao:
    _exigir_segov(usuario)
    with transaction.atomic():
        ind = _travar(indicacao)
        _mudar(ind, Status.APROVADA, usuario=usuario)
        ind.aprovada_segov_por, ind.aprovada_segov_em = usuario, timezone.now()
        ind.save(update_fields=["status", "aprovada_segov_por", "aprovada_segov_em"])
    return ind


def retornar_ao_orgao(*, usuario, indicacao, justificativa) -> Indicacao:
    _exigir_segov(usuario)
    justificativa = _justificativa(justificativa)
    with transaction.atomic():
        ind = _travar(indicacao)
        _mudar(ind, Status.RETORNADO_SEGOV, usuario=usuario, justificativa=justificativa)
        ind.justificativa = justificativa
        ind.save(update_fields=["status", "justificativa"])
    return ind


# ---------------------------------------------------------------------------
# Parlamentar: ajuste e cancelamento

def ajustar_indicacao(*, usuario, indicacao, objeto) -> Indicacao:
    """Depois da devolução do órgão: só o objeto muda; volta para o órgão; ``enviada_em`` fica."""
    objeto = texto_limitado(objeto, obrigatorio="Descreva o objeto ajustado.", rotulo="O objeto")
    with transaction.atomic():
        ind = _travar(indicacao)
        _exigir_titular(usuario, _inciso(ind))
        if ind.status != Status.AGUARDANDO_AJUSTE:
            raise ValidationError(f"A indicação nº {ind.numero} não está aguardando ajuste.")
        _mudar(ind, Status.EM_ANALISE_ORGAO, usuario=usuario, justificativa=f"Objeto ajustado: {objeto[:500]}")
        ind.objeto = objeto
        ind.save(update_fields=["status", "objeto"])
    return ind


def cancelar_indicacao(*, usuario, indicacao, justificativa) -> Indicacao:
    justificativa = _justificativa(justificativa)
    with transaction.atomic():
        ind = _travar(indicacao)
        _exigir_titular(usuario, _inciso(ind))
        exigir_sem_proposta(ind, "cancelada")
        try:
            destino = prazos.destino_devolucao_indicacao(
                ind.exercicio, timezone.localdate(), ind.origem_saldo, cancelamento=True
            )
        except prazos.CancelamentoRecusado as exc:
            raise ValidationError(str(exc)) from None
        _mudar(ind, Status.CANCELADA, usuario=usuario, justificativa=justificativa)
        ind.saldo_devolucao, ind.justificativa = destino, justificativa
        ind.encerrada_por, ind.encerrada_em = usuario, timezone.now()
        ind.save(update_fields=["status", "saldo_devolucao", "justificativa", "encerrada_por", "encerrada_em"])
    return ind


# ---------------------------------------------------------------------------
# E-mails

def _email_parlamentar(ind: Indicacao, inciso: Inciso, template: str, assunto: str, responsavel) -> None:
    emenda = inciso.emenda
    destino = emenda.bloco.responsavel.usuario.email if emenda.bloco_id else emenda.parlamentar.usuario.email
    ind = Indicacao.objects.select_related("beneficiario", "categoria_impedimento").get(pk=ind.pk)
    corpo = render_to_string(template, {
        "ind": ind, "inciso": inciso, "valor": formatar_brl(ind.valor), "responsavel": responsavel,
        "agora": timezone.localtime(), "url": settings.SIGCON_URL_BASE,
    })
    enfileirar_email(assunto=assunto, corpo=corpo, destinatarios=[destino])


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
        assunto=f"SIGCON Saída – {quantidade} indicação(ões) aguardando a SEGOV em {dia:%d/%m/%Y}",
        corpo=corpo, destinatarios=destinatarios, chave=f"resumo-segov-{dia.isoformat()}",
    )
