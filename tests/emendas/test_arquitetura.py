"""Forma do código de emendas (STYLE.md, "Layout"): sem ciclos de importação, sem importar nomes ``_privados`` de
outro módulo, nenhum módulo acima de ~400 linhas. Conta também as importações dentro de funções: uma importação
preguiçosa que esconde um ciclo continua sendo um ciclo."""

import ast
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
APPS = ("emendas", "convenios", "contas", "sigcon", "auditoria", "notificacoes", "integracoes", "relatorios")
# Os relatórios são de outra frente da reorganização (o framework único em relatorios/); entram quando ela terminar.
DE_OUTRA_FRENTE = ("emendas.relatorios", "emendas.forms_relatorios", "emendas.ordenacao")
LIMITE_DE_LINHAS = 400


def _modulos() -> dict[str, Path]:
    modulos = {}
    for app in APPS:
        for caminho in (RAIZ / app).rglob("*.py"):
            if "migrations" in caminho.parts:
                continue
            nome = ".".join(caminho.relative_to(RAIZ).with_suffix("").parts)
            modulos[nome.removesuffix(".__init__")] = caminho
    return modulos


def _importacoes(nome: str, caminho: Path, modulos) -> tuple[set[str], list[tuple[str, str]]]:
    """Módulos do projeto que *nome* importa (em qualquer lugar do arquivo) e os nomes privados importados."""
    pacote = nome.split(".") if caminho.name == "__init__.py" else nome.split(".")[:-1]
    destinos, privados = set(), []
    for no in ast.walk(ast.parse(caminho.read_text(encoding="utf-8"))):
        if isinstance(no, ast.Import):
            destinos.update(a.name for a in no.names if a.name in modulos)
        elif isinstance(no, ast.ImportFrom):
            base = ".".join(pacote[:len(pacote) - no.level + 1] + ([no.module] if no.module else [])) if no.level \
                else no.module
            for a in no.names:
                if f"{base}.{a.name}" in modulos:
                    destinos.add(f"{base}.{a.name}")
                elif base in modulos:
                    destinos.add(base)
                    if a.name.startswith("_"):
                        privados.append((base, a.name))
    return destinos - {nome}, privados


def _ciclos(grafo) -> list[list[str]]:
    indice, menor, pilha, na_pilha, ciclos = {}, {}, [], set(), []

    def visitar(v):
        indice[v] = menor[v] = len(indice)
        pilha.append(v)
        na_pilha.add(v)
        for w in grafo.get(v, ()):
            if w not in indice:
                visitar(w)
                menor[v] = min(menor[v], menor[w])
            elif w in na_pilha:
                menor[v] = min(menor[v], indice[w])
        if menor[v] == indice[v]:
            componente = []
            while True:
                w = pilha.pop()
                na_pilha.discard(w)
                componente.append(w)
                if w == v:
                    break
            if len(componente) > 1:
                ciclos.append(sorted(componente))

    for v in list(grafo):
        if v not in indice:
            visitar(v)
    return ciclos


def _de_emendas(nome: str) -> bool:
    return nome.startswith("emendas.") and not nome.startswith(DE_OUTRA_FRENTE) and ".management." not in nome


def test_emendas_nao_tem_ciclo_de_importacao():
    modulos = _modulos()
    grafo = {nome: _importacoes(nome, caminho, modulos)[0] for nome, caminho in modulos.items()}
    assert [c for c in _ciclos(grafo) if any(_de_emendas(m) for m in c)] == []


def test_emendas_nao_importa_nomes_privados_de_outro_modulo():
    modulos = _modulos()
    privados = {nome: _importacoes(nome, caminho, modulos)[1] for nome, caminho in modulos.items() if _de_emendas(nome)}
    assert {nome: p for nome, p in privados.items() if p} == {}


def test_nenhum_modulo_de_emendas_passa_de_400_linhas():
    grandes = {nome: n for nome, caminho in _modulos().items()
               if _de_emendas(nome) and (n := len(caminho.read_text(encoding="utf-8").splitlines())) > LIMITE_DE_LINHAS}
    assert grandes == {}
