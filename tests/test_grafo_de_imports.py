"""Higiene de imports do projeto, lida do código-fonte com ``ast`` (nada é importado, nenhum banco).

Três regras do STYLE.md ("Layout"), conferidas em todo módulo dos apps do projeto e de ``sigcon/`` (fora
``.venv``, migrações e testes):

(a) o grafo de imports internos não tem ciclo — contando os imports dentro de funções: um import "preguiçoso"
    que só esconde um ciclo continua sendo um ciclo;
(b) nenhum módulo usa um nome ``_privado`` de outro módulo do projeto (``from x import _y``, ``import x`` seguido
    de ``x._y``); dunders (``__version__``) não são privados, e os nomes privados do próprio módulo são dele;
(c) nenhum módulo passa de 400 linhas: divide-se por capacidade antes disso.

Com as reorganizações em andamento (issue 12) o teste pode falhar até todas chegarem ao main: a lista de
infratores sai no relatório de falha (e com ``-s`` também impressa).
"""

import ast
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent
LIMITE_DE_LINHAS = 400
_FORA = {"tests", "migrations", ".venv", "node_modules", "__pycache__"}


def _pacotes_do_projeto() -> list[str]:
    """Os apps do projeto e ``sigcon``: pastas da raiz que são pacotes Python (os testes não)."""
    return sorted(p.name for p in RAIZ.iterdir()
                  if p.is_dir() and p.name not in _FORA and not p.name.startswith(".") and (p / "__init__.py").exists())


def _arquivos() -> dict[str, Path]:
    """Nome do módulo → arquivo, para todo .py dos pacotes do projeto."""
    modulos = {}
    for pacote in _pacotes_do_projeto():
        for arquivo in sorted((RAIZ / pacote).rglob("*.py")):
            partes = arquivo.relative_to(RAIZ).with_suffix("").parts
            if _FORA.intersection(partes):
                continue
            if partes[-1] == "__init__":
                partes = partes[:-1]
            modulos[".".join(partes)] = arquivo
    return modulos


ARQUIVOS = _arquivos()
MODULOS = set(ARQUIVOS)


def _e_pacote(modulo: str) -> bool:
    return ARQUIVOS[modulo].name == "__init__.py"


def _privado(nome: str) -> bool:
    return nome.startswith("_") and not (nome.startswith("__") and nome.endswith("__"))


def _do_projeto(nome: str) -> str | None:
    """O módulo do projeto que ``import nome`` carrega por último (o mais específico), ou None se for de fora."""
    partes = nome.split(".")
    for n in range(len(partes), 0, -1):
        candidato = ".".join(partes[:n])
        if candidato in MODULOS:
            return candidato
    return None


def _base_relativa(modulo: str, nivel: int, alvo: str | None) -> str:
    """Resolve ``from .alvo import`` (nível 1), ``from ..alvo import`` (nível 2)… a partir de *modulo*."""
    pacote = modulo if _e_pacote(modulo) else modulo.rpartition(".")[0]
    partes = pacote.split(".")
    if nivel > 1:
        partes = partes[: len(partes) - (nivel - 1)]
    return ".".join([*partes, *([alvo] if alvo else [])])


class _Imports:
    """Junta, de um módulo, cada import interno (em qualquer lugar, inclusive dentro de funções) e cada uso de
    nome privado de outro módulo."""

    def __init__(self, modulo: str):
        self.modulo = modulo
        self.arestas: dict[str, int] = {}  # módulo importado → primeira linha
        self.privados: list[tuple[int, str, str]] = []  # (linha, módulo de origem, nome)
        self.apelidos: dict[str, str] = {}  # nome local → módulo do projeto ligado a ele por um import

    def _aresta(self, alvo: str | None, linha: int) -> None:
        if alvo and alvo != self.modulo:
            self.arestas.setdefault(alvo, linha)

    def _privado_de_fora(self, origem: str, nome: str, linha: int) -> None:
        if origem != self.modulo and _privado(nome):
            self.privados.append((linha, origem, nome))

    def visit_Import(self, no: ast.Import) -> None:
        for a in no.names:
            alvo = _do_projeto(a.name)
            self._aresta(alvo, no.lineno)
            if alvo is None:
                continue
            for parte in a.name.split(".")[1:]:
                if _privado(parte):  # import pacote._interno: módulo privado de outro pacote
                    self._privado_de_fora(a.name.rpartition(".")[0], parte, no.lineno)
            raiz = a.name.partition(".")[0]
            if a.asname:
                self.apelidos[a.asname] = alvo
            elif raiz in MODULOS:  # import pacote.modulo liga o nome "pacote"
                self.apelidos[raiz] = raiz

    def visit_ImportFrom(self, no: ast.ImportFrom) -> None:
        base = _base_relativa(self.modulo, no.level, no.module) if no.level else (no.module or "")
        origem = _do_projeto(base)
        if origem is None:
            return
        for a in no.names:
            submodulo = f"{base}.{a.name}"
            if submodulo in MODULOS:
                # from pacote import modulo: a dependência é do submódulo, não do __init__ do pacote.
                self._aresta(submodulo, no.lineno)
                self.apelidos[a.asname or a.name] = submodulo
                # Um módulo _privado do próprio pacote é dele; de outro pacote, não.
                if _privado(a.name) and not self.modulo.startswith(base + "."):
                    self._privado_de_fora(base, a.name, no.lineno)
            else:
                self._aresta(origem, no.lineno)
                if a.name != "*":
                    self._privado_de_fora(origem, a.name, no.lineno)

    def uso_de_atributo(self, no: ast.Attribute) -> None:
        """``modulo._nome`` (ou ``pacote.modulo._nome``), com a raiz ligada a um módulo do projeto por um import
        deste arquivo."""
        cadeia = [no.attr]
        valor = no.value
        while isinstance(valor, ast.Attribute):
            cadeia.append(valor.attr)
            valor = valor.value
        if not isinstance(valor, ast.Name) or valor.id not in self.apelidos:
            return
        cadeia.reverse()  # raiz.a.b.attr → [a, b, attr]
        modulo = self.apelidos[valor.id]
        for nome in cadeia:
            if f"{modulo}.{nome}" in MODULOS:
                modulo = f"{modulo}.{nome}"
                continue
            self._privado_de_fora(modulo, nome, no.lineno)
            return


