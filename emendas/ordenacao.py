"""Ordenação das tabelas dos relatórios pelo parâmetro ``?ordem=`` (lista branca; ``-`` inverte)."""


def ordem_efetiva(parametros, opcoes: dict[str, tuple[str, ...]], padrao: str) -> str:
    """O ``ordem`` pedido, se está na lista branca; senão o padrão (sem erro)."""
    pedido = (parametros.get("ordem") or "").strip()
    return pedido if pedido.lstrip("-") in opcoes else padrao


def ordenar(parametros, qs, opcoes: dict[str, tuple[str, ...]], padrao: str):
    ordem = ordem_efetiva(parametros, opcoes, padrao)
    campos = opcoes[ordem.lstrip("-")]
    if ordem.startswith("-"):
        campos = tuple(c[1:] if c.startswith("-") else "-" + c for c in campos)
    return qs.order_by(*campos, "-pk")


def cabecalhos(parametros, opcoes: dict, padrao: str) -> dict:
    """Para cada coluna ordenável: link que ordena por ela (ou inverte), seta e aria-sort."""
    atual = ordem_efetiva(parametros, opcoes, padrao)
    base = parametros.copy()
    base.pop("pagina", None)
    resultado = {}
    for chave in opcoes:
        ativa = atual.lstrip("-") == chave
        descendente = atual.startswith("-")
        base["ordem"] = "-" + chave if ativa and not descendente else chave
        resultado[chave] = {
            "url": "?" + base.urlencode(),
            "seta": ("▼" if descendente else "▲") if ativa else "",
            "aria_sort": ("descending" if descendente else "ascending") if ativa else "none",
        }
    return resultado
