"""As linhas de indicações da "Indicação de Recursos" e a cor da situação de uma indicação.

A tela mostra todas as indicações de cada inciso do parlamentar (centenas por página): pelo ``{% for %}`` do
template, com dois ``{% url %}`` e um ``{% include %}`` da situação por linha, o desenho levava dois terços do tempo
da requisição (issue 13). Aqui cada linha sai de um ``format_html`` sobre os dicionários de
``selectors.linhas_das_indicacoes``, com o mesmo HTML de antes.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from sigcon.dinheiro import formatar_brl

from ..models import Indicacao
from ..prazos import OrigemSaldo

register = template.Library()

_S = Indicacao.Status
CLASSE_DA_SITUACAO = {_S.APROVADA: "success", _S.REPROVADA: "danger", _S.CANCELADA: "secondary",
                      _S.AGUARDANDO_AJUSTE: "warning"}
_ROTULOS = {campo: {valor: str(rotulo) for valor, rotulo in choices} for campo, choices in (
    ("forma_execucao", Indicacao.FormaExecucao.choices), ("origem_saldo", OrigemSaldo.choices),
    ("status", _S.choices),
)}

_LINHA = ('<tr><td><a href="{url}">{numero}</a></td><td>{forma}</td><td>{beneficiario}</td>'
          '<td class="valor">{valor}</td><td>{origem}</td>'
          '<td><a href="{url}"><span class="badge text-bg-{classe}">{situacao}</span></a></td></tr>')


@register.filter
def classe_da_situacao(status: str) -> str:
    """A cor do selo da situação: ``text-bg-{{ ind.status|classe_da_situacao }}``."""
    return CLASSE_DA_SITUACAO.get(status, "info")


def _rotulo(campo: str, valor: str) -> str:
    # Como ``get_<campo>_display``: o próprio valor quando não é uma das escolhas (o vazio, por exemplo).
    return _ROTULOS[campo].get(valor, valor)


@register.simple_tag(takes_context=True)
def linhas_das_indicacoes(context, indicacoes: list[dict]):
    """As ``<tr>`` das *indicacoes* (dicionários de ``selectors.linhas_das_indicacoes``), numa tabela com as
    colunas Nº, Forma, Beneficiário, Valor, Saldo e Situação. O endereço da indicação sai de um ``reverse`` só
    por desenho da página (guardado no ``render_context``), não de um por linha."""
    cache = context.render_context
    if "url_da_indicacao" not in cache:
        cache["url_da_indicacao"] = reverse("emendas:indicacao", args=[0]).rsplit("/0/", 1)
    prefixo, sufixo = cache["url_da_indicacao"]
    return format_html_join("\n", _LINHA, (
        {
            "url": f"{prefixo}/{ind['pk']}/{sufixo}", "numero": ind["numero"],
            "forma": _rotulo("forma_execucao", ind["forma_execucao"]),
            "beneficiario": (format_html("{} ({})", ind["razao_social"], ind["municipio"])
                             if ind["beneficiario_id"] else "a definir pelo órgão"),
            "valor": formatar_brl(ind["valor"]), "origem": _rotulo("origem_saldo", ind["origem_saldo"]),
            "classe": classe_da_situacao(ind["status"]), "situacao": _rotulo("status", ind["status"]),
        } for ind in indicacoes
    ))
