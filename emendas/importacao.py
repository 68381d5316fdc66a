"""Carga da LOA e do anexo de programações elegíveis a partir de CSV.

Cada carga é atômica: se qualquer linha estiver errada nada é gravado e cada erro
diz a linha e o campo. Importar o mesmo arquivo duas vezes não muda nada.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from auditoria.services import registrar
from contas import perfis
from contas.models import normalizar_email
from contas.services import convidar_usuario
from sigcon.dinheiro import ValorInvalido, formatar_brl, ler_valor

from .models import Acao, Bloco, Emenda, Exercicio, GrupoDespesa, Inciso, Parlamentar, ProgramacaoElegivel
from .models import UnidadeOrcamentaria
from . import prazos, selectors

CABECALHO_LOA = [
    "emenda", "titular", "tipo_titular", "email", "inciso", "uo", "uo_nome",
    "acao", "acao_nome", "grupo_despesa", "grupo_nome", "valor",
]
CABECALHO_PROGRAMACOES = [
    "uo", "uo_nome", "acao", "acao_nome", "grupo_despesa", "grupo_nome",
    "area", "recebe_remanejamento", "destino_livre",
]
MAX_LINHAS = 200_000
# Maior número que um PositiveIntegerField guarda no PostgreSQL (número da emenda).
MAIOR_INTEIRO = 2_147_483_647
# Byte nulo e demais caracteres de controle: o PostgreSQL recusa o nulo, e nenhum deles é dado de verdade.
_CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ALGARISMOS = re.compile(r"^[0-9]+$")


def _limite(modelo, campo: str) -> int:
    return modelo._meta.get_field(campo).max_length


def _limites_loa() -> dict[str, int]:
    Usuario = get_user_model()
    return {
        "titular": min(_limite(Parlamentar, "nome"), _limite(Bloco, "nome"), _limite(Usuario, "nome")),
        "email": _limite(Usuario, "email"),
        "inciso": _limite(Inciso, "numero"),
        **_limites_cadastros(),
    }


def _limites_cadastros() -> dict[str, int]:
    return {
        "uo": _limite(UnidadeOrcamentaria, "codigo"), "uo_nome": _limite(UnidadeOrcamentaria, "nome"),
        "acao": _limite(Acao, "codigo"), "acao_nome": _limite(Acao, "nome"),
        "grupo_despesa": _limite(GrupoDespesa, "codigo"), "grupo_nome": _limite(GrupoDespesa, "nome"),
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


def _com_origem(origem: dict | None) -> dict:
    # Só quando há um arquivo de origem: as cargas pelos comandos seguem com o registro de sempre.
    return {"arquivo": origem} if origem else {}


class _Simulacao(Exception):
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
            sujos = [c for c, v in linha.items() if _CONTROLE.search(v)]
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


def _obrigatorios(numero, linha, campos, erros) -> bool:
    ok = True
    for campo in campos:
        if not linha[campo]:
            erros.append(ErroLinha(numero, campo, "campo obrigatório vazio."))
            ok = False
    return ok


class _Cadastros:
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


def _validar_loa(linhas) -> list[ErroLinha]:
    """Validação sem banco: campos, formatos e coerência entre linhas do arquivo."""
    erros: list[ErroLinha] = []
    titular_da_emenda: dict[str, tuple] = {}
    incisos_vistos: dict[str, int] = {}
    limites = _limites_loa()
    for numero, l in linhas:
        if not _obrigatorios(numero, l, CABECALHO_LOA, erros) or not conferir_tamanhos(numero, l, limites, erros):
            continue
        if not _ALGARISMOS.match(l["emenda"]):
            erros.append(ErroLinha(numero, "emenda", f"“{l['emenda']}” não é um número de emenda."))
        elif int(l["emenda"]) > MAIOR_INTEIRO:
            erros.append(ErroLinha(numero, "emenda",
                                   f"o número {l['emenda']} passa do maior aceito ({MAIOR_INTEIRO})."))
        tipo = l["tipo_titular"].upper()
        if tipo not in ("PARLAMENTAR", "BLOCO"):
            erros.append(ErroLinha(numero, "tipo_titular", f"use PARLAMENTAR ou BLOCO (veio “{l['tipo_titular']}”)."))
        try:
            validate_email(l["email"])
        except ValidationError:
            erros.append(ErroLinha(numero, "email", f"e-mail inválido: “{l['email']}”."))
        inciso = l["inciso"].upper()
        if inciso.isdigit():
            inciso = "S" + inciso
        l["inciso"] = inciso
        try:
            tipo_inciso = Inciso.tipo_do_numero(inciso)
            if tipo_inciso == Inciso.Tipo.R:
                erros.append(ErroLinha(numero, "inciso", "incisos R nascem da aprovação de remanejamentos; não se importam."))
        except ValidationError as exc:
            erros.append(ErroLinha(numero, "inciso", exc.messages[0]))
        try:
            l["valor_decimal"] = ler_valor(l["valor"])
            if l["valor_decimal"] <= 0:
                erros.append(ErroLinha(numero, "valor", "o valor do inciso deve ser maior que zero."))
        except ValorInvalido as exc:
            erros.append(ErroLinha(numero, "valor", str(exc)))
        chave_titular = (l["titular"], tipo, normalizar_email(l["email"]))
        anterior = titular_da_emenda.setdefault(l["emenda"], chave_titular)
        if anterior != chave_titular:
            erros.append(ErroLinha(numero, "titular", f"a emenda {l['emenda']} aparece com outro titular em outra linha."))
        if inciso in incisos_vistos:
            erros.append(ErroLinha(numero, "inciso", f"inciso {inciso} repetido (já na linha {incisos_vistos[inciso]})."))
        incisos_vistos.setdefault(inciso, numero)
    return erros


def importar_loa(*, conteudo: bytes, ano: int, publicacao: date, simular: bool = False,
                 origem: dict | None = None) -> Resultado:
    """*origem* (nome, tamanho e SHA-256 do arquivo enviado pela tela) vai junto para a auditoria."""
    linhas = ler_csv(conteudo, CABECALHO_LOA)
    erros = _validar_loa(linhas)
    if erros:
        raise ErroImportacao(erros)
    resultado = Resultado(linhas=len(linhas), simulado=simular, amostra=[l for _, l in linhas[:20]])
    convites: list = []
    try:
        with transaction.atomic():
            _gravar_loa(linhas, ano, publicacao, resultado, convites)
            if simular:
                raise _Simulacao
            registrar_importacao("importacao.loa", resultado, objeto=Exercicio.objects.get(ano=ano),
                                 publicacao=publicacao, **_com_origem(origem))
            for usuario in convites:
                convidar_usuario(usuario=usuario)
    except _Simulacao:
        pass
    return resultado


def _exercicio(ano: int, publicacao: date, resultado: Resultado) -> Exercicio:
    # Trava o exercício: duas cargas simultâneas do mesmo ano não se misturam.
    exercicio = Exercicio.objects.select_for_update(no_key=True).filter(ano=ano).first()
    if exercicio is None:
        resultado.criados["exercícios"] += 1
        return Exercicio.objects.create(ano=ano, data_publicacao_loa=publicacao)
    if exercicio.data_publicacao_loa != publicacao:
        antigas = prazos.datas_padrao(exercicio.data_publicacao_loa)
        novas = prazos.datas_padrao(publicacao)
        # Só recalcula as datas que ainda estão no padrão; as ajustadas pela SEGOV ficam.
        for campo, antiga, nova in zip(
            ("data_liberacao", "fim_janela_livre", "fim_janela_obrigatoria"), antigas, novas
        ):
            if getattr(exercicio, campo) == antiga:
                setattr(exercicio, campo, nova)
        exercicio.data_publicacao_loa = publicacao
        erros = prazos.erros_calendario(exercicio)
        if erros:
            raise ErroImportacao([ErroLinha(0, "publicacao", e) for e in erros])
        exercicio.save()
        resultado.atualizados["exercícios"] += 1
    return exercicio


def _gravar_loa(linhas, ano, publicacao, resultado: Resultado, convites: list) -> None:
    Usuario = get_user_model()
    exercicio = _exercicio(ano, publicacao, resultado)
    cad = _Cadastros(resultado)
    grupo_parlamentar, _ = Group.objects.get_or_create(name=perfis.PARLAMENTAR)
    emails = {normalizar_email(l["email"]) for _, l in linhas}
    # Pela forma normalizada: a conta criada no admin como "Ana@…" é a mesma do "ana@…" da planilha.
    usuarios = {normalizar_email(u.email): u for u in
                Usuario.objects.annotate(email_normalizado=Lower("email")).filter(email_normalizado__in=emails)}
    parlamentares = {p.usuario_id: p for p in Parlamentar.objects.filter(usuario__in=usuarios.values())}
    blocos = {b.nome: b for b in Bloco.objects.all()}
    emendas = {e.numero: e for e in Emenda.objects.filter(exercicio=exercicio)}
    # Trava os incisos do exercício (depois do exercício, em ordem de id, a mesma ordem dos serviços):
    # nenhuma indicação ou remanejamento novo entra entre a conferência do valor comprometido e a gravação.
    incisos = {i.numero: i for i in Inciso.objects.filter(exercicio=exercicio).select_for_update(no_key=True).order_by("pk")}
    com_movimento = selectors.incisos_com_movimentos(incisos.values())
    comprometidos = selectors.valores_comprometidos(i for i in incisos.values() if i.pk in com_movimento)
    erros: list[ErroLinha] = []

    def parlamentar_por_email(email: str, nome: str, criar: bool) -> Parlamentar | None:
        usuario = usuarios.get(email)
        if usuario is None:
            if not criar:
                return None
            usuario = usuarios[email] = Usuario.objects.create_user(email=email, nome=nome)
            usuario.groups.add(grupo_parlamentar)
            convites.append(usuario)
            resultado.criados["usuários"] += 1
        parlamentar = parlamentares.get(usuario.pk)
        if parlamentar is None:
            if not criar:
                return None
            parlamentar = parlamentares[usuario.pk] = Parlamentar.objects.create(usuario=usuario, nome=nome)
            usuario.groups.add(grupo_parlamentar)
            resultado.criados["parlamentares"] += 1
        elif criar and parlamentar.nome != nome:
            parlamentar.nome = nome
            parlamentar.save(update_fields=["nome"])
            resultado.atualizados["parlamentares"] += 1
        return parlamentar

    # Parlamentares primeiro: o responsável por um bloco pode aparecer depois no arquivo.
    ordenadas = sorted(linhas, key=lambda nl: nl[1]["tipo_titular"].upper() != "PARLAMENTAR")
    for numero, l in ordenadas:
        email = normalizar_email(l["email"])
        if l["tipo_titular"].upper() == "PARLAMENTAR":
            titular = {"parlamentar": parlamentar_por_email(email, l["titular"], criar=True), "bloco": None}
        else:
            responsavel = parlamentar_por_email(email, l["titular"], criar=False)
            if responsavel is None:
                erros.append(ErroLinha(numero, "email", f"o responsável pelo bloco ({email}) não é parlamentar cadastrado."))
                continue
            bloco = blocos.get(l["titular"])
            if bloco is None:
                bloco = blocos[l["titular"]] = Bloco.objects.create(nome=l["titular"], responsavel=responsavel)
                resultado.criados["blocos"] += 1
            elif bloco.responsavel_id != responsavel.pk:
                bloco.responsavel = responsavel
                bloco.save(update_fields=["responsavel"])
                resultado.atualizados["blocos"] += 1
            titular = {"parlamentar": None, "bloco": bloco}

        uo = cad.uo(l["uo"], l["uo_nome"])
        acao = cad.acao(uo, l["acao"], l["acao_nome"])
        grupo = cad.grupo(l["grupo_despesa"], l["grupo_nome"])

        numero_emenda = int(l["emenda"])
        emenda = emendas.get(numero_emenda)
        if emenda is None:
            emenda = emendas[numero_emenda] = Emenda.objects.create(exercicio=exercicio, numero=numero_emenda, **titular)
            resultado.criados["emendas"] += 1
        elif (emenda.parlamentar_id, emenda.bloco_id) != tuple(t.pk if t else None for t in titular.values()):
            erros.append(ErroLinha(numero, "titular", f"a emenda {numero_emenda} já pertence a {emenda.titular}."))
            continue

        inciso = incisos.get(l["inciso"])
        valores = {"emenda": emenda, "acao": acao, "grupo_despesa": grupo, "valor_inicial": l["valor_decimal"]}
        if inciso is None:
            incisos[l["inciso"]] = Inciso.objects.create(exercicio=exercicio, numero=l["inciso"], **valores)
            resultado.criados["incisos"] += 1
            continue
        mudou = [c for c, v in valores.items() if getattr(inciso, c) != v]
        if not mudou:
            continue
        if inciso.pk in com_movimento:
            recusas = _recusas_inciso_com_movimento(numero, inciso, valores, mudou, comprometidos[inciso.pk])
            if recusas:
                erros.extend(recusas)
                continue
        for c in mudou:
            setattr(inciso, c, valores[c])
        inciso.save(update_fields=mudou)
        resultado.atualizados["incisos"] += 1

    if erros:
        raise ErroImportacao(sorted(erros, key=lambda e: e.linha))


_CAMPO_CSV = {"emenda": ("emenda", "emenda (titular)"), "acao": ("acao", "ação"),
              "grupo_despesa": ("grupo_despesa", "grupo de despesa")}


def _recusas_inciso_com_movimento(numero: int, inciso: Inciso, valores: dict, mudou: list, comprometido) -> list[ErroLinha]:
    """O que a carga não pode mudar num inciso que já tem indicações ou remanejamentos."""
    recusas = [
        ErroLinha(numero, _CAMPO_CSV[c][0], f"o inciso {inciso.numero} tem indicações ou remanejamentos e não pode "
                                            f"mudar de {_CAMPO_CSV[c][1]} pela carga (de {getattr(inciso, c)} "
                                            f"para {valores[c]}).")
        for c in mudou if c in _CAMPO_CSV
    ]
    novo = valores["valor_inicial"]
    if "valor_inicial" in mudou and novo < comprometido:
        recusas.append(ErroLinha(
            numero, "valor",
            f"o inciso {inciso.numero} tem {formatar_brl(comprometido)} comprometidos (indicações ativas, "
            f"remanejamentos pedidos ou aprovados); o novo valor {formatar_brl(novo)} deixaria o saldo negativo.",
        ))
    return recusas


def _sim_nao(valor: str) -> bool | None:
    return {"S": True, "N": False}.get(valor.strip().upper())


def importar_programacoes(*, conteudo: bytes, ano: int, simular: bool = False,
                          origem: dict | None = None) -> Resultado:
    """*origem*: como em ``importar_loa``."""
    linhas = ler_csv(conteudo, CABECALHO_PROGRAMACOES)
    erros: list[ErroLinha] = []
    exercicio = Exercicio.objects.filter(ano=ano).first()
    if exercicio is None:
        raise ErroImportacao([ErroLinha(0, "ano", f"o exercício {ano} não existe; importe a LOA primeiro.")])
    vistas: dict[tuple, int] = {}
    limites = _limites_cadastros()
    for numero, l in linhas:
        if not _obrigatorios(numero, l, CABECALHO_PROGRAMACOES, erros) or not conferir_tamanhos(numero, l, limites, erros):
            continue
        l["area"] = l["area"].upper()
        if l["area"] not in Acao.Area.values:
            erros.append(ErroLinha(numero, "area", f"use SAUDE, EDUCACAO, IAG1 ou OUTRA (veio “{l['area']}”)."))
        for campo in ("recebe_remanejamento", "destino_livre"):
            if _sim_nao(l[campo]) is None:
                erros.append(ErroLinha(numero, campo, f"use S ou N (veio “{l[campo]}”)."))
        chave = (l["uo"], l["acao"], l["grupo_despesa"])
        if chave in vistas:
            erros.append(ErroLinha(numero, "", f"programação repetida (já na linha {vistas[chave]})."))
        vistas.setdefault(chave, numero)
    if erros:
        raise ErroImportacao(erros)

    resultado = Resultado(linhas=len(linhas), simulado=simular, amostra=[l for _, l in linhas[:20]])
    try:
        with transaction.atomic():
            cad = _Cadastros(resultado)
            existentes = {
                (p.acao_id, p.grupo_despesa_id): p for p in ProgramacaoElegivel.objects.filter(exercicio=exercicio)
            }
            for _, l in linhas:
                uo = cad.uo(l["uo"], l["uo_nome"])
                acao = cad.acao(
                    uo, l["acao"], l["acao_nome"], area=l["area"], destino_livre=_sim_nao(l["destino_livre"])
                )
                grupo = cad.grupo(l["grupo_despesa"], l["grupo_nome"])
                recebe = _sim_nao(l["recebe_remanejamento"])
                prog = existentes.get((acao.pk, grupo.pk))
                if prog is None:
                    existentes[(acao.pk, grupo.pk)] = ProgramacaoElegivel.objects.create(
                        exercicio=exercicio, acao=acao, grupo_despesa=grupo, recebe_remanejamento=recebe
                    )
                    resultado.criados["programações"] += 1
                elif prog.recebe_remanejamento != recebe:
                    prog.recebe_remanejamento = recebe
                    prog.save(update_fields=["recebe_remanejamento"])
                    resultado.atualizados["programações"] += 1
            if simular:
                raise _Simulacao
            registrar_importacao("importacao.programacoes", resultado, objeto=exercicio, **_com_origem(origem))
    except _Simulacao:
        pass
    return resultado
