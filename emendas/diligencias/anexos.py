"""Os anexos de uma resposta de diligência: tamanho, quantidade e tipo limitados, nome saneado.

O tipo é decidido pelo conteúdo (a assinatura dos primeiros bytes), não pelo que o navegador diz nem só pela extensão:
um executável renomeado para ``.pdf`` é recusado. Os formatos de escritório abertos (ODT/ODS) e os do Office
(DOCX/XLSX) são ZIP por dentro; o ZIP confere que o arquivo declara ser aquele formato (o ``mimetype`` do ODF, o
``[Content_Types].xml`` do OOXML), para um ZIP qualquer não passar por planilha.
"""

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from sigcon.texto import plural

MAXIMO_DE_ANEXOS = 5
TAMANHO_DO_NOME = 120

# extensão → (tipo MIME, descrição para a tela)
TIPOS = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPG"),
    "jpeg": ("image/jpeg", "JPG"),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}
ACEITOS = "PDF, PNG, JPG, ODT, ODS, DOCX ou XLSX"


def tamanho_maximo() -> int:
    """O limite de cada anexo e da soma deles: o mesmo do corpo da requisição (``SIGCON_UPLOAD_MAXIMO``)."""
    return settings.SIGCON_UPLOAD_MAXIMO


def megabytes(tamanho: int) -> str:
    return f"{tamanho / (1024 * 1024):.1f} MB".replace(".0 MB", " MB").replace(".", ",")


def nome_saneado(nome: str) -> str:
    """Só o nome (sem pastas), sem caracteres de controle nem os que quebram um cabeçalho ou um caminho, curto."""
    nome = unicodedata.normalize("NFC", (nome or "").replace("\\", "/").rsplit("/", 1)[-1])
    limpo = "".join(c if c.isprintable() and c not in '<>:"/\\|?*;' else "_" for c in nome).strip().rstrip(". ")
    base, ponto, extensao = limpo.rpartition(".")
    if not ponto:
        base, extensao = limpo, ""
    extensao = extensao[:10]
    # Sem pontos no começo (arquivo oculto) nem nome vazio (".pdf" vira "anexo.pdf").
    base = base.lstrip(". ")[: TAMANHO_DO_NOME - len(extensao) - 1] or "anexo"
    return f"{base}.{extensao}" if extensao else base


def _zip_declara(conteudo_arquivo, extensao: str) -> bool:
    try:
        with zipfile.ZipFile(conteudo_arquivo) as z:
            nomes = set(z.namelist())
            if extensao in ("odt", "ods"):
                declarado = z.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in nomes else ""
                return declarado == TIPOS[extensao][0]
            pasta = "word/" if extensao == "docx" else "xl/"
            return "[Content_Types].xml" in nomes and any(n.startswith(pasta) for n in nomes)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def _conteudo_confere(arquivo, extensao: str) -> bool:
    arquivo.seek(0)
    inicio = arquivo.read(8)
    arquivo.seek(0)
    if extensao == "pdf":
        return inicio.startswith(b"%PDF-")
    if extensao == "png":
        return inicio.startswith(b"\x89PNG\r\n\x1a\n")
    if extensao in ("jpg", "jpeg"):
        return inicio.startswith(b"\xff\xd8\xff")
    if not inicio.startswith(b"PK\x03\x04"):
        return False
    confere = _zip_declara(arquivo, extensao)
    arquivo.seek(0)
    return confere


@dataclass(frozen=True)
class AnexoConferido:
    arquivo: object  # o UploadedFile (ou File) recebido
    nome: str
    tamanho: int
    tipo: str
    sha256: str


def conferir_anexos(anexos) -> list[AnexoConferido]:
    """Os anexos aceitos, ou ``ValidationError`` dizendo qual arquivo e por quê (nenhum é gravado se um falha)."""
    # Arquivos enviados (UploadedFile), ``File``/``ContentFile`` com nome, ou pares (nome, bytes) de quem chama o
    # serviço fora das telas (comando, shell).
    anexos = [ContentFile(a[1], name=a[0]) if isinstance(a, tuple) else a for a in anexos if a]
    if len(anexos) > MAXIMO_DE_ANEXOS:
        raise ValidationError(f"Envie no máximo {plural(MAXIMO_DE_ANEXOS, 'anexo', 'anexos')} por resposta "
                              f"(vieram {len(anexos)}).")
    limite, total, conferidos = tamanho_maximo(), 0, []
    for arquivo in anexos:
        nome = nome_saneado(getattr(arquivo, "name", ""))
        tamanho = arquivo.size
        if tamanho == 0:
            raise ValidationError(f"O arquivo “{nome}” está vazio.")
        if tamanho > limite:
            raise ValidationError(f"O arquivo “{nome}” tem {megabytes(tamanho)}; o limite de cada anexo é "
                                  f"{megabytes(limite)}.")
        total += tamanho
        extensao = nome.rsplit(".", 1)[-1].lower() if "." in nome else ""
        if extensao not in TIPOS:
            raise ValidationError(f"O arquivo “{nome}” não é de um tipo aceito: envie {ACEITOS}.")
        if not _conteudo_confere(arquivo, extensao):
            raise ValidationError(f"O conteúdo do arquivo “{nome}” não é {TIPOS[extensao][1]}, como diz o nome: "
                                  f"envie {ACEITOS}.")
        arquivo.seek(0)
        resumo = hashlib.sha256()
        for bloco in arquivo.chunks() if hasattr(arquivo, "chunks") else [arquivo.read()]:
            resumo.update(bloco)
        arquivo.seek(0)
        conferidos.append(AnexoConferido(arquivo, nome, tamanho, TIPOS[extensao][0], resumo.hexdigest()))
    if total > limite:
        raise ValidationError(f"Os anexos somam {megabytes(total)}; o limite da resposta é {megabytes(limite)}.")
    return conferidos
