"""Relatórios de indicações: "Valores Indicados" e "Impedimento de Ordem Técnica" (tela, CSV e PDF).

Mesmo desenho do relatório de remanejamentos (``relatorios.py``): uma consulta com os filtros do GET
serve às três saídas, e o número de consultas não cresce com o número de linhas.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contas import perfis
from convenios.cnpj import formatar_cnpj
from sigcon.csv_seguro import resposta_csv
from sigcon.dinheiro import formatar_brl

from .forms_relatorios import FiltroImpedimentosForm, FiltroIndicacoesForm
from .models import Inciso, Indicacao
from .relatorios import _dt
from .ordenacao import cabecalhos, ordenar
from .relatorios_pdf_legado import PdfLegado
from .selectors import filtro_incisos_visiveis



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


ORDEM_INDICACOES = {
    "numero": ("exercicio__ano", "numero"), "titular": ("inciso__emenda__parlamentar__nome", "inciso__emenda__bloco__nome"),
    "inciso": ("inciso__numero",), "uo": ("inciso__acao__uo__codigo",), "valor": ("valor",), "situacao": ("status",),
    "enviada": ("enviada_em",),
}
ORDEM_IMPEDIMENTOS = {
    "numero": ("exercicio__ano", "numero"), "inciso": ("inciso__numero",), "uo": ("inciso__acao__uo__codigo",),
    "valor": ("valor",), "reprovada": ("encerrada_em",), "categoria": ("categoria_impedimento__nome",),
}


def _consulta(request, classe_filtro, base, opcoes, padrao):
    qs = indicacoes_visiveis(request.user)
    filtro = classe_filtro(request.GET or None)
    return filtro, ordenar(request.GET, filtro.filtrar(qs.filter(base)), opcoes, padrao)


def _indicacoes(request):
    return _consulta(request, FiltroIndicacoesForm, Q(), ORDEM_INDICACOES, "-enviada")


def _impedimentos(request):
    return _consulta(request, FiltroImpedimentosForm, Q(status=Indicacao.Status.REPROVADA), ORDEM_IMPEDIMENTOS,
                     "-reprovada")


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


CAMPOS_CSV = (
    "pk", "numero", "exercicio__ano", "inciso__emenda__parlamentar__nome", "inciso__emenda__bloco__nome",
    "inciso__emenda__numero", "inciso__numero", "inciso__acao__uo__codigo", "forma_execucao",
    "beneficiario__razao_social", "beneficiario__cnpj", "beneficiario__municipio", "objeto", "valor", "status",
    "origem_saldo", "enviada_em", "enviada_por__nome", "enviada_por__email", "aprovada_orgao_por__nome",
    "aprovada_orgao_por__email", "aprovada_orgao_em", "aprovada_segov_por__nome", "aprovada_segov_por__email",
    "aprovada_segov_em", "encerrada_por__nome", "encerrada_por__email", "encerrada_em",
    "categoria_impedimento__nome", "justificativa",
)
FORMAS = dict(Indicacao.FormaExecucao.choices)
SITUACOES = dict(Indicacao.Status.choices)
ORIGENS = dict(Indicacao._meta.get_field("origem_saldo").choices)


def _pessoa(nome, email) -> str:
    return nome or email or ""


def _linhas_csv_indicacoes(qs, tamanho=2000):
    """Linhas do CSV a partir de valores (sem montar objetos), em blocos: memória constante e rápido."""
    from convenios.models import UsoIndicacao

    bloco = []
    for valores in qs.values_list(*CAMPOS_CSV).iterator(chunk_size=tamanho):
        bloco.append(dict(zip(CAMPOS_CSV, valores)))
        if len(bloco) == tamanho:
            yield from _bloco_csv(bloco, UsoIndicacao)
            bloco = []
    if bloco:
        yield from _bloco_csv(bloco, UsoIndicacao)


def _bloco_csv(bloco, UsoIndicacao):
    # Uso em propostas: uma consulta por bloco de linhas, não uma por indicação.
    usos: dict[int, list] = {}
    for ind_id, proposta_id, valor in UsoIndicacao.objects.filter(
        indicacao_id__in=[v["pk"] for v in bloco]
    ).values_list("indicacao_id", "proposta_id", "valor").order_by("proposta_id"):
        usos.setdefault(ind_id, []).append((proposta_id, valor))
    for v in bloco:
        cnpj = v["beneficiario__cnpj"]
        do_ind = usos.get(v["pk"], [])
        yield [
            v["numero"], v["exercicio__ano"], v["inciso__emenda__parlamentar__nome"] or v["inciso__emenda__bloco__nome"],
            v["inciso__emenda__numero"], v["inciso__numero"], v["inciso__acao__uo__codigo"],
            FORMAS.get(v["forma_execucao"], v["forma_execucao"]),
            f"{v['beneficiario__razao_social']} ({formatar_cnpj(cnpj)})" if cnpj else "a definir",
            v["beneficiario__municipio"] or "", v["objeto"], formatar_brl(v["valor"], simbolo=False),
            SITUACOES.get(v["status"], v["status"]), ORIGENS.get(v["origem_saldo"], v["origem_saldo"]),
            _dt(v["enviada_em"]),
            f"{_pessoa(v['enviada_por__nome'], v['enviada_por__email'])} <{v['enviada_por__email']}>",
            _pessoa(v["aprovada_orgao_por__nome"], v["aprovada_orgao_por__email"]), _dt(v["aprovada_orgao_em"]),
            _pessoa(v["aprovada_segov_por__nome"], v["aprovada_segov_por__email"]), _dt(v["aprovada_segov_em"]),
            _pessoa(v["encerrada_por__nome"], v["encerrada_por__email"]), _dt(v["encerrada_em"]),
            v["categoria_impedimento__nome"] or "", v["justificativa"],
            formatar_brl(sum((u[1] for u in do_ind), Decimal("0.00")), simbolo=False) if do_ind else "",
            ", ".join(f"Proposta nº {u[0]}" for u in do_ind),
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

def _tela(request, consulta, template, opcoes, padrao):
    filtro, qs = consulta(request)
    pagina = Paginator(qs, 100).get_page(request.GET.get("pagina"))
    parametros = request.GET.copy()
    parametros.pop("pagina", None)
    return render(request, template, {
        "filtro": filtro, "pagina": pagina, "querystring": parametros.urlencode(),
        "total": qs.aggregate(t=Sum("valor"))["t"] or Decimal("0.00"),
        "ordem": cabecalhos(request.GET, opcoes, padrao),
    })


def _csv(request, consulta, colunas, linhas_de, nome):
    """*linhas_de(qs)* gera as linhas; o CSV sai em fluxo, sem juntar nada na memória."""
    _, qs = consulta(request)
    return resposta_csv(f"{nome}.csv", colunas, linhas_de(qs))


PDF_INDICACOES = PdfLegado(
    nome="indicacoes", titulo="Valores Indicados", consulta=_indicacoes,
    template="emendas/relatorios/indicacoes_pdf.html", arquivo="valores-indicados",
    descrever_filtros=lambda filtro: filtro.descricao(),
)
PDF_IMPEDIMENTOS = PdfLegado(
    nome="impedimentos", titulo="Impedimento de Ordem Técnica", consulta=_impedimentos,
    template="emendas/relatorios/impedimentos_pdf.html", arquivo="impedimentos-ordem-tecnica",
    descrever_filtros=lambda filtro: filtro.descricao(),
)


# ---------------------------------------------------------------------------
# Views

@login_required
@require_GET
def indicacoes(request):
    return _tela(request, _indicacoes, "emendas/relatorios/indicacoes.html", ORDEM_INDICACOES, "-enviada")


@login_required
@require_GET
def indicacoes_csv(request):
    return _csv(request, _indicacoes, COLUNAS_INDICACOES, _linhas_csv_indicacoes, "valores-indicados")


@login_required
@require_GET
def indicacoes_pdf(request):
    return PDF_INDICACOES.view_pdf(request)


@login_required
@require_GET
def impedimentos(request):
    return _tela(request, _impedimentos, "emendas/relatorios/impedimentos.html", ORDEM_IMPEDIMENTOS, "-reprovada")


@login_required
@require_GET
def impedimentos_csv(request):
    return _csv(request, _impedimentos, COLUNAS_IMPEDIMENTOS,
                lambda qs: (_linha_impedimento(i) for i in qs.iterator(chunk_size=2000)), "impedimentos-ordem-tecnica")


@login_required
@require_GET
def impedimentos_pdf(request):
    return PDF_IMPEDIMENTOS.view_pdf(request)
