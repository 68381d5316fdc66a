"""O calendário inteiro do exercício como dados: cada prazo (fase ou janela de operação) com quem ele interessa.

Puro, como ``emendas.prazos``: recebe o exercício (as quatro datas) e as janelas já carregadas, nunca consulta o
banco nem chama ``now()``. O .ics de cada usuário, a API pública, os lembretes e a tela da SEGOV leem daqui.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from contas.grupos import ADMINISTRADOR, CONVENENTE, ORGAO, PARLAMENTAR, SEGOV, VISUALIZADOR

from .. import prazos

Trilha, Tipo = prazos.Trilha, prazos.TipoJanela

# Quem age em cada tipo de janela (DOMAIN.md §5.6): o parlamentar indica, prioriza, ajusta e escolhe o saneamento; o
# convenente vincula e envia o plano; o órgão informa o valor utilizado e analisa o que o convenente envia.
PUBLICO_DO_TIPO = {
    Tipo.INDICACAO_CANCELAMENTO: {PARLAMENTAR, ORGAO},
    Tipo.PRIORIZACAO: {PARLAMENTAR},
    Tipo.AJUSTE_COMPLETO: {PARLAMENTAR},
    Tipo.AJUSTE_MESMO_GD: {PARLAMENTAR},
    Tipo.ESCOLHA_SANEAMENTO: {PARLAMENTAR},
    Tipo.REMANEJAMENTO_CONSTITUCIONAL: {PARLAMENTAR},
    Tipo.VINCULO_PROPOSTA: {CONVENENTE, ORGAO},
    Tipo.PLANO_SEGOV: {CONVENENTE, ORGAO},
    Tipo.VALOR_UTILIZADO: {ORGAO},
}
# Quem vê o calendário inteiro.
VEEM_TUDO = {SEGOV, ADMINISTRADOR, VISUALIZADOR}

# O que acontece com o dinheiro no dia seguinte ao fim de um prazo (Decisões, "Buckets"): prazo → (baldes que mudam,
# para onde vão, tipos de inciso). Os prazos fora daqui não movem dinheiro.
LIVRE, CPR, SPR, NI = "livre", "com_remanejamento", "sem_remanejamento", "nao_impositivo"
ROTULO_BALDE = {LIVRE: "livres", CPR: "em CPR", SPR: "em SPR", NI: "não impositivos"}
SIGLA_DESTINO = {SPR: "SPR", NI: "não impositivo"}
VIRADAS = {
    "fase:LIVRE": ((LIVRE,), SPR, ("S", "R")),
    "fase:RESTRITA": ((CPR, SPR), NI, ("S", "R")),
    f"{Trilha.P}:{Tipo.INDICACAO_CANCELAMENTO}": ((LIVRE,), NI, ("P",)),
}


@dataclass(frozen=True)
class Prazo:
    chave: str  # estável: "fase:LIVRE", "SR:PLANO_SEGOV" (o UID do .ics, a prorrogação, a chave do lembrete)
    titulo: str
    trilha: str  # "" nas fases do calendário
    tipo: str  # a operação (TipoJanela) ou a fase
    inicio: date
    fim: date  # inclusive
    publico: frozenset

    @property
    def move_dinheiro(self) -> bool:
        return self.chave in VIRADAS

    def interessa(self, perfis_do_usuario: set[str]) -> bool:
        return bool(perfis_do_usuario & (VEEM_TUDO | self.publico))

    def descricao(self) -> str:
        if self.chave in VIRADAS:
            baldes, destino, _ = VIRADAS[self.chave]
            nomes = " e ".join(ROTULO_BALDE[b] for b in baldes)
            return (f"Último dia: {self.fim:%d/%m/%Y}. Em {self.fim + timedelta(days=1):%d/%m/%Y} os saldos {nomes} "
                    f"passam a {SIGLA_DESTINO[destino]}.")
        return f"Último dia: {self.fim:%d/%m/%Y} (inclusive)."


def prazos_do_exercicio(exercicio, janelas: dict) -> list[Prazo]:
    """Todos os prazos do exercício, em ordem de fim: as duas fases em que se indica (livre e restrita) e cada janela
    de operação de cada trilha (*janelas*: {(trilha, tipo): (início, fim)}, como ``Exercicio.janelas``)."""
    um = timedelta(days=1)
    resultado = [
        Prazo("fase:LIVRE", "Janela livre (remanejamento e indicação)", "", prazos.Fase.LIVRE,
              exercicio.data_liberacao, exercicio.fim_janela_livre, frozenset({PARLAMENTAR, ORGAO})),
    ]
    if exercicio.fim_janela_obrigatoria > exercicio.fim_janela_livre:
        resultado.append(Prazo("fase:RESTRITA", "Janela restrita (CPR e SPR)", "", prazos.Fase.RESTRITA,
                               exercicio.fim_janela_livre + um, exercicio.fim_janela_obrigatoria,
                               frozenset({PARLAMENTAR, ORGAO})))
    for (trilha, tipo), (inicio, fim) in janelas.items():
        if (trilha, tipo) == prazos.JANELA_DO_CALENDARIO:
            continue  # são as duas fases acima, juntas
        resultado.append(Prazo(f"{trilha}:{tipo}", f"{Trilha(trilha).label} · {Tipo(tipo).label}", trilha, tipo,
                               inicio, fim, frozenset(PUBLICO_DO_TIPO.get(tipo, set()))))
    ordem_trilhas = ["", *Trilha.values]
    return sorted(resultado, key=lambda p: (p.fim, p.inicio, ordem_trilhas.index(p.trilha), p.chave))


def prazos_para(perfis_do_usuario: set[str], todos: list[Prazo]) -> list[Prazo]:
    """Só os prazos que interessam a quem tem *perfis_do_usuario* (a SEGOV, o TI e o visualizador veem todos)."""
    return [p for p in todos if p.interessa(perfis_do_usuario)]


def prazos_fechando(todos: list[Prazo], dia: date, antecedencias: tuple[int, ...]) -> list[tuple[Prazo, int]]:
    """Os prazos cujo último dia está a exatamente uma das *antecedencias* (em dias) de *dia*: (prazo, dias)."""
    return [(p, (p.fim - dia).days) for p in todos if (p.fim - dia).days in antecedencias]


def prazos_da_semana(todos: list[Prazo], dia: date) -> list[Prazo]:
    """Os prazos que terminam de *dia* até *dia* + 6 (a semana que começa hoje)."""
    return [p for p in todos if dia <= p.fim <= dia + timedelta(days=6)]


def como_dict(p: Prazo) -> dict:
    """O prazo na API pública (JSON): datas ISO, fim inclusive."""
    virada = VIRADAS.get(p.chave)
    return {
        "chave": p.chave, "titulo": p.titulo, "trilha": p.trilha or None, "tipo": str(p.tipo),
        "inicio": p.inicio.isoformat(), "fim": p.fim.isoformat(), "publico": sorted(p.publico),
        "depois_do_fim": None if virada is None else {
            "dia": (p.fim + timedelta(days=1)).isoformat(), "baldes": list(virada[0]), "destino": virada[1],
            "tipos_de_inciso": list(virada[2]),
        },
    }
