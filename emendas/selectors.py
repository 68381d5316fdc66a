"""Leituras: saldos e listas, com número constante de consultas."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from .models import (
    Exercicio, Indicacao, Inciso, RegistroCorrecaoInciso, Remanejamento, UnidadeOrcamentaria,
)
from .saldos import Estado, Movimento, Saldos, calcular_saldos
from .saldos import valor_comprometido as calcular_comprometido
# As regras de visibilidade moram em visibilidade.py; relatorios.acesso e as telas as leem daqui.
from .visibilidade import (
    filtro_incisos_visiveis, filtro_indicacoes_visiveis, filtro_remanejamentos_visiveis, pode_ver_inciso,
)


def fim_do_dia(dia: date) -> datetime:
    """A meia-noite que encerra *dia* no fuso do sistema: ``campo < fim_do_dia(d)`` ⇔ ``campo__date__lte=d``."""
    return timezone.make_aware(datetime.combine(dia + timedelta(days=1), time.min))


def _movimentos(dia: date | None, filtro: dict, chave=("pk",), excluir: dict | None = None,
                exercicio_id: int | None = None) -> dict[tuple, list[Movimento]]:
    """Movimentos (remanejamentos e indicações) somados por *chave*, vistos no fim de *dia*
    (``None``: todos, de qualquer data, no estado atual).

    *filtro* e *chave* são relativos ao inciso (ex.: ``{"pk__in": ids}``, ``("pk",)``). Uma consulta
    (os dois tipos de movimento num UNION ALL), qualquer que seja o número de incisos.
    """
    # "Até o fim do dia" como instante (< meia-noite seguinte, no fuso do sistema): o banco compara o campo direto,
    # sem converter o fuso de cada linha (``__date__lte``), e pode usar um índice sobre ele.
    limite = None if dia is None else fim_do_dia(dia)
    consulta = _consulta_dos_movimentos(limite, filtro, chave, excluir, exercicio_id)
    return _agrupar_movimentos(consulta, len(chave))


def _consulta_dos_movimentos(limite: datetime | None, filtro: dict, chave=("pk",), excluir: dict | None = None,
                             exercicio_id: int | None = None):
    """O UNION ALL de ``_movimentos`` (um QuerySet de dicionários), com o instante *limite* já calculado."""

    def encerrado_ate_o_dia(campo):
        ate_o_dia = {} if limite is None else {f"{campo}__lt": limite}
        return Case(
            When(**{f"{campo}__isnull": False, **ate_o_dia}, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )

    def consulta(modelo, campo_inciso, campo_data, campo_fim, campo_origem, tipo):
        prefixados = {f"{campo_inciso}__{k}": v for k, v in filtro.items()}
        sem = {f"{campo_inciso}__{k}": v for k, v in (excluir or {}).items()}
        if exercicio_id is not None:
            prefixados[f"{campo_inciso}__exercicio_id"] = exercicio_id
            if modelo is Indicacao:
                # A indicação guarda o exercício do seu inciso (services): o índice dela evita ler as 200 mil.
                prefixados["exercicio_id"] = exercicio_id
        # Os mesmos nomes de coluna nos dois lados do UNION: k0, k1… para a chave, "origem" para o balde.
        chaves = {f"k{n}": F(f"{campo_inciso}__{c}") for n, c in enumerate(chave)}
        desde = {} if limite is None else {f"{campo_data}__lt": limite}
        return (
            modelo.objects.filter(**prefixados, **desde).exclude(**sem)
            .annotate(encerrado=encerrado_ate_o_dia(campo_fim), origem=F(campo_origem), movimento=Value(tipo),
                      **chaves)
            .values(*chaves, "status", "encerrado", "origem", "saldo_devolucao", "movimento")
            .annotate(total=Sum("valor"))
            .order_by()
        )

    # Uma ida ao banco para os dois tipos de movimento (UNION ALL): cada página de saldos fazia duas.
    remanejamentos = consulta(Remanejamento, "inciso_origem", "solicitado_em", "decidido_em", "saldo_origem", "R")
    indicacoes = consulta(Indicacao, "inciso", "enviada_em", "encerrada_em", "origem_saldo", "I")
    return remanejamentos.union(indicacoes, all=True)


def _agrupar_movimentos(linhas, n_chaves: int) -> dict[tuple, list[Movimento]]:
    """As linhas do UNION (dicionários com k0…, status, encerrado, origem, saldo_devolucao, movimento e total) como
    ``Movimento`` por chave."""
    por_chave: dict[tuple, list[Movimento]] = defaultdict(list)
    campos_chave = [f"k{n}" for n in range(n_chaves)]
    for linha in linhas:
        if not linha["encerrado"]:
            estado = Estado.PENDENTE if linha["movimento"] == "R" else Estado.ATIVO
        elif linha["status"] == Remanejamento.Status.APROVADO:
            estado = Estado.SAIU
        else:
            estado = Estado.DEVOLVIDO
        por_chave[tuple(linha[c] for c in campos_chave)].append(
            Movimento(linha["total"], estado, linha["origem"], linha["saldo_devolucao"])
        )
    return por_chave


# O UNION dos movimentos de um inciso só (página do inciso, formulários de remanejamento e de indicação, serviços):
# montar e compilar as duas consultas pelo ORM custava ~3 ms de CPU por chamada, três vezes a execução (issue 13).
# No PostgreSQL o SQL é compilado uma vez por processo e formato (com ou sem dia), com marcas no lugar do id e do
# instante; cada chamada só troca as marcas pelos valores e executa. A marca tem de aparecer entre os parâmetros
# (não embutida no SQL) e nenhum outro parâmetro pode ser igual a ela; senão o formato não é guardado e vale o ORM.
# O psycopg devolve numeric como Decimal e o CASE como bool, o mesmo que o ORM entrega no PostgreSQL (sem
# conversores); no SQLite os conversores do ORM (Decimal da soma) são necessários, e lá sempre vale o ORM.
_MARCA_PK = -7_319_004_211  # nenhum id é negativo
_MARCA_LIMITE = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt_timezone.utc)
_SQL_DE_UM_INCISO: dict[bool, tuple[str, list, list[int], list[int]] | None] = {}


def _sql_de_um_inciso(com_dia: bool):
    if com_dia not in _SQL_DE_UM_INCISO:
        consulta = _consulta_dos_movimentos(_MARCA_LIMITE if com_dia else None, {"pk": _MARCA_PK})
        sql, parametros = consulta.query.sql_with_params()
        parametros = list(parametros)
        no_pk = [n for n, p in enumerate(parametros) if p == _MARCA_PK and type(p) is int]
        no_limite = [n for n, p in enumerate(parametros) if isinstance(p, datetime) and p == _MARCA_LIMITE]
        outros = [p for n, p in enumerate(parametros) if n not in no_pk and n not in no_limite]
        seguro = (len(no_pk) == 2 and len(no_limite) == (4 if com_dia else 0)
                  and str(_MARCA_PK) not in sql and _MARCA_PK not in outros)
        _SQL_DE_UM_INCISO[com_dia] = (sql, parametros, no_pk, no_limite) if seguro else None
    return _SQL_DE_UM_INCISO[com_dia]


def _movimentos_de_um_inciso(dia: date | None, pk: int) -> dict[tuple, list[Movimento]]:
    """``_movimentos(dia, {"pk": pk})``, com o SQL já compilado no PostgreSQL (veja ``_SQL_DE_UM_INCISO``)."""
    modelo = _sql_de_um_inciso(dia is not None) if connection.vendor == "postgresql" else None
    if modelo is None:
        return _movimentos(dia, {"pk": pk})
    sql, parametros, no_pk, no_limite = modelo
    parametros = list(parametros)
    for n in no_pk:
        parametros[n] = pk
    if no_limite:
        limite = fim_do_dia(dia)
        for n in no_limite:
            parametros[n] = limite
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        colunas = [c[0] for c in cursor.description]
        linhas = [dict(zip(colunas, linha)) for linha in cursor.fetchall()]
    return _agrupar_movimentos(linhas, 1)


def _saldos(inciso: Inciso, exercicio, dia: date, movimentos) -> Saldos:
    return _saldos_dos_campos(exercicio, dia, movimentos, inciso.inciso_origem_id, inciso.criado_em,
                              inciso.valor_inicial, inciso.saldo_inicial, inciso.tipo)


def _saldos_dos_campos(exercicio, dia, movimentos, inciso_origem_id, criado_em, valor_inicial, saldo_inicial,
                       tipo) -> Saldos:
    if inciso_origem_id and timezone.localdate(criado_em) > dia:
        # Inciso R ainda não existia no dia pedido.
        return Saldos.zerados(exercicio.fase(dia))
    return calcular_saldos(
        exercicio=exercicio,
        dia=dia,
        valor_inicial=valor_inicial,
        saldo_inicial=saldo_inicial,
        remanejavel=tipo != Inciso.Tipo.P,
        movimentos=movimentos,
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
    return {i.pk: _saldos(i, i.exercicio, dia, movimentos.get((i.pk,), ())) for i in incisos}


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
    fases = {e.pk: e.fase(hoje) for e in Exercicio.objects.filter(pk__in={i.exercicio_id for i in incisos})}
    return {
        i.pk: calcular_comprometido(
            valor_inicial=i.valor_inicial, saldo_inicial=i.saldo_inicial, fase_atual=fases[i.exercicio_id],
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
    """Só o titular escreve; num bloco, só o responsável (membros só leem)."""
    emenda = inciso.emenda
    if emenda.parlamentar_id:
        # O titular já vem com o inciso (select_related das telas e das travas): sem ler o parlamentar do usuário.
        return emenda.parlamentar.usuario_id == usuario.pk
    parlamentar = getattr(usuario, "parlamentar", None)
    if parlamentar is None:
        return False
    return emenda.bloco.responsavel_id == parlamentar.pk


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

    O cálculo dos saldos é linear e a fase do dia é a mesma para o exercício inteiro: somar no banco por
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
        "decidido_por", "inciso_gerado",
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
        "inciso__grupo_despesa", "beneficiario", "categoria_impedimento", "enviada_por",
    )


def indicacao_para_usuario(usuario, pk: int) -> Indicacao:
    ind = indicacoes_com_detalhes().filter(filtro_indicacoes_visiveis(usuario), pk=pk).first()
    if ind is None:
        raise Http404("Indicação não encontrada.")
    return ind
