"""Importação do controle de execução por planilha (XLSX ou CSV ``;``), no formato do manual: valores ``9.999,99``
e datas ``dd/mm/aaaa``. Tudo ou nada: qualquer linha errada e nada é gravado, com o erro de cada linha."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sigcon.dinheiro import ValorInvalido, ZERO, ler_valor, quantizar

from ..importacao import ErroImportacao, ErroLinha, Resultado, ler_csv, registrar_importacao
from ..models import CategoriaImpedimento, ExecucaoIndicacao, Exercicio, Indicacao, RegistroExecucao
from ..travas import travar_incisos_dos_titulares
from .services import registrar_execucao_sem_transacao

CABECALHO_EXECUCAO = [
    "indicacao", "valor_utilizado", "valor_empenhado", "numero_empenho", "data_empenho", "valor_liquidado",
    "valor_pago", "data_pagamento", "categoria_impedimento", "justificativa",
]
VALORES = {"valor_utilizado": "utilizado", "valor_empenhado": "empenhado", "valor_liquidado": "liquidado",
           "valor_pago": "pago"}
DATAS = {"data_empenho": "data_empenho", "data_pagamento": "data_pagamento"}
MAX_LINHAS_EXECUCAO = 5_000


class _Simulacao(Exception):
    """Desfaz a transação de uma prévia."""


def _celula(valor) -> str:
    """Uma célula da planilha como o texto que a pessoa digitaria (número 9999.99 vira ``9999,99``)."""
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        return f"{valor:%d/%m/%Y}"
    if isinstance(valor, date):
        return f"{valor:%d/%m/%Y}"
    if isinstance(valor, bool):
        return str(valor)
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        # A planilha guarda número binário: o valor em centavos é o arredondamento que a pessoa viu na célula.
        return str(quantizar(Decimal(repr(valor)))).replace(".", ",")
    return str(valor).strip()


def ler_planilha(conteudo: bytes) -> list[tuple[int, dict]]:
    """Linhas (número, dicionário) de um XLSX (primeira aba) ou de um CSV UTF-8 com ``;``."""
    if not conteudo.startswith(b"PK\x03\x04"):
        return ler_csv(conteudo, CABECALHO_EXECUCAO)
    from openpyxl import load_workbook

    try:
        livro = load_workbook(io.BytesIO(conteudo), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ErroImportacao([ErroLinha(0, "", f"a planilha XLSX não pôde ser lida ({exc.__class__.__name__}).")]) \
            from None
    aba = livro.worksheets[0]
    # O mesmo caminho do CSV (cabeçalho, colunas, caracteres de controle), com as células já como texto; as
    # colunas vazias à direita (formatação da planilha) não contam.
    texto = io.StringIO()
    escritor = csv.writer(texto, delimiter=";", lineterminator="\n")
    for linha in aba.iter_rows(values_only=True, max_row=MAX_LINHAS_EXECUCAO + 2):
        celulas = [_celula(c) for c in linha]
        while len(celulas) > len(CABECALHO_EXECUCAO) and not celulas[-1]:
            celulas.pop()
        escritor.writerow(celulas)
    livro.close()
    return ler_csv(texto.getvalue().encode("utf-8"), CABECALHO_EXECUCAO)


def _ler_data(texto: str) -> date | None:
    if not texto:
        return None
    try:
        return datetime.strptime(texto, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"data inválida: “{texto}”. Use dd/mm/aaaa.") from None


def _conferir_linha(numero, l, indicacoes, categorias, erros):
    """Os valores e datas da linha já lidos, ou None (com os erros em *erros*)."""
    antes = len(erros)
    ind = None
    try:
        ind = indicacoes.get(int(l["indicacao"]))
    except ValueError:
        pass
    if ind is None:
        erros.append(ErroLinha(numero, "indicacao", f"indicação “{l['indicacao']}” não existe neste exercício."))
    valores, datas = {}, {}
    for coluna, nome in VALORES.items():
        try:
            valores[nome] = ler_valor(l[coluna]) if l[coluna] else ZERO
        except ValorInvalido as exc:
            erros.append(ErroLinha(numero, coluna, str(exc)))
    for coluna, nome in DATAS.items():
        try:
            datas[nome] = _ler_data(l[coluna])
        except ValueError as exc:
            erros.append(ErroLinha(numero, coluna, str(exc)))
    categoria = None
    if l["categoria_impedimento"]:
        categoria = categorias.get(l["categoria_impedimento"].casefold())
        if categoria is None:
            erros.append(ErroLinha(numero, "categoria_impedimento",
                                   f"categoria “{l['categoria_impedimento']}” não está na lista do exercício."))
    if len(erros) > antes:
        return None
    return ind, valores, datas, categoria


def importar_execucao(*, usuario, conteudo: bytes, ano: int, simular: bool = False,
                      origem: dict | None = None) -> Resultado:
    """Registra a execução de cada linha como ``registrar_execucao`` (mesmas regras, permissões e impedimento
    parcial), tudo numa transação. *simular*: confere tudo e desfaz (a prévia)."""
    linhas = ler_planilha(conteudo)
    if len(linhas) > MAX_LINHAS_EXECUCAO:
        raise ErroImportacao([ErroLinha(0, "", f"o arquivo passa de {MAX_LINHAS_EXECUCAO} linhas.")])
    exercicio = Exercicio.objects.filter(ano=ano).first()
    if exercicio is None:
        raise ErroImportacao([ErroLinha(0, "ano", f"o exercício {ano} não existe.")])
    numeros = {int(l["indicacao"]) for _, l in linhas if l["indicacao"].isdigit()}
    indicacoes = {i.numero: i for i in Indicacao.objects.filter(exercicio=exercicio, numero__in=numeros)
                  .select_related("inciso__emenda")}
    categorias = {c.nome.casefold(): c for c in CategoriaImpedimento.do_exercicio(exercicio)}
    erros: list[ErroLinha] = []
    conferidas, vistas = [], {}
    for numero, l in linhas:
        lida = _conferir_linha(numero, l, indicacoes, categorias, erros)
        if lida is None:
            continue
        if lida[0].pk in vistas:
            erros.append(ErroLinha(numero, "indicacao", f"indicação repetida (já na linha {vistas[lida[0].pk]})."))
            continue
        vistas[lida[0].pk] = numero
        conferidas.append((numero, l, *lida))
    if erros:
        raise ErroImportacao(erros)
    if not conferidas:
        raise ErroImportacao([ErroLinha(0, "", "a planilha não tem nenhuma linha de execução.")])

    resultado = Resultado(linhas=len(linhas), simulado=simular, amostra=[l for _, l, *_ in conferidas[:20]])
    try:
        with transaction.atomic():
            # Os incisos de todos os titulares da planilha de uma vez, em ordem de id (passo 2 da ordem global):
            # cada linha trava de novo os do seu titular (já são desta transação) e depois a indicação.
            travar_incisos_dos_titulares([ind.inciso for _, _, ind, *_ in conferidas])
            for numero, l, ind, valores, datas, categoria in sorted(conferidas, key=lambda c: c[2].pk):
                ja_impedida = ExecucaoIndicacao.objects.filter(indicacao=ind, impedido_em__isnull=False).exists()
                try:
                    execucao = registrar_execucao_sem_transacao(
                        usuario=usuario, indicacao=ind, valores=valores, numero_empenho=l["numero_empenho"],
                        categoria=categoria, justificativa=l["justificativa"], fonte=RegistroExecucao.Fonte.IMPORTACAO,
                        datas=datas,
                    )
                except (ValidationError, PermissionDenied) as exc:
                    mensagens = getattr(exc, "messages", None) or [str(exc) or "sem permissão para esta indicação."]
                    erros.extend(ErroLinha(numero, "", m) for m in mensagens)
                    continue
                resultado.atualizados["execuções"] += 1
                if execucao.impedido_em is not None and not ja_impedida:
                    resultado.criados["impedimentos parciais"] += 1
            if erros:
                raise ErroImportacao(sorted(erros, key=lambda e: e.linha))
            if simular:
                raise _Simulacao
            registrar_importacao("importacao.execucao", resultado, objeto=exercicio,
                                 **({"arquivo": origem} if origem else {}))
    except _Simulacao:
        pass
    return resultado
