"""Os movimentos de um ou de muitos incisos (remanejamentos e indicações, somados por situação e balde), a leitura
de que todo saldo depende (``emendas.selectors``): um UNION ALL, uma consulta qualquer que seja o número de incisos."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.db import connection
from django.db.models import BooleanField, Case, CharField, F, Sum, Value, When
from django.utils import timezone

from .models import ExecucaoIndicacao, Indicacao, MovimentoSaneamento, Remanejamento
from .saldos import Estado, Movimento


def fim_do_dia(dia: date) -> datetime:
    """A meia-noite que encerra *dia* no fuso do sistema: ``campo < fim_do_dia(d)`` ⇔ ``campo__date__lte=d``."""
    return timezone.make_aware(datetime.combine(dia + timedelta(days=1), time.min))


def movimentos(dia: date | None, filtro: dict, chave=("pk",), excluir: dict | None = None,
                exercicio_id: int | None = None) -> dict[tuple, list[Movimento]]:
    """Movimentos (remanejamentos, indicações e impedimentos parciais da execução) somados por *chave*, vistos no fim de *dia*
    (``None``: todos, de qualquer data, no estado atual).

    *filtro* e *chave* são relativos ao inciso (ex.: ``{"pk__in": ids}``, ``("pk",)``). Uma consulta
    (os três tipos de movimento num UNION ALL), qualquer que seja o número de incisos.
    """
    # "Até o fim do dia" como instante (< meia-noite seguinte, no fuso do sistema): o banco compara o campo direto,
    # sem converter o fuso de cada linha (``__date__lte``), e pode usar um índice sobre ele.
    limite = None if dia is None else fim_do_dia(dia)
    consulta = consulta_dos_movimentos(limite, filtro, chave, excluir, exercicio_id)
    return agrupar_movimentos(consulta, len(chave))


def consulta_dos_movimentos(limite: datetime | None, filtro: dict, chave=("pk",), excluir: dict | None = None,
                             exercicio_id: int | None = None):
    """O UNION ALL de ``movimentos`` (um QuerySet de dicionários), com o instante *limite* já calculado."""

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

    def impedimentos_parciais():
        # O impedimento parcial da execução (emendas/execucao): a indicação continua ativa, mas o valor impedido
        # sai do "indicado" e volta ao balde saldo_devolucao a partir do dia do impedimento (agrupar_movimentos).
        prefixados = {f"indicacao__inciso__{k}": v for k, v in filtro.items()}
        sem = {f"indicacao__inciso__{k}": v for k, v in (excluir or {}).items()}
        if exercicio_id is not None:
            prefixados["indicacao__exercicio_id"] = exercicio_id
        chaves = {f"k{n}": F(f"indicacao__inciso__{c}") for n, c in enumerate(chave)}
        desde = {} if limite is None else {"impedido_em__lt": limite}
        return (
            ExecucaoIndicacao.objects.filter(impedido_em__isnull=False, **prefixados, **desde).exclude(**sem)
            .annotate(encerrado=encerrado_ate_o_dia("impedido_em"), origem=F("indicacao__origem_saldo"),
                      movimento=Value("E"), situacao=Value("", output_field=CharField()), **chaves)
            # A mesma ordem de colunas dos outros dois lados (o UNION casa por posição): "situacao" faz as vezes
            # de "status", que a execução não tem.
            .values(*chaves, "situacao", "encerrado", "origem", "saldo_devolucao", "movimento")
            .annotate(total=Sum("valor_impedido"))
            .order_by()
        )

    # Uma ida ao banco para os quatro tipos de movimento (UNION ALL): cada página de saldos fazia uma por tipo.
    remanejamentos = consulta(Remanejamento, "inciso_origem", "solicitado_em", "decidido_em", "saldo_origem", "R")
    indicacoes = consulta(Indicacao, "inciso", "enviada_em", "encerrada_em", "origem_saldo", "I")
    return remanejamentos.union(indicacoes, impedimentos_parciais(),
                                consulta_do_saneamento(limite, filtro, chave, excluir, exercicio_id), all=True)


def _texto(valor: str):
    return Value(valor, output_field=CharField())


def consulta_do_saneamento(limite, filtro: dict, chave, excluir, exercicio_id):
    """O terceiro lado do UNION: o saneamento (§7.12–7.13), sempre do balde RESERVADO_PL, com as mesmas colunas.

    Sanado: ativo (volta a ser indicado). Guardado para o remanejamento constitucional: devolvido ao próprio
    RESERVADO_PL (não muda o balde; ``saldos.reserva_constitucional`` o conta). Saída para inciso P na lei: como um
    remanejamento aprovado (SAIU). Não programado na lei: devolvido ao não impositivo.
    """
    Tipo = MovimentoSaneamento.Tipo
    prefixados = {f"inciso__{k}": v for k, v in filtro.items()}
    if exercicio_id is not None:
        prefixados["inciso__exercicio_id"] = exercicio_id
    sem = {f"inciso__{k}": v for k, v in (excluir or {}).items()}
    chaves = {f"k{n}": F(f"inciso__{c}") for n, c in enumerate(chave)}
    desde = {} if limite is None else {"criado_em__lt": limite}
    return (
        MovimentoSaneamento.objects.filter(**prefixados, **desde).exclude(**sem)
        .annotate(
            **chaves,
            status=Case(When(tipo=Tipo.SAIDA_LEI, then=_texto(Remanejamento.Status.APROVADO)), default=_texto("")),
            encerrado=Case(When(tipo=Tipo.SANEAMENTO, then=Value(False)), default=Value(True),
                           output_field=BooleanField()),
            origem=_texto("RESERVADO_PL"),
            saldo_devolucao=Case(When(tipo=Tipo.RESERVA, then=_texto("RESERVADO_PL")),
                                 When(tipo=Tipo.PERDA_LEI, then=_texto("NAO_IMPOSITIVO")), default=_texto("")),
            movimento=_texto("S"),
        )
        .values(*chaves, "status", "encerrado", "origem", "saldo_devolucao", "movimento")
        .annotate(total=Sum("valor"))
        .order_by()
    )


def agrupar_movimentos(linhas, n_chaves: int) -> dict[tuple, list[Movimento]]:
    """As linhas do UNION (dicionários com k0…, status, encerrado, origem, saldo_devolucao, movimento e total) como
    ``Movimento`` por chave."""
    por_chave: dict[tuple, list[Movimento]] = defaultdict(list)
    campos_chave = [f"k{n}" for n in range(n_chaves)]
    for linha in linhas:
        if linha["movimento"] == "E":
            # Impedimento parcial já feito: o valor deixa de estar indicado (um movimento ativo negativo devolve-o
            # ao balde de origem e tira-o do "indicado") e volta ao balde de devolução (um movimento devolvido).
            if linha["encerrado"]:
                mov = por_chave[tuple(linha[c] for c in campos_chave)]
                mov.append(Movimento(-linha["total"], Estado.ATIVO, linha["origem"]))
                mov.append(Movimento(linha["total"], Estado.DEVOLVIDO, linha["origem"], linha["saldo_devolucao"]))
            continue
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


def sql_de_um_inciso(com_dia: bool):
    if com_dia not in _SQL_DE_UM_INCISO:
        consulta = consulta_dos_movimentos(_MARCA_LIMITE if com_dia else None, {"pk": _MARCA_PK})
        sql, parametros = consulta.query.sql_with_params()
        parametros = list(parametros)
        no_pk = [n for n, p in enumerate(parametros) if p == _MARCA_PK and type(p) is int]
        no_limite = [n for n, p in enumerate(parametros) if isinstance(p, datetime) and p == _MARCA_LIMITE]
        outros = [p for n, p in enumerate(parametros) if n not in no_pk and n not in no_limite]
        # Uma marca do id por lado do UNION (4); do instante, duas no remanejamento, na indicação e no impedimento
        # parcial, uma no saneamento.
        seguro = (len(no_pk) == 4 and len(no_limite) == (7 if com_dia else 0)
                  and str(_MARCA_PK) not in sql and _MARCA_PK not in outros)
        _SQL_DE_UM_INCISO[com_dia] = (sql, parametros, no_pk, no_limite) if seguro else None
    return _SQL_DE_UM_INCISO[com_dia]


def movimentos_de_um_inciso(dia: date | None, pk: int) -> dict[tuple, list[Movimento]]:
    """``movimentos(dia, {"pk": pk})``, com o SQL já compilado no PostgreSQL (veja ``_SQL_DE_UM_INCISO``)."""
    modelo = sql_de_um_inciso(dia is not None) if connection.vendor == "postgresql" else None
    if modelo is None:
        return movimentos(dia, {"pk": pk})
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
    return agrupar_movimentos(linhas, 1)
