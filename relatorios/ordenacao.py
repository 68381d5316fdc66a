"""Ordenação das tabelas dos relatórios pelo parâmetro ``?ordem=`` (lista branca; ``-`` inverte)."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F


def pode_ser_nulo(modelo, caminho: str) -> bool:
    """O campo ``a__b__c`` de *modelo* pode vir NULL (campo nulo, ou chave estrangeira nula no caminho)?

    Campo que não se acha (uma anotação) conta como nulo: o seguro.
    """
    if modelo is None:
        return True
    for parte in caminho.split("__"):
        try:
            campo = modelo._meta.get_field("id" if parte == "pk" else parte)
        except FieldDoesNotExist:
            return True
        if campo.null or (campo.is_relation and not (campo.many_to_one or campo.one_to_one)):
            return True
        modelo = campo.related_model if campo.is_relation else None
    return False


def expressoes_de_ordem(campos, decrescente: bool = False, modelo=None) -> list:
    """``order_by`` dos *campos* (``-`` = decrescente), invertidos se *decrescente*, vazios sempre no fim.

    PostgreSQL e SQLite põem NULL em lados opostos por padrão; fixar ``nulls_last`` dá a mesma ordem nos dois.
    Só nos campos que podem ser nulos (*modelo* diz quais): ``DESC NULLS LAST`` não usa um índice ``DESC``
    (que é ``NULLS FIRST``), e a página de "Valores Indicados" ordenava 156 mil linhas por requisição.
    """
    expressoes = []
    for campo in campos:
        desc = campo.startswith("-") != decrescente
        nome = campo.lstrip("-")
        expressao = F(nome)
        if pode_ser_nulo(modelo, nome):
            expressoes.append(expressao.desc(nulls_last=True) if desc else expressao.asc(nulls_last=True))
        else:
            expressoes.append(expressao.desc() if desc else expressao.asc())
    return expressoes


def ordem_efetiva(parametros, opcoes: dict[str, tuple[str, ...]], padrao: str) -> str:
    """O ``ordem`` pedido, se está na lista branca; senão o padrão (sem erro)."""
    pedido = (parametros.get("ordem") or "").strip()
    return pedido if pedido.lstrip("-") in opcoes else padrao


def ordenar(parametros, qs, opcoes: dict[str, tuple[str, ...]], padrao: str):
    ordem = ordem_efetiva(parametros, opcoes, padrao)
    campos = opcoes[ordem.lstrip("-")]
    decrescente = ordem.startswith("-")
    # Desempate pelo id no mesmo sentido do primeiro campo: (enviada_em DESC, id DESC) é um índice só.
    primeiro_desc = campos[0].startswith("-") != decrescente
    return qs.order_by(*expressoes_de_ordem(campos, decrescente, qs.model), "-pk" if primeiro_desc else "pk")


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
