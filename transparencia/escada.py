"""A escada de situações da página pública: os passos de uma indicação, com a data de cada um já dado.

Pura (recebe a linha pública e os convênios, não lê o banco): enviada → aprovada pelo órgão → aprovada pela SEGOV
→ em convênio → recursos liberados (os dois últimos só para convênio); uma reprovação por impedimento de ordem
técnica ou um cancelamento encerram a escada no passo em que ela estava.
"""

from dataclasses import dataclass
from datetime import datetime

from emendas.models import Indicacao

Status = Indicacao.Status
CONCLUIDO, ATUAL, PENDENTE, ENCERRADO = "concluido", "atual", "pendente", "encerrado"
ESTADO_POR_EXTENSO = {CONCLUIDO: "concluído", ATUAL: "em andamento", PENDENTE: "pendente", ENCERRADO: "encerrado"}
NOTA_DA_SITUACAO = {
    Status.EM_ANALISE_ORGAO: "Em análise no órgão",
    Status.EM_ANALISE_SEGOV: "Em análise na SEGOV",
    Status.AGUARDANDO_AJUSTE: "Devolvida ao autor para ajuste",
    Status.RETORNADO_SEGOV: "Retornada pela SEGOV ao órgão",
}


@dataclass(frozen=True)
class Passo:
    rotulo: str
    data: datetime | None
    estado: str
    nota: str = ""

    @property
    def estado_por_extenso(self) -> str:
        return ESTADO_POR_EXTENSO[self.estado]


def _primeira(datas) -> datetime | None:
    datas = [d for d in datas if d is not None]
    return min(datas) if datas else None


def _fim(linha: dict) -> Passo:
    rotulo = "Reprovada por impedimento de ordem técnica" if linha["situacao"] == Status.REPROVADA else "Cancelada"
    return Passo(rotulo, linha["encerrada_em"], ENCERRADO)


def passos(linha: dict, convenios: list[dict]) -> list[Passo]:
    ativos = [c for c in convenios if c["status"] != "CANCELADA"]
    previstos = [
        ("Enviada pelo autor", linha["enviada_em"]),
        ("Aprovada pelo órgão", linha["aprovada_orgao_em"]),
        ("Aprovada pela SEGOV", linha["aprovada_segov_em"]),
    ]
    if linha["forma_execucao"] == Indicacao.FormaExecucao.CONVENIO:
        previstos += [
            ("Em proposta de plano de trabalho / convênio", _primeira(c["criada_em"] for c in ativos)),
            ("Recursos liberados", _primeira(lib["autorizada_em"] for c in ativos for lib in c["liberacoes"])),
        ]
    encerrada = linha["situacao"] in (Status.REPROVADA, Status.CANCELADA)
    resultado: list[Passo] = []
    parou = False
    for rotulo, data in previstos:
        if parou:
            if not encerrada:
                resultado.append(Passo(rotulo, None, PENDENTE))
        elif data is not None:
            resultado.append(Passo(rotulo, data, CONCLUIDO))
        else:
            parou = True
            resultado.append(_fim(linha) if encerrada
                             else Passo(rotulo, None, ATUAL, NOTA_DA_SITUACAO.get(linha["situacao"], "")))
    if encerrada and not parou:  # reprovada depois de todos os passos dados
        resultado.append(_fim(linha))
    return resultado