def _analisar() -> dict[str, _Imports]:
    resultado = {}
    for modulo, arquivo in ARQUIVOS.items():
        arvore = ast.parse(arquivo.read_text(encoding="utf-8"), filename=str(arquivo))
        visitante = _Imports(modulo)
        # Primeiro os imports (ligam os apelidos), depois os usos de atributo, onde quer que estejam no arquivo.
        for no in ast.walk(arvore):
            if isinstance(no, ast.Import):
                visitante.visit_Import(no)
            elif isinstance(no, ast.ImportFrom):
                visitante.visit_ImportFrom(no)
        for no in ast.walk(arvore):
            if isinstance(no, ast.Attribute):
                visitante.uso_de_atributo(no)
        resultado[modulo] = visitante
    return resultado


ANALISE = _analisar()
GRAFO = {m: sorted(v.arestas) for m, v in ANALISE.items()}


def _componentes_com_ciclo(grafo: dict[str, list[str]]) -> list[list[str]]:
    """Componentes fortemente conexos com mais de um módulo (Tarjan, iterativo)."""
    indice, menor, pilha, na_pilha, componentes = {}, {}, [], set(), []
    contador = 0
    for inicio in sorted(grafo):
        if inicio in indice:
            continue
        trabalho = [(inicio, iter(grafo[inicio]))]
        indice[inicio] = menor[inicio] = contador
        contador += 1
        pilha.append(inicio)
        na_pilha.add(inicio)
        while trabalho:
            no, filhos = trabalho[-1]
            for filho in filhos:
                if filho not in indice:
                    indice[filho] = menor[filho] = contador
                    contador += 1
                    pilha.append(filho)
                    na_pilha.add(filho)
                    trabalho.append((filho, iter(grafo[filho])))
                    break
                if filho in na_pilha:
                    menor[no] = min(menor[no], indice[filho])
            else:
                trabalho.pop()
                if trabalho:
                    menor[trabalho[-1][0]] = min(menor[trabalho[-1][0]], menor[no])
                if menor[no] == indice[no]:
                    componente = []
                    while True:
                        m = pilha.pop()
                        na_pilha.discard(m)
                        componente.append(m)
                        if m == no:
                            break
                    if len(componente) > 1:
                        componentes.append(sorted(componente))
    return componentes


def _um_ciclo(grafo: dict[str, list[str]], componente: list[str]) -> list[str]:
    """Um caminho fechado dentro do componente, começando pelo primeiro módulo em ordem alfabética (busca em
    largura: o ciclo mais curto que passa por ele)."""
    dentro = set(componente)
    inicio = componente[0]
    anterior = {}
    fila = [inicio]
    while fila:
        no = fila.pop(0)
        for filho in grafo[no]:
            if filho not in dentro:
                continue
            if filho == inicio:
                caminho = [no]
                while caminho[-1] != inicio:
                    caminho.append(anterior[caminho[-1]])
                return [*reversed(caminho), inicio]
            if filho not in anterior:
                anterior[filho] = no
                fila.append(filho)
    raise AssertionError(f"componente sem ciclo: {componente}")  # Tarjan garante que não acontece


def _linha(origem: str, destino: str) -> int:
    return ANALISE[origem].arestas[destino]


def test_o_grafo_de_imports_cobre_os_apps_do_projeto():
    # Guarda contra um teste que passa por não ler nada (pasta renomeada, filtro errado).
    pacotes = _pacotes_do_projeto()
    assert {"sigcon", "emendas", "convenios", "contas", "auditoria", "integracoes", "notificacoes"} <= set(pacotes)
    assert "convenios.services" in MODULOS and "sigcon.views_util" in MODULOS
    assert not [m for m in MODULOS if ".migrations" in m or m.startswith("tests")]
    assert "convenios.models" in GRAFO["convenios.services"]  # from .models import ... (relativo)
    assert "convenios.services" in GRAFO["convenios.views"]  # from . import services (submódulo, não o pacote)
    assert "auditoria.services" in GRAFO["sigcon.estados"]


