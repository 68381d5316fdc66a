"""Relatórios de indicações: "Valores Indicados" e "Impedimento de Ordem Técnica" (tela, CSV e PDF).

Mesmo desenho do relatório de remanejamentos (``relatorios.py``): uma consulta com os filtros do GET
serve às três saídas, e o número de consultas não cresce com o número de linhas.
"""

import csv
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from contas import perfis
from sigcon.dinheiro import formatar_brl

from .forms_relatorios import FiltroImpedimentosForm, FiltroIndicacoesForm
from .models import Inciso, Indicacao
from .relatorios import _dt, _Eco
from .selectors import filtro_incisos_visiveis

LIMITE_PDF = 5000


# ---------------------------------------------------------------------------
# Consulta e visibilidade

def indicacoes_com_detalhes():
    return Indicacao.objects.select_related(
        "exercicio", "inciso__emenda__parlamentar", "inciso__emenda__bloco", "inciso__acao__uo", "beneficiario",
        "enviada_por", "aprovada_orgao_por", "aprovada_segov_por", "encerrada_por", "categoria_impedimento",
    )


def indicacoes_visiveis(usuario):
    """SEGOV e visualizadores veem tudo; parlamentar, as dos incisos que vê (seus e dos blocos); órgão, as das
    UOs que analisa."""
    qs = indicacoes_com_detalhes()
    if perfis.ve_todos_os_relatorios(usuario):
        return qs
    condicao = None
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR):
        condicao = Q(inciso__in=Inciso.objects.filter(filtro_incisos_visiveis(usuario)).values("pk"))
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        # Subconsulta, não lista: mantém o número de consultas fixo.
        do_orgao = Q(inciso__acao__uo__in=usuario.uos_analisadas.values("pk"))
        condicao = do_orgao if condicao is None else condicao | do_orgao
    if condicao is None:
        raise PermissionDenied("Relatório disponível para a SEGOV, os parlamentares e os analistas dos órgãos.")
    return qs.filter(condicao)


def _consulta(request, classe_filtro, base, ordem):
    qs = indicacoes_visiveis(request.user)
    filtro = classe_filtro(request.GET or None)
    return filtro, filtro.filtrar(qs.filter(base)).order_by(*ordem)


def _indicacoes(request):
    return _consulta(request, FiltroIndicacoesForm, Q(), ("-enviada_em", "-pk"))


def _impedimentos(request):
    return _consulta(request, FiltroImpedimentosForm, Q(status=Indicacao.Status.REPROVADA), ("-encerrada_em", "-pk"))


# ---------------------------------------------------------------------------
# Colunas

def beneficiario(ind) -> str:
    # Execução direta não tem beneficiário escolhido na indicação.
    b = ind.beneficiario
    return f"{b.razao_social} ({b.cnpj_formatado})" if b else "a definir"


def _nome(usuario) -> str:
    return usuario.get_full_name() if usuario else ""


COLUNAS_INDICACOES = [
    "Nº", "Exercício", "Titular", "Emenda", "Inciso", "UO", "Forma de execução", "Beneficiário", "Município",
    "Objeto", "Valor", "Situação", "Saldo de origem", "Enviada em",
    "Enviada por", "Aprovada pelo órgão por", "Aprovada pelo órgão em", "Aprovada pela SEGOV por",
    "Aprovada pela SEGOV em", "Reprovada/cancelada por", "Reprovada/cancelada em", "Categoria do impedimento",
    "Justificativa", "Valor utilizado", "Instrumento vinculado",
]


def _linha_indicacao(ind):
    i = ind.inciso
    return [
        ind.numero, ind.exercicio.ano, i.emenda.titular, i.emenda.numero, i.numero, i.acao.uo.codigo,
        ind.get_forma_execucao_display(), beneficiario(ind), ind.beneficiario.municipio if ind.beneficiario else "",
        ind.objeto, formatar_brl(ind.valor, simbolo=False), ind.get_status_display(), ind.get_origem_saldo_display(),
        _dt(ind.enviada_em),
        f"{ind.enviada_por.get_full_name()} <{ind.enviada_por.email}>", _nome(ind.aprovada_orgao_por),
        _dt(ind.aprovada_orgao_em), _nome(ind.aprovada_segov_por), _dt(ind.aprovada_segov_em),
        _nome(ind.encerrada_por), _dt(ind.encerrada_em),
        ind.categoria_impedimento.nome if ind.categoria_impedimento else "", ind.justificativa,
        # Valor utilizado e instrumento vêm da execução (convênios), que ainda não existe: colunas já no
        # lugar para quem monta planilha em cima deste CSV não precisar mudar quando forem preenchidas.
        "", "",
    ]


