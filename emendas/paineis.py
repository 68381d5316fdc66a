"""Leituras das listas de incisos do núcleo (painel do parlamentar, incisos para remanejar): as linhas saem como
dicionários de ``.values()``, não objetos de modelo — uma lista de 100 incisos com ação, UO, grupo, emenda e bloco
seriam 700 objetos por requisição (issue 13)."""

import html
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sigcon.dinheiro import ZERO, formatar_brl

from .graficos import BALDES, barra_baldes, baldes_com_valor
from .models import Exercicio, Inciso, Indicacao, Remanejamento
from .saldos import Saldos
from .selectors import filtro_incisos_visiveis, saldos_das_linhas
from .visibilidade import parlamentar_do_usuario


@dataclass
class GrupoUO:
    uo: object
    linhas: list = field(default_factory=list)
    total: Saldos | None = None
    celulas_total: str = ""


@dataclass
class Painel:
    """O painel do parlamentar: os incisos por UO, os totais por titular (ele e cada bloco) e o total geral."""
    grupos: list
    titulares: list
    baldes: list  # as colunas de baldes das tabelas: os que têm dinheiro em algum inciso
    total: Saldos | None

    @property
    def omitidos(self) -> list[str]:
        return [b.rotulo.lower() for b in BALDES if b not in self.baldes]


_ROTULO_HTML = {b.campo: escape(b.rotulo) for b in BALDES}


def celulas_dos_baldes(saldos: Saldos, baldes) -> str:
    """As células ``<td>`` dos *baldes* de uma linha, já formatadas: um laço do template por célula em cada uma
    das centenas de linhas pesava no tempo da página (issue 13)."""
    return mark_safe("".join(
        f'<td data-label="{_ROTULO_HTML[b.campo]}" class="valor">{formatar_brl(getattr(saldos, b.campo))}</td>'
        for b in baldes
    ))


def _linha_html(linha: dict, s: Saldos, url: str, somente_leitura: bool, baldes) -> str:
    escape = html.escape  # o da biblioteca: o do Django marca cada pedaço como seguro, e são seis por linha
    """A ``<tr>`` de um inciso do painel, inteira: com o ``{% for %}`` do template, as vinte variáveis de cada uma das
    quase 200 linhas do bench eram metade do tempo da página (issue 13; o mesmo de ``indicacoes_lista``)."""
    bloco = ""
    if linha["bloco_id"]:
        leitura = " · somente leitura" if somente_leitura else ""
        bloco = f'<br><span class="badge text-bg-secondary">{escape(linha["bloco_nome"])}{leitura}</span>'
    return (
        f'<tr><td data-label="Emenda">{linha["emenda_numero"]}{bloco}</td>'
        f'<td data-label="Inciso"><a href="{url}" title="{escape(linha["tipo_rotulo"])}">{escape(linha["numero"])}</a></td>'
        f'<td data-label="Ação">{escape(linha["acao_codigo"])} – {escape(linha["acao_nome"])}</td>'
        f'<td data-label="Grupo de despesa">{escape(linha["grupo_nome"])}</td>'
        f'<td data-label="Valor do inciso" class="valor celula-barra">{formatar_brl(s.valor_inciso)}'
        f'{barra_baldes(s, altura=10, descrever=False)}</td>'
        f'{celulas_dos_baldes(s, baldes)}'
        f'<td data-label="Disponível p/ remanejamento" class="valor">{formatar_brl(s.disponivel_remanejamento)}</td>'
        f'<td data-label="Disponível p/ indicação" class="valor">{formatar_brl(s.disponivel_indicacao)}</td></tr>'
    )


# As colunas de uma linha de inciso nas listas (painel, remanejamento): dicionários, não objetos de modelo.
COLUNAS_DA_LINHA = {
    "emenda_numero": F("emenda__numero"), "parlamentar_id": F("emenda__parlamentar_id"), "bloco_id": F("emenda__bloco_id"), "bloco_nome": F("emenda__bloco__nome"),
    "bloco_responsavel_id": F("emenda__bloco__responsavel_id"), "uo_id": F("acao__uo_id"),
    "uo_codigo": F("acao__uo__codigo"), "uo_nome": F("acao__uo__nome"), "acao_codigo": F("acao__codigo"),
    "acao_nome": F("acao__nome"), "grupo_nome": F("grupo_despesa__nome"),
}
_ROTULO_DO_TIPO = dict(Inciso.Tipo.choices)


def linhas_de_incisos(qs) -> list[dict]:
    """Os incisos de *qs* como dicionários com o que as listas mostram (``tipo_rotulo``: o rótulo do tipo)."""
    linhas = list(qs.values("pk", "numero", "tipo", "valor_inicial", "saldo_inicial", "inciso_origem_id", "criado_em",
                            **COLUNAS_DA_LINHA))
    for linha in linhas:
        linha["tipo_rotulo"] = _ROTULO_DO_TIPO[linha["tipo"]]
    return linhas


