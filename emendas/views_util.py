"""Pequenos auxiliares das telas, usados por todos os módulos de views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def mensagens(exc: ValidationError) -> str:
    """Texto de um ValidationError de serviço para mostrar ao usuário."""
    return " ".join(exc.messages)


def ano_pedido(request) -> int | None:
    """O ``?ano=`` da URL, ou None quando ausente ou inválido (aí vale o exercício mais recente)."""
    try:
        return int(request.GET.get("ano", ""))
    except ValueError:
        return None


def ids_selecionados(request) -> list[str]:
    """Ids marcados numa fila (campos forjados que não são números de 0 a 9, ou grandes demais, são ignorados)."""
    return [i for i in request.POST.getlist("selecionados") if i.isascii() and i.isdigit() and len(i) <= 18]


def destino_seguro(request, padrao: str, *, campo: str = "voltar") -> str:
    """Para onde voltar depois de um POST: o campo *campo* do formulário, se apontar para este site.

    O valor vem do navegador e pode ter sido forjado (``https://outro.site/``, ``//outro.site``,
    ``javascript:``); fora deste host ele é ignorado e vale *padrao* — nunca um redirecionamento aberto.
    """
    pedido = request.POST.get(campo) or request.GET.get(campo) or ""
    # Caracteres de controle (quebra de linha no cabeçalho Location) também não passam.
    if pedido and pedido.isprintable() and url_has_allowed_host_and_scheme(
        pedido, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return pedido
    return padrao


def voltar_com_filtros(request) -> str:
    """A própria fila, com os filtros que estavam na tela quando o lote foi enviado."""
    consulta = request.POST.get("querystring")
    return request.path + (f"?{consulta}" if consulta else "")


def decidir_em_lote(request, itens, executar, *, numero, feitos_em, falha) -> None:
    """Aplica *executar* a cada item, cada um na sua transação (um erro não desfaz os outros),
    e diz ao usuário o que foi feito e o que não foi, e por quê."""
    feitos, falhas = [], []
    for item in itens:
        try:
            executar(item)
            feitos.append(str(numero(item)))
        except ValidationError as exc:
            falhas.append(f"nº {numero(item)}: {mensagens(exc)}")
        except PermissionDenied as exc:
            falhas.append(f"nº {numero(item)}: {str(exc) or 'sem permissão'}")
    if feitos:
        messages.success(request, f"{len(feitos)} {feitos_em}: nº {', '.join(feitos)}.")
    for texto in falhas:
        messages.error(request, f"{falha} — {texto}")
