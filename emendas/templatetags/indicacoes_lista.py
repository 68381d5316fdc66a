"""As linhas da "Indicação de Recursos" (incisos e, dentro de cada um, as indicações).

A tela mostra todos os incisos do parlamentar (quase 200 no bench) e todas as indicações de cada um (centenas):
pelo ``{% for %}`` do template, com vinte variáveis e um ``{% url %}`` por inciso e dois ``{% url %}`` e um
``{% include %}`` da situação por indicação, o desenho levava quatro quintos do tempo da requisição (issue 13).
Aqui cada linha sai de um ``str.format`` sobre os dicionários da view, com o mesmo HTML de antes (todo texto do
banco passa por ``html.escape``, o mesmo do autoescape), e os endereços de um ``reverse`` só por desenho. O
``format_html`` também servia, mas o ``conditional_escape`` de cada argumento (com o invólucro de texto preguiçoso)
custava mais que o próprio desenho: dez mil chamadas por página.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from sigcon.csv_seguro import data_hora
from sigcon.dinheiro import formatar_brl
from sigcon.situacoes import selo
from sigcon.texto import plural

from ..models import Indicacao
from ..prazos import OrigemSaldo
from .diligencias import texto_do_selo

register = template.Library()

_S = Indicacao.Status
# Rótulos já escapados (vão direto para o HTML).
_ROTULOS = {campo: {valor: escape(str(rotulo)) for valor, rotulo in choices} for campo, choices in (
    ("forma_execucao", Indicacao.FormaExecucao.choices), ("origem_saldo", OrigemSaldo.choices),
    ("status", _S.choices),
)}

_LINHA = ('<tr>{marcar}<td data-label="Nº"><a href="{url}">{numero}</a></td><td data-label="Forma">{forma}</td>'
          '<td data-label="Beneficiário">{beneficiario}</td><td data-label="Valor" class="valor">{valor}</td>'
          '<td data-label="Saldo">{origem}</td><td data-label="Situação"><a href="{url}">{situacao}</a>{diligencia}</td></tr>')


_INCISO = """<tr>
      <td data-label="Inciso"><abbr title="{tipo}">{numero}</abbr>{bloco}</td>
      <td data-label="Emenda">{emenda}</td>
      <td data-label="UO">{uo}</td>
      <td data-label="Ação">{acao_codigo} – {acao_nome}</td>
      <td data-label="Grupo">{grupo}</td>
      <td data-label="Indicado" class="valor">{indicado}</td>
      <td data-label="Disponível" class="valor fw-semibold">{disponivel}</td>
      <td data-label="">
        {acao}
      </td>
    </tr>
    <tr class="table-light">
      <td colspan="8">
        <details{aberto}>
          <summary>Expandir inciso {numero}: {n}</summary>
          {indicacoes}
        </details>
      </td>
    </tr>"""
_INDICAR = ('<a class="btn btn-sm btn-primary" href="{}">Indicar<span class="visually-hidden"> no inciso {}</span>'
            '</a>')
_SOMENTE_LEITURA = mark_safe('<span class="small text-body-secondary">somente leitura</span>')
_TABELA = """<table class="table table-sm mb-0 mt-2 tabela-empilhada">
            <caption class="visually-hidden">Indicações do inciso {}</caption>
            <thead><tr>{}<th scope="col">Nº</th><th scope="col">Forma</th><th scope="col">Beneficiário</th><th scope="col" class="valor">Valor</th><th scope="col">Saldo</th><th scope="col">Situação</th></tr></thead>
            <tbody>{}</tbody>
          </table>"""
# A caixa "marcar para cancelar": fora do <form> (a tabela não cabe dentro de um), ligada a ele pelo atributo form,
# que funciona sem JavaScript. Só nas indicações ativas de quem escreve no inciso.
_MARCAR = ('<td data-label="Marcar"><input class="form-check-input" type="checkbox" name="selecionados" value="{pk}" '
           'form="form-cancelar-varias" id="marcar-{pk}"><label class="visually-hidden" for="marcar-{pk}">Marcar a '
           'indicação nº {numero} para cancelar</label></td>')
_TH_MARCAR = '<th scope="col"><span class="visually-hidden">Marcar</span></th>'
_ATIVAS = frozenset(Indicacao.ATIVAS)
_NENHUMA = mark_safe('<p class="small mb-0 mt-2">Nenhuma indicação neste inciso.</p>')


def _url_por_pk(context, nome: str):
    """``reverse(nome, args=[pk])`` para muitos *pk* com um ``reverse`` só por desenho (no ``render_context``)."""
    cache = context.render_context
    if nome not in cache:
        cache[nome] = reverse(nome, args=[0]).rsplit("/0/", 1)
    prefixo, sufixo = cache[nome]
    return lambda pk: f"{prefixo}/{pk}/{sufixo}"


# O selo de cada situação, feito uma vez (o ``format_html`` do selo por linha custava o desenho inteiro de novo).
_SELOS = {valor: selo(valor, rotulo) for valor, rotulo in _S.choices}


def _selo(valor: str) -> str:
    return _SELOS.get(valor) or selo(valor, valor)


def _rotulo(campo: str, valor: str) -> str:
    # Como ``get_<campo>_display``: o próprio valor quando não é uma das escolhas (o vazio, por exemplo).
    rotulo = _ROTULOS[campo].get(valor)
    return escape(valor) if rotulo is None else rotulo


@register.simple_tag(takes_context=True)
def linhas_das_indicacoes(context, indicacoes: list[dict], selecionavel: bool = False):
    """As ``<tr>`` das *indicacoes* (dicionários de ``selectors.linhas_das_indicacoes``), numa tabela com as
    colunas Nº, Forma, Beneficiário, Valor, Saldo e Situação. O endereço da indicação sai de um ``reverse`` só
    por desenho da página (guardado no ``render_context``), não de um por linha. *selecionavel*: com a coluna das
    caixas de "Cancelar as marcadas" (vazia nas que não estão mais ativas)."""
    url = _url_por_pk(context, "emendas:indicacao")
    return mark_safe("\n".join(_LINHA.format(
        marcar=(_MARCAR.format(pk=ind["pk"], numero=ind["numero"]) if ind["status"] in _ATIVAS else "<td></td>")
        if selecionavel else "",
        url=url(ind["pk"]), numero=ind["numero"], forma=_rotulo("forma_execucao", ind["forma_execucao"]),
        beneficiario=(f"{escape(ind['razao_social'])} ({escape(ind['municipio'])})" if ind["beneficiario_id"]
                      else "a definir pelo órgão"),
        valor=formatar_brl(ind["valor"]), origem=_rotulo("origem_saldo", ind["origem_saldo"]),
        situacao=_selo(ind["status"]),
        diligencia=f" {texto_do_selo(ind['diligencia_aberta'])}" if ind.get("diligencia_aberta") else "",
    ) for ind in indicacoes))


@register.simple_tag(takes_context=True)
def linhas_dos_incisos(context, linhas: list[dict]):
    """As duas ``<tr>`` de cada linha da view ``indicacao_de_recursos`` (o inciso com os saldos e o botão de
    indicar; embaixo, as indicações dele num ``<details>``)."""
    url = _url_por_pk(context, "emendas:nova_indicacao")
    partes = []
    for linha in linhas:
        inciso, indicacoes = linha["inciso"], linha["indicacoes"]
        partes.append(_INCISO.format(
            tipo=escape(inciso["tipo_rotulo"]), numero=escape(inciso["numero"]),
            bloco=f' <span class="badge text-bg-secondary">{escape(inciso["bloco_nome"])}</span>'
            if inciso["bloco_id"] else "",
            emenda=inciso["emenda_numero"], uo=escape(inciso["uo_codigo"]), acao_codigo=escape(inciso["acao_codigo"]),
            acao_nome=escape(inciso["acao_nome"]), grupo=escape(inciso["grupo_nome"]),
            indicado=formatar_brl(linha["saldos"].indicado),
            disponivel=formatar_brl(linha["saldos"].disponivel_indicacao),
            acao=_INDICAR.format(url(inciso["pk"]), escape(inciso["numero"])) if linha["pode_indicar"]
            else _SOMENTE_LEITURA,
            aberto=" open" if linha["expandido"] else "", n=plural(len(indicacoes), "indicação", "indicações"),
            indicacoes=(_TABELA.format(escape(inciso["numero"]), _TH_MARCAR if linha["pode_indicar"] else "",
                                       linhas_das_indicacoes(context, indicacoes, linha["pode_indicar"]))
                        if indicacoes else _NENHUMA),
        ))
    return mark_safe("\n".join(partes))


# O ajuste em destaque nas filas (DOMAIN.md §7.10): o pedido do órgão, com a justificativa, e a indicação que o
# parlamentar já ajustou e voltou à análise. Só campos da própria linha: nenhuma consulta a mais por página.
_EM_ANALISE = frozenset({_S.EM_ANALISE_ORGAO, _S.EM_ANALISE_SEGOV, _S.RETORNADO_SEGOV})
_PEDIDO = ' <span class="badge text-bg-warning">ajuste pedido</span><span class="d-block small text-break">{}</span>'
_AJUSTADA = ' <span class="badge text-bg-info">ajustada em {}</span>'


@register.simple_tag
def selo_ajuste(ind) -> str:
    if ind.status == _S.AGUARDANDO_AJUSTE:
        texto = ind.justificativa if len(ind.justificativa) <= 160 else ind.justificativa[:159] + "…"
        return mark_safe(_PEDIDO.format(escape(texto)))
    if ind.ajustada_em and ind.status in _EM_ANALISE:
        return mark_safe(_AJUSTADA.format(data_hora(ind.ajustada_em)))
    return ""


def _classe_ajuste(ind) -> str:
    if ind.status == _S.AGUARDANDO_AJUSTE or (ind.ajustada_em and ind.status in _EM_ANALISE):
        return ' class="table-warning"'
    return ""


_LINHA_DA_FILA = """
    <tr{destaque}>
      <td data-label=""><input class="form-check-input" type="checkbox" name="selecionados" value="{pk}"{marcada} aria-label="Selecionar a indicação {numero}"></td>
      <td data-label="Nº"><a href="{url}">{numero}</a></td>
      <td data-label="Titular">{titular}</td>
      <td data-label="Inciso">{inciso}</td>
      <td data-label="UO">{uo}</td>
      <td data-label="Forma">{forma}</td>
      <td data-label="Beneficiário">{beneficiario}</td>
      <td data-label="Valor" class="valor">{valor}</td>
      <td data-label="Situação">{situacao}{ajuste}{diligencia}{sinal}</td>
      <td data-label="Enviada em">{enviada}</td>
    </tr>
  """
_FILA_VAZIA = mark_safe('<tr><td colspan="10">Nenhuma indicação encontrada.</td></tr>')


@register.simple_tag(takes_context=True)
def linhas_da_fila(context, indicacoes, sinais=None):
    """As ``<tr>`` de uma página das filas de análise (órgão e SEGOV), com a caixa de seleção: o mesmo HTML do laço
    de ``emendas/indicacao/_tabela.html``, sem as vinte variáveis, o ``{% url %}``, o selo e os filtros de cada
    linha pelo template (um terço do tempo da fila da SEGOV). *indicacoes*: objetos com o inciso, a emenda, o
    titular, a UO e o beneficiário já carregados. *sinais*: {pk: {"alertas", "bloqueios"}} do "Vai passar?"
    (``emendas.preflight.sinais_da_fila``), um selo que leva à lista na indicação."""
    if not indicacoes:
        return _FILA_VAZIA
    url = _url_por_pk(context, "emendas:indicacao")
    # "Marcar todos" sem JavaScript: a página recarregada com ?todos=1 vem com as caixas marcadas.
    request = context.get("request")
    marcada = " checked" if request is not None and request.GET.get("todos") == "1" else ""
    return mark_safe("".join(_LINHA_DA_FILA.format(
        pk=ind.pk, marcada=marcada, numero=ind.numero, url=url(ind.pk),
        titular=escape(str(ind.inciso.emenda.titular)),
        inciso=escape(ind.inciso.numero), uo=escape(ind.inciso.acao.uo.codigo),
        forma=_rotulo("forma_execucao", ind.forma_execucao),
        beneficiario=(f'{escape(ind.beneficiario.razao_social)} <span class="text-body-secondary small">'
                      f'({escape(str(ind.beneficiario.municipio))})</span>' if ind.beneficiario_id else "a definir"),
        valor=formatar_brl(ind.valor), situacao=_selo(ind.status), enviada=data_hora(ind.enviada_em),
        destaque=_classe_ajuste(ind), ajuste=selo_ajuste(ind),
        diligencia=f" {texto_do_selo(numero)}" if (numero := getattr(ind, "diligencia_aberta", None)) else "",
        sinal=_sinal(url(ind.pk), (sinais or {}).get(ind.pk)),
    ) for ind in indicacoes))


def _sinal(url: str, sinal: dict | None) -> str:
    """" <a class="badge">2 alertas</a>": o que a lista do "Vai passar?" da indicação apontaria; nada quando passa."""
    if not sinal or not (sinal["alertas"] or sinal["bloqueios"]):
        return ""
    if sinal["bloqueios"]:
        cor, texto = "text-bg-danger", plural(sinal["bloqueios"], "impedimento", "impedimentos")
    else:
        cor, texto = "text-bg-warning", plural(sinal["alertas"], "alerta", "alertas")
    return (f' <a class="badge {cor}" href="{url}#preflight" title="Vai passar? Veja a lista na indicação">{texto}'
            '<span class="visually-hidden"> do “Vai passar?”</span></a>')