def somar(saldos) -> Saldos | None:
    total = None
    for s in saldos:
        total = s if total is None else total + s
    return total


def pode_escrever_na_linha(parlamentar, linha: dict) -> bool:
    """``selectors.pode_escrever_no_inciso`` para uma linha: só o titular; num bloco, só o responsável."""
    if parlamentar is None:
        return False
    if linha["parlamentar_id"]:
        return linha["parlamentar_id"] == parlamentar.pk
    return linha["bloco_responsavel_id"] == parlamentar.pk


def painel_parlamentar(usuario, exercicio: Exercicio, dia: date | None = None) -> Painel:
    """Incisos do parlamentar (e dos seus blocos) agrupados por UO, com saldos, totais por UO e por titular."""
    dia = dia or timezone.localdate()
    linhas = linhas_de_incisos(
        Inciso.objects.filter(filtro_incisos_visiveis(usuario), exercicio=exercicio)
        .order_by("acao__uo__codigo", "emenda__numero", "-tipo", "pk")
    )
    saldos = saldos_das_linhas(linhas, exercicio, dia)
    parlamentar = parlamentar_do_usuario(usuario)
    grupos: dict[int, GrupoUO] = {}
    titulares: dict[tuple, dict] = {}
    baldes = baldes_com_valor(saldos.values())
    endereco = reverse("emendas:inciso", args=[0])[:-2]  # ".../0/" → ".../": o prefixo do inciso
    for linha in linhas:
        grupo = grupos.get(linha["uo_id"])
        if grupo is None:
            grupo = grupos[linha["uo_id"]] = GrupoUO(uo={"codigo": linha["uo_codigo"], "nome": linha["uo_nome"]})
        somente_leitura = bool(linha["bloco_id"]) and not pode_escrever_na_linha(parlamentar, linha)
        s = saldos[linha["pk"]]
        chave = (linha["parlamentar_id"], linha["bloco_id"])
        titular = titulares.get(chave)
        if titular is None:
            nome = linha["bloco_nome"] if linha["bloco_id"] else (parlamentar.nome if parlamentar else "")
            titular = titulares[chave] = {"titular": nome, "bloco": bool(linha["bloco_id"]), "n": 0, "saldos": []}
        titular["n"] += 1
        titular["saldos"].append(s)
        url = f"{endereco}{linha['pk']}/"
        grupo.linhas.append({"inciso": linha, "saldos": s, "somente_leitura": somente_leitura, "url": url,
                             "html": mark_safe(_linha_html(linha, s, url, somente_leitura, baldes))})
    for grupo in grupos.values():
        grupo.total = somar(l["saldos"] for l in grupo.linhas)
        grupo.celulas_total = celulas_dos_baldes(grupo.total, baldes)
    # Os próprios incisos primeiro, depois os blocos por nome.
    por_titular = sorted(titulares.values(), key=lambda t: (t["bloco"], t["titular"]))
    for t in por_titular:
        t["saldos"] = somar(t["saldos"])
    return Painel(grupos=list(grupos.values()), titulares=por_titular, baldes=baldes,
                  total=somar(t["saldos"] for t in por_titular))




def totais_da_tramitacao(exercicio: Exercicio) -> list[dict]:
    """Quantos remanejamentos e indicações do exercício estão em cada fase da tramitação, e quanto somam (uma
    consulta agregada por fluxo; toda situação aparece, mesmo sem nenhum pedido)."""
    fluxos = (
        ("Remanejamentos", "relatorio_remanejamentos", Remanejamento.Status,
         Remanejamento.objects.filter(inciso_origem__exercicio=exercicio)),
        ("Indicações", "relatorio_indicacoes", Indicacao.Status, Indicacao.objects.filter(exercicio=exercicio)),
    )
    resultado = []
    for titulo, rota, situacoes, qs in fluxos:
        somas = {s: (n, v) for s, n, v in qs.order_by().values_list("status").annotate(n=Count("pk"), v=Sum("valor"))}
        lista = reverse(rota)
        linhas = [{"rotulo": rotulo, "n": somas.get(valor, (0, ZERO))[0], "valor": somas.get(valor, (0, ZERO))[1],
                   "url": f"{lista}?ano={exercicio.ano}&status={valor}"} for valor, rotulo in situacoes.choices]
        resultado.append({"titulo": titulo, "linhas": linhas, "n": sum(l["n"] for l in linhas),
                          "valor": sum((l["valor"] for l in linhas), ZERO)})
    return resultado
