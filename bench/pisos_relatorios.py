"""Pisos das telas de relatório e do CSV: o mesmo agregado numa consulta, as mesmas linhas cruas.

``relatorio(nome)`` espelha ``relatorios:relatorio_<nome>`` sem parâmetros (exercício mais recente, primeira
página de 100, ordem padrão). ``csv_cru`` é um ``csv.writer`` sobre ``.values_list()`` das mesmas linhas do
CSV de "Valores Indicados" com ``mostrar_encerradas`` (todas as indicações de todos os exercícios que o usuário
vê), em fluxo, em blocos de 2.000 linhas.
"""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, StreamingHttpResponse
from django.views.decorators.http import require_GET

from contas import perfis
from emendas.models import Indicacao, Remanejamento
from relatorios.definicoes.indicacoes import CAMPOS_CSV

from . import consultas
from .pisos import COLUNAS_INDICACAO, COLUNAS_RELATORIO_REMANEJAMENTO, desenhar, somar_linhas

POR_PAGINA = 100  # relatorios.base.LINHAS_POR_PAGINA
BLOCO_CSV = 2000
ORDEM_TITULAR = "lower(COALESCE(p.nome, b.nome)), e.numero, i.tipo DESC, length(i.numero), i.numero, i.id"


def _onde_incisos(usuario) -> str:
    if perfis.ve_todos_os_relatorios(usuario):
        return "TRUE"
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR):
        return consultas.VISIVEL_AO_PARLAMENTAR
    raise PermissionDenied("Piso de relatório.")


def _incisos_visiveis(usuario) -> list[int]:
    """Os ids dos incisos que o parlamentar vê (os seus e os dos blocos de que é responsável ou membro, de todos os
    exercícios), numa consulta. Filtrar as 200 mil indicações por essa lista literal é o mais rápido que achamos:
    a junção com o ``OR`` dos blocos levava 100 ms no agregado; ``inciso_id IN (ids)``, 4 ms."""
    sql = (f"SELECT i.id FROM {consultas.T['inciso']} i JOIN {consultas.T['emenda']} e ON e.id = i.emenda_id "
           f"LEFT JOIN {consultas.T['parlamentar']} p ON p.id = e.parlamentar_id "
           f"LEFT JOIN {consultas.T['bloco']} b ON b.id = e.bloco_id WHERE {consultas.VISIVEL_AO_PARLAMENTAR}")
    return [i for (i,) in consultas.executar(sql, {"usuario": usuario.pk})]


def _indicacoes(usuario):
    qs = Indicacao.objects.all()
    if perfis.ve_todos_os_relatorios(usuario):
        return qs
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR):
        return qs.filter(inciso__in=_incisos_visiveis(usuario))
    raise PermissionDenied("Piso de relatório.")


def _remanejamentos(usuario):
    qs = Remanejamento.objects.all()
    if perfis.ve_todos_os_relatorios(usuario):
        return qs
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR):
        return qs.filter(inciso_origem__in=_incisos_visiveis(usuario))
    raise PermissionDenied("Piso de relatório.")


def por_inciso(usuario, *, reprovados=False):
    onde = _onde_incisos(usuario)
    extra = ""
    if reprovados:
        extra = (f", (SELECT COALESCE(SUM(y.valor), 0) FROM {consultas.T['indicacao']} y "
                 f"WHERE y.inciso_id = i.id AND y.status = ANY(%(encerradas)s))")
    linhas = consultas.incisos_com_saldos(onde=onde, ordem=ORDEM_TITULAR, limite=POR_PAGINA, extra_colunas=extra,
                                          usuario=usuario.pk, encerradas=consultas.ENCERRADAS)
    total = consultas.saldos_agrupados(onde=onde, usuario=usuario.pk)
    return linhas, total[0][0], total


def lista(qs, ordem, colunas, *, somar=False):
    """A página de 100 (ORDER BY … LIMIT: o PostgreSQL só guarda as 100 primeiras) e o total numa agregação."""
    linhas = list(qs.order_by(*ordem).values_list(*colunas)[:POR_PAGINA])
    totais = qs.aggregate(n=Count("pk"), **({"soma": Sum("valor")} if somar else {}))
    return linhas, totais["n"], [tuple(totais.values())]


def lista_pelos_ids(qs, ordem, colunas):
    """Como ``lista``, mas a página em duas consultas: os 100 ids pela ordem (o índice, sem junção) e as colunas
    pelos ids. Com as 16 tabelas das colunas do relatório de remanejamentos numa consulta só, o PostgreSQL passa
    do ``geqo_threshold`` e planejar levava mais que executar (o mesmo motivo de ``relatorios.base.da_pagina``)."""
    ids = list(qs.order_by(*ordem).values_list("pk", flat=True)[:POR_PAGINA])
    por_id = {linha[0]: linha for linha in qs.order_by().filter(pk__in=ids).values_list(*colunas)}
    totais = qs.aggregate(n=Count("pk"))
    return [por_id[pk] for pk in ids], totais["n"], [tuple(totais.values())]


def agrupado(usuario, grupo):
    linhas = consultas.saldos_agrupados(grupo=grupo, onde=_onde_incisos(usuario), usuario=usuario.pk)
    return linhas, len(linhas), [somar_linhas(linhas, grupo.count(",") + 2)]


def exigir_ve_tudo(usuario):
    if not perfis.ve_todos_os_relatorios(usuario):
        raise PermissionDenied("Piso de relatório.")


def _saldos(usuario):
    exigir_ve_tudo(usuario)
    return agrupado(usuario, f"{consultas.TITULAR}, (e.parlamentar_id IS NULL)")


PISOS = {
    "incisos": lambda u: por_inciso(u),
    "parlamentares": lambda u: por_inciso(u, reprovados=True),
    "totalizacao": lambda u: agrupado(u, "u.codigo, u.nome, a.codigo, a.nome, g.codigo, g.nome"),
    "saldos": _saldos,
    "remanejamentos": lambda u: lista_pelos_ids(_remanejamentos(u), ("-solicitado_em", "-pk"),
                                                COLUNAS_RELATORIO_REMANEJAMENTO),
    "indicacoes": lambda u: lista(_indicacoes(u).filter(status__in=Indicacao.ATIVAS), ("-enviada_em",),
                                  COLUNAS_INDICACAO, somar=True),
    "impedimentos": lambda u: lista(_indicacoes(u).filter(status=Indicacao.Status.REPROVADA), ("-encerrada_em",),
                                    COLUNAS_INDICACAO),
}


@login_required
@require_GET
def relatorio(request, nome: str):
    if nome not in PISOS:
        raise Http404("Relatório desconhecido.")
    linhas, n, total = PISOS[nome](request.user)
    return desenhar(request, f"Relatório {nome}", linhas, n=n, total=total[0] if total else None)


def _blocos(qs, cabecalho):
    buffer = io.StringIO()
    escritor = csv.writer(buffer, delimiter=";")
    escritor.writerow(cabecalho)
    for k, linha in enumerate(qs.iterator(chunk_size=BLOCO_CSV), 1):
        escritor.writerow(linha)
        if k % BLOCO_CSV == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@login_required
@require_GET
def csv_cru(request):
    qs = _indicacoes(request.user).order_by("-enviada_em").values_list(*CAMPOS_CSV)
    resposta = StreamingHttpResponse(_blocos(qs, CAMPOS_CSV), content_type="text/csv; charset=utf-8")
    resposta["Content-Disposition"] = 'attachment; filename="piso.csv"'
    return resposta
