"""Peças comuns das telas: o selo de situação, a paginação com o total e a pluralização.

``{% load sigcon_ui %}`` e então ``{% situacao objeto %}``, ``{% selo valor rotulo %}``,
``{% paginacao pagina "indicação" "indicações" %}``, ``{{ n|plural:"indicação,indicações" }}`` e
``{% resumo_de_erros form %}`` (o resumo no topo de um formulário com erros; o ``sigcon.js`` leva o foco ao
primeiro campo errado).
"""

from django import template

from sigcon import situacoes, texto

register = template.Library()


@register.simple_tag
def situacao(objeto):
    """O selo da situação de um objeto com ``status`` e ``get_status_display`` (indicação, proposta...)."""
    return situacoes.selo(objeto.status, objeto.get_status_display())


@register.simple_tag
def selo(valor, rotulo):
    """O selo de uma situação dada pelo valor e pelo texto (linhas em dicionário, sem o objeto)."""
    return situacoes.selo(valor, rotulo)


@register.filter
def plural(n, formas: str):
    """``{{ n|plural:"indicação,indicações" }}`` → ``1 indicação`` / ``2 indicações``."""
    singular, _, plural_ = formas.partition(",")
    return texto.plural(int(n or 0), singular, plural_ or singular)


@register.simple_tag
def quantos(n, singular: str, plural_: str):
    """Como ``plural``, com as duas formas em variáveis: ``{% quantos n relatorio.unidade relatorio.unidade_total %}``."""
    return texto.plural(int(n or 0), singular, plural_)


@register.inclusion_tag("_paginacao.html", takes_context=True)
def paginacao(context, pagina, singular="item", plural_="itens"):
    """"Mostrando 51–100 de 1.234 indicações" e os links das páginas, com os outros parâmetros do endereço
    (filtros, ordem) mantidos. *pagina* é uma ``Page`` do ``Paginator``; o total é o ``COUNT`` que ele já fez."""
    request = context.get("request")
    consulta = request.GET.copy() if request is not None else None

    def endereco(numero):
        if consulta is None:
            return f"?pagina={numero}"
        consulta["pagina"] = numero
        return "?" + consulta.urlencode()

    paginador = pagina.paginator
    total = paginador.count
    paginas = []
    if pagina.has_other_pages():
        for numero in paginador.get_elided_page_range(pagina.number, on_each_side=2, on_ends=1):
            if numero == paginador.ELLIPSIS:
                paginas.append({"reticencias": True})
            else:
                paginas.append({"numero": numero, "url": endereco(numero), "atual": numero == pagina.number})
    return {
        "pagina": pagina,
        "total": total,
        "inicio": texto.numero_pt(pagina.start_index()),
        "fim": texto.numero_pt(pagina.end_index()),
        "total_texto": texto.plural(total, singular, plural_),
        "paginas": paginas,
        "anterior": endereco(pagina.previous_page_number()) if pagina.has_previous() else "",
        "proxima": endereco(pagina.next_page_number()) if pagina.has_next() else "",
    }


@register.inclusion_tag("_resumo_erros.html")
def resumo_de_erros(*formularios, so_campos=False):
    """O resumo dos erros de um ou mais formulários: cada campo com o rótulo, a mensagem e o link para ele; os
    erros que não são de um campo vêm primeiro, sem link (``so_campos=True`` os deixa de fora, para o ``|crispy``,
    que já os mostra). Nada quando não há erro."""
    itens = []
    for form in formularios:
        if not form or not form.is_bound or not form.errors:
            continue
        if not so_campos:
            itens += [{"mensagem": m} for m in form.non_field_errors()]
        for nome, erros in form.errors.items():
            if nome == "__all__" or nome not in form.fields:
                continue
            campo = form[nome]
            itens += [{"id": campo.id_for_label, "rotulo": campo.label, "mensagem": m} for m in erros]
    campos = len({i["id"] for i in itens if i.get("id")})
    return {"itens": itens, "titulo": (texto.plural(campos, "campo precisa", "campos precisam") + " de correção"
                                       if campos else "O formulário não foi aceito")}
