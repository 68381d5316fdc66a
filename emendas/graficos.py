"""Gráficos desenhados no servidor, em SVG, sem JavaScript: a barra dos baldes de um saldo e a linha do tempo das
janelas do exercício.

As cores saem de atributos de apresentação do SVG (``fill``), não de ``style=``: a CSP estrita não recusa atributos.
Os números continuam nas tabelas das telas; o desenho é um resumo de relance, com legenda em texto. Frações e
larguras saem do ``Decimal`` dos saldos por divisão decimal (nada de ``float`` no caminho do dinheiro); o dinheiro
mostrado sai de ``formatar_brl``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sigcon.dinheiro import ZERO, formatar_brl

from .prazos import Fase, fase
from .saldos import Saldos


# A linha do tempo das fases (pura: só datas), que o gráfico do painel desenha.
ROTULOS_ETAPA = {
    Fase.FECHADO: "Carga dos dados (fechado)",
    Fase.LIVRE: "Janela livre",
    Fase.RESTRITA: "Janela restrita",
    Fase.ENCERRADA: "Encerrada",
}


def etapas(exercicio, dia: date) -> list[dict]:
    """As quatro fases do exercício como linha do tempo: início, fim (inclusivo; ``None`` na última), se já passou,
    se é a de hoje, e quantos dias faltam para começar (futura) ou para terminar (a de hoje, 0 = termina hoje)."""
    um = timedelta(days=1)
    limites = (
        (Fase.FECHADO, exercicio.data_publicacao_loa, exercicio.data_liberacao - um),
        (Fase.LIVRE, exercicio.data_liberacao, exercicio.fim_janela_livre),
        (Fase.RESTRITA, exercicio.fim_janela_livre + um, exercicio.fim_janela_obrigatoria),
        (Fase.ENCERRADA, exercicio.fim_janela_obrigatoria + um, None),
    )
    atual = fase(exercicio, dia)
    resultado = []
    for f, inicio, fim in limites:
        if fim is not None and fim < inicio:
            continue  # fase sem nenhum dia (ex.: liberação no dia da publicação)
        e_atual = f is atual
        resultado.append({
            "fase": f, "rotulo": ROTULOS_ETAPA[f], "inicio": inicio, "fim": fim, "atual": e_atual,
            "passada": fim is not None and fim < dia,
            "dias_para_comecar": (inicio - dia).days if inicio > dia and not e_atual else None,
            "dias_restantes": (fim - dia).days if e_atual and fim is not None else None,
        })
    return resultado


@dataclass(frozen=True)
class Balde:
    campo: str  # atributo de ``Saldos``
    rotulo: str
    curto: str
    cor: str  # contraste ≥ 4,5:1 contra o branco (e ≥ 3:1 entre vizinhos, com o filete branco entre eles)


# A ordem da barra: o que já saiu do livre (pendente, indicado), depois os saldos, do mais ao menos usável.
BALDES = (
    Balde("remanejamento_solicitado", "Remanejamento solicitado (pendente)", "Solicitado", "#a84a00"),
    Balde("indicado", "Indicado", "Indicado", "#1f4e9c"),
    Balde("livre", "Saldo livre", "Livre", "#1b6e34"),
    Balde("com_remanejamento", "Com possibilidade de remanejamento", "CPR", "#006b5e"),
    Balde("sem_remanejamento", "Sem possibilidade de remanejamento", "SPR", "#6a2c91"),
    Balde("nao_impositivo", "Não impositivo", "Não impositivo", "#5c5f66"),
    Balde("reservado_pl", "Reservado para projeto de lei", "Reservado PL", "#a3154e"),
)

LARGURA = Decimal(1000)  # unidades do viewBox; o SVG estica até a largura do seu contêiner
_MINIMO = Decimal(6)  # um balde com dinheiro nunca some da barra, por menor que seja


def baldes_com_valor(saldos_de_cada) -> list[Balde]:
    """Os baldes que têm dinheiro em algum dos *saldos* (colunas de uma tabela: os demais estão zerados em todos)."""
    saldos_de_cada = list(saldos_de_cada)
    return [b for b in BALDES if any(getattr(s, b.campo) for s in saldos_de_cada)]


def segmentos(saldos: Saldos) -> list[dict]:
    """Os baldes com dinheiro, com o valor, a fração do valor do inciso e a posição na barra (x, largura)."""
    total = saldos.valor_inciso
    if total <= ZERO:
        return []
    partes = [(b, getattr(saldos, b.campo)) for b in BALDES if getattr(saldos, b.campo) > ZERO]
    larguras = [max(_MINIMO, v / total * LARGURA) for _, v in partes]
    if partes:
        # O que os mínimos acrescentaram sai do maior segmento: a barra tem sempre a largura inteira.
        maior = larguras.index(max(larguras))
        larguras[maior] -= sum(larguras) - LARGURA
    resultado, x = [], Decimal(0)
    for (balde, valor), largura in zip(partes, larguras):
        resultado.append({"balde": balde, "valor": valor, "fracao": valor / total, "x": x, "largura": largura})
        x += largura
    return resultado


def _pct(fracao: Decimal) -> str:
    return f"{fracao * 100:.1f}".replace(".", ",") + "%"


def barra_baldes(saldos: Saldos | None, *, altura: int = 20, descrever: bool = True) -> SafeString:
    """A barra empilhada dos baldes de *saldos* (soma = valor do inciso).

    *descrever*: o SVG é uma imagem com texto alternativo (os baldes e as porcentagens) e cada segmento tem a dica
    (``<title>``) com o valor; sem ele, fica escondido dos leitores de tela e sem dicas, para quando a mesma linha da
    tabela já diz os números (a barra de cada inciso: formatar os valores de novo em cada uma das centenas de linhas
    pesava no tempo do painel).
    """
    if saldos is None:
        return mark_safe("")
    partes = segmentos(saldos)
    if descrever:
        texto = "; ".join(f"{p['balde'].curto} {formatar_brl(p['valor'])} ({_pct(p['fracao'])})" for p in partes)
        texto = f"Valor de {formatar_brl(saldos.valor_inciso)}: " + (texto or "sem dinheiro nos baldes")
        acesso = f'role="img" aria-label="{escape(texto)}"'
    else:
        acesso = 'aria-hidden="true" focusable="false"'
    retangulos = "".join(
        f'<rect x="{p["x"]:.1f}" y="0" width="{p["largura"]:.1f}" height="{altura}" fill="{p["balde"].cor}" '
        f'stroke="#fff" stroke-width="2" vector-effect="non-scaling-stroke">'
        + (f'<title>{escape(p["balde"].curto)}: {formatar_brl(p["valor"])} ({_pct(p["fracao"])})</title>'
           if descrever else "")
        + "</rect>"
        for p in partes
    ) or (f'<rect x="0" y="0" width="{LARGURA}" height="{altura}" fill="#fff" stroke="#6c757d" stroke-width="1" '
          'vector-effect="non-scaling-stroke"><title>Sem valor</title></rect>')
    return mark_safe(
        f'<svg class="barra-baldes" viewBox="0 0 {LARGURA} {altura}" preserveAspectRatio="none" width="100%" '
        f'height="{altura}" {acesso}>{retangulos}</svg>'
    )


def amostra(cor: str) -> SafeString:
    """O quadradinho da legenda, na cor do balde (a legenda diz o nome em texto ao lado)."""
    return mark_safe(f'<svg class="amostra-cor" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" '
                     f'focusable="false"><rect width="12" height="12" fill="{cor}"/></svg>')


# Linha do tempo: a cor de cada fase (faixas) e o marcador de hoje.
CORES_FASE = {Fase.FECHADO: "#6c757d", Fase.LIVRE: "#1b6e34", Fase.RESTRITA: "#a84a00", Fase.ENCERRADA: "#343a40"}
_ALTURA_TEMPO = 28


def linha_do_tempo(exercicio, dia: date) -> dict:
    """As etapas do exercício (``etapas``) e o SVG delas, com hoje marcado.

    A escala vai da publicação da LOA ao fim da janela obrigatória, mais um trecho para a fase encerrada; um dia
    antes ou depois da escala fica na borda. Escondido dos leitores de tela: a lista de etapas diz o mesmo.
    """
    lista = etapas(exercicio, dia)
    inicio = exercicio.data_publicacao_loa
    fim_obrigatoria = exercicio.fim_janela_obrigatoria
    cauda = max(7, (fim_obrigatoria - inicio).days // 6)
    dias = max(1, (fim_obrigatoria - inicio).days + 1 + cauda)

    def x(d: date) -> Decimal:
        return Decimal(min(max((d - inicio).days, 0), dias)) / dias * LARGURA

    faixas = []
    for e in lista:
        x0 = x(e["inicio"])
        x1 = x(e["fim"]) + LARGURA / dias if e["fim"] else LARGURA
        opacidade = ' fill-opacity="0.55"' if e["passada"] else ""
        faixas.append(
            f'<rect x="{x0:.1f}" y="6" width="{max(x1 - x0, 0):.1f}" height="{_ALTURA_TEMPO - 12}" '
            f'fill="{CORES_FASE[e["fase"]]}"{opacidade} stroke="#fff" stroke-width="2" '
            f'vector-effect="non-scaling-stroke"/>'
        )
    hoje = min(x(dia) + LARGURA / dias / 2, LARGURA - 1)  # o meio do dia; depois da escala, na borda
    marcador = (f'<line x1="{hoje:.1f}" x2="{hoje:.1f}" y1="0" y2="{_ALTURA_TEMPO}" stroke="#000" stroke-width="3" '
                f'vector-effect="non-scaling-stroke"/>')
    svg = mark_safe(
        f'<svg class="linha-do-tempo" viewBox="0 0 {LARGURA} {_ALTURA_TEMPO}" preserveAspectRatio="none" '
        f'width="100%" height="{_ALTURA_TEMPO}" aria-hidden="true" focusable="false">{"".join(faixas)}{marcador}</svg>'
    )
    for e in lista:
        e["amostra"] = amostra(CORES_FASE[e["fase"]])
    return {"etapas": lista, "svg": svg, "hoje": dia}
