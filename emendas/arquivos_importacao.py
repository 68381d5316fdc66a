"""O arquivo da tela de importação, guardado no servidor entre a prévia e a confirmação.

A prévia grava o arquivo enviado no armazenamento de arquivos do Django (``default_storage``: disco local
em desenvolvimento; em produção, o que ``STORAGES["default"]`` apontar, ex.: um serviço compatível com S3 —
várias réplicas e o worker precisam ver os mesmos arquivos) sob um nome aleatório, e um
``ArquivoImportacao`` com quem enviou, o tipo, o ano e a publicação. A página da prévia manda de volta só o
``id`` desse registro: o arquivo não passa de novo pelo navegador (o corpo da requisição fica do tamanho do
arquivo) e nada que o navegador mande muda o tipo, o ano ou o conteúdo que a prévia mostrou.

A confirmação só aceita a prévia do próprio usuário, ainda não usada e mais nova que
``ArquivoImportacao.VALIDADE``; mesmo assim o conteúdo é validado de novo por inteiro, porque o banco pode
ter mudado desde a prévia. Nada fica na memória do processo entre um pedido e outro.
"""

import hashlib
import logging
import uuid
from datetime import date, datetime
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .execucao.importacao import importar_execucao
from .importacao import ErroImportacao, Resultado, importar_loa, importar_programacoes
from .models import ArquivoImportacao

log = logging.getLogger(__name__)

PASTA = "importacoes"
MENSAGEM_INDISPONIVEL = "A prévia expirou ou já foi usada. Envie o arquivo novamente."


class PreviaIndisponivel(Exception):
    """A prévia não existe, é de outra pessoa, já foi importada ou passou da validade (a mesma resposta
    para todos os casos: quem tenta um id alheio não fica sabendo se ele existe)."""

    def __init__(self):
        super().__init__(MENSAGEM_INDISPONIVEL)


def executar_importacao(*, tipo: str, conteudo: bytes, ano: int, publicacao: date | None, simular: bool,
                        origem: dict | None = None, usuario=None) -> Resultado:
    if tipo == ArquivoImportacao.Tipo.EXECUCAO:
        # O controle de execução confere quem registra (o órgão da UO de cada indicação, ou a SEGOV).
        return importar_execucao(usuario=usuario, conteudo=conteudo, ano=ano, simular=simular, origem=origem)
    if tipo == ArquivoImportacao.Tipo.LOA:
        return importar_loa(conteudo=conteudo, ano=ano, publicacao=publicacao, simular=simular, origem=origem)
    return importar_programacoes(conteudo=conteudo, ano=ano, simular=simular, origem=origem)


def guardar_previa(*, usuario, tipo: str, ano: int, publicacao: date | None, nome_original: str,
                   conteudo: bytes) -> ArquivoImportacao:
    """Grava o arquivo de uma prévia aceita e o registro que a confirmação vai pedir pelo id."""
    publicacao = publicacao if tipo == ArquivoImportacao.Tipo.LOA else None
    caminho = default_storage.save(f"{PASTA}/{uuid.uuid4().hex}.csv", ContentFile(conteudo))
    try:
        return ArquivoImportacao.objects.create(
            usuario=usuario, tipo=tipo, ano=ano, publicacao=publicacao, nome_original=nome_original[:255],
            caminho=caminho, tamanho=len(conteudo), sha256=hashlib.sha256(conteudo).hexdigest(),
        )
    except BaseException:
        _apagar_do_armazenamento(caminho)  # sem registro, ninguém confirmaria nem apagaria este arquivo
        raise


def _validas(usuario):
    return ArquivoImportacao.objects.filter(
        usuario=usuario, usado_em__isnull=True, criado_em__gt=timezone.now() - ArquivoImportacao.VALIDADE
    )


def _ler(arquivo: ArquivoImportacao) -> bytes:
    try:
        with default_storage.open(arquivo.caminho, "rb") as f:
            conteudo = f.read(arquivo.tamanho + 1)
    except FileNotFoundError:
        raise PreviaIndisponivel from None
    # O arquivo só é escrito na prévia; um conteúdo diferente do registrado é outro arquivo, nunca importado.
    if len(conteudo) != arquivo.tamanho or hashlib.sha256(conteudo).hexdigest() != arquivo.sha256:
        log.warning("Arquivo da prévia %s mudou no armazenamento; confirmação recusada.", arquivo.pk)
        raise PreviaIndisponivel
    return conteudo


