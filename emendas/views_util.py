"""Pequenos auxiliares das telas, usados por todos os módulos de views."""

from django.core.exceptions import ValidationError


def mensagens(exc: ValidationError) -> str:
    """Texto de um ValidationError de serviço para mostrar ao usuário."""
    return " ".join(exc.messages)


def ano_pedido(request) -> int | None:
    """O ``?ano=`` da URL, ou None quando ausente ou inválido (aí vale o exercício mais recente)."""
    try:
        return int(request.GET.get("ano", ""))
    except ValueError:
        return None
