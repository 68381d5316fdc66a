"""PDFs e CSVs grandes: geração (na tarefa Celery) e limpeza. O pedido, na requisição, fica em ``pedidos``."""

import contextlib
import logging
import os
import tempfile
from datetime import timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from . import registro
from .models import RelatorioGerado

log = logging.getLogger(__name__)
GUARDAR_POR = timedelta(days=7)


class _ArquivoTemporario(File):
    """Um arquivo já no disco que o ``FileSystemStorage`` move para o lugar (``temporary_file_path``, como um
    upload grande) em vez de copiar os dezenas de MB do CSV; outro armazenamento lê em blocos, como sempre."""

    def temporary_file_path(self):
        return self.file.name


@contextlib.contextmanager
def plano_para_ler_tudo():
    """O PostgreSQL planeja uma consulta lida por cursor (o ``.iterator()``) para entregar logo as primeiras linhas
    (``cursor_tuple_fraction`` = 0,1): no CSV de 10 anos, 200 mil linhas em laços aninhados com uma dúzia de buscas
    por índice em cada uma. O CSV feito pelo Celery lê todas: aqui o plano é para a última linha (junções por hash e
    uma ordenação), um quarto a menos de tempo de parede na geração. Só nesta conexão e só durante o bloco."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def _conteudo(relatorio, consulta, gerado, progresso):
    """O arquivo do pedido. O CSV vai para um arquivo temporário (dezenas de MB: fora da memória), escrito direto
    pelo ``csv.writer`` (``Relatorio.escrever_csv``: as mesmas linhas da resposta em fluxo); o PDF, pela mesma
    função da requisição."""
    if gerado.formato != RelatorioGerado.Formato.CSV:
        return ContentFile(relatorio.gerar_pdf(consulta, progresso=progresso))
    esperadas = max(gerado.linhas, 1)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=".csv", delete=False) as texto:
        try:
            with plano_para_ler_tudo():
                relatorio.escrever_csv(consulta, texto, avisar=lambda n: progresso(5 + 90 * n // esperadas))
        except BaseException:
            texto.close()
            os.unlink(texto.name)
            raise
    return _ArquivoTemporario(open(texto.name, "rb"))


def _apagar_temporario(conteudo) -> None:
    """O temporário do CSV, se o armazenamento copiou em vez de mover (ou a gravação falhou)."""
    if isinstance(conteudo, _ArquivoTemporario):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(conteudo.temporary_file_path())


def gerar(*, relatorio_id: int) -> bool:
    """Gera o arquivo de um pedido pendente. Rodar duas vezes é seguro: a segunda não faz nada.

    O WeasyPrint e a leitura do CSV rodam fora de transação (podem levar minutos); só a gravação final trava a
    linha.
    """
    gerado = RelatorioGerado.objects.select_related("usuario").filter(pk=relatorio_id).first()
    if gerado is None or gerado.status != RelatorioGerado.Status.PENDENTE:
        return False
    pendente = RelatorioGerado.objects.filter(pk=relatorio_id, status=RelatorioGerado.Status.PENDENTE)

    def progresso(p: int) -> None:
        pendente.update(progresso=max(0, min(int(p), 99)))

    try:
        relatorio = registro.obter(gerado.nome)
        # Mesma consulta da tela, com o acesso do usuário na hora da geração.
        consulta = relatorio.consultar(gerado.usuario, gerado.parametros)
        conteudo = _conteudo(relatorio, consulta, gerado, progresso)
        nome_arquivo = relatorio.nome_arquivo(consulta, gerado.formato)
        try:
            with conteudo:
                gerado.arquivo.save(nome_arquivo, conteudo, save=False)
        finally:
            _apagar_temporario(conteudo)
    except Exception as exc:
        log.exception("Falha ao gerar o relatório %s", relatorio_id)
        pendente.update(status=RelatorioGerado.Status.ERRO, erro=str(exc)[:2000] or exc.__class__.__name__,
                        concluido_em=timezone.now())
        return False
    with transaction.atomic():
        atual = RelatorioGerado.objects.select_for_update().filter(pk=relatorio_id).first()
        if atual is None or atual.status != RelatorioGerado.Status.PENDENTE:
            gerado.arquivo.delete(save=False)  # outro worker terminou primeiro: fica o arquivo dele
            return False
        atual.arquivo = gerado.arquivo.name
        atual.nome_arquivo = nome_arquivo
        atual.status = RelatorioGerado.Status.PRONTO
        atual.progresso = 100
        atual.concluido_em = timezone.now()
        atual.save(update_fields=["arquivo", "nome_arquivo", "status", "progresso", "concluido_em"])
    return True


def apagar_antigos(agora=None) -> int:
    """Apaga os relatórios pedidos há mais de ``GUARDAR_POR``, com os arquivos do armazenamento."""
    limite = (agora or timezone.now()) - GUARDAR_POR
    antigos = RelatorioGerado.objects.filter(criado_em__lt=limite)
    for gerado in antigos.exclude(arquivo="").only("pk", "arquivo").iterator():
        gerado.arquivo.delete(save=False)
    apagados, _ = antigos.delete()
    return apagados
