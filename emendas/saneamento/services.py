"""Escritas do saneamento (§7.12): sanear uma indicação reprovada, guardar parte do saldo com impedimento técnico
para o remanejamento constitucional, concluir. Reexportadas em ``emendas.services``.

Cada uma: trava os incisos do titular (passo 2 de emendas/travas.py), confere quem, a janela de escolha do
saneamento e a conclusão, os saldos e a regra do mínimo em saúde, grava e registra a auditoria.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from auditoria.services import registrar
from sigcon.dinheiro import ZERO, formatar_brl
from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from ..models import ConclusaoSaneamento, Inciso, Indicacao, MovimentoSaneamento
from ..prazos import OrigemSaldo
from ..travas import travar_incisos_do_titular
from . import selectors

Tipo = MovimentoSaneamento.Tipo


def _valor(valor) -> Decimal:
    if not isinstance(valor, Decimal) or not valor.is_finite() or valor < 0:
        raise ValidationError("Informe um valor em reais, zero ou maior.")
    if valor != valor.quantize(Decimal("0.01")):
        raise ValidationError("O valor deve ter no máximo duas casas decimais (centavos).")
    return valor.quantize(Decimal("0.01"))


def _travar_e_conferir(usuario, inciso: Inciso):
    """Trava os incisos do titular e devolve (inciso relido, titular, linha do painel do inciso, painel inteiro)."""
    # O saldo com impedimento e o mínimo em saúde dependem dos movimentos de todos os incisos do titular: travados
    # em ordem de id (emendas/travas.py), dois salvamentos simultâneos nunca gastam o mesmo reservado PL.
    inciso = travar_incisos_do_titular(inciso)
    titular = selectors.titular_do_inciso(inciso)
    if not selectors.pode_agir(usuario, titular):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) faz o saneamento.")
    if inciso.tipo == Inciso.Tipo.P:
        raise ValidationError("Incisos P não passam pelo saneamento.")
    exercicio = inciso.exercicio
    hoje = timezone.localdate()
    if not selectors.escolha_aberta(exercicio, hoje):
        raise ValidationError("A escolha entre saneamento e remanejamento constitucional está fechada hoje "
                              f"({hoje:%d/%m/%Y}): veja as janelas de operação do exercício.")
    painel = selectors.painel_saneamento(titular, exercicio, hoje)
    linha = next(l for l in painel if l.inciso.pk == inciso.pk)
    if linha.concluido is not None:
        raise ValidationError(f"O saneamento do inciso {inciso.numero} já foi concluído: refaça a escolha para mudar.")
    return inciso, titular, linha, painel


def _conferir_saldo(linha, delta: Decimal) -> None:
    if delta > linha.a_escolher:
        raise ValidationError(
            f"Saldo com impedimento técnico insuficiente no inciso {linha.inciso.numero}: ainda a escolher "
            f"{formatar_brl(linha.a_escolher)}; esta mudança pede mais {formatar_brl(delta)}.")


def _conferir_adequacao(titular, inciso, painel, delta: Decimal) -> None:
    """§7.14: a diferença entre o valor da LOA e o obrigatório sai do saldo com impedimento antes do saneamento."""
    adequacao = selectors.adequacao(titular, inciso.exercicio, painel)
    if adequacao is None or not adequacao.necessaria or delta <= ZERO:
        return
    if adequacao.valor_minimo_a_adequar > ZERO:
        raise ValidationError(
            f"Adequação do valor de execução obrigatória pendente: a diferença entre o valor da LOA e o obrigatório "
            f"a perder a impositividade é {formatar_brl(adequacao.a_adequar)}, maior que o saldo com impedimento "
            f"({formatar_brl(adequacao.saldo_iot)}); faltam {formatar_brl(adequacao.valor_minimo_a_adequar)} em "
            "indicações aprovadas a adequar antes do saneamento.")
    if delta > adequacao.disponivel:
        raise ValidationError(
            f"Adequação do valor de execução obrigatória: {formatar_brl(adequacao.a_adequar)} do saldo com "
            f"impedimento ({formatar_brl(adequacao.saldo_iot)}) perdem a impositividade; ainda podem ser sanados ou "
            f"guardados {formatar_brl(adequacao.disponivel)}; esta mudança pede {formatar_brl(delta)}.")


def _conferir_minimo(titular, inciso, painel, delta: Decimal) -> None:
    """§7.12: sanear indicação fora da área protegida só enquanto o mínimo na área ainda puder ser atingido (o que já
    se executa na área mais todo o saldo com impedimento que ainda pode ir para ela)."""
    minimo = selectors.minimo_da_area(titular, inciso.exercicio)
    areas, nome = selectors.areas_do_titular(titular)
    if minimo is None or inciso.acao.area in areas or delta <= ZERO:
        return
    ja = selectors.na_area(painel, areas)
    possivel = ja + sum((l.saldos.reservado_pl for l in painel), ZERO) - delta
    if possivel < minimo:
        raise ValidationError(
            f"Mínimo em {nome} não atendido: {inciso.exercicio.minimo_saude_percentual}% do montante impositivo é "
            f"{formatar_brl(minimo)}; já em {nome} {formatar_brl(ja)}; depois deste saneamento, no máximo "
            f"{formatar_brl(max(possivel, ZERO))} poderiam ir para {nome}. Sane primeiro as indicações de {nome} ou "
            "guarde o saldo para o remanejamento constitucional.")


@atomico
def sanear_indicacao(*, usuario, indicacao: Indicacao, valor: Decimal, proposta_saneadora: str):
    """Grava (ou troca, ou com valor zero apaga) o valor sanado de uma indicação reprovada e a proposta saneadora.

    O valor sai do reservado PL do inciso e volta a ser indicado (o saldo "indicado"). Devolve o movimento, ou None
    quando apagado.
    """
    valor = _valor(valor)
    inciso, titular, linha, painel = _travar_e_conferir(usuario, indicacao.inciso)
    item = next((l for l in linha.indicacoes if l.indicacao.pk == indicacao.pk), None)
    if item is None:
        raise ValidationError(f"A indicação nº {indicacao.numero} não tem saldo com impedimento técnico a sanear: só "
                              "as reprovadas cujo valor ficou reservado para o projeto de lei.")
    if valor > item.valor_nao_utilizado:
        raise ValidationError(f"O valor a sanear ({formatar_brl(valor)}) passa do valor não utilizado da indicação nº "
                              f"{indicacao.numero} ({formatar_brl(item.valor_nao_utilizado)}).")
    anterior = item.sanado.valor if item.sanado else ZERO
    _conferir_saldo(linha, valor - anterior)
    _conferir_adequacao(titular, inciso, painel, valor - anterior)
    _conferir_minimo(titular, inciso, painel, valor - anterior)
    if valor == ZERO:
        if item.sanado:
            item.sanado.delete()
        registrar(acao="saneamento.sanear", objeto=item.indicacao, usuario=usuario,
                  antes={"valor_sanado": str(anterior)}, depois={"valor_sanado": "0.00"})
        return None
    proposta = texto_limitado(proposta_saneadora, obrigatorio="Descreva a proposta saneadora.",
                              rotulo="A proposta saneadora")
    mov = item.sanado or MovimentoSaneamento(inciso=inciso, tipo=Tipo.SANEAMENTO, indicacao=item.indicacao,
                                             criado_por=usuario)
    mov.valor, mov.proposta_saneadora = valor, proposta
    mov.save()
    registrar(acao="saneamento.sanear", objeto=item.indicacao, usuario=usuario,
              antes={"valor_sanado": str(anterior)}, depois={"valor_sanado": str(valor), "proposta": proposta})
    return mov


@atomico
def reservar_remanejamento_constitucional(*, usuario, inciso: Inciso, valor: Decimal):
    """O campo "Remanejamento Constitucional" do inciso: quanto do saldo com impedimento fica guardado para a
    programação (§7.13). Valor zero apaga. O dinheiro continua no reservado PL até a lei."""
    valor = _valor(valor)
    inciso, titular, linha, painel = _travar_e_conferir(usuario, inciso)
    anterior = linha.valor_reserva
    _conferir_saldo(linha, valor - anterior)
    _conferir_adequacao(titular, inciso, painel, valor - anterior)
    if valor == ZERO:
        if linha.reserva:
            linha.reserva.delete()
        mov = None
    else:
        mov = linha.reserva or MovimentoSaneamento(inciso=inciso, tipo=Tipo.RESERVA, criado_por=usuario)
        mov.valor = valor
        mov.save()
    registrar(acao="saneamento.reservar", objeto=inciso, usuario=usuario,
              antes={"remanejamento_constitucional": str(anterior)},
              depois={"remanejamento_constitucional": str(valor)})
    return mov


@atomico
def concluir_saneamento(*, usuario, inciso: Inciso) -> ConclusaoSaneamento:
    """"Concluir saneamento" do inciso: a escolha fica só para leitura (o que sobrar perde a impositividade no fim da
    janela). Só depois de todos os incisos concluídos o titular programa o remanejamento constitucional."""
    inciso, _, linha, _ = _travar_e_conferir(usuario, inciso)
    conclusao = ConclusaoSaneamento.objects.create(inciso=inciso, concluida_por=usuario)
    registrar(acao="saneamento.concluir", objeto=inciso, usuario=usuario, depois={
        "sanado": str(linha.sanado), "remanejamento_constitucional": str(linha.valor_reserva),
        "perde_impositividade": str(linha.a_escolher), "saldo_destino": OrigemSaldo.NAO_IMPOSITIVO.label})
    return conclusao
