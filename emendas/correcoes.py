"""Correção de um inciso pela SEGOV: valor inicial, ação e grupo de despesa, com justificativa e registro.

É o único caminho para mudar dinheiro ou programação de um inciso depois da carga (o admin só lê).
Reexportado em ``emendas.services``.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from auditoria.services import registrar
from contas import perfis
from sigcon.dinheiro import ZERO, formatar_brl
from sigcon.texto import texto_limitado

from .models import Acao, GrupoDespesa, Inciso, RegistroCorrecaoInciso
from .selectors import incisos_com_movimentos, valor_comprometido
from .travas import travar_incisos_do_titular


def conferir_correcao(
    *, inciso: Inciso, valor_inicial: Decimal | None = None, acao: Acao | None = None,
    grupo_despesa: GrupoDespesa | None = None,
) -> dict:
    """Todas as regras de uma correção, sem gravar: devolve ``antes``, ``depois``, ``mudou`` e o
    ``comprometido`` do inciso. ``None`` mantém o campo. Quem vai gravar trava os incisos do titular antes."""
    if valor_inicial is not None:
        valor_inicial = Decimal(valor_inicial)
        if valor_inicial < ZERO or valor_inicial != valor_inicial.quantize(Decimal("0.01")):
            raise ValidationError("O valor inicial deve ser positivo ou zero, com no máximo duas casas decimais.")
    antes = {"valor_inicial": inciso.valor_inicial, "acao": inciso.acao, "grupo_despesa": inciso.grupo_despesa}
    informados = {"valor_inicial": valor_inicial, "acao": acao, "grupo_despesa": grupo_despesa}
    depois = {c: antes[c] if v is None else v for c, v in informados.items()}
    mudou = [c for c in antes if depois[c] != antes[c]]
    if not mudou:
        raise ValidationError(f"Nada a corrigir: os valores informados são os atuais do inciso {inciso.numero}.")
    if inciso.inciso_origem_id:
        raise ValidationError(
            f"O inciso {inciso.numero} nasceu de um remanejamento aprovado (inciso {inciso.inciso_origem}) "
            "e não pode ser corrigido: o seu valor e o seu destino são os do remanejamento."
        )
    if ("acao" in mudou or "grupo_despesa" in mudou) and incisos_com_movimentos([inciso]):
        raise ValidationError(
            f"O inciso {inciso.numero} já tem indicações ou remanejamentos e não pode mudar de ação ou de grupo "
            "de despesa."
        )
    comprometido = valor_comprometido(inciso)
    if depois["valor_inicial"] < comprometido:
        raise ValidationError(
            f"O inciso {inciso.numero} tem {formatar_brl(comprometido)} comprometidos (indicações ativas, "
            f"remanejamentos pedidos ou aprovados); o novo valor {formatar_brl(depois['valor_inicial'])} deixaria o "
            "saldo negativo."
        )
    return {"antes": antes, "depois": depois, "mudou": mudou, "comprometido": comprometido}


def corrigir_inciso(
    *,
    usuario,
    inciso: Inciso,
    justificativa: str,
    valor_inicial: Decimal | None = None,
    acao: Acao | None = None,
    grupo_despesa: GrupoDespesa | None = None,
) -> Inciso:
    """Corrige o inciso. ``None`` mantém o campo. Recusa o que quebraria o invariante dos saldos."""
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV corrige incisos.")
    justificativa = texto_limitado(justificativa, obrigatorio="Informe a justificativa da correção.",
                                   rotulo="A justificativa")

    with transaction.atomic():
        # Trava os incisos do titular (a mesma trava de quem indica ou remaneja): nenhum movimento novo
        # entra entre a conferência do valor comprometido e a gravação, e os limites da política
        # (outra UO, mínimo em saúde), que somam todos os incisos do titular, não mudam por baixo de um pedido.
        inciso = travar_incisos_do_titular(inciso)
        conferido = conferir_correcao(inciso=inciso, valor_inicial=valor_inicial, acao=acao, grupo_despesa=grupo_despesa)
        antes, mudou = conferido["antes"], conferido["mudou"]
        for campo in mudou:
            setattr(inciso, campo, conferido["depois"][campo])
        inciso.save(update_fields=mudou)
        RegistroCorrecaoInciso.objects.create(
            inciso=inciso, usuario=usuario, justificativa=justificativa,
            valor_anterior=antes["valor_inicial"], valor_novo=inciso.valor_inicial,
            acao_anterior=antes["acao"], acao_nova=inciso.acao,
            grupo_anterior=antes["grupo_despesa"], grupo_novo=inciso.grupo_despesa,
        )
        registrar(acao="inciso.corrigir", objeto=inciso, usuario=usuario,
                  antes={c: antes[c] for c in mudou}, depois={**{c: conferido["depois"][c] for c in mudou},
                                                              "justificativa": justificativa})
    return inciso
