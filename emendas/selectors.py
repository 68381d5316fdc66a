"""Leituras: saldos e listas, com número constante de consultas."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from . import prazos
from .models import (
    Exercicio, Indicacao, Inciso, RegistroCorrecaoInciso, Remanejamento, UnidadeOrcamentaria,
)
# Os movimentos (o UNION ALL de que todo saldo depende) moram em movimentos.py.
from .movimentos import fim_do_dia
from .movimentos import movimentos as _movimentos
from .movimentos import movimentos_de_um_inciso as _movimentos_de_um_inciso
from .saldos import Saldos, calcular_saldos
from .saldos import valor_comprometido as calcular_comprometido
# As regras de visibilidade moram em visibilidade.py; relatorios.acesso e as telas as leem daqui.
from .visibilidade import (
    filtro_incisos_visiveis, filtro_indicacoes_visiveis, filtro_remanejamentos_visiveis, pode_ver_inciso, representa,
    titular_do_inciso,
)


def _saldos(inciso: Inciso, exercicio, dia: date, movimentos) -> Saldos:
    return _saldos_dos_campos(exercicio, dia, movimentos, inciso.inciso_origem_id, inciso.criado_em,
                              inciso.valor_inicial, inciso.saldo_inicial, inciso.tipo)


def _saldos_dos_campos(exercicio, dia, movimentos, inciso_origem_id, criado_em, valor_inicial, saldo_inicial,
                       tipo) -> Saldos:
    if inciso_origem_id and timezone.localdate(criado_em) > dia:
        # Inciso R (ou P da lei do remanejamento constitucional) ainda não existia no dia pedido.
        return Saldos.zerados(prazos.fase(prazos.calendario_do_inciso(exercicio, tipo), dia))
    return calcular_saldos(
        exercicio=exercicio,
        dia=dia,
        valor_inicial=valor_inicial,
        saldo_inicial=saldo_inicial,
        remanejavel=tipo != Inciso.Tipo.P,
        movimentos=movimentos,
        tipo=tipo,
    )


def saldos_inciso(inciso: Inciso, dia: date | None = None) -> Saldos:
    dia = dia or timezone.localdate()
    movimentos = _movimentos_de_um_inciso(dia, inciso.pk)
    return _saldos(inciso, inciso.exercicio, dia, movimentos.get((inciso.pk,), ()))


def saldos_incisos(incisos, dia: date | None = None) -> dict[int, Saldos]:
    """Saldos de vários incisos com uma consulta (os dois tipos de movimento juntos).

    *incisos*: lista de ``Inciso`` (com ``exercicio`` já carregado pelo chamador).
    """
    dia = dia or timezone.localdate()
    incisos = list(incisos)
    if not incisos:
        return {}
    movimentos = _movimentos(dia, _filtro_dos_incisos(incisos))
    # Um objeto por exercício: as janelas de operação (trilha P, escolha do saneamento) são lidas uma vez só.
    exercicios = {}
    return {i.pk: _saldos(i, exercicios.setdefault(i.exercicio_id, i.exercicio), dia, movimentos.get((i.pk,), ()))
            for i in incisos}


def valor_comprometido(inciso: Inciso) -> Decimal:
    """Quanto se pode baixar o ``valor_inicial`` do inciso sem quebrar o invariante: o novo valor
    tem de ser ≥ este (indicações ativas, remanejamentos pedidos ou aprovados, menos o que voltou)."""
    return valores_comprometidos([inciso])[inciso.pk]


def valores_comprometidos(incisos) -> dict[int, Decimal]:
    """``valor_comprometido`` de vários incisos: uma consulta dos movimentos e uma dos exercícios."""
    incisos = list(incisos)
    if not incisos:
        return {}
    movimentos = _movimentos(None, _filtro_dos_incisos(incisos))
    hoje = timezone.localdate()
    # O comprometido depende da fase de hoje do exercício de cada inciso: uma consulta para todos.
    exercicios = {e.pk: e for e in Exercicio.objects.filter(pk__in={i.exercicio_id for i in incisos})}
    return {
        i.pk: calcular_comprometido(
            valor_inicial=i.valor_inicial, saldo_inicial=i.saldo_inicial,
            fase_atual=prazos.fase(prazos.calendario_do_inciso(exercicios[i.exercicio_id], i.tipo), hoje),
            movimentos=movimentos.get((i.pk,), ()),
        )
        for i in incisos
    }


def incisos_com_movimentos(incisos) -> set[int]:
    """Ids dos incisos que têm qualquer remanejamento ou indicação, em qualquer situação (uma consulta)."""
    incisos = list(incisos)
    if not incisos:
        return set()
    return {pk for (pk,) in _movimentos(None, _filtro_dos_incisos(incisos))}


def _filtro_dos_incisos(incisos: list[Inciso]) -> dict:
    exercicios = {i.exercicio_id for i in incisos}
    return _filtro_dos_ids([i.pk for i in incisos], exercicios.pop() if len(exercicios) == 1 else None)


def _filtro_dos_ids(ids: list[int], exercicio_id: int | None) -> dict:
    if len(ids) > 1000 and exercicio_id is not None:
        # Listas grandes (carga da LOA, tela da SEGOV): filtrar pelo exercício evita um IN com milhares de ids.
        return {"exercicio_id": exercicio_id}
    return {"pk__in": ids}


def exercicio_atual(ano: int | None = None) -> Exercicio | None:
    """O exercício pedido, ou o mais recente."""
    qs = Exercicio.objects.all()
    if ano:
        return qs.filter(ano=ano).first()
    return qs.order_by("-ano").first()


def anos_dos_exercicios() -> list[int]:
    return list(Exercicio.objects.values_list("ano", flat=True))


def uos_do_analista(usuario):
    return (UnidadeOrcamentaria.objects.filter(analistas=usuario).annotate(n_acoes=Count("acoes", distinct=True))
            .order_by("codigo"))


def incisos_para_correcao(exercicio: Exercicio, termo: str = ""):
    """Incisos do exercício para a SEGOV corrigir; *termo*: número do inciso ou da emenda, nome do titular."""
    qs = incisos_com_detalhes().filter(exercicio=exercicio).order_by("emenda__numero", "numero")
    if termo:
        filtro = (Q(numero__iexact=termo) | Q(emenda__parlamentar__nome__icontains=termo)
                  | Q(emenda__bloco__nome__icontains=termo))
        if termo.isdigit():
            filtro |= Q(emenda__numero=int(termo)) | Q(numero__iexact=f"S{termo}")
        qs = qs.filter(filtro)
    return qs


def correcoes_do_inciso(inciso: Inciso):
    return RegistroCorrecaoInciso.objects.filter(inciso=inciso).select_related(
        "usuario", "acao_anterior", "acao_nova", "grupo_anterior", "grupo_novo")


def incisos_com_detalhes():
    return Inciso.objects.select_related(
        "exercicio", "emenda__parlamentar", "emenda__bloco", "acao__uo", "grupo_despesa", "inciso_origem"
    )


def inciso_para_usuario(usuario, pk: int) -> Inciso:
    """O inciso, ou 404 para quem não pode vê-lo (não revela que existe)."""
    # Sem a ordem padrão (UO, emenda, número) nem o LIMIT do .first(): o pk já é único, e com as nove tabelas da
    # junção o planejamento da consulta ordenada custava mais de 2 ms, dez vezes a execução (issue 13). A
    # visibilidade é conferida no inciso lido (visibilidade.pode_ver_inciso, a mesma regra do filtro): a consulta
    # dos ids das emendas do usuário custava mais que a do próprio inciso.
    inciso = next(iter(incisos_com_detalhes().filter(pk=pk).order_by()), None)
    if inciso is None or not pode_ver_inciso(usuario, inciso):
        raise Http404("Inciso não encontrado.")
    return inciso


def pode_escrever_no_inciso(usuario, inciso: Inciso) -> bool:
    """Só o titular escreve; num bloco, só o responsável (membros só leem). O assessor com vínculo ativo escreve
    como o titular (``visibilidade.representa``, lido agora: desassociado, perde na hora)."""
    emenda = inciso.emenda
    # O titular já vem com o inciso (select_related das telas e das travas): sem ler o parlamentar do usuário.
    if emenda.parlamentar_id and emenda.parlamentar.usuario_id == usuario.pk:
        return True
    return representa(usuario, titular_do_inciso(inciso))


def saldos_das_linhas(linhas: list[dict], exercicio: Exercicio, dia: date) -> dict[int, Saldos]:
    """``saldos_incisos`` para as linhas de ``linhas_de_incisos`` (todas de *exercicio*)."""
    if not linhas:
        return {}
    movimentos = _movimentos(dia, _filtro_dos_ids([l["pk"] for l in linhas], exercicio.pk))
    return {
        l["pk"]: _saldos_dos_campos(exercicio, dia, movimentos.get((l["pk"],), ()), l["inciso_origem_id"],
                                    l["criado_em"], l["valor_inicial"], l["saldo_inicial"], l["tipo"])
        for l in linhas
    }


@dataclass
class TotalTitular:
    titular: str  # só o rótulo: dois deputados podem ter o mesmo nome
    tipo: str
    incisos: int
    saldos: Saldos
    parlamentar_id: int | None = None
    bloco_id: int | None = None


@dataclass
class Agrupado:
    rotulos: dict
    n: int
    saldos: Saldos


def saldos_agrupados(incisos, exercicio, dia: date, chave=(), rotulos=(), *, todos_do_exercicio: bool = False
                     ) -> dict[tuple, Agrupado]:
    """Saldos somados por *chave* (campos do inciso) dos *incisos* de um exercício, com duas consultas.

    O cálculo dos saldos é linear e a fase do dia é a mesma para os incisos do mesmo tipo (P segue a trilha P): somar no banco por
    (chave, balde inicial, remanejável) e calcular uma vez por grupo dá o mesmo resultado que somar
    inciso a inciso. *rotulos*: campos que dependem da chave (nomes), lidos junto para exibição.
    *todos_do_exercicio*: *incisos* são todos os do exercício (painel da SEGOV); os movimentos filtram então o
    próprio inciso da junção, sem a subconsulta dos ids, que fazia o banco ler cada inciso duas vezes.
    """
    if exercicio is None:
        return {}
    # Incisos R aprovados depois do dia pedido ainda não existiam (como em ``_saldos``).
    ainda_nao_existiam = {"inciso_origem__isnull": False, "criado_em__gte": fim_do_dia(dia)}
    existentes = incisos.exclude(**ainda_nao_existiam).order_by()
    campos = (*chave, "saldo_inicial", "tipo")
    grupos = existentes.values(*campos, *rotulos).annotate(valor=Sum("valor_inicial"), n=Count("pk"))
    if todos_do_exercicio:
        movimentos = _movimentos(dia, {}, campos, excluir=ainda_nao_existiam, exercicio_id=exercicio.pk)
    else:
        movimentos = _movimentos(dia, {"pk__in": existentes.values("pk")}, campos)
    resultado: dict[tuple, Agrupado] = {}
    for g in grupos:
        s = calcular_saldos(
            exercicio=exercicio,
            dia=dia,
            valor_inicial=g["valor"],
            saldo_inicial=g["saldo_inicial"],
            remanejavel=g["tipo"] != Inciso.Tipo.P,
            movimentos=movimentos.get(tuple(g[c] for c in campos), ()),
            tipo=g["tipo"],
        )
        k = tuple(g[c] for c in chave)
        atual = resultado.get(k)
        if atual is None:
            resultado[k] = Agrupado({r: g[r] for r in rotulos}, g["n"], s)
        else:
            atual.n += g["n"]
            atual.saldos = atual.saldos + s
    return resultado


def totais_por_titular(exercicio: Exercicio, dia: date | None = None) -> tuple[list[TotalTitular], Saldos | None]:
    """Totais do exercício por parlamentar/bloco, para a tela da SEGOV (duas consultas)."""
    dia = dia or timezone.localdate()
    # Agrupa pelo id do titular; o nome vem só como rótulo (homônimos não se somam).
    grupos = saldos_agrupados(Inciso.objects.filter(exercicio=exercicio), exercicio, dia,
                              chave=("emenda__parlamentar_id", "emenda__bloco_id"),
                              rotulos=("emenda__parlamentar__nome", "emenda__bloco__nome"), todos_do_exercicio=True)
    linhas = sorted(
        (TotalTitular(
            g.rotulos["emenda__bloco__nome"] or g.rotulos["emenda__parlamentar__nome"],
            "Bloco" if bloco_id else "Parlamentar", g.n, g.saldos, parlamentar_id=parlamentar_id, bloco_id=bloco_id,
        ) for (parlamentar_id, bloco_id), g in grupos.items()),
        key=lambda t: (t.tipo != "Parlamentar", t.titular, t.parlamentar_id or 0, t.bloco_id or 0),
    )
    total = None
    for linha in linhas:
        total = linha.saldos if total is None else total + linha.saldos
    return linhas, total


def montante_total(exercicio: Exercicio) -> Decimal:
    return Inciso.objects.filter(exercicio=exercicio, tipo=Inciso.Tipo.S).aggregate(t=Sum("valor_inicial"))["t"] or Decimal(
        "0.00"
    )


def remanejamentos_com_detalhes():
    return Remanejamento.objects.select_related(
        "inciso_origem__exercicio", "inciso_origem__emenda__parlamentar", "inciso_origem__emenda__bloco",
        "inciso_origem__acao__uo", "inciso_origem__grupo_despesa", "acao__uo", "grupo_despesa", "solicitado_por",
        "decidido_por", "inciso_gerado", "em_nome_de",
    )


def remanejamentos_visiveis(usuario):
    """Pedidos que o usuário pode ver: SEGOV todos; parlamentar os dos incisos que vê."""
    return remanejamentos_com_detalhes().filter(filtro_remanejamentos_visiveis(usuario))


def remanejamento_para_usuario(usuario, pk: int) -> Remanejamento:
    rem = remanejamentos_visiveis(usuario).filter(pk=pk).first()
    if rem is None:
        raise Http404("Remanejamento não encontrado.")
    return rem


def destinos_possiveis(inciso: Inciso):
    """Programações elegíveis que podem receber o remanejamento deste inciso."""
    from .models import ProgramacaoElegivel

    qs = ProgramacaoElegivel.objects.filter(exercicio_id=inciso.exercicio_id, recebe_remanejamento=True).select_related(
        "acao__uo", "grupo_despesa"
    )
    if not inciso.exercicio.permite_outra_uo:
        qs = qs.filter(acao__uo_id=inciso.acao.uo_id)
    return qs.exclude(acao_id=inciso.acao_id, grupo_despesa_id=inciso.grupo_despesa_id)


def indicacoes_com_detalhes():
    return Indicacao.objects.select_related(
        "exercicio", "inciso__emenda__parlamentar", "inciso__emenda__bloco", "inciso__acao__uo",
        "inciso__grupo_despesa", "beneficiario", "categoria_impedimento", "enviada_por", "em_nome_de",
    )


def indicacao_para_usuario(usuario, pk: int) -> Indicacao:
    ind = indicacoes_com_detalhes().filter(filtro_indicacoes_visiveis(usuario), pk=pk).first()
    if ind is None:
        raise Http404("Indicação não encontrada.")
    return ind
