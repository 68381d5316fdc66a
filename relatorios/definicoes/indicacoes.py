"""Relatórios de indicações: "Valores Indicados" e "Impedimento de Ordem Técnica" (tela, CSV e PDF).

Uma consulta com os filtros do GET serve às três saídas, e o número de consultas não cresce com o
número de linhas.
"""

from decimal import Decimal

from django.db.models import Q

from convenios.cnpj import formatar_cnpj
from emendas.models import Diligencia, Indicacao
from sigcon.csv_seguro import data_hora, dinheiro

from .. import acesso, registro
from ..filtros import FiltroImpedimentosForm, FiltroIndicacoesForm
from ..celulas import DataHoraLocal, texto_data_hora
from ..lista import RelatorioLista


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
    "Objeto", "Valor", "Situação", "Prioridade", "Saldo de origem", "Enviada em",
    "Enviada por", "Aprovada pelo órgão por", "Aprovada pelo órgão em", "Aprovada pela SEGOV por",
    "Aprovada pela SEGOV em", "Reprovada/cancelada por", "Reprovada/cancelada em", "Categoria do impedimento",
    "Justificativa", "Valor utilizado", "Instrumento vinculado",
]


CAMPOS_CSV = (
    "pk", "numero", "exercicio__ano", "inciso__emenda__parlamentar__nome", "inciso__emenda__bloco__nome",
    "inciso__emenda__numero", "inciso__numero", "inciso__acao__uo__codigo", "forma_execucao",
    "beneficiario__razao_social", "beneficiario__cnpj", "beneficiario__municipio", "objeto", "valor", "status",
    "prioridade", "origem_saldo", DataHoraLocal("enviada_em"), "enviada_por__nome", "enviada_por__email",
    "aprovada_orgao_por__nome", "aprovada_orgao_por__email", DataHoraLocal("aprovada_orgao_em"),
    "aprovada_segov_por__nome", "aprovada_segov_por__email", DataHoraLocal("aprovada_segov_em"),
    "encerrada_por__nome", "encerrada_por__email", DataHoraLocal("encerrada_em"), "categoria_impedimento__nome",
    "justificativa",
)
FORMAS = dict(Indicacao.FormaExecucao.choices)
SITUACOES = dict(Indicacao.Status.choices)
ORIGENS = dict(Indicacao._meta.get_field("origem_saldo").choices)


# Uso em propostas na mesma consulta (LEFT JOIN): uma indicação usada por duas propostas vem em duas linhas
# seguidas (a ordem termina no id), juntadas abaixo numa linha só do CSV.
CAMPOS_CSV_COM_USOS = (*CAMPOS_CSV, "usos__proposta_id", "usos__valor")


def linhas_csv_indicacoes(qs, tamanho=2000):
    """Linhas do CSV a partir de valores (sem montar objetos), numa consulta lida aos poucos: memória constante."""
    atual, usos = None, []
    for valores in qs.values_list(*CAMPOS_CSV_COM_USOS).iterator(chunk_size=tamanho):
        if atual is not None and valores[0] != atual[0]:
            yield _linha_csv(atual, usos)
            usos = []
        atual = valores
        if valores[-2] is not None:
            usos.append(valores[-2:])
    if atual is not None:
        yield _linha_csv(atual, usos)


def _linha_csv(valores, usos):
    (pk, numero, ano, parlamentar, bloco_nome, emenda, inciso, uo, forma, razao_social, cnpj, municipio, objeto,
     valor, status, prioridade, origem, enviada_em, enviada_nome, enviada_email, orgao_nome, orgao_email, orgao_em,
     segov_nome, segov_email, segov_em, encerrada_nome, encerrada_email, encerrada_em, categoria,
     justificativa, _proposta, _valor) = valores
    # 200 mil linhas no CSV de 10 anos: a pessoa (nome, ou o e-mail) e as datas que o PostgreSQL já deu em texto
    # (``texto_data_hora`` só nos outros bancos) ficam no próprio laço, sem quatro chamadas de função por linha.
    if usos:
        usos.sort()
        utilizado = dinheiro(sum((u[1] for u in usos), Decimal("0.00")))
        instrumentos = ", ".join(f"Proposta nº {u[0]}" for u in usos)
    else:
        utilizado = instrumentos = ""
    return [
        numero, ano, parlamentar or bloco_nome, emenda, inciso, uo, FORMAS.get(forma, forma),
        f"{razao_social} ({formatar_cnpj(cnpj)})" if cnpj else "a definir", municipio or "", objeto,
        dinheiro(valor), SITUACOES.get(status, status), "" if prioridade is None else prioridade,
        ORIGENS.get(origem, origem),
        enviada_em if type(enviada_em) is str else texto_data_hora(enviada_em),
        f"{enviada_nome or enviada_email or ''} <{enviada_email}>",
        orgao_nome or orgao_email or "", orgao_em if type(orgao_em) is str else texto_data_hora(orgao_em),
        segov_nome or segov_email or "", segov_em if type(segov_em) is str else texto_data_hora(segov_em),
        encerrada_nome or encerrada_email or "",
        encerrada_em if type(encerrada_em) is str else texto_data_hora(encerrada_em),
        categoria or "", justificativa, utilizado, instrumentos,
    ]


COLUNAS_IMPEDIMENTOS = [
    "Nº da indicação", "Inciso", "UO", "Tipo de indicação", "Beneficiário", "Valor", "Data de reprovação",
    "Categoria do IOT", "Justificativa", "Valor devolvido para", "Reprovada por",
]


def linha_impedimento(ind):
    return [
        ind.numero, ind.inciso.numero, ind.inciso.acao.uo.codigo, ind.get_forma_execucao_display(), beneficiario(ind),
        dinheiro(ind.valor), data_hora(ind.encerrada_em),
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
        "situacao": ("status",), "prioridade": ("prioridade",), "enviada": ("enviada_em",),
    }
    ordem_padrao = "-enviada"
    colunas_csv = COLUNAS_INDICACOES
    # As outras colunas do CSV são números, datas, valores (``1.234,56``, que não é fórmula) e rótulos de escolhas.
    colunas_de_texto_csv = (
        "Titular", "Inciso", "UO", "Beneficiário", "Município", "Objeto", "Enviada por", "Aprovada pelo órgão por",
        "Aprovada pela SEGOV por", "Reprovada/cancelada por", "Categoria do impedimento", "Justificativa",
    )
    relacoes = ("exercicio", "inciso__emenda__parlamentar", "inciso__emenda__bloco", "inciso__acao__uo", "beneficiario")
    base = Q()

    def visiveis(self, usuario):
        # O número da diligência aberta vai ao selo da linha na tela (a contagem e o CSV não o leem).
        return acesso.indicacoes(usuario).annotate(diligencia_aberta=Diligencia.numero_da_aberta())

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
    colunas_de_texto_csv = None  # as colunas são outras: todas conferidas
    # Objetos (não ``.values_list()``): 21.526 reprovadas em 2,5–3 s (1,7 s de CPU).
    custo_csv = 2
    relacoes = ("inciso__acao__uo", "beneficiario", "categoria_impedimento", "encerrada_por")
    base = Q(status=Indicacao.Status.REPROVADA)

    def linhas_csv(self, qs):
        return (linha_impedimento(i) for i in qs.iterator(chunk_size=2000))


INDICACOES = registro.registrar(RelatorioIndicacoes())
IMPEDIMENTOS = registro.registrar(RelatorioImpedimentos())
