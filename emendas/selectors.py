"""Leituras: saldos e listas, com número constante de consultas."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Case, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from contas import perfis

from .models import Bloco, Exercicio, Inciso, Parlamentar, Remanejamento
from .saldos import Estado, Movimento, Saldos, calcular_saldos


def _movimentos(filtro_inciso: Q, dia: date) -> dict[int, list[Movimento]]:
    """Movimentos agregados por inciso, vistos no fim de *dia* (uma consulta por tipo)."""
    por_inciso: dict[int, list[Movimento]] = defaultdict(list)
    decidido_ate_o_dia = Case(
        When(decidido_em__isnull=False, decidido_em__date__lte=dia, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    linhas = (
        Remanejamento.objects.filter(filtro_inciso, solicitado_em__date__lte=dia)
        .annotate(decidido=decidido_ate_o_dia)
        .values("inciso_origem_id", "status", "decidido", "saldo_origem", "saldo_devolucao")
        .annotate(total=Sum("valor"))
        .order_by()
    )
    for linha in linhas:
        if not linha["decidido"]:
            estado = Estado.PENDENTE
        elif linha["status"] == Remanejamento.Status.APROVADO:
            estado = Estado.SAIU
        else:
            estado = Estado.DEVOLVIDO
        por_inciso[linha["inciso_origem_id"]].append(
            Movimento(linha["total"], estado, linha["saldo_origem"], linha["saldo_devolucao"])
        )
    return por_inciso


def _saldos(inciso: Inciso, exercicio, dia: date, movimentos) -> Saldos:
    if inciso.inciso_origem_id and timezone.localdate(inciso.criado_em) > dia:
        # Inciso R ainda não existia no dia pedido.
        return Saldos.zerados(exercicio.fase(dia))
    return calcular_saldos(
        exercicio=exercicio,
        dia=dia,
        valor_inicial=inciso.valor_inicial,
        saldo_inicial=inciso.saldo_inicial,
        remanejavel=inciso.remanejavel,
        movimentos=movimentos,
    )


def saldos_inciso(inciso: Inciso, dia: date | None = None) -> Saldos:
    dia = dia or timezone.localdate()
    movimentos = _movimentos(Q(inciso_origem_id=inciso.pk), dia)
    return _saldos(inciso, inciso.exercicio, dia, movimentos.get(inciso.pk, ()))


def saldos_incisos(incisos, dia: date | None = None) -> dict[int, Saldos]:
    """Saldos de vários incisos com uma consulta por tipo de movimento.

    *incisos*: lista de ``Inciso`` (com ``exercicio`` já carregado pelo chamador).
    """
    dia = dia or timezone.localdate()
    incisos = list(incisos)
    if not incisos:
        return {}
    exercicios = {i.exercicio_id for i in incisos}
    if len(incisos) > 1000 and len(exercicios) == 1:
        # Listas grandes (tela da SEGOV): filtrar pelo exercício evita um IN com milhares de ids.
        filtro = Q(inciso_origem__exercicio_id=exercicios.pop())
    else:
        filtro = Q(inciso_origem_id__in=[i.pk for i in incisos])
    movimentos = _movimentos(filtro, dia)
    return {i.pk: _saldos(i, i.exercicio, dia, movimentos.get(i.pk, ())) for i in incisos}


def exercicio_atual(ano: int | None = None) -> Exercicio | None:
    """O exercício pedido, ou o mais recente."""
    qs = Exercicio.objects.all()
    if ano:
        return qs.filter(ano=ano).first()
    return qs.order_by("-ano").first()


def incisos_com_detalhes():
    return Inciso.objects.select_related(
        "exercicio", "emenda__parlamentar", "emenda__bloco", "acao__uo", "grupo_despesa", "inciso_origem"
    )


def filtro_incisos_visiveis(usuario) -> Q:
    """Incisos que o usuário pode ver: os seus, os dos blocos de que participa; tudo para SEGOV."""
    if perfis.e_segov(usuario):
        return Q()
    parlamentar = Parlamentar.objects.filter(usuario=usuario).first()
    if parlamentar is None:
        return Q(pk__in=[])
    blocos = Bloco.objects.filter(Q(responsavel=parlamentar) | Q(membros=parlamentar)).values("pk")
    return Q(emenda__parlamentar=parlamentar) | Q(emenda__bloco__in=blocos)


def inciso_para_usuario(usuario, pk: int) -> Inciso:
    """O inciso, ou 404 para quem não pode vê-lo (não revela que existe)."""
    inciso = incisos_com_detalhes().filter(filtro_incisos_visiveis(usuario), pk=pk).first()
    if inciso is None:
        raise Http404("Inciso não encontrado.")
    return inciso


def pode_escrever_no_inciso(usuario, inciso: Inciso) -> bool:
    """Só o titular escreve; num bloco, só o responsável (membros só leem)."""
    parlamentar = getattr(usuario, "parlamentar", None)
    if parlamentar is None:
        return False
    emenda = inciso.emenda
    if emenda.parlamentar_id:
        return emenda.parlamentar_id == parlamentar.pk
    return emenda.bloco.responsavel_id == parlamentar.pk


@dataclass
class GrupoUO:
    uo: object
    linhas: list = field(default_factory=list)
    total: Saldos | None = None


def painel_parlamentar(usuario, exercicio: Exercicio, dia: date | None = None) -> list[GrupoUO]:
    """Incisos do parlamentar (e dos seus blocos) agrupados por UO, com saldos e totais."""
    dia = dia or timezone.localdate()
    incisos = list(
        incisos_com_detalhes()
        .filter(filtro_incisos_visiveis(usuario), exercicio=exercicio)
        .order_by("acao__uo__codigo", "emenda__numero", "numero")
    )
    saldos = saldos_incisos(incisos, dia)
    parlamentar = getattr(usuario, "parlamentar", None)
    grupos: dict[int, GrupoUO] = {}
    for inciso in incisos:
        grupo = grupos.setdefault(inciso.acao.uo_id, GrupoUO(uo=inciso.acao.uo))
        s = saldos[inciso.pk]
        somente_leitura = bool(
            inciso.emenda.bloco_id and (parlamentar is None or inciso.emenda.bloco.responsavel_id != parlamentar.pk)
        )
        grupo.linhas.append({"inciso": inciso, "saldos": s, "somente_leitura": somente_leitura})
        grupo.total = s if grupo.total is None else grupo.total + s
    return list(grupos.values())


@dataclass
class TotalTitular:
    titular: str
    tipo: str
    incisos: int
    saldos: Saldos


def totais_por_titular(exercicio: Exercicio, dia: date | None = None) -> tuple[list[TotalTitular], Saldos | None]:
    """Totais do exercício por parlamentar/bloco, para a tela da SEGOV."""
    dia = dia or timezone.localdate()
    incisos = list(
        Inciso.objects.filter(exercicio=exercicio)
        .select_related("exercicio", "emenda__parlamentar", "emenda__bloco")
    )
    saldos = saldos_incisos(incisos, dia)
    por_titular: dict[tuple, TotalTitular] = {}
    for inciso in incisos:
        emenda = inciso.emenda
        chave = ("Bloco", emenda.bloco.nome) if emenda.bloco_id else ("Parlamentar", emenda.parlamentar.nome)
        atual = por_titular.get(chave)
        s = saldos[inciso.pk]
        if atual is None:
            por_titular[chave] = TotalTitular(chave[1], chave[0], 1, s)
        else:
            atual.incisos += 1
            atual.saldos = atual.saldos + s
    linhas = sorted(por_titular.values(), key=lambda t: (t.tipo != "Parlamentar", t.titular))
    total = None
    for linha in linhas:
        total = linha.saldos if total is None else total + linha.saldos
    return linhas, total


def montante_total(exercicio: Exercicio) -> Decimal:
    return Inciso.objects.filter(exercicio=exercicio, tipo=Inciso.Tipo.S).aggregate(t=Sum("valor_inicial"))["t"] or Decimal(
        "0.00"
    )
