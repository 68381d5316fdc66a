"""Relatório "Saldos por titular" (SEGOV e visualizadores de relatórios; os demais, 403).

Por parlamentar ou bloco, o valor de cada balde (DOMAIN.md, "Buckets") num dia: livre, com e sem
possibilidade de remanejamento, não impositivo, reservado para projeto de lei, além do
remanejamento solicitado e do indicado. Vem de ``selectors.totais_por_titular`` (três consultas
para o exercício inteiro); ``dia`` mostra os saldos de outro dia.
"""

from dataclasses import dataclass

from django.utils import timezone

from emendas import prazos
from relatorios.filtros_incisos import FiltroSaldosForm
from emendas.models import OrigemSaldo
from emendas.saldos import Saldos
from emendas.selectors import totais_por_titular

from .. import acesso, registro
from ..base import DINHEIRO, INTEIRO, Coluna, Consulta, RelatorioEmMemoria, Total


@dataclass
class LinhaSaldo:
    titular: str
    tipo: str
    n: int
    saldos: Saldos


def do_saldo(campo):
    return lambda linha: getattr(linha.saldos, campo)


class RelatorioSaldos(RelatorioEmMemoria):
    nome = "saldos"
    titulo = "Saldos por titular"
    tabela_larga = True  # nove colunas de dinheiro
    rotulo_menu = "Saldos por janela"
    regra_acesso = acesso.SO_QUEM_VE_TUDO
    descricao = ("Cada centavo do valor do inciso está em um só balde: solicitado + indicado + livre + com e sem "
                 "possibilidade de remanejamento + não impositivo + reservado para projeto de lei = valor do inciso.")
    unidade = "titular"
    unidade_total = "titulares"
    vazio = "Nenhum inciso neste exercício."
    colunas = [
        Coluna("titular", "Titular", lambda l: l.titular),
        Coluna("tipo", "Tipo", lambda l: l.tipo),
        Coluna("incisos", "Incisos", lambda l: l.n, INTEIRO, somar=True),
        Coluna("valor_inciso", "Valor do inciso", do_saldo("valor_inciso"), DINHEIRO, somar=True),
        Coluna("livre", OrigemSaldo.LIVRE.label, do_saldo("livre"), DINHEIRO, somar=True),
        Coluna("cpr", OrigemSaldo.COM_REMANEJAMENTO.label, do_saldo("com_remanejamento"), DINHEIRO, somar=True,
               curto="Com possib. de remanej."),
        Coluna("spr", OrigemSaldo.SEM_REMANEJAMENTO.label, do_saldo("sem_remanejamento"), DINHEIRO, somar=True,
               curto="Sem possib. de remanej."),
        Coluna("nao_impositivo", OrigemSaldo.NAO_IMPOSITIVO.label, do_saldo("nao_impositivo"), DINHEIRO, somar=True),
        Coluna("reservado_pl", OrigemSaldo.RESERVADO_PL.label, do_saldo("reservado_pl"), DINHEIRO, somar=True,
               curto="Reservado p/ projeto de lei"),
        Coluna("solicitado", "Remanejamento solicitado", do_saldo("remanejamento_solicitado"), DINHEIRO, somar=True,
               curto="Remanej. solicitado"),
        Coluna("indicado", "Indicado", do_saldo("indicado"), DINHEIRO, somar=True),
    ]

    def consultar(self, usuario, parametros):
        acesso.exigir(usuario, self.regra_acesso)
        filtro = FiltroSaldosForm(parametros)
        valido = filtro.is_valid()
        dia = (filtro.cleaned_data.get("dia") if valido else None) or timezone.localdate()
        return Consulta(
            usuario=usuario, filtro=filtro, valido=valido, ordem=self.ordem_pedida(parametros),
            exercicio=filtro.exercicio() if valido else None, dia=dia,
        )

    def montar(self, consulta):
        if consulta.exercicio is None:
            return []
        totais, _ = totais_por_titular(consulta.exercicio, consulta.dia)
        texto = (consulta.filtro.cleaned_data.get("parlamentar") or "").strip().casefold()
        return [
            LinhaSaldo(t.titular, t.tipo, t.incisos, t.saldos)
            for t in totais
            if not texto or texto in t.titular.casefold()
        ]

    def somar(self, linhas):
        if not linhas:
            return None
        saldos = linhas[0].saldos
        for linha in linhas[1:]:
            saldos = saldos + linha.saldos
        return Total(sum(l.n for l in linhas), saldos, rotulo="Total")

    def notas(self, consulta):
        if consulta.exercicio is None:
            return []
        fase = prazos.fase(consulta.exercicio, consulta.dia)
        return [f"Saldos em {consulta.dia:%d/%m/%Y} – {fase.rotulo}"]

    def nome_arquivo(self, consulta, extensao):
        if consulta.exercicio is None:
            return f"{self.nome}.{extensao}"
        return f"{self.nome}-{consulta.exercicio.ano}-{consulta.dia:%Y%m%d}.{extensao}"


SALDOS = registro.registrar(RelatorioSaldos())
