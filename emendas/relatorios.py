"""Relatório "Lista de Remanejamento de Incisos": tela, CSV e PDF com os mesmos filtros."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from contas import perfis
from sigcon.csv_seguro import resposta_csv
from sigcon.dinheiro import formatar_brl

from . import relatorios_acesso, selectors
from .forms_remanejamento import FiltroRemanejamentosForm
from .models import Inciso
from .ordenacao import cabecalhos, ordenar
from .relatorios_pdf_legado import PdfLegado

COLUNAS_CSV = [
    "Nº", "Exercício", "Titular", "Emenda", "Inciso de origem", "UO de origem", "Ação de origem", "Grupo de origem",
    "UO de destino", "Ação de destino", "Grupo de destino", "Valor", "Situação", "Saldo de origem",
    "Solicitado por", "Solicitado em", "Decidido por", "Decidido em", "Justificativa", "Inciso gerado",
    "Detalhamento",
]


def _dt(valor):
    return timezone.localtime(valor).strftime("%d/%m/%Y %H:%M") if valor else ""


def _linha_csv(r):
    i = r.inciso_origem
    return [
        r.pk, i.exercicio.ano, i.emenda.titular, i.emenda.numero, i.numero, i.acao.uo.codigo,
        f"{i.acao.codigo} – {i.acao.nome}", i.grupo_despesa.nome, r.acao.uo.codigo, f"{r.acao.codigo} – {r.acao.nome}",
        r.grupo_despesa.nome, formatar_brl(r.valor, simbolo=False), r.get_status_display(),
        r.get_saldo_origem_display(), f"{r.solicitado_por.get_full_name()} <{r.solicitado_por.email}>",
        _dt(r.solicitado_em), r.decidido_por.get_full_name() if r.decidido_por else "", _dt(r.decidido_em),
        r.justificativa, r.inciso_gerado.numero if r.inciso_gerado else "", r.detalhamento,
    ]


def remanejamentos_do_relatorio(usuario):
    """Linhas que *usuario* vê: as regras de ``relatorios_acesso`` (SEGOV e visualizadores tudo;
    parlamentar os pedidos dos seus incisos e dos blocos; analista de órgão os que saem de uma UO
    que analisa ou chegam a ela); 403 para os demais perfis."""
    qs = selectors.remanejamentos_com_detalhes()
    if relatorios_acesso.ve_tudo(usuario):
        return qs
    condicao = Q(inciso_origem__in=Inciso.objects.filter(relatorios_acesso.filtro_incisos(usuario)).values("pk"))
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        # O destino conta também: com `permite_outra_uo` o dinheiro pode chegar de outra UO.
        condicao |= Q(acao__uo__in=usuario.uos_analisadas.values("pk"))
    return qs.filter(condicao)


def _consulta(request):
    qs = remanejamentos_do_relatorio(request.user)
    filtro = FiltroRemanejamentosForm(request.GET or None)
    if request.GET:
        qs = filtro.filtrar(qs)
    return filtro, ordenar(request.GET, qs, ORDEM, "-solicitado")


ORDEM = {
    "numero": ("pk",), "exercicio": ("inciso_origem__exercicio__ano",),
    "titular": ("inciso_origem__emenda__parlamentar__nome", "inciso_origem__emenda__bloco__nome"),
    "inciso": ("inciso_origem__numero",), "valor": ("valor",), "situacao": ("status",),
    "solicitado": ("solicitado_em",), "decidido": ("decidido_em",),
}


@login_required
@require_GET
def remanejamentos(request):
    filtro, qs = _consulta(request)
    pagina = Paginator(qs, 100).get_page(request.GET.get("pagina"))
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    return render(request, "emendas/relatorios/remanejamentos.html", {
        "filtro": filtro, "pagina": pagina, "querystring": consulta.urlencode(),
        "ordem": cabecalhos(request.GET, ORDEM, "-solicitado"),
    })


@login_required
@require_GET
def remanejamentos_csv(request):
    _, qs = _consulta(request)
    return resposta_csv("remanejamentos.csv", COLUNAS_CSV, (_linha_csv(r) for r in qs.iterator(chunk_size=2000)))


@login_required
@require_GET
def remanejamentos_pdf(request):
    return PDF_REMANEJAMENTOS.view_pdf(request)


def _filtros_remanejamentos(filtro):
    if not (filtro.is_bound and filtro.is_valid()):
        return []
    return [f"{filtro.fields[k].label}: {v}" for k, v in filtro.cleaned_data.items() if v]


PDF_REMANEJAMENTOS = PdfLegado(
    nome="remanejamentos", titulo="Lista de Remanejamento de Incisos", consulta=_consulta,
    template="emendas/relatorios/remanejamentos_pdf.html", arquivo="remanejamentos",
    descrever_filtros=_filtros_remanejamentos,
)
