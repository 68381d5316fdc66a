"""Pisos das páginas medidas pelo bench: o mesmo login, o mesmo ``base.html`` e o menor conjunto de consultas
que devolve os mesmos números da página da aplicação.

Cada piso confere o mesmo perfil que a página (403 para os demais) e desenha as linhas cruas (tuplas) num
template mínimo que estende ``base.html``. Só o servidor do bench os serve (``bench/urls.py``).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from contas import perfis
from contas.models import Usuario
from emendas.models import Indicacao, Remanejamento

from . import consultas

POR_PAGINA = 50  # as filas e "Visualizar Indicações" paginam de 50 em 50


def exigir_parlamentar(usuario):
    if not perfis.tem_perfil(usuario, perfis.PARLAMENTAR):
        raise PermissionDenied("Piso do parlamentar.")


def exigir_segov(usuario):
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Piso da SEGOV.")


def desenhar(request, titulo, linhas, *, n=None, total=None):
    return render(request, "bench/piso.html", {"titulo": titulo, "linhas": linhas, "n": n, "total": total})


def somar_linhas(linhas, de: int) -> tuple:
    """Totais das colunas de dinheiro (a partir da coluna *de*) em Python, sem outra consulta."""
    if not linhas:
        return ()
    return ("Total", *[sum(linha[k] for linha in linhas) for k in range(de, len(linhas[0]))])


def somar_por(linhas, coluna: int, de: int) -> list[tuple]:
    """Totais das colunas de dinheiro (a partir de *de*) por valor da *coluna*, em Python, sem outra consulta."""
    grupos: dict = {}
    for linha in linhas:
        grupos.setdefault(linha[coluna], []).append(linha)
    return [(chave, *somar_linhas(do_grupo, de)[1:]) for chave, do_grupo in grupos.items()]


@login_required
@require_GET
def inicio(request):
    """Página inicial do parlamentar: os incisos do exercício atual com os saldos, os totais por UO e por titular
    (o painel mostra os dois) e o total."""
    exigir_parlamentar(request.user)
    linhas = consultas.incisos_com_saldos(onde=consultas.VISIVEL_AO_PARLAMENTAR, usuario=request.user.pk)
    totais = somar_por(linhas, 4, 7) + somar_por(linhas, 3, 7)
    return desenhar(request, "Início", linhas + totais, total=somar_linhas(linhas, 7))


def fila(qs, ordem, colunas):
    """Uma página de 50 (ORDER BY … LIMIT) e o total de itens (``COUNT``), como o Paginator, sem objetos."""
    return list(qs.order_by(*ordem).values_list(*colunas)[:POR_PAGINA]), qs.count()


COLUNAS_REMANEJAMENTO = (
    "pk", "inciso_origem__numero", "inciso_origem__emenda__parlamentar__nome", "inciso_origem__emenda__bloco__nome",
    "inciso_origem__acao__uo__codigo", "acao__uo__codigo", "acao__codigo", "grupo_despesa__codigo", "valor",
    "status", "solicitado_em",
)
# O relatório "Lista de Remanejamento de Incisos" mostra também o exercício, a ação e o grupo de origem, o grupo
# de destino pelo nome, o inciso gerado, quem pediu e quando foi decidido (a fila da SEGOV, não).
COLUNAS_RELATORIO_REMANEJAMENTO = (
    "pk", "inciso_origem__exercicio__ano", "inciso_origem__numero", "inciso_origem__emenda__parlamentar__nome",
    "inciso_origem__emenda__bloco__nome", "inciso_origem__acao__uo__codigo", "inciso_origem__acao__codigo",
    "inciso_origem__grupo_despesa__nome", "acao__uo__codigo", "acao__codigo", "grupo_despesa__nome", "valor",
    "status", "inciso_gerado__numero", "solicitado_em", "solicitado_por__nome", "decidido_em",
)
COLUNAS_INDICACAO = (
    "numero", "exercicio__ano", "inciso__numero", "inciso__emenda__parlamentar__nome", "inciso__emenda__bloco__nome",
    "inciso__acao__uo__codigo", "forma_execucao", "beneficiario__razao_social", "beneficiario__cnpj", "valor",
    "status", "enviada_em",
)


@login_required
@require_GET
def analise_remanejamentos(request):
    exigir_segov(request.user)
    qs = Remanejamento.objects.filter(status=Remanejamento.Status.SOLICITADO)
    linhas, n = fila(qs, ("solicitado_em", "pk"), COLUNAS_REMANEJAMENTO)
    return desenhar(request, "Fila de remanejamentos", linhas, n=n)


@login_required
@require_GET
def analise_segov(request):
    exigir_segov(request.user)
    qs = Indicacao.objects.filter(status=Indicacao.Status.EM_ANALISE_SEGOV)
    linhas, n = fila(qs, ("enviada_em", "pk"), COLUNAS_INDICACAO)
    return desenhar(request, "Fila de indicações da SEGOV", linhas, n=n)


@login_required
@require_GET
def analise_orgao(request):
    if not perfis.tem_perfil(request.user, perfis.ORGAO):
        raise PermissionDenied("Piso do órgão.")
    qs = Indicacao.objects.filter(status=Indicacao.Status.EM_ANALISE_ORGAO, inciso__acao__uo__analistas=request.user)
    linhas, n = fila(qs, ("enviada_em", "pk"), COLUNAS_INDICACAO)
    return desenhar(request, "Fila de indicações do órgão", linhas, n=n)


@login_required
@require_GET
def inciso(request, pk: int):
    """O inciso com os saldos e se o usuário escreve nele (os botões da página), numa consulta. As indicações, os
    remanejamentos e o histórico vêm pelo htmx, como na página (a primeira resposta não os traz)."""
    onde = "i.id = %(pk)s"
    if not perfis.e_segov(request.user):
        onde += " AND " + consultas.VISIVEL_AO_PARLAMENTAR
    escreve = (f"(p.usuario_id = %(usuario)s OR b.responsavel_id IN "
               f"(SELECT id FROM {consultas.T['parlamentar']} WHERE usuario_id = %(usuario)s))")
    linhas = consultas.executar(
        f"SELECT i.id, i.numero, {consultas.TITULAR}, u.codigo, a.codigo, g.codigo, {consultas.SALDOS}, {escreve} "
        f"{consultas.sql_de(por_inciso=True)} WHERE {onde}",
        consultas.parametros(pk=pk, usuario=request.user.pk),
    )
    if not linhas:
        raise Http404("Inciso não encontrado.")
    return desenhar(request, "Inciso", linhas)


@login_required
@require_GET
def remanejamentos(request):
    """"Remanejamentos – Solicitação": as UOs com o resumo dos saldos (uma consulta) e os últimos 200 pedidos."""
    exigir_parlamentar(request.user)
    uos = consultas.saldos_agrupados(grupo="u.codigo", onde=consultas.VISIVEL_AO_PARLAMENTAR, usuario=request.user.pk)
    visiveis = consultas.VISIVEL_AO_PARLAMENTAR
    pedidos = consultas.executar(
        f"SELECT x.id, i.numero, x.valor, x.status, x.solicitado_em {consultas.sql_de(por_inciso=True)} "
        f"JOIN {consultas.T['remanejamento']} x ON x.inciso_origem_id = i.id "
        f"WHERE i.exercicio_id = {consultas.EXERCICIO_ATUAL} AND {visiveis} ORDER BY x.solicitado_em DESC, x.id DESC "
        f"LIMIT 200",
        consultas.parametros(usuario=request.user.pk),
    )
    return desenhar(request, "Remanejamentos", uos + pedidos, total=somar_linhas(uos, 1))


@login_required
@require_GET
def indicacoes(request):
    """"Indicação de Recursos": cada inciso com o indicado e o disponível para indicação (uma consulta) e, como
    a página, as indicações de cada um, em qualquer situação (outra): nº, forma, beneficiário e município, valor,
    saldo de origem e situação."""
    exigir_parlamentar(request.user)
    linhas = consultas.incisos_com_saldos(onde=consultas.VISIVEL_AO_PARLAMENTAR, usuario=request.user.pk)
    # As indicações de cada inciso visível pelo índice da chave estrangeira (LATERAL): com a junção simples o
    # planejador estimava 2 mil emendas visíveis (são 50) e varria as 200 mil indicações (170 ms contra 2 ms).
    indicacoes = consultas.executar(
        f"SELECT y.inciso_id, y.numero, y.forma_execucao, c.razao_social, c.municipio, y.valor, y.origem_saldo, "
        f"y.status {consultas.sql_de(saldos=False)} CROSS JOIN LATERAL (SELECT * FROM {consultas.T['indicacao']} x "
        f"WHERE x.inciso_id = i.id OFFSET 0) y LEFT JOIN {consultas.T['convenente']} c ON c.id = y.beneficiario_id "
        f"WHERE i.exercicio_id = {consultas.EXERCICIO_ATUAL} AND {consultas.VISIVEL_AO_PARLAMENTAR} "
        f"ORDER BY y.numero",
        consultas.parametros(usuario=request.user.pk),
    )
    return desenhar(request, "Indicação de recursos", linhas + indicacoes)


@login_required
@require_GET
def visualizar_indicacoes(request):
    """"Visualizar Indicações": as 50 mais recentes que o usuário vê e quantas são."""
    qs = Indicacao.objects.all()
    if not perfis.e_segov(request.user):
        exigir_parlamentar(request.user)
        qs = qs.filter(inciso__emenda__parlamentar__usuario=request.user)
    linhas, n = fila(qs, ("-numero",), COLUNAS_INDICACAO)
    return desenhar(request, "Visualizar indicações", linhas, n=n)


@login_required
@require_POST
def post(request):
    """O POST cru da rajada: login, CSRF (o middleware de sempre) e uma escrita pequena numa transação."""
    with transaction.atomic():
        Usuario.objects.filter(pk=request.user.pk).update(last_login=timezone.now())
    return redirect("piso_inicio" if perfis.tem_perfil(request.user, perfis.PARLAMENTAR) else "inicio")

