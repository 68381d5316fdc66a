"""Dados de demonstração e de carga (benchmark): arquivos no mesmo formato que a SEGOV importa."""

import random
from decimal import Decimal

from sigcon.dinheiro import formatar_brl

from .importacao import CABECALHO_LOA, CABECALHO_PROGRAMACOES

# (uo, nome da UO, ação, nome da ação, área, destino livre)
ACOES = [
    ("4291", "Fundo Estadual de Saúde", "4470", "Atenção primária à saúde", "SAUDE", "N"),
    ("4291", "Fundo Estadual de Saúde", "4471", "Atenção hospitalar e ambulatorial", "SAUDE", "N"),
    ("1261", "Secretaria de Estado de Educação", "2041", "Infraestrutura da rede escolar", "EDUCACAO", "N"),
    ("1261", "Secretaria de Estado de Educação", "2042", "Transporte escolar", "EDUCACAO", "N"),
    ("1491", "Secretaria de Estado de Governo", "2090", "Transferências especiais aos municípios", "IAG1", "S"),
    ("1491", "Secretaria de Estado de Governo", "4601", "Apoio à gestão municipal", "OUTRA", "N"),
    ("1301", "Secretaria de Estado de Desenvolvimento Social", "4159", "Proteção social básica", "OUTRA", "N"),
    ("1451", "Secretaria de Estado de Infraestrutura", "1023", "Pavimentação de vias urbanas", "IAG1", "N"),
]
GRUPOS = [("3", "Outras Despesas Correntes"), ("4", "Investimentos")]

NOMES = [
    "Ana Beatriz Lacerda", "Bruno Tavares", "Carla Mendonça", "Diego Assunção", "Elisa Furtado",
    "Fábio Quintão", "Gabriela Ourives", "Henrique Vasconcelos", "Isabela Drummond", "João Pedro Caldeira",
    "Karina Salles", "Lucas Bittencourt", "Marina Teixeira", "Nelson Arantes", "Olívia Guimarães",
]


def _nome(i: int) -> str:
    base = NOMES[i % len(NOMES)]
    return base if i < len(NOMES) else f"{base} {i // len(NOMES) + 1}"


def email_parlamentar(i: int) -> str:
    return f"dep{i + 1:03d}@almg.demo"


def csv_programacoes() -> bytes:
    linhas = [";".join(CABECALHO_PROGRAMACOES)]
    for uo, uo_nome, acao, acao_nome, area, livre in ACOES:
        for grupo, grupo_nome in GRUPOS:
            # Transporte escolar só recebe custeio: nem todo grupo de uma ação recebe aporte.
            recebe = "N" if (acao == "2042" and grupo == "4") else "S"
            linhas.append(";".join([uo, uo_nome, acao, acao_nome, grupo, grupo_nome, area, recebe, livre]))
    return ("\n".join(linhas) + "\n").encode("utf-8")


def csv_loa(*, parlamentares: int = 10, incisos_por_titular: int = 6, bloco: bool = True, semente: int = 2027) -> bytes:
    """LOA sintética: cada titular com incisos espalhados por saúde, educação e outras UOs."""
    rng = random.Random(semente)
    linhas = [";".join(CABECALHO_LOA)]
    emenda = 100
    inciso = 500
    titulares = [(_nome(i), "PARLAMENTAR", email_parlamentar(i)) for i in range(parlamentares)]
    if bloco:
        titulares.append(("Bloco Minas em Frente", "BLOCO", email_parlamentar(0)))
    for nome, tipo, email in titulares:
        emenda += 1
        for k in range(incisos_por_titular):
            inciso += 1
            # Metade (ou mais) em saúde, como pede o mínimo constitucional.
            uo, uo_nome, acao, acao_nome, *_ = ACOES[k % 2] if k % 2 == 0 else rng.choice(ACOES)
            grupo, grupo_nome = rng.choice(GRUPOS)
            valor = Decimal(rng.randrange(50_000, 1_500_000)) + Decimal(rng.randrange(0, 100)) / 100
            linhas.append(
                ";".join([
                    str(emenda), nome, tipo, email, f"S{inciso}", uo, uo_nome, acao, acao_nome, grupo, grupo_nome,
                    formatar_brl(valor, simbolo=False),
                ])
            )
    return ("\n".join(linhas) + "\n").encode("utf-8")
