"""Propostas de plano de trabalho, assinaturas e liberação de recursos, com as checagens CAGEC / SIAFI-MG.

Cada passo que consulta um sistema externo tem três tempos:

1. confere permissão, situação e valores numa leitura nova do banco: um passo inválido não gasta consulta;
2. consulta o CAGEC / SIAFI-MG FORA de transação (HTTP nunca dentro de uma transação do banco); a consulta
   fica registrada mesmo quando o passo é recusado (``convenios.regularidade``);
3. dentro da transação trava as linhas de que o passo depende, confere tudo de novo (outro pedido pode ter
   passado na frente), muda e consome a exceção da SEGOV usada, se houver: se algo falhar, a exceção continua
   valendo para a próxima tentativa.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from emendas.execucao.services import atualizar_execucao_da_proposta
from emendas.models import Indicacao
from sigcon.dinheiro import VALOR_MAXIMO, formatar_brl
from sigcon.texto import texto_limitado

# Formalização (autorização, assinaturas, publicação) e a adequação: mesma interface, implementadas à parte.
from .formalizacao.services import (  # noqa: F401
    assinar_concedente, assinar_convenente, autorizar_plano, devolver_proposta, publicar,
)
from .maquina import MAQUINA  # noqa: F401  (convenios.services.MAQUINA: parte da interface)
from .models import (
    Convenente, EventoProposta, Liberacao, PropostaPlanoTrabalho, UsoIndicacao, VerificacaoRegularidade,
)
from .permissoes import (  # noqa: F401  (e_usuario_do_convenente, pode_*: parte da interface)
    e_usuario_do_convenente, exigir_concedente, exigir_convenente, exigir_passo, pode_cancelar, pode_desvincular,
)
from .regularidade import (  # noqa: F401  (parte da interface de convenios.services)
    MOMENTOS, MOMENTOS_CAGEC, ErroRegularidade, checar_cagec, checar_siafi, consultar_cagec_para_atualizar,
    excecoes_registraveis, gravar_verificacoes, motivo_isencao_cagec, motivo_recusa_excecao, pode_registrar_excecao,
)
from .selectors import indicacoes_disponiveis, valor_a_liberar, valor_total, valor_utilizado  # noqa: F401  (idem)
# Saídas para o dinheiro preso numa proposta: mesma interface (convenios.services.*), implementadas em vinculos.
from .passos import passo_com_cagec, proposta_atual, transicao
from .vinculos import cancelar_proposta, desvincular_indicacao, reprovar_indicacao_na_proposta  # noqa: F401

Proposta = PropostaPlanoTrabalho
Status = Proposta.Status
Resultado = VerificacaoRegularidade.Resultado


def _validar_valor(valor) -> Decimal:
    """Valor em reais de um uso de indicação ou de uma parcela: decimal, positivo, em centavos, no limite."""
    if not isinstance(valor, Decimal):
        raise ValidationError("O valor deve ser um número decimal.")
    if not valor.is_finite() or valor <= 0:
        raise ValidationError("O valor deve ser maior que zero.")
    if valor.as_tuple().exponent < -2 and valor != valor.quantize(Decimal("0.01")):
        raise ValidationError("O valor deve ter no máximo duas casas decimais (centavos).")
    if valor > VALOR_MAXIMO:
        raise ValidationError("O valor é maior que o máximo aceito.")
    return valor.quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------
# Proposta

def _conferir_indicacoes(convenente, indicacoes, valores) -> int:
    """Confere as indicações escolhidas e os valores a usar; devolve o concedente (UO) da proposta."""
    if len(indicacoes) != len(valores):
        raise ValidationError("Indicação não encontrada; recarregue a página e escolha de novo.")
    concedentes = {i.inciso.acao.uo_id for i in indicacoes}
    if len(concedentes) != 1:
        raise ValidationError("Todas as indicações da proposta devem ser do mesmo concedente (mesma UO).")
    for ind in indicacoes:
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
    return concedentes.pop()


def _regime_das_indicacoes(indicacoes, regime=None) -> str:
    """O regime do CAGEC é o do exercício das indicações (SEGOV define); *regime* informado tem de ser o mesmo."""
    exercicios = sorted({i.exercicio for i in indicacoes}, key=lambda e: e.ano)
    regimes = {e.regime_cagec for e in exercicios}
    if len(regimes) != 1:
        lista = "; ".join(f"{e.ano}: {e.get_regime_cagec_display()}" for e in exercicios)
        raise ValidationError(
            f"As indicações escolhidas são de exercícios com regimes do CAGEC diferentes ({lista}). "
            "Gere uma proposta para cada exercício."
        )
    do_exercicio = regimes.pop()
    if regime and regime != do_exercicio:
        e = exercicios[0]
        raise ValidationError(
            f"O regime do CAGEC é definido pela SEGOV para o exercício {e.ano}: {e.get_regime_cagec_display()}. "
            "A proposta não pode usar outro regime."
        )
    return do_exercicio


def gerar_proposta(*, usuario, convenente, indicacoes, objeto, regime=None, natureza_especial="",
                   tipo_instrumento="CONVENIO", vigencia_inicio=None, vigencia_fim=None) -> PropostaPlanoTrabalho:
    """*indicacoes*: ``{Indicacao: Decimal}`` com o valor usado de cada uma.

    O regime do CAGEC vem do exercício das indicações (``Exercicio.regime_cagec``); *regime*, quando informado,
    só é aceito se for esse mesmo.
    """
    exigir_convenente(usuario, convenente)
    objeto = texto_limitado(objeto, obrigatorio="Descreva o objeto da proposta.", rotulo="O objeto")
    if natureza_especial not in Proposta.Natureza.values:
        raise ValidationError("Natureza especial desconhecida.")
    if tipo_instrumento not in Proposta.TipoInstrumento.values:
        raise ValidationError("Tipo de instrumento desconhecido.")
    if vigencia_inicio and vigencia_fim and vigencia_fim < vigencia_inicio:
        raise ValidationError("O fim da vigência não pode ser anterior ao início.")
    if not indicacoes:
        raise ValidationError("Escolha ao menos uma indicação aprovada e o valor a usar.")
    valores = {ind.pk: _validar_valor(v) for ind, v in indicacoes.items()}
    # Confere antes de consultar o CAGEC: um pedido inválido não gasta consulta externa.
    lista = list(Indicacao.objects.filter(pk__in=valores).select_related("exercicio", "inciso__acao").order_by("pk"))
    _conferir_indicacoes(convenente, lista, valores)
    regime = _regime_das_indicacoes(lista, regime)
    verificacoes = []
    if "GERAR" in MOMENTOS_CAGEC[regime]:
        verificacoes = checar_cagec(usuario=usuario, convenente=convenente, momento="GERAR",
                                    natureza_especial=natureza_especial, indicacoes=lista)
    with transaction.atomic():
        # Trava as indicações: duas propostas simultâneas não podem usar juntas mais que o valor indicado.
        travadas = list(Indicacao.objects.select_for_update(no_key=True).filter(pk__in=valores).order_by("pk"))
        exigir_convenente(usuario, convenente)
        concedente_id = _conferir_indicacoes(convenente, travadas, valores)
        # Se a SEGOV mudou o regime depois da consulta, a checagem feita pode não ser a do regime novo.
        _regime_das_indicacoes(travadas, regime)
        proposta = Proposta.objects.create(
            concedente_id=concedente_id, convenente=convenente, objeto=objeto, regime=regime,
            natureza_especial=natureza_especial, tipo_instrumento=tipo_instrumento, vigencia_inicio=vigencia_inicio,
            vigencia_fim=vigencia_fim, criado_por=usuario,
        )
        UsoIndicacao.objects.bulk_create([UsoIndicacao(proposta=proposta, indicacao=i, valor=valores[i.pk]) for i in travadas])
        EventoProposta.objects.create(proposta=proposta, usuario=usuario, status_novo=Status.CADASTRAMENTO,
                                      observacao="Proposta gerada.")
        registrar(acao="proposta.gerar", objeto=proposta, usuario=usuario, depois={
            "status": proposta.status, "convenente": convenente, "regime": regime, "objeto": proposta.objeto,
            "indicacoes": {str(i.numero): valores[i.pk] for i in travadas}})
        gravar_verificacoes(proposta, verificacoes, usuario)
    return proposta


def enviar_proposta(*, usuario, proposta) -> PropostaPlanoTrabalho:
    return passo_com_cagec(usuario=usuario, proposta=proposta, novo=Status.ENVIADA, momento="ENVIAR")


def receber_proposta(*, usuario, proposta):
    exigir_passo(usuario, proposta, Status.EM_ANALISE)
    return transicao(proposta, Status.EM_ANALISE, usuario=usuario)


def aprovar_proposta(*, usuario, proposta):
    exigir_passo(usuario, proposta, Status.APROVADA)
    return transicao(proposta, Status.APROVADA, usuario=usuario)


def registrar_excecao(*, usuario, proposta, sistema, momento, justificativa) -> VerificacaoRegularidade:
    """SEGOV autoriza seguir sem a consulta que não respondeu (vale para uma tentativa bem-sucedida).

    Aceita exatamente quando ``pode_registrar_excecao`` diz que sim (a tela usa a mesma regra para o botão).
    """
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV registra exceção à consulta.")
    justificativa = texto_limitado(justificativa, obrigatorio="Informe a justificativa da exceção.",
                                   rotulo="A justificativa")
    with transaction.atomic():
        # Trava a proposta: a situação do passo não muda enquanto a exceção é registrada, e dois registros
        # simultâneos não criam duas exceções para a mesma consulta sem resposta.
        p = Proposta.objects.select_for_update(no_key=True).get(pk=proposta.pk)
        motivo = motivo_recusa_excecao(usuario=usuario, proposta=p, sistema=sistema, momento=momento)
        if motivo:
            raise ValidationError(motivo)
        excecao = VerificacaoRegularidade.objects.create(
            proposta=p, sistema=sistema, momento=momento, resultado=Resultado.EXCECAO, detalhe=justificativa,
            usuario=usuario,
        )
        registrar(acao="proposta.registrar_excecao", objeto=p, usuario=usuario,
                  depois={"sistema": sistema, "momento": momento, "justificativa": excecao.detalhe})
        return excecao


# ---------------------------------------------------------------------------
# Liberação de recursos

def _conferir_liberacao(proposta, valor) -> None:
    if proposta.status != Status.VIGENTE:
        raise ValidationError("A liberação só pode ser pedida para proposta vigente (assinada e publicada).")
    restante = valor_a_liberar(proposta)
    if valor > restante:
        raise ValidationError(
            f"Valor acima do que resta liberar: pedido {formatar_brl(valor)}, resta {formatar_brl(restante)}."
        )


def solicitar_liberacao(*, usuario, proposta, valor) -> Liberacao:
    atual = proposta_atual(proposta)
    exigir_concedente(usuario, atual)
    valor = _validar_valor(valor)
    # Confere antes de consultar o SIAFI-MG: um pedido inválido não gasta consulta externa.
    _conferir_liberacao(atual, valor)
    verificacoes = checar_siafi(usuario=usuario, proposta=atual, momento="SOLICITAR_LIBERACAO")
    with transaction.atomic():
        # Trava a proposta: duas parcelas simultâneas não podem passar juntas do valor da proposta.
        p = Proposta.objects.select_for_update(no_key=True).get(pk=proposta.pk)
        exigir_concedente(usuario, p)
        _conferir_liberacao(p, valor)
        parcela = p.liberacoes.count() + 1
        liberacao = Liberacao.objects.create(proposta=p, parcela=parcela, valor=valor, solicitada_por=usuario)
        registrar(acao="liberacao.solicitar", objeto=p, usuario=usuario,
                  depois={"liberacao": liberacao.pk, "parcela": parcela, "valor": valor, "status": liberacao.status})
        gravar_verificacoes(p, verificacoes, usuario)
    return liberacao


def _conferir_autorizacao(usuario, liberacao) -> None:
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV autoriza a liberação de recursos.")
    if liberacao.status != Liberacao.Status.SOLICITADA:
        raise ValidationError(f"A parcela {liberacao.parcela} já foi autorizada.")


def autorizar_liberacao(*, usuario, liberacao) -> Liberacao:
    # Confere antes de consultar o SIAFI-MG: um pedido inválido não gasta consulta externa.
    atual = Liberacao.objects.select_related("proposta__convenente").get(pk=liberacao.pk)
    _conferir_autorizacao(usuario, atual)
    verificacoes = checar_siafi(usuario=usuario, proposta=atual.proposta, momento="AUTORIZAR_LIBERACAO")
    with transaction.atomic():
        # Trava a parcela: duas autorizações simultâneas não podem ambas valer.
        lib = Liberacao.objects.select_for_update(no_key=True).get(pk=liberacao.pk)
        _conferir_autorizacao(usuario, lib)
        lib.status, lib.autorizada_por, lib.autorizada_em = Liberacao.Status.AUTORIZADA, usuario, timezone.now()
        lib.save(update_fields=["status", "autorizada_por", "autorizada_em"])
        registrar(acao="liberacao.autorizar", objeto=lib.proposta, usuario=usuario,
                  antes={"liberacao": lib.pk, "status": Liberacao.Status.SOLICITADA},
                  depois={"liberacao": lib.pk, "status": lib.status, "parcela": lib.parcela, "valor": lib.valor})
        gravar_verificacoes(lib.proposta, verificacoes, usuario)
        # O liberado entra na execução das indicações da proposta (empenhado, liquidado e pago).
        atualizar_execucao_da_proposta(proposta=lib.proposta)
    return lib


def atualizar_do_cagec(*, usuario, convenente) -> Convenente:
    """"Atualizar do CAGEC": consulta e grava o espelho local (sem bloquear nada)."""
    resposta = consultar_cagec_para_atualizar(usuario=usuario, convenente=convenente)
    campos = {}
    for campo in ("razao_social", "municipio"):
        valor = getattr(resposta, campo, "") or ""
        if valor and valor != getattr(convenente, campo):
            campos[campo] = valor[:250]
    if campos:
        registrar(acao="convenente.atualizar_do_cagec", objeto=convenente, usuario=usuario,
                  antes={c: getattr(convenente, c) for c in campos}, depois=campos)
        Convenente.objects.filter(pk=convenente.pk).update(**campos)
    convenente.refresh_from_db()
    return convenente
