"""Cálculo puro dos saldos: fases, baldes e o invariante do dinheiro."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from emendas import prazos
from emendas.prazos import Calendario, Fase, OrigemSaldo
from emendas.saldos import Estado, Movimento, calcular_saldos

D0 = date(2019, 1, 10)
CAL = Calendario.padrao(D0)
M = Decimal


def saldos(dia, valor="1000000.00", movimentos=(), cal=CAL, **extra):
    return calcular_saldos(exercicio=cal, dia=dia, valor_inicial=M(valor), movimentos=movimentos, **extra)


def soma_baldes(s):
    return sum(s.baldes().values(), M("0"))


def test_fechado_guarda_tudo_no_livre_mas_nada_fica_disponivel():
    s = saldos(date(2019, 1, 20))
    assert s.fase is Fase.FECHADO
    assert s.livre == M("1000000.00")
    assert s.disponivel_remanejamento == s.disponivel_indicacao == M("0")


def test_janela_livre_disponibiliza_o_saldo_livre_para_as_duas_operacoes():
    s = saldos(date(2019, 2, 1))
    assert s.disponivel_remanejamento == s.disponivel_indicacao == M("1000000.00")


def test_na_janela_restrita_o_livre_vira_spr_e_nao_pode_ser_remanejado():
    s = saldos(date(2019, 2, 26))
    assert (s.livre, s.sem_remanejamento) == (M("0"), M("1000000.00"))
    assert s.disponivel_remanejamento == M("0")
    assert s.disponivel_indicacao == M("1000000.00")


def test_encerrada_tudo_vira_nao_impositivo_e_so_habilitado_fica_disponivel():
    movs = [Movimento(M("100"), Estado.DEVOLVIDO, OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO)]
    s = saldos(date(2019, 3, 12), movimentos=movs)
    assert s.nao_impositivo == M("1000000.00")
    assert s.com_remanejamento == s.sem_remanejamento == M("0")
    assert s.disponivel_indicacao == M("0")
    habilitado = Calendario.padrao(D0, nao_impositivo_habilitado=True)
    s2 = saldos(date(2019, 3, 12), movimentos=movs, cal=habilitado)
    assert s2.disponivel_remanejamento == s2.disponivel_indicacao == M("1000000.00")


def test_inciso_p_nunca_tem_disponivel_para_remanejamento():
    s = saldos(date(2019, 2, 1), remanejavel=False)
    assert s.disponivel_remanejamento == M("0")
    assert s.disponivel_indicacao == M("1000000.00")


def test_exemplo_do_dominio_linhas_de_remanejamento():
    """DOMAIN.md §4.5, linhas 1, 2, 4, 5, 10, 11 (inciso S530 de R$ 1.000.000,00)."""
    rm1 = Movimento(M("200000"), Estado.PENDENTE, OrigemSaldo.LIVRE)
    s = saldos(date(2019, 1, 28), movimentos=[rm1])
    assert (s.valor_inciso, s.remanejamento_solicitado, s.livre) == (M("1000000"), M("200000"), M("800000"))

    rm1_aprovado = Movimento(M("200000"), Estado.SAIU, OrigemSaldo.LIVRE)
    s = saldos(date(2019, 1, 30), movimentos=[rm1_aprovado])
    assert (s.valor_inciso, s.remanejamento_solicitado, s.livre) == (M("800000"), M("0"), M("800000"))

    indicacoes = Movimento(M("550000"), Estado.ATIVO, OrigemSaldo.LIVRE)
    rm2 = Movimento(M("100000"), Estado.PENDENTE, OrigemSaldo.LIVRE)
    s = saldos(date(2019, 2, 4), movimentos=[rm1_aprovado, indicacoes, rm2])
    assert (s.remanejamento_solicitado, s.indicado, s.livre) == (M("100000"), M("550000"), M("150000"))

    rm2_reprovado = Movimento(M("100000"), Estado.DEVOLVIDO, OrigemSaldo.LIVRE, OrigemSaldo.LIVRE)
    s = saldos(date(2019, 2, 6), movimentos=[rm1_aprovado, indicacoes, rm2_reprovado])
    assert s.livre == M("250000")

    # Linha 8 em diante: I1 (300.000) reprovada na restrita volta como CPR; RM3 sai do CPR.
    ativas = Movimento(M("100000"), Estado.ATIVO, OrigemSaldo.LIVRE)
    i1 = Movimento(M("300000"), Estado.DEVOLVIDO, OrigemSaldo.LIVRE, OrigemSaldo.COM_REMANEJAMENTO)
    i2 = Movimento(M("150000"), Estado.DEVOLVIDO, OrigemSaldo.LIVRE, OrigemSaldo.LIVRE)
    base = [rm1_aprovado, rm2_reprovado, ativas, i1, i2]
    s = saldos(date(2019, 2, 27), movimentos=base)
    assert (s.com_remanejamento, s.sem_remanejamento) == (M("300000"), M("400000"))
    assert (s.disponivel_remanejamento, s.disponivel_indicacao) == (M("300000"), M("700000"))

    rm3 = Movimento(M("50000"), Estado.PENDENTE, OrigemSaldo.COM_REMANEJAMENTO)
    s = saldos(date(2019, 3, 2), movimentos=base + [rm3])
    assert (s.remanejamento_solicitado, s.com_remanejamento) == (M("50000"), M("250000"))
    rm3_aprovado = Movimento(M("50000"), Estado.SAIU, OrigemSaldo.COM_REMANEJAMENTO)
    s = saldos(date(2019, 3, 5), movimentos=base + [rm3_aprovado])
    assert (s.valor_inciso, s.com_remanejamento) == (M("750000"), M("250000"))
    assert soma_baldes(s) == s.valor_inciso


def test_soma_de_saldos_para_totais():
    a = saldos(date(2019, 2, 1), "10.00")
    b = saldos(date(2019, 2, 1), "0.55")
    total = a + b
    assert total.valor_inciso == M("10.55")
    assert total.disponivel_indicacao == M("10.55")


# ---------------------------------------------------------------------------
# Invariante com sequências aleatórias (modelo em memória com as regras do serviço)

@dataclass
class Pedido:
    inciso: int
    valor: Decimal
    origem: str
    dia: date
    decisao: tuple | None = None  # (dia, "APROVADO"|"DEVOLVIDO", destino)


@dataclass
class Modelo:
    """Incisos com pedidos datados; R incisos nascem na aprovação, como manda a regra."""

    incisos: list = field(default_factory=list)  # (valor_inicial, saldo_inicial, dia_criacao)
    pedidos: list = field(default_factory=list)

    def movimentos(self, i, dia):
        for p in self.pedidos:
            if p.inciso != i or p.dia > dia:
                continue
            if p.decisao is None or p.decisao[0] > dia:
                yield Movimento(p.valor, Estado.PENDENTE, p.origem)
            elif p.decisao[1] == "APROVADO":
                yield Movimento(p.valor, Estado.SAIU, p.origem)
            else:
                yield Movimento(p.valor, Estado.DEVOLVIDO, p.origem, p.decisao[2])

    def saldos(self, i, dia, cal):
        valor, balde, criado = self.incisos[i]
        if criado > dia:
            return None
        return calcular_saldos(
            exercicio=cal, dia=dia, valor_inicial=valor, saldo_inicial=balde, movimentos=list(self.movimentos(i, dia))
        )


operacao = st.tuples(
    st.sampled_from(["pedir", "aprovar", "devolver"]),
    st.integers(min_value=0, max_value=9),  # inciso ou pedido
    st.integers(min_value=1, max_value=60_000_000),  # centavos
    st.integers(min_value=0, max_value=4),  # dias que passam antes da operação
)


@settings(max_examples=150, deadline=None)
@given(
    valores=st.lists(st.integers(min_value=1, max_value=100_000_000), min_size=1, max_size=3),
    ops=st.lists(operacao, max_size=40),
    nao_impositivo=st.booleans(),
)
def test_invariante_do_dinheiro_em_qualquer_sequencia(valores, ops, nao_impositivo):
    cal = Calendario.padrao(D0, nao_impositivo_habilitado=nao_impositivo)
    modelo = Modelo(incisos=[(M(v) / 100, OrigemSaldo.LIVRE, D0) for v in valores])
    dia = cal.data_liberacao + timedelta(days=20)
    total_s = sum((M(v) / 100 for v in valores), M("0"))
    for tipo, alvo, centavos, passo in ops:
        dia += timedelta(days=passo)
        usos = prazos.saldo_de_uso(cal, dia)["remanejamento"]
        if tipo == "pedir" and usos:
            i = alvo % len(modelo.incisos)
            s = modelo.saldos(i, dia, cal)
            valor = M(centavos) / 100
            if s is not None and valor <= s.disponivel_remanejamento:
                modelo.pedidos.append(Pedido(i, valor, usos[0], dia))
        elif tipo in ("aprovar", "devolver"):
            pendentes = [p for p in modelo.pedidos if p.decisao is None]
            if not pendentes:
                continue
            p = pendentes[alvo % len(pendentes)]
            if tipo == "aprovar":
                p.decisao = (dia, "APROVADO", "")
                modelo.incisos.append((p.valor, prazos.saldo_inicial_inciso_r(cal, dia, p.origem), dia))
            else:
                p.decisao = (dia, "DEVOLVIDO", prazos.destino_devolucao_remanejamento(cal, dia, p.origem))

        # Depois de cada operação, e em todos os dias até o fim, o dinheiro fecha.
        for olhar in (dia, cal.fim_janela_livre, cal.fim_janela_obrigatoria + timedelta(days=1)):
            total = M("0")
            for i in range(len(modelo.incisos)):
                s = modelo.saldos(i, max(olhar, dia), cal)
                if s is None:
                    continue
                baldes = s.baldes()
                assert all(v >= 0 for v in baldes.values()), baldes
                assert soma_baldes(s) == s.valor_inciso
                total += s.valor_inciso
            assert total == total_s
