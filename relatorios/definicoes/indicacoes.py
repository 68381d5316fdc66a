"""Relatórios de indicações: "Valores Indicados" e "Impedimento de Ordem Técnica" (tela, CSV e PDF).

Uma consulta com os filtros do GET serve às três saídas, e o número de consultas não cresce com o
número de linhas.
"""

from decimal import Decimal

from django.db.models import Q

from convenios.cnpj import formatar_cnpj
from convenios.models import UsoIndicacao
from emendas.models import Indicacao
from sigcon.dinheiro import formatar_brl

from .. import acesso, registro
from ..filtros import FiltroImpedimentosForm, FiltroIndicacoesForm
from ..lista import RelatorioLista
from .remanejamentos import data_hora


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


def linhas_csv_indicacoes(qs, tamanho=2000):
    """Linhas do CSV a partir de valores (sem montar objetos), em blocos: memória constante e rápido."""
    bloco = []
    for valores in qs.values_list(*CAMPOS_CSV).iterator(chunk_size=tamanho):
        bloco.append(dict(zip(CAMPOS_CSV, valores)))
        if len(bloco) == tamanho:
            yield from _bloco_csv(bloco)
            bloco = []
    if bloco:
        yield from _bloco_csv(bloco)


def _bloco_csv(bloco):
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
            data_hora(v["enviada_em"]),
            f"{_pessoa(v['enviada_por__nome'], v['enviada_por__email'])} <{v['enviada_por__email']}>",
            _pessoa(v["aprovada_orgao_por__nome"], v["aprovada_orgao_por__email"]), data_hora(v["aprovada_orgao_em"]),
            _pessoa(v["aprovada_segov_por__nome"], v["aprovada_segov_por__email"]), data_hora(v["aprovada_segov_em"]),
            _pessoa(v["encerrada_por__nome"], v["encerrada_por__email"]), data_hora(v["encerrada_em"]),
            v["categoria_impedimento__nome"] or "", v["justificativa"],
            formatar_brl(sum((u[1] for u in do_ind), Decimal("0.00")), simbolo=False) if do_ind else "",
            ", ".join(f"Proposta nº {u[0]}" for u in do_ind),
        ]


COLUNAS_IMPEDIMENTOS = [
    "Nº da indicação", "Inciso", "UO", "Tipo de indicação", "Beneficiário", "Valor", "Data de reprovação",
    "Categoria do IOT", "Justificativa", "Valor devolvido para", "Reprovada por",
]


def linha_impedimento(ind):
    return [
        ind.numero, ind.inciso.numero, ind.inciso.acao.uo.codigo, ind.get_forma_execucao_display(), beneficiario(ind),
        formatar_brl(ind.valor, simbolo=False), data_hora(ind.encerrada_em),
        ind.categoria_impedimento.nome if ind.categoria_impedimento else "", ind.justificativa,
        ind.get_saldo_devolucao_display(), _nome(ind.encerrada_por),
    ]


# ---------------------------------------------------------------------------
# Declarações

class RelatorioIndicacoes(RelatorioLista):
    nome = "indicacoes"
    titulo = rotulo_menu = "Valores Indicados"
    arquivo = "valores-indicados"
    filtro_form = FiltroIndicacoesForm
    template_tela = "relatorios/indicacoes.html"
    template_pdf = "relatorios/indicacoes_pdf.html"
    total_na_tela = True
    ordem = {
        "numero": ("exercicio__ano", "numero"),
        "titular": ("inciso__emenda__parlamentar__nome", "inciso__emenda__bloco__nome"),
        "inciso": ("inciso__numero",), "uo": ("inciso__acao__uo__codigo",), "valor": ("valor",),
        "situacao": ("status",), "enviada": ("enviada_em",),
    }
    ordem_padrao = "-enviada"
    colunas_csv = COLUNAS_INDICACOES
    base = Q()

    def visiveis(self, usuario):
        return acesso.indicacoes(usuario)

    def filtrar(self, filtro, qs, parametros):
        return filtro.filtrar(qs.filter(self.base))

    def linhas_csv(self, qs):
        return linhas_csv_indicacoes(qs)


class RelatorioImpedimentos(RelatorioIndicacoes):
    nome = "impedimentos"
    titulo = rotulo_menu = "Impedimento de Ordem Técnica"
    arquivo = "impedimentos-ordem-tecnica"
    filtro_form = FiltroImpedimentosForm
    template_tela = "relatorios/impedimentos.html"
    template_pdf = "relatorios/impedimentos_pdf.html"
    ordem = {
        "numero": ("exercicio__ano", "numero"), "inciso": ("inciso__numero",), "uo": ("inciso__acao__uo__codigo",),
        "valor": ("valor",), "reprovada": ("encerrada_em",), "categoria": ("categoria_impedimento__nome",),
    }
    ordem_padrao = "-reprovada"
    colunas_csv = COLUNAS_IMPEDIMENTOS
    base = Q(status=Indicacao.Status.REPROVADA)

    def linhas_csv(self, qs):
        return (linha_impedimento(i) for i in qs.iterator(chunk_size=2000))


INDICACOES = registro.registrar(RelatorioIndicacoes())
IMPEDIMENTOS = registro.registrar(RelatorioImpedimentos())
