"""O que as cargas por CSV têm em comum (LOA, programações e, em convênios, convenentes e escolas): leitura do
arquivo, erros com linha e campo, resultado, auditoria, e os cadastros de UO, ação e grupo criados sob demanda."""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from auditoria.services import registrar

from ..models import Acao, GrupoDespesa, UnidadeOrcamentaria

MAX_LINHAS = 200_000
# Maior número que um PositiveIntegerField guarda no PostgreSQL (número da emenda).
# Byte nulo e demais caracteres de controle: o PostgreSQL recusa o nulo, e nenhum deles é dado de verdade.
CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def limite_da_coluna(modelo, campo: str) -> int:
    return modelo._meta.get_field(campo).max_length



def limites_cadastros() -> dict[str, int]:
    return {
        "uo": limite_da_coluna(UnidadeOrcamentaria, "codigo"), "uo_nome": limite_da_coluna(UnidadeOrcamentaria, "nome"),
        "acao": limite_da_coluna(Acao, "codigo"), "acao_nome": limite_da_coluna(Acao, "nome"),
        "grupo_despesa": limite_da_coluna(GrupoDespesa, "codigo"), "grupo_nome": limite_da_coluna(GrupoDespesa, "nome"),
    }


def conferir_tamanhos(numero: int, linha: dict, limites: dict[str, int], erros: list) -> bool:
    """Recusa, com linha e campo, o texto maior que a coluna do banco (nunca corta)."""
    ok = True
    for campo, limite in limites.items():
        if len(linha[campo]) > limite:
            erros.append(ErroLinha(numero, campo, f"no máximo {limite} caracteres (veio com {len(linha[campo])})."))
            ok = False
    return ok


@dataclass(frozen=True)
class ErroLinha:
    linha: int
    campo: str
    mensagem: str

    def __str__(self):
        onde = f"Linha {self.linha}" if self.linha else "Arquivo"
        if self.campo:
            onde += f", campo “{self.campo}”"
        return f"{onde}: {self.mensagem}"


class ErroImportacao(Exception):
    def __init__(self, erros: list[ErroLinha]):
        self.erros = erros
        super().__init__("; ".join(str(e) for e in erros[:5]))


@dataclass
class Resultado:
    criados: Counter = field(default_factory=Counter)
    atualizados: Counter = field(default_factory=Counter)
    linhas: int = 0
    amostra: list[dict] = field(default_factory=list)
    simulado: bool = False

    def resumo(self) -> str:
        partes = [f"{self.linhas} linhas lidas"]
        for rotulo, contagem in (("criados", self.criados), ("atualizados", self.atualizados)):
            itens = ", ".join(f"{n} {k}" for k, n in sorted(contagem.items()) if n)
            partes.append(f"{rotulo}: {itens or 'nenhum'}")
        return "; ".join(partes)


def registrar_importacao(acao: str, resultado: Resultado, *, objeto=None, **extra) -> None:
    """Resumo de uma carga na auditoria (chame dentro da transação da carga, depois da prévia)."""
    registrar(acao=acao, objeto=objeto, depois={
        "linhas": resultado.linhas, "criados": dict(resultado.criados), "atualizados": dict(resultado.atualizados),
        **extra,
    })


def com_origem(origem: dict | None) -> dict:
    # Só quando há um arquivo de origem: as cargas pelos comandos seguem com o registro de sempre.
    return {"arquivo": origem} if origem else {}


class Simulacao(Exception):
    """Desfaz a transação de uma prévia."""


