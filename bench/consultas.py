"""As consultas dos pisos: cada uma devolve, numa ida ao banco, os números que a página da aplicação mostra.

Os saldos do inciso saem da mesma regra dos baldes na janela LIVRE (o "hoje" do bench é o último dia dela):
valor do inciso = valor inicial − remanejamentos aprovados; livre = valor do inciso − remanejamento
solicitado − indicado (indicações ativas). Os movimentos são somados por inciso em subconsultas agrupadas
(``LEFT JOIN``), e o agregado de um relatório é o mesmo ``GROUP BY`` por cima delas.
"""

from django.db import connection, transaction

from convenios.models import Convenente

from emendas.models import (
    Acao, Bloco, Emenda, Exercicio, GrupoDespesa, Inciso, Indicacao, Parlamentar, Remanejamento, UnidadeOrcamentaria,
)

T = {
    "inciso": Inciso._meta.db_table, "emenda": Emenda._meta.db_table, "parlamentar": Parlamentar._meta.db_table,
    "bloco": Bloco._meta.db_table, "membros": Bloco.membros.through._meta.db_table,
    "acao": Acao._meta.db_table, "uo": UnidadeOrcamentaria._meta.db_table, "grupo": GrupoDespesa._meta.db_table,
    "indicacao": Indicacao._meta.db_table, "remanejamento": Remanejamento._meta.db_table,
    "exercicio": Exercicio._meta.db_table, "convenente": Convenente._meta.db_table,
}
ATIVAS = [str(s) for s in Indicacao.ATIVAS]
ENCERRADAS = [str(Indicacao.Status.REPROVADA), str(Indicacao.Status.CANCELADA)]
SOLICITADO, APROVADO = str(Remanejamento.Status.SOLICITADO), str(Remanejamento.Status.APROVADO)

EXERCICIO_ATUAL = f"(SELECT id FROM {T['exercicio']} ORDER BY ano DESC LIMIT 1)"

# Colunas de saldo sobre as subconsultas ``d`` (indicado) e ``r`` (remanejamentos) de ``_DE``.
VALOR_INCISO = "i.valor_inicial - COALESCE(r.saiu, 0)"
SALDOS = (
    f"i.valor_inicial, {VALOR_INCISO} AS valor_inciso, COALESCE(r.sol, 0) AS solicitado, "
    f"COALESCE(d.ind, 0) AS indicado, {VALOR_INCISO} - COALESCE(r.sol, 0) - COALESCE(d.ind, 0) AS livre"
)
SOMAS = (
    "COUNT(*) AS n, SUM(i.valor_inicial), SUM(" + VALOR_INCISO + "), SUM(COALESCE(r.sol, 0)), "
    "SUM(COALESCE(d.ind, 0)), SUM(" + VALOR_INCISO + " - COALESCE(r.sol, 0) - COALESCE(d.ind, 0))"
)

_BASE = f"""
FROM {T['inciso']} i
JOIN {T['emenda']} e ON e.id = i.emenda_id
LEFT JOIN {T['parlamentar']} p ON p.id = e.parlamentar_id
LEFT JOIN {T['bloco']} b ON b.id = e.bloco_id
JOIN {T['acao']} a ON a.id = i.acao_id
JOIN {T['uo']} u ON u.id = a.uo_id
JOIN {T['grupo']} g ON g.id = i.grupo_despesa_id
"""
# O exercício inteiro (relatórios da SEGOV): os movimentos agrupados por inciso uma vez, juntados por hash.
_AGRUPADOS = f"""
LEFT JOIN (SELECT inciso_id, SUM(valor) AS ind FROM {T['indicacao']}
           WHERE status = ANY(%(ativas)s) AND exercicio_id = {{ex}} GROUP BY inciso_id) d ON d.inciso_id = i.id
LEFT JOIN (SELECT x.inciso_origem_id, SUM(x.valor) FILTER (WHERE x.status = %(sol)s) AS sol,
                  SUM(x.valor) FILTER (WHERE x.status = %(apr)s) AS saiu
           FROM {T['remanejamento']} x JOIN {T['inciso']} o ON o.id = x.inciso_origem_id
           WHERE o.exercicio_id = {{ex}} GROUP BY x.inciso_origem_id) r ON r.inciso_origem_id = i.id
"""
# Os incisos de um usuário (uma centena): os movimentos de cada um pelo índice da chave estrangeira.
_POR_INCISO = f"""
LEFT JOIN LATERAL (SELECT SUM(y.valor) AS ind FROM {T['indicacao']} y
                   WHERE y.inciso_id = i.id AND y.status = ANY(%(ativas)s)) d ON TRUE
LEFT JOIN LATERAL (SELECT SUM(x.valor) FILTER (WHERE x.status = %(sol)s) AS sol,
                          SUM(x.valor) FILTER (WHERE x.status = %(apr)s) AS saiu
                   FROM {T['remanejamento']} x WHERE x.inciso_origem_id = i.id) r ON TRUE
"""


