"""Carga dos catálogos por CSV (a SEGOV): o arquivo é o catálogo inteiro daquele tipo, tudo ou nada.

Formatos (UTF-8, separado por ``;``, cabeçalho na primeira linha):

* tipos de atendimento: ``grupo_despesa;genero;categoria;especificacao`` — uma linha por especificação e grupo de
  despesa em que ela vale (a mesma especificação em dois grupos: duas linhas);
* tipos de aplicação: ``grupo_despesa;tipo_aplicacao``.

O grupo de despesa é o código já cadastrado (3, 4...). Nomes iguais sem diferença de maiúsculas são o mesmo item
(fica a grafia já cadastrada). O que estava no catálogo e não veio no arquivo fica inativo (nunca apagado: as
indicações antigas apontam para ele); o que volta no arquivo é reativado. Um erro em qualquer linha: nada muda.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from auditoria.services import registrar
from contas import perfis

from ..importacao.leitura import ErroImportacao, ErroLinha, Simulacao, conferir_obrigatorios, ler_csv
from ..models import CategoriaAtendimento, EspecificacaoAtendimento, GeneroAtendimento, GrupoDespesa, TipoAplicacao
from ..models.catalogo import NOME
from .regras import APLICACAO, ATENDIMENTO

CABECALHOS = {
    ATENDIMENTO: ["grupo_despesa", "genero", "categoria", "especificacao"],
    APLICACAO: ["grupo_despesa", "tipo_aplicacao"],
}
ROTULOS = {ATENDIMENTO: "Tipos de atendimento", APLICACAO: "Tipos de aplicação"}
# Um catálogo de verdade tem centenas de linhas; o limite só impede que um arquivo errado (a LOA inteira) passe.
MAX_LINHAS = 20_000


@dataclass
class ResultadoCarga:
    tipo: str
    linhas: list[dict] = field(default_factory=list)  # a prévia: cada linha do arquivo e o que acontece com ela
    criados: int = 0
    reativados: int = 0
    alterados: int = 0
    desativados: list[str] = field(default_factory=list)
    simulado: bool = False

    def resumo(self) -> str:
        return (f"{len(self.linhas)} linhas; {self.criados} novos, {self.reativados} reativados, "
                f"{self.alterados} com grupos alterados, {len(self.desativados)} desativados")


def _chave(texto: str) -> str:
    return " ".join(texto.split()).casefold()


def _ler(tipo: str, conteudo: bytes):
    """As linhas conferidas: [(número, grupo, nomes...)], ou ErroImportacao com todos os erros, linha a linha."""
    if tipo not in CABECALHOS:
        raise ErroImportacao([ErroLinha(0, "", "tipo de catálogo desconhecido.")])
    cabecalho = CABECALHOS[tipo]
    linhas = ler_csv(conteudo, cabecalho)
    if len(linhas) > MAX_LINHAS:
        raise ErroImportacao([ErroLinha(0, "", f"o arquivo passa de {MAX_LINHAS} linhas.")])
    grupos = {g.codigo: g for g in GrupoDespesa.objects.all()}
    erros, lidas, vistas = [], [], {}
    for numero, linha in linhas:
        if not conferir_obrigatorios(numero, linha, cabecalho, erros):
            continue
        longos = [c for c in cabecalho[1:] if len(linha[c]) > NOME]
        for campo in longos:
            erros.append(ErroLinha(numero, campo, f"no máximo {NOME} caracteres (veio com {len(linha[campo])})."))
        grupo = grupos.get(linha["grupo_despesa"])
        if grupo is None:
            conhecidos = ", ".join(sorted(grupos)) or "nenhum"
            erros.append(ErroLinha(numero, "grupo_despesa",
                                   f"grupo de despesa “{linha['grupo_despesa']}” não cadastrado (cadastrados: "
                                   f"{conhecidos})."))
        if longos or grupo is None:
            continue
        nomes = tuple(" ".join(linha[c].split()) for c in cabecalho[1:])
        chave = (grupo.pk, *(_chave(n) for n in nomes))
        if chave in vistas:
            erros.append(ErroLinha(numero, "", f"linha repetida (igual à linha {vistas[chave]})."))
            continue
        vistas[chave] = numero
        lidas.append((numero, grupo, nomes))
    if erros:
        raise ErroImportacao(erros)
    return lidas


def carregar_catalogo(*, usuario, tipo: str, conteudo: bytes, simular: bool = False) -> ResultadoCarga:
    """Confere o arquivo inteiro e, sem erros, troca o catálogo *tipo* pelo do arquivo (auditado).

    *simular*: a prévia; faz tudo e desfaz (o que ela mostra é exatamente o que a confirmação fará, se o catálogo
    não mudar no meio). Erros: ``ErroImportacao`` com a lista, linha a linha; nada gravado.
    """
    if not perfis.pode_carregar_dados(usuario):
        raise PermissionDenied("Somente a SEGOV (ou o administrador de TI) carrega os catálogos.")
    resultado = ResultadoCarga(tipo=tipo, simulado=simular)
    try:
        with transaction.atomic():
            # Trava os grupos de despesa: duas cargas ao mesmo tempo não misturam os catálogos (a segunda espera e
            # lê o que a primeira gravou).
            list(GrupoDespesa.objects.select_for_update().order_by("pk"))
            lidas = _ler(tipo, conteudo)
            (_aplicar_atendimento if tipo == ATENDIMENTO else _aplicar_aplicacao)(lidas, resultado)
            if simular:
                raise Simulacao
            registrar(acao=f"catalogo.carregar_{tipo}", usuario=usuario, depois={
                "linhas": len(resultado.linhas), "criados": resultado.criados, "reativados": resultado.reativados,
                "alterados": resultado.alterados, "desativados": resultado.desativados[:200],
            })
    except Simulacao:
        pass
    return resultado


def _aplicar_atendimento(lidas, r: ResultadoCarga) -> None:
    generos = {_chave(g.nome): g for g in GeneroAtendimento.objects.all()}
    categorias = {(c.genero_id, _chave(c.nome)): c for c in CategoriaAtendimento.objects.all()}
    existentes = {(e.categoria_id, _chave(e.nome)): e
                  for e in EspecificacaoAtendimento.objects.prefetch_related("grupos_despesa")}
    grupos_antes = {e.pk: {g.pk for g in e.grupos_despesa.all()} for e in existentes.values()}
    desejado: dict[int, set[int]] = {}
    novas: set[int] = set()
    for numero, grupo, (genero, categoria, especificacao) in lidas:
        g = generos.get(_chave(genero))
        if g is None:
            g = generos[_chave(genero)] = GeneroAtendimento.objects.create(nome=genero)
        c = categorias.get((g.pk, _chave(categoria)))
        if c is None:
            c = categorias[(g.pk, _chave(categoria))] = CategoriaAtendimento.objects.create(genero=g, nome=categoria)
        e = existentes.get((c.pk, _chave(especificacao)))
        if e is None:
            e = existentes[(c.pk, _chave(especificacao))] = EspecificacaoAtendimento.objects.create(
                categoria=c, nome=especificacao)
            novas.add(e.pk)
            r.criados += 1
            situacao = "nova"
        elif e.pk in novas or e.pk in desejado:
            situacao = "nova" if e.pk in novas else "mantida"
        elif not e.ativa:
            e.ativa = True
            e.save(update_fields=["ativa"])
            r.reativados += 1
            situacao = "reativada"
        else:
            situacao = "mantida"
        desejado.setdefault(e.pk, set()).add(grupo.pk)
        r.linhas.append({"numero": numero, "grupo": grupo.codigo,
                         "nomes": (g.nome, c.nome, e.nome), "situacao": situacao})
    r.alterados = sum(1 for pk, grupos in desejado.items() if pk not in novas and grupos != grupos_antes.get(pk))
    # Os grupos de cada especificação passam a ser os do arquivo: um DELETE e um INSERT para o catálogo todo.
    por_especificacao = EspecificacaoAtendimento.grupos_despesa.through
    queridos = {(pk, g) for pk, grupos in desejado.items() for g in grupos}
    atuais = {(e, g): pk for pk, e, g in por_especificacao.objects.values_list(
        "pk", "especificacaoatendimento_id", "grupodespesa_id")}
    por_especificacao.objects.filter(pk__in=[pk for par, pk in atuais.items() if par not in queridos
                                             and par[0] in desejado]).delete()
    por_especificacao.objects.bulk_create([
        por_especificacao(especificacaoatendimento_id=e, grupodespesa_id=g) for e, g in queridos - atuais.keys()
    ])
    sairam = [e for e in existentes.values() if e.ativa and e.pk not in desejado]
    r.desativados = sorted(str(e) for e in sairam)
    EspecificacaoAtendimento.objects.filter(pk__in=[e.pk for e in sairam]).update(ativa=False)


def _aplicar_aplicacao(lidas, r: ResultadoCarga) -> None:
    existentes = {(t.grupo_despesa_id, _chave(t.nome)): t for t in TipoAplicacao.objects.select_related("grupo_despesa")}
    ficam = set()
    for numero, grupo, (nome,) in lidas:
        t = existentes.get((grupo.pk, _chave(nome)))
        if t is None:
            t = existentes[(grupo.pk, _chave(nome))] = TipoAplicacao.objects.create(grupo_despesa=grupo, nome=nome)
            r.criados += 1
            situacao = "nova"
        elif not t.ativo:
            t.ativo = True
            t.save(update_fields=["ativo"])
            r.reativados += 1
            situacao = "reativada"
        else:
            situacao = "mantida"
        ficam.add(t.pk)
        r.linhas.append({"numero": numero, "grupo": grupo.codigo, "nomes": (t.nome,), "situacao": situacao})
    sairam = [t for t in existentes.values() if t.ativo and t.pk not in ficam]
    r.desativados = sorted(f"{t.nome} (GD {t.grupo_despesa.codigo})" for t in sairam)
    TipoAplicacao.objects.filter(pk__in=[t.pk for t in sairam]).update(ativo=False)