def ler_csv(conteudo: bytes, cabecalho: list[str]) -> list[tuple[int, dict]]:
    """Linhas (número, dicionário) de um CSV UTF-8 separado por ';'."""
    try:
        texto = conteudo.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        linha = conteudo[: exc.start].count(b"\n") + 1
        raise ErroImportacao(
            [ErroLinha(linha, "", "o arquivo não está em UTF-8. Salve a planilha como “CSV UTF-8 (delimitado por ;)”.")]
        ) from exc
    leitor = csv.reader(io.StringIO(texto, newline=""), delimiter=";")
    try:
        primeira = next(leitor)
    except StopIteration:
        raise ErroImportacao([ErroLinha(0, "", "o arquivo está vazio.")]) from None
    except csv.Error as exc:
        # Um cabeçalho que o leitor não consegue ler (ex.: uma "célula" de megabytes) era erro 500 na prévia.
        raise ErroImportacao([ErroLinha(1, "", f"cabeçalho ilegível como CSV ({exc}). Confira o arquivo.")]) from None
    lido = [c.strip().lower() for c in primeira]
    if lido != cabecalho:
        faltando = [c for c in cabecalho if c not in lido]
        sobrando = [c for c in lido if c not in cabecalho]
        detalhe = []
        if faltando:
            detalhe.append("faltam " + ", ".join(faltando))
        if sobrando:
            detalhe.append("colunas desconhecidas: " + ", ".join(sobrando))
        if not detalhe:
            detalhe.append("as colunas estão fora de ordem")
        raise ErroImportacao(
            [ErroLinha(1, "", f"cabeçalho inválido ({'; '.join(detalhe)}). Esperado: {';'.join(cabecalho)}")]
        )
    linhas = []
    erros = []
    numero = 1
    try:
        for numero, valores in enumerate(leitor, start=2):
            if not any(v.strip() for v in valores):
                continue
            if len(valores) != len(cabecalho):
                erros.append(ErroLinha(numero, "", f"esperadas {len(cabecalho)} colunas, encontradas {len(valores)}."))
                continue
            linha = {c: v.strip() for c, v in zip(cabecalho, valores)}
            sujos = [c for c, v in linha.items() if CONTROLE.search(v)]
            for campo in sujos:
                erros.append(ErroLinha(numero, campo, "contém caracteres inválidos (byte nulo, quebra de linha ou "
                                                      "outro caractere de controle)."))
            if not sujos:
                linhas.append((numero, linha))
            if len(linhas) > MAX_LINHAS:
                raise ErroImportacao([ErroLinha(numero, "", f"o arquivo passa de {MAX_LINHAS} linhas.")])
    except csv.Error as exc:
        # Ex.: um campo entre aspas que não fecha e engole o resto do arquivo (maior que o limite do leitor).
        erro = ErroLinha(numero + 1, "", f"linha ilegível como CSV ({exc}). Confira as aspas.")
        raise ErroImportacao([erro]) from None
    if erros:
        raise ErroImportacao(erros)
    if not linhas:
        raise ErroImportacao([ErroLinha(0, "", "o arquivo não tem nenhuma linha de dados.")])
    return linhas


def conferir_obrigatorios(numero, linha, campos, erros) -> bool:
    ok = True
    for campo in campos:
        if not linha[campo]:
            erros.append(ErroLinha(numero, campo, "campo obrigatório vazio."))
            ok = False
    return ok


class Cadastros:
    """UOs, ações e grupos já existentes, criados ou atualizados sob demanda."""

    def __init__(self, resultado: Resultado):
        self.r = resultado
        self.uos = {u.codigo: u for u in UnidadeOrcamentaria.objects.all()}
        self.acoes = {(a.uo.codigo, a.codigo): a for a in Acao.objects.select_related("uo")}
        self.grupos = {g.codigo: g for g in GrupoDespesa.objects.all()}

    def uo(self, codigo, nome):
        uo = self.uos.get(codigo)
        if uo is None:
            uo = self.uos[codigo] = UnidadeOrcamentaria.objects.create(codigo=codigo, nome=nome)
            self.r.criados["UOs"] += 1
        elif uo.nome != nome:
            uo.nome = nome
            uo.save(update_fields=["nome"])
            self.r.atualizados["UOs"] += 1
        return uo

    def acao(self, uo, codigo, nome, **extra):
        acao = self.acoes.get((uo.codigo, codigo))
        if acao is None:
            acao = self.acoes[(uo.codigo, codigo)] = Acao.objects.create(uo=uo, codigo=codigo, nome=nome, **extra)
            self.r.criados["ações"] += 1
            return acao
        mudou = [c for c, v in {"nome": nome, **extra}.items() if getattr(acao, c) != v]
        if mudou:
            for c in mudou:
                setattr(acao, c, {"nome": nome, **extra}[c])
            acao.save(update_fields=mudou)
            self.r.atualizados["ações"] += 1
        return acao

    def grupo(self, codigo, nome):
        grupo = self.grupos.get(codigo)
        if grupo is None:
            grupo = self.grupos[codigo] = GrupoDespesa.objects.create(codigo=codigo, nome=nome)
            self.r.criados["grupos de despesa"] += 1
        elif grupo.nome != nome:
            grupo.nome = nome
            grupo.save(update_fields=["nome"])
            self.r.atualizados["grupos de despesa"] += 1
        return grupo