COLUNAS_IMPEDIMENTOS = [
    "Nº da indicação", "Inciso", "UO", "Tipo de indicação", "Beneficiário", "Valor", "Data de reprovação",
    "Categoria do IOT", "Justificativa", "Valor devolvido para", "Reprovada por",
]


def _linha_impedimento(ind):
    return [
        ind.numero, ind.inciso.numero, ind.inciso.acao.uo.codigo, ind.get_forma_execucao_display(), beneficiario(ind),
        formatar_brl(ind.valor, simbolo=False), _dt(ind.encerrada_em),
        ind.categoria_impedimento.nome if ind.categoria_impedimento else "", ind.justificativa,
        ind.get_saldo_devolucao_display(), _nome(ind.encerrada_por),
    ]


# ---------------------------------------------------------------------------
# Saídas comuns

def _tela(request, consulta, template):
    filtro, qs = consulta(request)
    pagina = Paginator(qs, 100).get_page(request.GET.get("pagina"))
    parametros = request.GET.copy()
    parametros.pop("pagina", None)
    return render(request, template, {
        "filtro": filtro, "pagina": pagina, "querystring": parametros.urlencode(),
        "total": qs.aggregate(t=Sum("valor"))["t"] or Decimal("0.00"),
    })


def _csv(request, consulta, colunas, linha, nome):
    _, qs = consulta(request)
    escritor = csv.writer(_Eco(), delimiter=";")

    def linhas():
        # BOM: o Excel só reconhece UTF-8 (acentos) com ele.
        yield "\ufeff" + escritor.writerow(colunas)
        for ind in qs.iterator(chunk_size=2000):
            yield escritor.writerow(linha(ind))

    resposta = StreamingHttpResponse(linhas(), content_type="text/csv; charset=utf-8")
    resposta["Content-Disposition"] = f'attachment; filename="{nome}.csv"'
    return resposta


def _pdf(request, consulta, template, nome):
    from weasyprint import HTML  # import pesado: só quem pede PDF paga

    filtro, qs = consulta(request)
    linhas = list(qs[:LIMITE_PDF])
    html = render_to_string(template, {
        "linhas": linhas, "total": sum((ind.valor for ind in linhas), Decimal("0.00")),
        "gerado_em": timezone.localtime(), "usuario": request.user, "filtros": filtro.descricao(),
        "truncado": len(linhas) == LIMITE_PDF and qs.count() > LIMITE_PDF,
    })
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    resposta = HttpResponse(pdf, content_type="application/pdf")
    resposta["Content-Disposition"] = f'inline; filename="{nome}.pdf"'
    return resposta


# ---------------------------------------------------------------------------
# Views

@login_required
@require_GET
def indicacoes(request):
    return _tela(request, _indicacoes, "emendas/relatorios/indicacoes.html")


@login_required
@require_GET
def indicacoes_csv(request):
    return _csv(request, _indicacoes, COLUNAS_INDICACOES, _linha_indicacao, "valores-indicados")


@login_required
@require_GET
def indicacoes_pdf(request):
    return _pdf(request, _indicacoes, "emendas/relatorios/indicacoes_pdf.html", "valores-indicados")


@login_required
@require_GET
def impedimentos(request):
    return _tela(request, _impedimentos, "emendas/relatorios/impedimentos.html")


@login_required
@require_GET
def impedimentos_csv(request):
    return _csv(request, _impedimentos, COLUNAS_IMPEDIMENTOS, _linha_impedimento, "impedimentos-ordem-tecnica")


@login_required
@require_GET
def impedimentos_pdf(request):
    return _pdf(request, _impedimentos, "emendas/relatorios/impedimentos_pdf.html", "impedimentos-ordem-tecnica")
