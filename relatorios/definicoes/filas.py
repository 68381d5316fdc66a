"""O "Exportar CSV" das filas de aprovação: as linhas da fila, com o filtro da tela, pelo framework dos relatórios.

Cada fila (análise de remanejamentos da SEGOV, aprovação de indicações do órgão e da SEGOV, liberações a
autorizar) é um relatório fora do menu, com as colunas do relatório do mesmo objeto. Quem abre e o que lista vêm
dos selectors da própria fila (``fila_da_segov``, ``fila_do_orgao``, ``fila_de_liberacoes``): quem não vê a fila
não a exporta. O filtro é o da tela, com a mesma situação de quando a pessoa não escolhe nenhuma
(``filtro_da_fila``); CSV grande vai pelo Celery como nos outros relatórios.
A tela do relatório é a própria fila (redireciona para ela com os filtros).
"""

from django import forms
from django.shortcuts import redirect
from django.urls import reverse

from contas import perfis
from convenios import selectors as convenios
from convenios.cnpj import formatar_cnpj
from emendas.indicacoes import forms as filtros_indicacoes, selectors as indicacoes
from emendas.models import Indicacao
from emendas.remanejamentos import forms as filtros_remanejamentos, selectors as remanejamentos

from sigcon.csv_seguro import dinheiro

from .. import registro
from ..celulas import DataHoraLocal, texto_data_hora
from ..lista import RelatorioLista
from .indicacoes import RelatorioIndicacoes
from .remanejamentos import RelatorioRemanejamentos


class _Fila:
    """O que as três filas têm em comum (misturado antes da declaração do relatório do objeto)."""

    fora_do_menu = True
    tela_da_fila = ""  # a rota da fila: a "tela" deste relatório

    def filtrar(self, filtro, qs, parametros):
        # Sempre o filtro da fila (sem parâmetros, a situação padrão dela), nunca "todas as linhas".
        return filtro.filtrar(qs)

    def view_tela(self, request):
        self.consultar(request.user, request.GET)  # 403 antes de mostrar o endereço da fila
        consulta = request.GET.urlencode()
        return redirect(f"{reverse(self.tela_da_fila)}?{consulta}" if consulta else reverse(self.tela_da_fila))

    def descrever_filtros(self, filtro):
        if not filtro.is_valid():
            return []
        return [f"{filtro.fields[k].label}: {v}" for k, v in filtro.cleaned_data.items() if v]


class FilaRemanejamentos(_Fila, RelatorioRemanejamentos):
    nome = "fila_remanejamentos"
    titulo = rotulo_menu = "Análise de remanejamentos – SEGOV"
    arquivo = "fila-remanejamentos"
    tela_da_fila = "emendas:analise_remanejamentos"
    ordem_padrao = "solicitado"  # a ordem da fila: o pedido mais antigo primeiro
    filtro_form = staticmethod(filtros_remanejamentos.filtro_da_fila)

    def pode_ver(self, usuario) -> bool:
        return perfis.e_segov(usuario)

    def visiveis(self, usuario):
        return remanejamentos.fila_da_segov(usuario)


class FilaIndicacoesOrgao(_Fila, RelatorioIndicacoes):
    nome = "fila_indicacoes_orgao"
    titulo = rotulo_menu = "Aprovação de Indicações – Órgão"
    arquivo = "fila-indicacoes-orgao"
    tela_da_fila = "emendas:analise_orgao"
    ordem_padrao = "enviada"

    @staticmethod
    def filtro_form(dados):
        return filtros_indicacoes.filtro_da_fila(dados, Indicacao.Status.EM_ANALISE_ORGAO)

    def pode_ver(self, usuario) -> bool:
        return perfis.tem_perfil(usuario, perfis.ORGAO)

    def visiveis(self, usuario):
        return indicacoes.fila_do_orgao(usuario).prefetch_related(None)  # CSV e PDF: as junções de ``relacoes``


class FilaIndicacoesSegov(_Fila, RelatorioIndicacoes):
    nome = "fila_indicacoes_segov"
    titulo = rotulo_menu = "Aprovação de Indicações – SEGOV"
    arquivo = "fila-indicacoes-segov"
    tela_da_fila = "emendas:analise_segov"
    ordem_padrao = "enviada"

    @staticmethod
    def filtro_form(dados):
        return filtros_indicacoes.filtro_da_fila(dados, Indicacao.Status.EM_ANALISE_SEGOV)

    def pode_ver(self, usuario) -> bool:
        return perfis.e_segov(usuario)

    def visiveis(self, usuario):
        return indicacoes.fila_da_segov(usuario).prefetch_related(None)


class _SemFiltro(forms.Form):
    """A fila de liberações não tem filtro na tela: o CSV traz todas as parcelas que esperam a SEGOV."""

    def filtrar(self, qs):
        return qs


CAMPOS_LIBERACAO = (
    "proposta_id", "proposta__convenente__razao_social", "proposta__convenente__cnpj", "proposta__concedente__codigo",
    "parcela", "valor", DataHoraLocal("solicitada_em"), "solicitada_por__nome", "solicitada_por__email",
)


class FilaLiberacoes(_Fila, RelatorioLista):
    nome = "fila_liberacoes"
    titulo = rotulo_menu = "Liberações de recursos a autorizar"
    arquivo = "fila-liberacoes"
    tela_da_fila = "convenios:liberacoes"
    filtro_form = _SemFiltro
    template_pdf = "relatorios/liberacoes_pdf.html"
    ordem = {"proposta": ("proposta_id", "parcela")}  # a ordem da tela (Meta.ordering de Liberacao)
    ordem_padrao = "proposta"
    relacoes = ("proposta__convenente", "proposta__concedente", "solicitada_por")
    colunas_csv = ["Proposta", "Convenente", "CNPJ", "Concedente (UO)", "Parcela", "Valor", "Solicitada em",
                   "Solicitada por"]
    colunas_de_texto_csv = ("Convenente", "Solicitada por")

    def pode_ver(self, usuario) -> bool:
        return perfis.e_segov(usuario)

    def visiveis(self, usuario):
        return convenios.fila_de_liberacoes(usuario)

    def linhas_csv(self, qs):
        for proposta, convenente, cnpj, uo, parcela, valor, em, nome, email in qs.values_list(
                *CAMPOS_LIBERACAO).iterator(chunk_size=2000):
            yield [proposta, convenente, formatar_cnpj(cnpj), uo, parcela, dinheiro(valor), texto_data_hora(em),
                   nome or email]

    def descrever_filtros(self, filtro):
        return []


FILA_REMANEJAMENTOS = registro.registrar(FilaRemanejamentos())
FILA_INDICACOES_ORGAO = registro.registrar(FilaIndicacoesOrgao())
FILA_INDICACOES_SEGOV = registro.registrar(FilaIndicacoesSegov())
FILA_LIBERACOES = registro.registrar(FilaLiberacoes())
