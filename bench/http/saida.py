"""A saída do bench: uma tabela legível e uma linha por meta, ``RATIO <nome> <valor> <alvo> OK|FAIL``."""

import math
from pathlib import Path


class Relatorio:
    def __init__(self):
        self.linhas: list[str] = []
        self.metas: list[tuple[str, float, float, bool]] = []

    def escrever(self, texto: str = "") -> None:
        print(texto, flush=True)
        self.linhas.append(texto)

    def meta(self, nome: str, valor: float, alvo: float, *, maior_e_melhor: bool = False) -> bool:
        if isinstance(valor, float) and math.isnan(valor):
            ok = False
        else:
            ok = valor >= alvo if maior_e_melhor else valor <= alvo
        self.metas.append((nome, valor, alvo, ok))
        return ok

    def tabela(self, titulo: str, cabecalho: list[str], linhas: list[list]) -> None:
        larguras = [max(len(str(c)) for c in coluna) for coluna in zip(cabecalho, *linhas)]
        self.escrever(f"\n{titulo}")
        self.escrever("  ".join(str(c).ljust(w) for c, w in zip(cabecalho, larguras)))
        self.escrever("  ".join("-" * w for w in larguras))
        for linha in linhas:
            self.escrever("  ".join(str(c).ljust(w) for c, w in zip(linha, larguras)))

    def fechar(self, arquivo: Path) -> None:
        self.escrever("")
        for nome, valor, alvo, ok in self.metas:
            self.escrever(f"RATIO {nome} {valor:.2f} {alvo:g} {'OK' if ok else 'FAIL'}")
        arquivo.parent.mkdir(parents=True, exist_ok=True)
        arquivo.write_text("\n".join(self.linhas) + "\n", encoding="utf-8")


def razao(app: float, piso: float) -> float:
    if not piso or math.isnan(piso) or math.isnan(app):
        return float("nan")
    return app / piso


def ms(segundos: float) -> str:
    return "—" if math.isnan(segundos) else f"{segundos * 1000:.0f}"
