"""Auxiliares das telas, um módulo público só, usado por todas as views do projeto (emendas, convênios, contas)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils.http import url_has_allowed_host_and_scheme

from sigcon.dinheiro import ZERO, formatar_brl
from sigcon.banco import EXPLICACOES_TEMPO_ESGOTADO, TENTE_DE_NOVO, tempo_esgotado
from sigcon.transacoes import retentavel


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
    return pedido if e_deste_site(request, pedido) else padrao


def e_deste_site(request, endereco: str) -> bool:
    """*endereco* (vindo do navegador: campo, Referer, HX-Current-URL) aponta para este site?"""
    # Caracteres de controle (quebra de linha no cabeçalho Location) também não passam.
    return bool(endereco) and endereco.isprintable() and url_has_allowed_host_and_scheme(
        endereco, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def voltar_com_filtros(request) -> str:
    """A própria fila, com os filtros que estavam na tela quando o lote foi enviado."""
    consulta = request.POST.get("querystring")
    return request.path + (f"?{consulta}" if consulta else "")


def decidir_em_lote(request, itens, executar, *, numero, feitos_em, falha, valor=None) -> None:
    """Aplica *executar* a cada item, cada um na sua transação (um erro não desfaz os outros),
    e diz ao usuário o que foi feito e o que não foi, e por quê (com *valor*, também o total do que foi feito)."""
    feitos, falhas = [], []
    soma = ZERO
    itens = list(itens)
    for k, item in enumerate(itens):
        try:
            executar(item)
            feitos.append(str(numero(item)))
            soma += valor(item) if valor else ZERO
        except ValidationError as exc:
            falhas.append(f"nº {numero(item)}: {mensagens(exc)}")
        except PermissionDenied as exc:
            falhas.append(f"nº {numero(item)}: {str(exc) or 'sem permissão'}")
        except OperationalError as exc:
            if retentavel(exc):
                # Deadlock ou serialização que sobrou às novas tentativas do atomico: só este item foi desfeito. Os
                # anteriores já valeram, então uma página 500 mentiria; os seguintes seguem.
                falhas.append(f"nº {numero(item)}: conflito com outra gravação simultânea; nada foi gravado neste item. "
                              f"{TENTE_DE_NOVO}")
                continue
            codigo = tempo_esgotado(exc)
            if codigo is None:
                raise
            # Os itens anteriores já valeram (cada um na sua transação): a página 503 diria "nada foi gravado" sem
            # ser verdade. Para aqui, em vez de esperar a trava de cada um dos seguintes, e diz o que ficou de fora.
            restantes = ", ".join(str(numero(i)) for i in itens[k:])
            falhas.append(f"nº {restantes}: {EXPLICACOES_TEMPO_ESGOTADO[codigo][1]} {TENTE_DE_NOVO}")
            break
    if feitos:
        total = f" (total {formatar_brl(soma)})" if valor else ""
        messages.success(request, f"{len(feitos)} {feitos_em}: nº {', '.join(feitos)}{total}.")
    for texto in falhas:
        messages.error(request, f"{falha} — {texto}")


def executar_acao(request, executar, *, sucesso, destino: str):
    """Um POST que chama um serviço, do jeito único das telas: erro de regra vira mensagem na tela, sucesso
    também, e a resposta é sempre um redirecionamento (POST → redirect: recarregar não reenvia).

    ``PermissionDenied`` não é tratado aqui: sobe e vira a página 403 com o motivo (quem não pode agir sobre o
    objeto não deve ver a tela de volta como se pudesse). Numa fila, ``decidir_em_lote`` faz o mesmo item a item.

    *sucesso*: o texto, ou uma função que recebe o que o serviço devolveu (ex.: o número do inciso criado).
    """
    try:
        resultado = executar()
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        messages.success(request, sucesso(resultado) if callable(sucesso) else sucesso)
    return redirect(destino)


def acao_conhecida(acao: str, acoes):
    """O tratador da *acao* pedida na URL; uma ação que não existe é 404, não 500 nem 400."""
    try:
        return acoes[acao]
    except KeyError:
        raise Http404("Ação desconhecida.") from None


def pagina_ou_trecho(request, pagina: str, trecho: str, contexto: dict, *, trecho_pedido: bool | None = None):
    """Uma URL que serve a página inteira e, ao htmx, só o trecho: um jeito só de decidir (``request.htmx``, do
    django-htmx) e ``Vary: HX-Request``, para um cache não entregar o trecho a quem pediu a página (ou o contrário).

    *trecho_pedido*: quando o trecho depende de mais que o cabeçalho (ex.: o alvo do htmx); padrão: é htmx.
    """
    if trecho_pedido is None:
        trecho_pedido = bool(request.htmx)
    resposta = render(request, trecho if trecho_pedido else pagina, contexto)
    patch_vary_headers(resposta, ("HX-Request",))
    return resposta