def confirmar_previa(*, usuario, id_previa: str) -> tuple[ArquivoImportacao, Resultado]:
    """Importa de verdade o arquivo de uma prévia. ``PreviaIndisponivel`` se ela não vale mais;
    ``ErroImportacao`` (com a prévia descartada) se o conteúdo não passa mais na validação."""
    try:
        pk = uuid.UUID(str(id_previa))
    except ValueError:
        raise PreviaIndisponivel from None
    arquivo = _validas(usuario).filter(pk=pk).first()
    if arquivo is None:
        raise PreviaIndisponivel
    # Lido antes da transação: o armazenamento pode ser remoto, e nenhuma trava espera por ele.
    conteudo = _ler(arquivo)
    origem = {"nome": arquivo.nome_original, "tamanho": arquivo.tamanho, "sha256": arquivo.sha256}
    try:
        with transaction.atomic():
            # Trava a prévia: dois cliques em "Confirmar" (ou duas abas) não importam o mesmo arquivo duas vezes;
            # o segundo espera o primeiro e já a encontra usada. Ninguém mais trava esta linha.
            travado = _validas(usuario).select_for_update().filter(pk=pk).first()
            if travado is None:
                raise PreviaIndisponivel
            resultado = executar_importacao(tipo=travado.tipo, conteudo=conteudo, ano=travado.ano,
                                            publicacao=travado.publicacao, simular=False, origem=origem,
                                            usuario=usuario)
            travado.usado_em = timezone.now()
            travado.save(update_fields=["usado_em"])
            transaction.on_commit(partial(_apagar_do_armazenamento, travado.caminho))
    except ErroImportacao:
        # O mesmo conteúdo seria recusado de novo: a SEGOV corrige o arquivo e envia outro. Guardá-lo não serve.
        descartar_previa(arquivo)
        raise
    return travado, resultado


def descartar_previa(arquivo: ArquivoImportacao) -> None:
    with transaction.atomic():
        ArquivoImportacao.objects.filter(pk=arquivo.pk).delete()
        transaction.on_commit(partial(_apagar_do_armazenamento, arquivo.caminho))


def _apagar_do_armazenamento(caminho: str) -> None:
    try:
        default_storage.delete(caminho)
    except Exception:  # o armazenamento fora do ar não desfaz a importação; a limpeza periódica tenta de novo
        log.warning("Não foi possível apagar %s do armazenamento.", caminho, exc_info=True)


def apagar_expiradas(*, agora: datetime | None = None) -> int:
    """Apaga arquivo e registro das prévias mais velhas que a validade (usadas ou não) e os arquivos da pasta
    que ficaram sem registro (usuário excluído, queda entre gravar o arquivo e o registro). Devolve quantos
    arquivos e registros saíram. Rodar duas vezes é seguro."""
    limite = (agora or timezone.now()) - ArquivoImportacao.VALIDADE
    apagados = 0
    for pk, caminho in ArquivoImportacao.objects.filter(criado_em__lte=limite).values_list("pk", "caminho"):
        # O arquivo antes do registro: se o armazenamento falhar, o registro fica e a próxima rodada tenta de novo.
        try:
            default_storage.delete(caminho)
        except Exception:
            log.warning("Não foi possível apagar %s do armazenamento.", caminho, exc_info=True)
            continue
        apagados += ArquivoImportacao.objects.filter(pk=pk).delete()[0]
    return apagados + _apagar_orfaos(limite)


def _apagar_orfaos(limite: datetime) -> int:
    try:
        _, nomes = default_storage.listdir(PASTA)
    except FileNotFoundError:
        return 0  # nenhuma prévia foi enviada ainda
    # A lista do banco depois da da pasta: um arquivo gravado agora, ainda sem registro, é novo e fica.
    conhecidos = set(ArquivoImportacao.objects.values_list("caminho", flat=True))
    apagados = 0
    for nome in nomes:
        caminho = f"{PASTA}/{nome}"
        if caminho in conhecidos:
            continue
        try:
            velho = default_storage.get_modified_time(caminho) <= limite
        except (NotImplementedError, FileNotFoundError):
            continue
        if velho:
            _apagar_do_armazenamento(caminho)
            apagados += 1
    return apagados
