"""Leituras da página do inciso (o centro do inciso): que ações ela oferece hoje, os remanejamentos que saem dele e o
histórico (remanejamentos, indicações e correções, do mais novo ao mais antigo), com número constante de consultas."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

from sigcon.dinheiro import ZERO, formatar_brl

from . import prazos
from .models import Inciso, RegistroCorrecaoInciso, RegistroIndicacao, RegistroRemanejamento, Remanejamento
from .saldos import Saldos

LIMITE_REMANEJAMENTOS = 50
LIMITE_HISTORICO = 50


@dataclass(frozen=True)
class Acao:
    pode: bool
    motivo: str = ""  # por que não, quando não pode


def _janela(exercicio, dia: date, uso: str) -> str:
    """A recusa de ``prazos.conferir_janela`` (a mesma que o serviço dá), ou "" quando a janela está aberta."""
    try:
        prazos.conferir_janela(exercicio, dia, uso)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def acoes_do_inciso(*, inciso: Inciso, saldos: Saldos, pode_escrever: bool, dia: date) -> dict[str, Acao]:
    """"Remanejar" e "Indicar" aparecem quando o serviço aceitaria o pedido hoje: quem pode escrever no inciso
    (``selectors.pode_escrever_no_inciso``), a janela de ``prazos.conferir_janela``, o tipo (P não se remaneja) e
    saldo disponível para o uso. Quando não, o motivo em texto."""
    exercicio = inciso.exercicio
    if not pode_escrever:
        leitura = Acao(False, "Você só consulta este inciso: quem age é o titular da emenda (num bloco, o responsável).")
        return {"remanejar": leitura, "indicar": leitura}
    rem = _janela(exercicio, dia, "remanejamento")
    if not inciso.remanejavel:  # antes da janela: o P nunca se remaneja, em janela nenhuma
        rem = f"O inciso {inciso.numero} é do tipo P (remanejamento constitucional) e não pode ser remanejado."
    if not rem and saldos.disponivel_remanejamento <= ZERO:
        rem = "Não há saldo disponível para remanejamento hoje."
    ind = _janela(prazos.calendario_do_inciso(exercicio, inciso.tipo), dia, "indicacao")
    if not ind and saldos.disponivel_indicacao <= ZERO:
        ind = "Não há saldo disponível para indicação hoje."
    return {"remanejar": Acao(not rem, rem), "indicar": Acao(not ind, ind)}


def remanejamentos_do_inciso(inciso: Inciso) -> tuple[list[Remanejamento], bool]:
    """Os remanejamentos pedidos a partir do inciso, do mais novo ao mais antigo (até o limite; o segundo valor diz
    se há mais), com o destino e o inciso R gerado — os incisos gerados por ele saem daqui, sem outra consulta."""
    qs = (Remanejamento.objects.filter(inciso_origem=inciso)
          .select_related("acao__uo", "grupo_despesa", "inciso_gerado")
          .order_by("-solicitado_em", "-pk"))
    linhas = list(qs[:LIMITE_REMANEJAMENTOS + 1])
    return linhas[:LIMITE_REMANEJAMENTOS], len(linhas) > LIMITE_REMANEJAMENTOS


@dataclass
class Evento:
    momento: datetime
    tipo: str
    texto: str
    usuario: str
    url: str = ""


def historico_do_inciso(inciso: Inciso) -> list[Evento]:
    """Os eventos mais recentes do inciso: mudanças de situação dos seus remanejamentos e indicações e correções da
    SEGOV (três consultas, cada uma limitada; juntas e ordenadas aqui)."""
    eventos = []
    situacao_rem = dict(Remanejamento.Status.choices)
    for r in (RegistroRemanejamento.objects.filter(remanejamento__inciso_origem=inciso)
              .values("momento", "status_novo", "valor", "observacao", "remanejamento_id", "usuario__nome")
              .order_by("-momento", "-pk")[:LIMITE_HISTORICO]):
        texto = f"Remanejamento nº {r['remanejamento_id']}: {situacao_rem[r['status_novo']].lower()} ({formatar_brl(r['valor'])})"
        eventos.append(Evento(r["momento"], "Remanejamento", texto + (f". {r['observacao']}" if r["observacao"] else ""),
                              r["usuario__nome"] or "sistema", reverse("emendas:remanejamento", args=[r["remanejamento_id"]])))
    situacao_ind = dict(RegistroIndicacao._meta.get_field("status_novo").choices)
    for r in (RegistroIndicacao.objects.filter(indicacao__inciso=inciso)
              .values("momento", "status_novo", "justificativa", "indicacao_id", "indicacao__numero",
                      "indicacao__valor", "usuario__nome")
              .order_by("-momento", "-pk")[:LIMITE_HISTORICO]):
        texto = (f"Indicação nº {r['indicacao__numero']}: {situacao_ind[r['status_novo']].lower()} "
                 f"({formatar_brl(r['indicacao__valor'])})")
        eventos.append(Evento(r["momento"], "Indicação", texto + (f". {r['justificativa']}" if r["justificativa"] else ""),
                              r["usuario__nome"], reverse("emendas:indicacao", args=[r["indicacao_id"]])))
    for r in (RegistroCorrecaoInciso.objects.filter(inciso=inciso)
              .values("momento", "justificativa", "valor_anterior", "valor_novo", "usuario__nome")
              .order_by("-momento", "-pk")[:LIMITE_HISTORICO]):
        texto = (f"Correção da SEGOV: valor inicial {formatar_brl(r['valor_anterior'])} → {formatar_brl(r['valor_novo'])}. "
                 f"{r['justificativa']}")
        eventos.append(Evento(r["momento"], "Correção", texto, r["usuario__nome"]))
    eventos.sort(key=lambda e: e.momento, reverse=True)
    return eventos[:LIMITE_HISTORICO]
