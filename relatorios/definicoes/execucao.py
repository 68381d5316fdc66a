"""Relatórios do controle de execução: "Controle de Execução" (as indicações aprovadas que não são convênio, com
utilizado, empenhado, liquidado e pago) e "Valores Utilizados" (os instrumentos vinculados às indicações e o que
cada uma usou). Tela, CSV e PDF de uma consulta com os filtros do GET; as consultas não crescem com as linhas."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from convenios.models import UsoIndicacao
from emendas.models import ExecucaoIndicacao, Indicacao
from sigcon.csv_seguro import data_hora, dinheiro

from .. import acesso, registro
from ..filtros import FiltroImpedimentosForm
from ..lista import RelatorioLista
from .indicacoes import beneficiario

Status, Forma = Indicacao.Status, Indicacao.FormaExecucao


class FiltroExecucaoForm(FiltroImpedimentosForm):
    """Os filtros das indicações, sem a situação: os dois relatórios só leem as aprovadas."""


def execucao_de(ind):
    # Reverso de um-para-um: ``select_related("execucao")`` já trouxe (ou não) a linha.
    return getattr(ind, "execucao", None)


def _valor(ex, campo):
    return dinheiro(getattr(ex, campo)) if ex else ""


COLUNAS_EXECUCAO = [
    "Nº da indicação", "Exercício", "Titular", "Inciso", "UO", "Forma de execução", "Beneficiário", "Valor indicado",
    "Valor utilizado", "Valor empenhado", "Nº do empenho", "Data do empenho", "Valor liquidado", "Valor pago",
    "Data do pagamento", "Valor impedido (IOT parcial)", "Valor impedido devolvido para", "Categoria do impedimento",
    "Justificativa do impedimento", "Registro", "Atualizada em",
]


def linha_execucao(ind):
    ex = execucao_de(ind)
    emenda = ind.inciso.emenda
    return [
        ind.numero, ind.exercicio.ano, str(emenda.titular), ind.inciso.numero, ind.inciso.acao.uo.codigo,
        ind.get_forma_execucao_display(), beneficiario(ind), dinheiro(ind.valor), _valor(ex, "utilizado"),
        _valor(ex, "empenhado"), ex.numero_empenho if ex else "",
        f"{ex.data_empenho:%d/%m/%Y}" if ex and ex.data_empenho else "", _valor(ex, "liquidado"), _valor(ex, "pago"),
        f"{ex.data_pagamento:%d/%m/%Y}" if ex and ex.data_pagamento else "",
        _valor(ex, "valor_impedido") if ex and ex.valor_impedido else "",
        ex.get_saldo_devolucao_display() if ex and ex.saldo_devolucao else "",
        ex.categoria_impedimento.nome if ex and ex.categoria_impedimento_id else "",
        ex.justificativa_impedimento if ex else "",
        ("automático" if ex.automatica else "do órgão") if ex else "não registrado",
        data_hora(ex.atualizada_em) if ex else "",
    ]


class RelatorioExecucao(RelatorioLista):
    nome = "execucao"
    titulo = rotulo_menu = "Controle de Execução"
    arquivo = "controle-de-execucao"
    filtro_form = FiltroExecucaoForm
    template_tela = "relatorios/execucao.html"
    template_pdf = "relatorios/execucao_pdf.html"
    total_na_tela = True
    ordem = {
        "numero": ("exercicio__ano", "numero"), "inciso": ("inciso__numero",), "uo": ("inciso__acao__uo__codigo",),
        "valor": ("valor",), "utilizado": ("execucao__utilizado",), "pago": ("execucao__pago",),
        "impedido": ("execucao__valor_impedido",),
    }
    ordem_padrao = "-numero"
    colunas_csv = COLUNAS_EXECUCAO
    colunas_de_texto_csv = None
    relacoes = ("exercicio", "inciso__emenda__parlamentar", "inciso__emenda__bloco", "inciso__acao__uo", "beneficiario",
                "execucao__categoria_impedimento")
    # §9: o relatório é das indicações que não são convênio (a execução do convênio está em "Valores Utilizados").
    base = Q(status=Status.APROVADA) & ~Q(forma_execucao=Forma.CONVENIO)

    def visiveis(self, usuario):
        return acesso.indicacoes(usuario)

    def filtrar(self, filtro, qs, parametros):
        return filtro.filtrar(qs.filter(self.base))

    def linhas_csv(self, qs):
        return (linha_execucao(i) for i in qs.iterator(chunk_size=2000))


COLUNAS_UTILIZADOS = [
    "Nº da indicação", "Exercício", "Titular", "Inciso", "UO", "Forma de execução", "Beneficiário", "Valor indicado",
    "Valor utilizado", "Valor pago/liberado", "Valor impedido (IOT parcial)", "Instrumentos", "Situação dos instrumentos",
    "Tipos de instrumento",
]


def usos_de(ind):
    return list(ind.usos.all())


def linha_utilizados(ind):
    ex, usos = execucao_de(ind), usos_de(ind)
    emenda = ind.inciso.emenda
    return [
        ind.numero, ind.exercicio.ano, str(emenda.titular), ind.inciso.numero, ind.inciso.acao.uo.codigo,
        ind.get_forma_execucao_display(), beneficiario(ind), dinheiro(ind.valor), _valor(ex, "utilizado"),
        _valor(ex, "pago"), _valor(ex, "valor_impedido") if ex and ex.valor_impedido else "",
        ", ".join(f"Proposta nº {u.proposta_id}" for u in usos),
        ", ".join(u.proposta.get_status_display() for u in usos),
        ", ".join(u.proposta.get_tipo_instrumento_display() for u in usos),
    ]


class RelatorioUtilizados(RelatorioExecucao):
    nome = "utilizados"
    titulo = rotulo_menu = "Valores Utilizados"
    arquivo = "valores-utilizados"
    template_tela = "relatorios/utilizados.html"
    template_pdf = "relatorios/utilizados_pdf.html"
    colunas_csv = COLUNAS_UTILIZADOS
    # As aprovadas com execução registrada ou usadas por uma proposta (os instrumentos vinculados).
    base = Q(status=Status.APROVADA) & (
        Q(Exists(ExecucaoIndicacao.objects.filter(indicacao=OuterRef("pk"))))
        | Q(Exists(UsoIndicacao.objects.filter(indicacao=OuterRef("pk"))))
    )

    def filtrar(self, filtro, qs, parametros):
        # Os usos e as propostas de cada linha numa consulta a mais (não uma por linha).
        usos = Prefetch("usos", queryset=UsoIndicacao.objects.select_related("proposta").order_by("proposta_id"))
        return super().filtrar(filtro, qs, parametros).prefetch_related(usos)

    def linhas_csv(self, qs):
        return (linha_utilizados(i) for i in qs.iterator(chunk_size=2000))


EXECUCAO = registro.registrar(RelatorioExecucao())
UTILIZADOS = registro.registrar(RelatorioUtilizados())