# O parlamentar vê os seus incisos e os dos blocos de que é responsável ou membro (junções, não listas de ids).
VISIVEL_AO_PARLAMENTAR = f"""(p.usuario_id = %(usuario)s OR b.responsavel_id IN
    (SELECT id FROM {T['parlamentar']} WHERE usuario_id = %(usuario)s) OR EXISTS
    (SELECT 1 FROM {T['membros']} m JOIN {T['parlamentar']} mp ON mp.id = m.parlamentar_id
     WHERE m.bloco_id = e.bloco_id AND mp.usuario_id = %(usuario)s))"""

TITULAR = "COALESCE(p.nome, b.nome)"


def parametros(**extra) -> dict:
    return {"ativas": ATIVAS, "sol": SOLICITADO, "apr": APROVADO, **extra}


def sql_de(exercicio: str = EXERCICIO_ATUAL, *, por_inciso: bool = False, saldos: bool = True) -> str:
    """O ``FROM`` dos incisos com titular, UO, ação e grupo; com *saldos*, também os movimentos somados."""
    if not saldos:
        return _BASE
    return _BASE + (_POR_INCISO if por_inciso else _AGRUPADOS.replace("{ex}", exercicio))


def executar(sql: str, params: dict) -> list[tuple]:
    """Executa com o JIT do PostgreSQL desligado só nesta transação (``SET LOCAL``).

    O planejador superestima as linhas do filtro de visibilidade (≈ 9 mil em vez de 170) e, com custo acima de
    ``jit_above_cost``, compila a consulta: 370 ms de JIT para 15 ms de execução. As consultas da aplicação não
    passam desse custo; o piso não deve pagar um custo que a página não paga."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def incisos_com_saldos(*, onde: str = "TRUE", ordem: str = "u.codigo, e.numero, i.tipo DESC, i.id",
                       limite: int | None = None, extra_colunas: str = "", **params) -> list[tuple]:
    """Uma linha por inciso do exercício atual, com os saldos (uma consulta)."""
    sql = (f"SELECT i.id, i.numero, e.numero, {TITULAR}, u.codigo, a.codigo, g.codigo, {SALDOS}{extra_colunas} "
           f"{sql_de(por_inciso=onde != 'TRUE')} WHERE i.exercicio_id = {EXERCICIO_ATUAL} AND {onde} ORDER BY {ordem}")
    if limite:
        sql += f" LIMIT {int(limite)}"
    return executar(sql, parametros(**params))


def saldos_agrupados(*, grupo: str = "", onde: str = "TRUE", **params) -> list[tuple]:
    """O mesmo agregado dos relatórios (Σ por *grupo*, ou o total sem grupo) numa consulta."""
    colunas = f"{grupo}, " if grupo else ""
    sql = (f"SELECT {colunas}{SOMAS} {sql_de(por_inciso=onde != 'TRUE')} "
           f"WHERE i.exercicio_id = {EXERCICIO_ATUAL} AND {onde}")
    if grupo:
        sql += f" GROUP BY {grupo} ORDER BY {grupo}"
    return executar(sql, parametros(**params))
