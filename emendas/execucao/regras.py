"""Regras puras do controle de execução: quais formas são automáticas e a ordem dos valores (DOMAIN.md §7.15)."""

from decimal import Decimal

from sigcon.dinheiro import ZERO, formatar_brl

from ..models import Indicacao

Forma = Indicacao.FormaExecucao

# A execução destas vem do instrumento (a proposta e as liberações do convênio, a resolução, o registro da
# Transferência Especial); as outras o órgão registra à mão (execução direta, doação de bens, outros instrumentos).
FORMAS_AUTOMATICAS = frozenset({Forma.CONVENIO, Forma.RESOLUCAO_SES, Forma.CAIXA_ESCOLAR,
                                Forma.TRANSFERENCIA_ESPECIAL})


def e_automatica(forma: str) -> bool:
    return forma in FORMAS_AUTOMATICAS


def erros_dos_valores(*, indicado: Decimal, utilizado: Decimal, empenhado: Decimal, liquidado: Decimal,
                      pago: Decimal, numero_empenho: str) -> list[str]:
    """As mensagens de cada desigualdade violada (vazia quando os valores estão em ordem):
    ``pago ≤ liquidado ≤ empenhado ≤ utilizado ≤ indicado``, nenhum negativo, número do empenho se houver empenho."""
    erros = []
    nomes = (("pago", pago), ("liquidado", liquidado), ("empenhado", empenhado), ("utilizado", utilizado))
    for nome, valor in nomes:
        if valor < ZERO:
            erros.append(f"O valor {nome} não pode ser negativo.")
    if erros:
        return erros
    cadeia = (*nomes, ("indicado", indicado))
    for (menor, v_menor), (maior, v_maior) in zip(cadeia, cadeia[1:]):
        if v_menor > v_maior:
            erros.append(f"O valor {menor} ({formatar_brl(v_menor)}) não pode passar do valor {maior} "
                         f"({formatar_brl(v_maior)}).")
    if empenhado > ZERO and not (numero_empenho or "").strip():
        erros.append("Informe o número do empenho: há valor empenhado.")
    return erros
