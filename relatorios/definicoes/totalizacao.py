"""Relatório "Totalização" ("Lista de Totalização"): Σ dos incisos visíveis por UO + ação + grupo de despesa."""

from dataclasses import dataclass

from emendas.saldos import Saldos

from .. import registro
from ..base import DINHEIRO, INTEIRO, Coluna, RelatorioEmMemoria, Total
from .por_inciso import agrupar, consultar_incisos, do_saldo, somar_saldos


# ---------------------------------------------------------------------------
# Totalização ("Lista de Totalização"): Σ por UO + ação + grupo de despesa

@dataclass
class LinhaTotalizacao:
    uo: str
    acao: str
    grupo: str
    n: int
    saldos: Saldos
    codigos: tuple = ()


class RelatorioTotalizacao(RelatorioEmMemoria):
    nome = "totalizacao"
    titulo = "Totalização"
    descricao = "Soma dos incisos visíveis por UO, ação e grupo de despesa."
    unidade = "programação"
    unidade_total = "programações"
    vazio = "Nenhum inciso encontrado."
    fonte_pdf = "8pt"
    colunas = [
        Coluna("uo", "UO", lambda l: l.uo),
        Coluna("acao", "Ação", lambda l: l.acao),
        Coluna("grupo", "Grupo de despesa", lambda l: l.grupo),
        Coluna("incisos", "Incisos", lambda l: l.n, INTEIRO, somar=True),
        Coluna("valor_inicial", "Valor inicial", do_saldo("valor_inicial"), DINHEIRO, somar=True),
        Coluna("valor_inciso", "Valor do inciso", do_saldo("valor_inciso"), DINHEIRO, somar=True),
        Coluna("indicado", "Indicado", do_saldo("indicado"), DINHEIRO, somar=True),
        Coluna("disponivel", "Disponível para indicação", do_saldo("disponivel_indicacao"), DINHEIRO, somar=True),
    ]
    CHAVE = ("acao", "grupo_despesa")
    ROTULOS = ("acao__uo__codigo", "acao__uo__nome", "acao__codigo", "acao__nome", "grupo_despesa__codigo",
               "grupo_despesa__nome")

    def consultar(self, usuario, parametros):
        return consultar_incisos(self, usuario, parametros)

    def montar(self, consulta):
        grupos = agrupar(consulta, self.CHAVE, self.ROTULOS)
        linhas = []
        for g in grupos.values():
            r = g.rotulos
            linhas.append(LinhaTotalizacao(
                uo=f"{r['acao__uo__codigo']} – {r['acao__uo__nome']}",
                acao=f"{r['acao__codigo']} – {r['acao__nome']}",
                grupo=f"{r['grupo_despesa__codigo']} – {r['grupo_despesa__nome']}",
                n=g.n, saldos=g.saldos,
                codigos=(r["acao__uo__codigo"], r["acao__codigo"], r["grupo_despesa__codigo"]),
            ))
        # Ordem natural: UO, ação, grupo (pelos códigos); a coluna pedida reordena depois.
        return sorted(linhas, key=lambda l: l.codigos)

    def somar(self, linhas):
        if not linhas:
            return None
        return Total(sum(l.n for l in linhas), somar_saldos(l.saldos for l in linhas), rotulo="Total")


TOTALIZACAO = registro.registrar(RelatorioTotalizacao())
