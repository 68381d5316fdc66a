"""Respostas do CAGEC e do SIAFI-MG, iguais para a implementação simulada e a HTTP."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

# Chaves de ``RespostaCagec.representante_legal``; ``fim_mandato`` é ``date`` ou ``None``, o resto texto.
CAMPOS_REPRESENTANTE = ("nome", "cpf", "cargo", "email", "fim_mandato")


def _data_iso(valor: date | None) -> str | None:
    return valor.isoformat() if valor else None


def _ler_data(valor: str | None) -> date | None:
    return date.fromisoformat(valor) if valor else None


@dataclass(frozen=True)
class Pendencia:
    descricao: str
    validade: date | None = None

    def como_dict(self) -> dict:
        return {"descricao": self.descricao, "validade": _data_iso(self.validade)}


@dataclass(frozen=True)
class RespostaCagec:
    cnpj: str
    regular: bool
    pendencias: list[Pendencia] = field(default_factory=list)
    razao_social: str = ""
    municipio: str = ""
    tipo: str = ""
    representante_legal: dict | None = None
    siafi_bloqueado: bool = False
    siafi_motivo: str = ""
    consultado_em: datetime = field(default_factory=timezone.now)

    @property
    def situacao(self) -> str:
        return "REGULAR" if self.regular else "IRREGULAR"

    def como_dict(self) -> dict:
        representante = None
        if self.representante_legal is not None:
            representante = dict(self.representante_legal)
            representante["fim_mandato"] = _data_iso(representante.get("fim_mandato"))
        return {
            "cnpj": self.cnpj,
            "situacao": self.situacao,
            "regular": self.regular,
            "pendencias": [p.como_dict() for p in self.pendencias],
            "razao_social": self.razao_social,
            "municipio": self.municipio,
            "tipo": self.tipo,
            "representante_legal": representante,
            "siafi_bloqueado": self.siafi_bloqueado,
            "siafi_motivo": self.siafi_motivo,
            "consultado_em": self.consultado_em.isoformat(),
        }

    @classmethod
    def de_dict(cls, dados: dict) -> "RespostaCagec":
        """Remonta a resposta gravada em ``ConsultaIntegracao.resposta`` (inverso de ``como_dict``)."""
        representante = dados.get("representante_legal")
        if representante is not None:
            representante = {**representante, "fim_mandato": _ler_data(representante.get("fim_mandato"))}
        return cls(
            cnpj=dados["cnpj"],
            regular=dados["regular"],
            pendencias=[Pendencia(p["descricao"], _ler_data(p.get("validade"))) for p in dados.get("pendencias", [])],
            razao_social=dados.get("razao_social", ""),
            municipio=dados.get("municipio", ""),
            tipo=dados.get("tipo", ""),
            representante_legal=representante,
            siafi_bloqueado=dados.get("siafi_bloqueado", False),
            siafi_motivo=dados.get("siafi_motivo", ""),
            consultado_em=datetime.fromisoformat(dados["consultado_em"]),
        )


@dataclass(frozen=True)
class RespostaSiafi:
    cnpj: str
    bloqueado: bool
    motivo: str = ""
    consultado_em: datetime = field(default_factory=timezone.now)

    def como_dict(self) -> dict:
        return {
            "cnpj": self.cnpj,
            "bloqueado": self.bloqueado,
            "motivo": self.motivo,
            "consultado_em": self.consultado_em.isoformat(),
        }

    @classmethod
    def de_dict(cls, dados: dict) -> "RespostaSiafi":
        return cls(
            cnpj=dados["cnpj"],
            bloqueado=dados["bloqueado"],
            motivo=dados.get("motivo", ""),
            consultado_em=datetime.fromisoformat(dados["consultado_em"]),
        )


@dataclass(frozen=True)
class PedidoTransferenciaEspecial:
    """O registro de uma transferência especial no SIAFI-MG. ``identificador`` é a chave de idempotência: o mesmo
    em todo reenvio da mesma transferência (o SIAFI devolve o registro já feito, nunca um segundo)."""

    identificador: str
    cnpj: str  # do município beneficiário, só os 14 dígitos
    exercicio: int
    indicacao: int
    numero_resolucao: str
    data_publicacao: date
    dotacao: str
    valor: Decimal

    def como_dict(self) -> dict:
        return {
            "identificador": self.identificador, "cnpj": self.cnpj, "exercicio": self.exercicio,
            "indicacao": self.indicacao, "numero_resolucao": self.numero_resolucao,
            "data_publicacao": self.data_publicacao.isoformat(), "dotacao": self.dotacao,
            # Texto com 2 casas, nunca float: o JSON não tem decimal.
            "valor": f"{self.valor:.2f}",
        }


@dataclass(frozen=True)
class RespostaRegistroTransferencia:
    """``registrado`` falso: o SIAFI-MG respondeu e recusou (``motivo``); a indisponibilidade é exceção."""

    identificador: str
    registrado: bool
    numero_registro: str = ""
    motivo: str = ""
    consultado_em: datetime = field(default_factory=timezone.now)

    def como_dict(self) -> dict:
        return {
            "identificador": self.identificador, "registrado": self.registrado,
            "numero_registro": self.numero_registro, "motivo": self.motivo,
            "consultado_em": self.consultado_em.isoformat(),
        }
