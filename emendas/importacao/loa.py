"""Carga da LOA (emendas, titulares e incisos) a partir de CSV."""

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from contas import perfis
from contas.models import normalizar_email
from contas.services import convidar_usuario
from sigcon.dinheiro import ValorInvalido, formatar_brl, ler_valor

from .. import prazos, selectors
from ..models import Bloco, Emenda, Exercicio, Inciso, Parlamentar
from .leitura import (
    Cadastros, ErroImportacao, ErroLinha, Resultado, Simulacao, com_origem, conferir_obrigatorios, conferir_tamanhos,
    ler_csv, limite_da_coluna, limites_cadastros, registrar_importacao,
)

CABECALHO_LOA = [
    "emenda", "titular", "tipo_titular", "email", "inciso", "uo", "uo_nome",
    "acao", "acao_nome", "grupo_despesa", "grupo_nome", "valor",
]
MAIOR_INTEIRO = 2_147_483_647
_ALGARISMOS = re.compile(r"^[0-9]+$")


def _limites_loa() -> dict[str, int]:
    Usuario = get_user_model()
    return {
        "titular": min(limite_da_coluna(Parlamentar, "nome"), limite_da_coluna(Bloco, "nome"), limite_da_coluna(Usuario, "nome")),
        "email": limite_da_coluna(Usuario, "email"),
        "inciso": limite_da_coluna(Inciso, "numero"),
        **limites_cadastros(),
    }


def _validar_loa(linhas) -> list[ErroLinha]:
    """Validação sem banco: campos, formatos e coerência entre linhas do arquivo."""
    erros: list[ErroLinha] = []
    titular_da_emenda: dict[str, tuple] = {}
    incisos_vistos: dict[str, int] = {}
    limites = _limites_loa()
    for numero, l in linhas:
        if not conferir_obrigatorios(numero, l, CABECALHO_LOA, erros) or not conferir_tamanhos(numero, l, limites, erros):
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
                raise Simulacao
            registrar_importacao("importacao.loa", resultado, objeto=Exercicio.objects.get(ano=ano),
                                 publicacao=publicacao, **com_origem(origem))
            for usuario in convites:
                convidar_usuario(usuario=usuario)
    except Simulacao:
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
    cad = Cadastros(resultado)
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