def _ler(modulo: str, fonte: str) -> "_Imports":
    visitante = _Imports(modulo)
    arvore = ast.parse(fonte)
    for no in ast.walk(arvore):
        if isinstance(no, ast.Import):
            visitante.visit_Import(no)
        elif isinstance(no, ast.ImportFrom):
            visitante.visit_ImportFrom(no)
    for no in ast.walk(arvore):
        if isinstance(no, ast.Attribute):
            visitante.uso_de_atributo(no)
    return visitante


def test_a_leitura_pega_imports_em_funcoes_relativos_e_nomes_privados():
    v = _ler("convenios.views", "\n".join([
        "from .services import _exigir, MAQUINA",
        "import convenios.selectors as sel",
        "import notificacoes.services",
        "from django.db import transaction",
        "def f():",
        "    from notificacoes import tasks",
        "    sel._interno()",
        "    notificacoes.services._agendar(1)",
        "    return tasks.__name__, _proprio",
    ]))
    assert set(v.arestas) == {"convenios.services", "convenios.selectors", "notificacoes.services",
                              "notificacoes.tasks"}
    assert sorted((origem, nome) for _, origem, nome in v.privados) == [
        ("convenios.selectors", "_interno"), ("convenios.services", "_exigir"), ("notificacoes.services", "_agendar")]


def test_ciclo_e_achado_e_descrito_pelo_caminho():
    grafo = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": []}
    (componente,) = _componentes_com_ciclo(grafo)
    assert componente == ["a", "b", "c"] and _um_ciclo(grafo, componente) == ["a", "b", "c", "a"]
    assert _componentes_com_ciclo({"a": ["b"], "b": []}) == []


def test_imports_internos_sem_ciclo():
    ciclos = []
    for componente in _componentes_com_ciclo(GRAFO):
        caminho = _um_ciclo(GRAFO, componente)
        passos = " → ".join(f"{a} (linha {_linha(a, b)})" for a, b in zip(caminho, caminho[1:]))
        ciclos.append(f"ciclo: {passos} → {caminho[-1]}"
                      + (f"\n    (o mesmo emaranhado inclui também: {', '.join(componente)})"
                         if len(componente) > len(caminho) - 1 else ""))
    relatorio = "\n".join(ciclos)
    if ciclos:
        print(f"\nCiclos de importação ({len(ciclos)}):\n{relatorio}")
    assert not ciclos, (
        f"Há {len(ciclos)} ciclo(s) de importação entre módulos do projeto (contando os imports dentro de "
        f"funções):\n{relatorio}"
    )


def test_nenhum_modulo_usa_nome_privado_de_outro():
    usos = sorted(
        f"{modulo}:{linha} usa {nome} de {origem}"
        for modulo, v in ANALISE.items() for linha, origem, nome in v.privados
    )
    usos = list(dict.fromkeys(usos))
    relatorio = "\n".join(usos)
    if usos:
        print(f"\nNomes privados usados fora do próprio módulo ({len(usos)}):\n{relatorio}")
    assert not usos, f"{len(usos)} uso(s) de nome _privado de outro módulo do projeto:\n{relatorio}"


def test_nenhum_modulo_passa_de_400_linhas():
    grandes = sorted(
        ((len(arquivo.read_text(encoding="utf-8").splitlines()), modulo) for modulo, arquivo in ARQUIVOS.items()),
        reverse=True,
    )
    grandes = [f"{ARQUIVOS[m].relative_to(RAIZ)}: {n} linhas" for n, m in grandes if n > LIMITE_DE_LINHAS]
    relatorio = "\n".join(grandes)
    if grandes:
        print(f"\nMódulos com mais de {LIMITE_DE_LINHAS} linhas ({len(grandes)}):\n{relatorio}")
    assert not grandes, (
        f"{len(grandes)} módulo(s) com mais de {LIMITE_DE_LINHAS} linhas (divida por capacidade):\n{relatorio}"
    )


@pytest.mark.parametrize("pacote", _pacotes_do_projeto())
def test_cada_app_sem_ciclo_sem_nome_privado_alheio_e_sem_modulo_grande(pacote):
    """As três regras de cima, app por app: mostra qual reorganização ainda falta enquanto elas chegam."""
    def do_pacote(modulo):
        return modulo == pacote or modulo.startswith(pacote + ".")

    problemas = [
        "ciclo: " + " → ".join(_um_ciclo(GRAFO, c)) for c in _componentes_com_ciclo(GRAFO) if any(map(do_pacote, c))
    ]
    problemas += [f"{m}:{linha} usa {nome} de {origem}" for m, v in ANALISE.items() if do_pacote(m)
                  for linha, origem, nome in v.privados]
    problemas += [f"{ARQUIVOS[m].relative_to(RAIZ)}: {n} linhas" for m in MODULOS if do_pacote(m)
                  if (n := len(ARQUIVOS[m].read_text(encoding="utf-8").splitlines())) > LIMITE_DE_LINHAS]
    assert not problemas, f"{pacote}:\n" + "\n".join(sorted(set(problemas)))
