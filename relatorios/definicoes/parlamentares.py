"""Relatório "Parlamentares": os incisos de cada titular, com subtotais no PDF."""

from django.db.models import Sum

from emendas.models import Indicacao
from sigcon.dinheiro import ZERO

from .. import registro
from ..base import DINHEIRO, Coluna
from .por_inciso import (
    ACAO, ACAO_NOME, EMENDA, ENCERRADAS, GRUPO, GRUPO_NOME, INCISO, ORDEM_TITULAR, ORIGEM, TITULAR, UO, UO_NOME,
    VALOR_INICIAL, PorInciso, dinheiro, reprovados_por_inciso,
)


# ---------------------------------------------------------------------------
# Parlamentares (por titular e por inciso)

class RelatorioParlamentares(PorInciso):
    nome = "parlamentares"
    titulo = "Parlamentares"
    descricao = ("Incisos de cada parlamentar ou bloco: valor inicial, valor atualizado (depois dos remanejamentos), "
                 "valores indicados (indicações ativas) e reprovados ou cancelados.")
    colunas = [
        TITULAR, EMENDA, INCISO, UO, UO_NOME, GRUPO, GRUPO_NOME, ACAO, ACAO_NOME, VALOR_INICIAL,
        dinheiro("valor_atualizado", "Valor atualizado", "valor_inciso"),
        dinheiro("indicado", "Valores indicados", "indicado"),
        Coluna("reprovados", "Reprovados/cancelados", lambda l: l.reprovados, DINHEIRO, somar=True),
        ORIGEM,
    ]

    def campos_ordem(self, ordem):
        # Relatório por titular: o titular vem sempre primeiro; a coluna escolhida ordena dentro dele.
        campos = super().campos_ordem(ordem)
        return campos if ordem.lstrip("-") == "titular" else [*ORDEM_TITULAR, *campos]

    def montar(self, incisos, consulta, saldos=None):
        linhas = super().montar(incisos, consulta, saldos)
        reprovados = reprovados_por_inciso([i.pk for i in incisos])
        for linha in linhas:
            linha.reprovados = reprovados.get(linha.inciso.pk, ZERO)
        return linhas

    def total(self, consulta):
        total = super().total(consulta)
        if total is not None:
            # Todos os do exercício: pelo exercício da indicação (o índice dela), sem a subconsulta dos ids
            # (SEGOV, escala de estado: 82 ms → 5 ms).
            if consulta.extra["todos_do_exercicio"]:
                dos_incisos = {"exercicio": consulta.exercicio}
            else:
                dos_incisos = {"inciso__in": consulta.extra["filtrados"].values("pk")}
            total.reprovados = Indicacao.objects.filter(
                **dos_incisos, status__in=ENCERRADAS
            ).aggregate(t=Sum("valor"))["t"] or ZERO
        return total

    def linhas_pdf(self, consulta, linhas):
        """Subtotal depois de cada titular (as linhas já vêm agrupadas por titular)."""
        saida, grupo = [], []

        def fechar():
            if grupo:
                subtotal = self.somar(grupo)
                subtotal.rotulo = f"Subtotal {grupo[0].titular} ({len(grupo)} inciso{'s' if len(grupo) > 1 else ''})"
                saida.append({"celulas": self.celulas_total(subtotal), "classe": "subtotal"})

        for linha in linhas:
            if grupo and linha.chave_titular != grupo[-1].chave_titular:
                fechar()
                grupo = []
            grupo.append(linha)
            saida.append({"celulas": self.celulas(linha), "classe": ""})
        fechar()
        return saida


PARLAMENTARES = registro.registrar(RelatorioParlamentares())
