"""Relatório "Saneamento / Remanejamento Constitucional" (§7.12–7.13; SEGOV e visualizadores de relatórios).

Por titular: o saldo com impedimento técnico hoje no reservado PL, o valor sanado, o guardado para o remanejamento
constitucional, o programado em dotações de destino, o que saiu para incisos P na lei, o que não programado perdeu a
impositividade na lei, e o valor dos incisos P (da lei e importados) do titular. Quatro consultas agregadas.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count, Sum

from emendas.models import Inciso, LinhaRemanejamentoConstitucional, MovimentoSaneamento
from emendas.movimentos import fim_do_dia
from emendas.selectors import totais_por_titular
from sigcon.dinheiro import ZERO

from .. import registro
from ..base import DINHEIRO, INTEIRO, Coluna
from .saldos import RelatorioSaldos

Tipo = MovimentoSaneamento.Tipo


@dataclass
class LinhaSaneamento:
    titular: str = ""
    tipo: str = ""
    n: int = 0
    reservado_pl: Decimal = ZERO
    sanado: Decimal = ZERO
    guardado: Decimal = ZERO
    programado: Decimal = ZERO
    saiu_lei: Decimal = ZERO
    perdeu_lei: Decimal = ZERO
    incisos_p: int = 0
    valor_p: Decimal = ZERO
    rotulo: str = field(default="Total", compare=False)


SOMAVEIS = [f.name for f in fields(LinhaSaneamento) if f.name not in ("titular", "tipo", "rotulo")]


def _dinheiro(chave, rotulo, curto=""):
    return Coluna(chave, rotulo, lambda l: getattr(l, chave), DINHEIRO, somar=True, curto=curto)


class RelatorioSaneamento(RelatorioSaldos):
    """Os mesmos filtros, acesso e nome de arquivo do relatório de saldos por titular; as colunas do segundo ciclo."""

    nome = "saneamento"
    titulo = "Saneamento / Remanejamento Constitucional"
    rotulo_menu = "Saneamento / Remanejamento Constitucional"
    descricao = ("O segundo ciclo por titular: o saldo com impedimento de ordem técnica (reservado para projeto de "
                 "lei), o sanado, o guardado e o programado para o remanejamento constitucional, o que a lei levou "
                 "para incisos P e o que, não programado, perdeu a impositividade; e os incisos P do titular.")
    # Tabela larga, acesso, unidade e as três primeiras colunas: as do relatório de saldos por titular.
    colunas = [
        *RelatorioSaldos.colunas[:3],
        _dinheiro("reservado_pl", "Reservado para projeto de lei", "Reservado p/ PL"),
        _dinheiro("sanado", "Sanado"),
        _dinheiro("guardado", "Guardado p/ remanejamento constitucional", "Guardado p/ RC"),
        _dinheiro("programado", "Programado (dotações de destino)", "Programado"),
        _dinheiro("saiu_lei", "Saiu para incisos P (lei)", "Saiu p/ incisos P"),
        _dinheiro("perdeu_lei", "Não programado (perdeu a impositividade)", "Perdeu na lei"),
        Coluna("incisos_p", "Incisos P", lambda l: l.incisos_p, INTEIRO, somar=True),
        _dinheiro("valor_p", "Valor dos incisos P", "Valor incisos P"),
    ]

    def montar(self, consulta):
        ex = consulta.exercicio
        if ex is None:
            return []
        totais, _ = totais_por_titular(ex, consulta.dia)
        linhas = {(t.parlamentar_id, t.bloco_id): LinhaSaneamento(t.titular, t.tipo, t.incisos,
                                                                  reservado_pl=t.saldos.reservado_pl)
                  for t in totais}
        ate = fim_do_dia(consulta.dia)
        campo = {Tipo.SANEAMENTO: "sanado", Tipo.RESERVA: "guardado", Tipo.SAIDA_LEI: "saiu_lei",
                 Tipo.PERDA_LEI: "perdeu_lei"}
        for m in (MovimentoSaneamento.objects.filter(inciso__exercicio=ex, criado_em__lt=ate)
                  .values("inciso__emenda__parlamentar_id", "inciso__emenda__bloco_id", "tipo")
                  .annotate(t=Sum("valor")).order_by()):
            linha = linhas.get((m["inciso__emenda__parlamentar_id"], m["inciso__emenda__bloco_id"]))
            if linha is not None:
                setattr(linha, campo[m["tipo"]], getattr(linha, campo[m["tipo"]]) + m["t"])
        for p in (LinhaRemanejamentoConstitucional.objects.filter(exercicio=ex, criado_em__lt=ate)
                  .values("parlamentar_id", "bloco_id").annotate(t=Sum("valor")).order_by()):
            linha = linhas.get((p["parlamentar_id"], p["bloco_id"]))
            if linha is not None:
                linha.programado += p["t"]
        for p in (Inciso.objects.filter(exercicio=ex, tipo=Inciso.Tipo.P, criado_em__lt=ate)
                  .values("emenda__parlamentar_id", "emenda__bloco_id")
                  .annotate(t=Sum("valor_inicial"), n=Count("pk")).order_by()):
            linha = linhas.get((p["emenda__parlamentar_id"], p["emenda__bloco_id"]))
            if linha is not None:
                linha.valor_p, linha.incisos_p = linha.valor_p + p["t"], linha.incisos_p + p["n"]
        texto = (consulta.filtro.cleaned_data.get("parlamentar") or "").strip().casefold()
        return [l for l in linhas.values() if not texto or texto in l.titular.casefold()]

    def somar(self, linhas):
        if not linhas:
            return None
        total = LinhaSaneamento(rotulo="Total")
        for nome in SOMAVEIS:
            setattr(total, nome, sum((getattr(l, nome) for l in linhas), ZERO if nome not in ("n", "incisos_p") else 0))
        return total

    def notas(self, consulta):
        return [] if consulta.exercicio is None else [f"Valores em {consulta.dia:%d/%m/%Y}"]


SANEAMENTO = registro.registrar(RelatorioSaneamento())
