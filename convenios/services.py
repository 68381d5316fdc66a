"""Propostas de plano de trabalho, assinaturas e liberação de recursos, com as checagens CAGEC / SIAFI-MG.

As consultas aos sistemas externos acontecem ANTES da transação (HTTP nunca dentro de uma transação
do banco) e ficam registradas mesmo quando o passo é recusado. Depois, dentro da transação, travamos
as linhas de que o saldo depende e conferimos situação e valores.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from contas import perfis
from emendas import regras_remanejamento as regras
from emendas.models import Indicacao
from emendas.prazos import OrigemSaldo
from emendas.services_indicacao import e_analista_da_uo
from integracoes import cagec, siafi
from integracoes.errors import IntegracaoIndisponivel
from sigcon.dinheiro import ZERO, formatar_brl

from .permissoes import e_usuario_do_convenente
from .models import (
    Convenente, EventoProposta, Liberacao, PropostaPlanoTrabalho, UsoIndicacao, VerificacaoRegularidade,
)

Proposta = PropostaPlanoTrabalho
Status = Proposta.Status
Resultado = VerificacaoRegularidade.Resultado

MOMENTOS = dict(VerificacaoRegularidade._meta.get_field("momento").choices)
# Momentos em que cada regime consulta o CAGEC (DOMAIN.md §8.3 e Decisões).
MOMENTOS_CAGEC = {
    Proposta.Regime.LEGADO: {"GERAR", "ENVIAR"},
    Proposta.Regime.DEC_48745: {"ASSINATURA_CONVENENTE", "ASSINATURA_CONCEDENTE"},
}

TRANSICOES = {
    Status.CADASTRAMENTO: {Status.ENVIADA},
    Status.DEVOLVIDA: {Status.ENVIADA},
    Status.ENVIADA: {Status.EM_ANALISE},
    Status.EM_ANALISE: {Status.APROVADA, Status.DEVOLVIDA},
    Status.APROVADA: {Status.ASSINADA},
    Status.ASSINADA: {Status.VIGENTE},
}


class ErroRegularidade(ValidationError):
    """Passo bloqueado por irregularidade no CAGEC ou bloqueio no SIAFI-MG; leva as pendências."""

    def __init__(self, mensagem, *, sistema, pendencias=()):
        super().__init__(mensagem)
        self.sistema = sistema
        self.pendencias = list(pendencias)


# ---------------------------------------------------------------------------
# Regras

def motivo_isencao_cagec(*, tipo_convenente: str, natureza_especial: str, usa_emenda_impositiva: bool) -> str:
    """Predicado único de isenção da regularidade (DOMAIN.md §8.3). Vazio quando a regularidade é exigida."""
    publicos = {Convenente.Tipo.ADM_MUNICIPAL, Convenente.Tipo.CONSORCIO_PUBLICO, Convenente.Tipo.ENTIDADE_PUBLICA}
    if tipo_convenente in publicos and natureza_especial:
        natureza = Proposta.Natureza(natureza_especial).label.lower()
        return f"Isento: ente público com repasse de natureza especial ({natureza})."
    if tipo_convenente in {Convenente.Tipo.ADM_MUNICIPAL, Convenente.Tipo.CONSORCIO_PUBLICO} and usa_emenda_impositiva:
        return "Isento: município ou consórcio público recebendo emenda parlamentar impositiva."
    return ""


def _usa_impositiva(indicacoes) -> bool:
    return any(i.origem_saldo != OrigemSaldo.NAO_IMPOSITIVO for i in indicacoes)


def valor_utilizado(indicacao) -> Decimal:
    return indicacao.usos.aggregate(t=Sum("valor"))["t"] or ZERO


def _registrar(proposta, *, sistema, momento, resultado, detalhe, usuario):
    if proposta is not None:
        VerificacaoRegularidade.objects.create(
            proposta=proposta, sistema=sistema, momento=momento, resultado=resultado, detalhe=detalhe[:4000],
            usuario=usuario,
        )


def _usar_excecao(proposta, sistema, momento) -> VerificacaoRegularidade | None:
    if proposta is None:
        return None
    with transaction.atomic():
        # Trava a exceção: ela vale para uma única tentativa.
        excecao = (VerificacaoRegularidade.objects.select_for_update()
                   .filter(proposta=proposta, sistema=sistema, momento=momento, resultado=Resultado.EXCECAO, usada=False)
                   .first())
        if excecao:
            excecao.usada = True
            excecao.save(update_fields=["usada"])
        return excecao


def _atualizar_espelho(convenente: Convenente, resposta) -> None:
    Convenente.objects.filter(pk=convenente.pk).update(
        situacao_cagec=resposta.situacao, siafi_bloqueado=resposta.siafi_bloqueado,
        siafi_motivo=resposta.siafi_motivo[:250], situacao_consultada_em=resposta.consultado_em,
    )


def checar_cagec(*, usuario, convenente, momento, proposta=None, natureza_especial="", indicacoes=()) -> list[tuple]:
    """Checa a regularidade no CAGEC (fora de transação). Devolve o que registrar; recusa quando irregular."""
    motivo = motivo_isencao_cagec(tipo_convenente=convenente.tipo, natureza_especial=natureza_especial,
                                  usa_emenda_impositiva=_usa_impositiva(indicacoes))
    if motivo:
        return [("CAGEC", momento, Resultado.ISENTO, motivo)]
    excecao = _usar_excecao(proposta, "CAGEC", momento)
    if excecao:
        return [("CAGEC", momento, Resultado.EXCECAO, f"Exceção da SEGOV usada: {excecao.detalhe}")]
    try:
        resposta = cagec.consultar(convenente.cnpj, usuario=usuario)
    except IntegracaoIndisponivel:
        _registrar(proposta, sistema="CAGEC", momento=momento, resultado=Resultado.INDISPONIVEL,
                   detalhe="O CAGEC não respondeu.", usuario=usuario)
        raise ValidationError("O CAGEC não respondeu; seus dados estão salvos, tente novamente em instantes.") from None
    _atualizar_espelho(convenente, resposta)
    if not resposta.regular:
        pendencias = [
            f"{p.descricao}" + (f" (validade {p.validade:%d/%m/%Y})" if p.validade else "") for p in resposta.pendencias
        ] or ["Situação irregular no CAGEC."]
        _registrar(proposta, sistema="CAGEC", momento=momento, resultado=Resultado.IRREGULAR,
                   detalhe="; ".join(pendencias), usuario=usuario)
        raise ErroRegularidade(
            f"Convenente IRREGULAR no CAGEC (consulta de {timezone.localtime(resposta.consultado_em):%d/%m/%Y %H:%M}). "
            "Regularize as pendências no CAGEC e consulte novamente.",
            sistema="CAGEC", pendencias=pendencias,
        )
    return [("CAGEC", momento, Resultado.REGULAR, f"Regular no CAGEC em {timezone.localtime(resposta.consultado_em):%d/%m/%Y %H:%M}.")]


def checar_siafi(*, usuario, proposta, momento) -> list[tuple]:
    """Checa bloqueio no SIAFI-MG (fora de transação); recusa quando bloqueado."""
    excecao = _usar_excecao(proposta, "SIAFI", momento)
    if excecao:
        return [("SIAFI", momento, Resultado.EXCECAO, f"Exceção da SEGOV usada: {excecao.detalhe}")]
    try:
        resposta = siafi.consultar(proposta.convenente.cnpj, usuario=usuario)
    except IntegracaoIndisponivel:
        _registrar(proposta, sistema="SIAFI", momento=momento, resultado=Resultado.INDISPONIVEL,
                   detalhe="O SIAFI-MG não respondeu.", usuario=usuario)
        raise ValidationError("O SIAFI-MG não respondeu; seus dados estão salvos, tente novamente em instantes.") from None
    Convenente.objects.filter(pk=proposta.convenente_id).update(
        siafi_bloqueado=resposta.bloqueado, siafi_motivo=resposta.motivo[:250],
        situacao_consultada_em=resposta.consultado_em,
    )
    if resposta.bloqueado:
        motivo = resposta.motivo or "motivo não informado"
        _registrar(proposta, sistema="SIAFI", momento=momento, resultado=Resultado.IRREGULAR, detalhe=motivo,
                   usuario=usuario)
        raise ErroRegularidade(
            f"Convenente com bloqueio no SIAFI-MG: {motivo} (consulta de "
            f"{timezone.localtime(resposta.consultado_em):%d/%m/%Y %H:%M}).",
            sistema="SIAFI", pendencias=[motivo],
        )
    return [("SIAFI", momento, Resultado.REGULAR, "Sem bloqueio no SIAFI-MG.")]


def _gravar_verificacoes(proposta, verificacoes, usuario):
    for sistema, momento, resultado, detalhe in verificacoes:
        _registrar(proposta, sistema=sistema, momento=momento, resultado=resultado, detalhe=detalhe, usuario=usuario)


def _mudar(proposta, novo, *, usuario, observacao=""):
    anterior = proposta.status
    if novo not in TRANSICOES.get(anterior, set()):
        raise ValidationError(
            f"A proposta nº {proposta.pk} está “{proposta.get_status_display().lower()}” e não pode passar a "
            f"“{Status(novo).label.lower()}”."
        )
    proposta.status = novo
    EventoProposta.objects.create(proposta=proposta, usuario=usuario, status_anterior=anterior, status_novo=novo,
                                  observacao=observacao)


# ---------------------------------------------------------------------------
# Permissões

def _exigir_convenente(usuario, convenente):
    if not e_usuario_do_convenente(usuario, convenente):
        raise PermissionDenied("Somente os usuários do convenente agem nesta proposta.")


def _exigir_concedente(usuario, proposta):
    if not e_analista_da_uo(usuario, proposta.concedente_id):
        raise PermissionDenied("Somente o analista do órgão concedente age nesta proposta.")


# ---------------------------------------------------------------------------
# Proposta

def indicacoes_disponiveis(convenente):
    """Indicações APROVADAS de convênio para o CNPJ do convenente com saldo ainda não utilizado."""
    qs = (Indicacao.objects.filter(beneficiario=convenente, status=Indicacao.Status.APROVADA,
                                   forma_execucao=Indicacao.FormaExecucao.CONVENIO)
          .select_related("inciso__acao__uo", "inciso__emenda__parlamentar", "inciso__emenda__bloco")
          .annotate(utilizado=Sum("usos__valor")).order_by("numero"))
    return [i for i in qs if i.valor - (i.utilizado or ZERO) > 0]


def gerar_proposta(*, usuario, convenente, indicacoes, objeto, regime="LEGADO", natureza_especial="",
                   tipo_instrumento="CONVENIO", vigencia_inicio=None, vigencia_fim=None) -> PropostaPlanoTrabalho:
    """*indicacoes*: ``{Indicacao: Decimal}`` com o valor usado de cada uma."""
    _exigir_convenente(usuario, convenente)
    objeto = (objeto or "").strip()
    if not objeto:
        raise ValidationError("Descreva o objeto da proposta.")
    if regime not in Proposta.Regime.values:
        raise ValidationError("Regime desconhecido.")
    if natureza_especial not in Proposta.Natureza.values:
        raise ValidationError("Natureza especial desconhecida.")
    if tipo_instrumento not in Proposta.TipoInstrumento.values:
        raise ValidationError("Tipo de instrumento desconhecido.")
    if vigencia_inicio and vigencia_fim and vigencia_fim < vigencia_inicio:
        raise ValidationError("O fim da vigência não pode ser anterior ao início.")
    if not indicacoes:
        raise ValidationError("Escolha ao menos uma indicação aprovada e o valor a usar.")
    valores = {ind.pk: regras.validar_valor(v) for ind, v in indicacoes.items()}
    lista = list(Indicacao.objects.filter(pk__in=valores).select_related("inciso__acao__uo"))
    verificacoes = []
    if "GERAR" in MOMENTOS_CAGEC[regime]:
        verificacoes = checar_cagec(usuario=usuario, convenente=convenente, momento="GERAR",
                                    natureza_especial=natureza_especial, indicacoes=lista)
    with transaction.atomic():
        # Trava as indicações: duas propostas simultâneas não podem usar juntas mais que o valor indicado.
        travadas = list(Indicacao.objects.select_for_update().filter(pk__in=valores).order_by("pk"))
        concedentes = {i.inciso.acao.uo_id for i in lista}
        if len(concedentes) != 1:
            raise ValidationError("Todas as indicações da proposta devem ser do mesmo concedente (mesma UO).")
        for ind in travadas:
            if ind.beneficiario_id != convenente.pk:
                raise PermissionDenied(f"A indicação nº {ind.numero} não é para este convenente.")
            if ind.status != Indicacao.Status.APROVADA or ind.forma_execucao != Indicacao.FormaExecucao.CONVENIO:
                raise ValidationError(f"A indicação nº {ind.numero} não está aprovada para convênio.")
            restante = ind.valor - valor_utilizado(ind)
            if valores[ind.pk] > restante:
                raise ValidationError(
                    f"Indicação nº {ind.numero}: valor a usar {formatar_brl(valores[ind.pk])} acima do disponível "
                    f"{formatar_brl(restante)}."
                )
        proposta = Proposta.objects.create(
            concedente_id=concedentes.pop(), convenente=convenente, objeto=objeto[:4000], regime=regime,
            natureza_especial=natureza_especial, tipo_instrumento=tipo_instrumento, vigencia_inicio=vigencia_inicio,
            vigencia_fim=vigencia_fim, criado_por=usuario,
        )
        UsoIndicacao.objects.bulk_create([UsoIndicacao(proposta=proposta, indicacao=i, valor=valores[i.pk]) for i in travadas])
        EventoProposta.objects.create(proposta=proposta, usuario=usuario, status_novo=Status.CADASTRAMENTO,
                                      observacao="Proposta gerada.")
        _gravar_verificacoes(proposta, verificacoes, usuario)
    return proposta


def _indicacoes_da_proposta(proposta):
    return list(Indicacao.objects.filter(usos__proposta=proposta))


def enviar_proposta(*, usuario, proposta) -> PropostaPlanoTrabalho:
    _exigir_convenente(usuario, proposta.convenente)
    verificacoes = []
    if "ENVIAR" in MOMENTOS_CAGEC[proposta.regime]:
        verificacoes = checar_cagec(usuario=usuario, convenente=proposta.convenente, momento="ENVIAR", proposta=proposta,
                                    natureza_especial=proposta.natureza_especial,
                                    indicacoes=_indicacoes_da_proposta(proposta))
    return _transicao(proposta, Status.ENVIADA, usuario=usuario, verificacoes=verificacoes)


def _transicao(proposta, novo, *, usuario, verificacoes=(), observacao="", justificativa=None):
    with transaction.atomic():
        # Trava a proposta: duas ações simultâneas sobre ela não podem ambas valer.
        p = Proposta.objects.select_for_update().get(pk=proposta.pk)
        _mudar(p, novo, usuario=usuario, observacao=observacao)
        campos = ["status"]
        if justificativa is not None:
            p.justificativa = justificativa
            campos.append("justificativa")
        p.save(update_fields=campos)
        _gravar_verificacoes(p, verificacoes, usuario)
    return p


def receber_proposta(*, usuario, proposta):
    _exigir_concedente(usuario, proposta)
    return _transicao(proposta, Status.EM_ANALISE, usuario=usuario)


def devolver_proposta(*, usuario, proposta, justificativa):
    _exigir_concedente(usuario, proposta)
    justificativa = (justificativa or "").strip()
    if not justificativa:
        raise ValidationError("Informe a justificativa da devolução.")
    return _transicao(proposta, Status.DEVOLVIDA, usuario=usuario, observacao=justificativa, justificativa=justificativa)


def aprovar_proposta(*, usuario, proposta):
    _exigir_concedente(usuario, proposta)
    return _transicao(proposta, Status.APROVADA, usuario=usuario)


def assinar_convenente(*, usuario, proposta):
    _exigir_convenente(usuario, proposta.convenente)
    verificacoes = []
    if "ASSINATURA_CONVENENTE" in MOMENTOS_CAGEC[proposta.regime]:
        verificacoes = checar_cagec(usuario=usuario, convenente=proposta.convenente, momento="ASSINATURA_CONVENENTE",
                                    proposta=proposta, natureza_especial=proposta.natureza_especial,
                                    indicacoes=_indicacoes_da_proposta(proposta))
    return _transicao(proposta, Status.ASSINADA, usuario=usuario, verificacoes=verificacoes,
                      observacao="Assinatura eletrônica do convenente.")


def assinar_concedente(*, usuario, proposta):
    _exigir_concedente(usuario, proposta)
    verificacoes = []
    if "ASSINATURA_CONCEDENTE" in MOMENTOS_CAGEC[proposta.regime]:
        verificacoes = checar_cagec(usuario=usuario, convenente=proposta.convenente, momento="ASSINATURA_CONCEDENTE",
                                    proposta=proposta, natureza_especial=proposta.natureza_especial,
                                    indicacoes=_indicacoes_da_proposta(proposta))
    return _transicao(proposta, Status.VIGENTE, usuario=usuario, verificacoes=verificacoes,
                      observacao="Assinatura do concedente e publicação.")


def registrar_excecao(*, usuario, proposta, sistema, momento, justificativa) -> VerificacaoRegularidade:
    """SEGOV autoriza seguir sem a consulta que não respondeu (uma tentativa, registrada)."""
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV registra exceção à consulta.")
    justificativa = (justificativa or "").strip()
    if not justificativa:
        raise ValidationError("Informe a justificativa da exceção.")
    ultima = VerificacaoRegularidade.objects.filter(proposta=proposta, sistema=sistema, momento=momento).first()
    if ultima is None or ultima.resultado != Resultado.INDISPONIVEL:
        raise ValidationError("A exceção só vale quando a última consulta deste passo ficou sem resposta.")
    return VerificacaoRegularidade.objects.create(
        proposta=proposta, sistema=sistema, momento=momento, resultado=Resultado.EXCECAO, detalhe=justificativa[:4000],
        usuario=usuario,
    )


# ---------------------------------------------------------------------------
# Liberação de recursos

def valor_total(proposta) -> Decimal:
    return proposta.usos.aggregate(t=Sum("valor"))["t"] or ZERO


def valor_a_liberar(proposta) -> Decimal:
    liberado = proposta.liberacoes.aggregate(t=Sum("valor"))["t"] or ZERO
    return valor_total(proposta) - liberado


def solicitar_liberacao(*, usuario, proposta, valor) -> Liberacao:
    _exigir_concedente(usuario, proposta)
    valor = regras.validar_valor(valor)
    verificacoes = checar_siafi(usuario=usuario, proposta=proposta, momento="SOLICITAR_LIBERACAO")
    with transaction.atomic():
        # Trava a proposta: duas parcelas simultâneas não podem passar juntas do valor da proposta.
        p = Proposta.objects.select_for_update().get(pk=proposta.pk)
        if p.status != Status.VIGENTE:
            raise ValidationError("A liberação só pode ser pedida para proposta vigente (assinada e publicada).")
        restante = valor_a_liberar(p)
        if valor > restante:
            raise ValidationError(
                f"Valor acima do que resta liberar: pedido {formatar_brl(valor)}, resta {formatar_brl(restante)}."
            )
        parcela = p.liberacoes.count() + 1
        liberacao = Liberacao.objects.create(proposta=p, parcela=parcela, valor=valor, solicitada_por=usuario)
        _gravar_verificacoes(p, verificacoes, usuario)
    return liberacao


def autorizar_liberacao(*, usuario, liberacao) -> Liberacao:
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV autoriza a liberação de recursos.")
    verificacoes = checar_siafi(usuario=usuario, proposta=liberacao.proposta, momento="AUTORIZAR_LIBERACAO")
    with transaction.atomic():
        # Trava a parcela: duas autorizações simultâneas não podem ambas valer.
        lib = Liberacao.objects.select_for_update().get(pk=liberacao.pk)
        if lib.status != Liberacao.Status.SOLICITADA:
            raise ValidationError(f"A parcela {lib.parcela} já foi autorizada.")
        lib.status, lib.autorizada_por, lib.autorizada_em = Liberacao.Status.AUTORIZADA, usuario, timezone.now()
        lib.save(update_fields=["status", "autorizada_por", "autorizada_em"])
        _gravar_verificacoes(lib.proposta, verificacoes, usuario)
    return lib


def atualizar_do_cagec(*, usuario, convenente) -> Convenente:
    """"Atualizar do CAGEC": consulta e grava o espelho local (sem bloquear nada)."""
    resposta = cagec.consultar(convenente.cnpj, usuario=usuario)
    _atualizar_espelho(convenente, resposta)
    campos = {}
    for campo in ("razao_social", "municipio"):
        valor = getattr(resposta, campo, "") or ""
        if valor and valor != getattr(convenente, campo):
            campos[campo] = valor[:250]
    if campos:
        Convenente.objects.filter(pk=convenente.pk).update(**campos)
    convenente.refresh_from_db()
    return convenente


# Saídas para o dinheiro preso numa proposta: mesma interface (convenios.services.*), implementadas em vinculos.
from .vinculos import cancelar_proposta, desvincular_indicacao, pode_cancelar, pode_desvincular  # noqa: E402, F401
