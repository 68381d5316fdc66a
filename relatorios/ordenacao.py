"""Ordenação das tabelas dos relatórios pelo parâmetro ``?ordem=`` (lista branca; ``-`` inverte)."""

from django.db.models import F


def expressoes_de_ordem(campos, decrescente: bool = False) -> list:
    """``order_by`` dos *campos* (``-`` = decrescente), invertidos se *decrescente*, vazios sempre no fim.

    PostgreSQL e SQLite põem NULL em lados opostos por padrão; fixar ``nulls_last`` dá a mesma ordem nos dois.
    """
    expressoes = []
    for campo in campos:
        desc = campo.startswith("-") != decrescente
        expressao = F(campo.lstrip("-"))
        expressoes.append(expressao.desc(nulls_last=True) if desc else expressao.asc(nulls_last=True))
    return expressoes


def ordem_efetiva(parametros, opcoes: dict[str, tuple[str, ...]], padrao: str) -> str:
    """O ``ordem`` pedido, se está na lista branca; senão o padrão (sem erro)."""
    pedido = (parametros.get("ordem") or "").strip()
    return pedido if pedido.lstrip("-") in opcoes else padrao


def ordenar(parametros, qs, opcoes: dict[str, tuple[str, ...]], padrao: str):
    ordem = ordem_efetiva(parametros, opcoes, padrao)
    return qs.order_by(*expressoes_de_ordem(opcoes[ordem.lstrip("-")], ordem.startswith("-")), "-pk")


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
