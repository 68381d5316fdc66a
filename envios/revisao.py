"""A revisão antes do dinheiro mexer: um passo de confirmação que nomeia a ação, os itens, quantos são e o total.

Funciona sem JavaScript: o primeiro POST (sem ``confirmado``) responde com a página de revisão, que reenvia os
mesmos campos com ``confirmado=1`` e um token de uso único novo; só esse segundo POST age.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import render

from sigcon.dinheiro import ZERO, formatar_brl

from .unico import CAMPO

# Campos do primeiro POST que a revisão não repete: o CSRF e o token vêm novos, e o "confirmado" é dela.
_NAO_REPETIR = {"csrfmiddlewaretoken", CAMPO, "confirmado"}


@dataclass(frozen=True)
class Item:
    numero: str
    descricao: str
    valor: Decimal | None = None


def confirmado(request) -> bool:
    return request.POST.get("confirmado") == "1"


def contagem(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def resumo(itens, singular: str, plural: str) -> str:
    """"3 remanejamentos, total R$ 1.234,56": o que a revisão e a mensagem do lote dizem."""
    itens = list(itens)
    total = sum((i.valor for i in itens if i.valor is not None), ZERO)
    return f"{contagem(len(itens), singular, plural)}, total {formatar_brl(total)}"


def revisar(request, *, acao: str, itens: list[Item], singular: str, plural: str, voltar: str, aviso: str = "",
            botao: str | None = None):
    """A página de revisão da *acao* ("Aprovar", "Autorizar a liberação"...) sobre *itens*."""
    repetir = [(nome, valor) for nome in request.POST if nome not in _NAO_REPETIR
               for valor in request.POST.getlist(nome)]
    total = sum((i.valor for i in itens if i.valor is not None), ZERO)
    return render(request, "envios/revisao.html", {
        "acao": acao, "itens": itens, "quantidade": contagem(len(itens), singular, plural), "total": total,
        "resumo": resumo(itens, singular, plural), "repetir": repetir, "voltar": voltar, "aviso": aviso,
        "botao": botao or acao,
    })
