"""Arquivo de carga guardado entre a prévia e a confirmação."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ArquivoImportacao(models.Model):
    """Arquivo enviado à tela de importação, guardado entre a prévia e a confirmação.

    O conteúdo fica no armazenamento de arquivos do Django (``default_storage``: disco local ou um serviço
    compatível com S3, conforme ``STORAGES``), com nome aleatório; a confirmação manda só o ``id`` e lê daqui o
    tipo, o ano e a publicação, de modo que nada que vem do navegador muda o que a prévia mostrou.
    """

    class Tipo(models.TextChoices):
        LOA = "loa", "Incisos da LOA"
        PROGRAMACOES = "programacoes", "Programações elegíveis"
        EXECUCAO = "execucao", "Controle de execução"

    # Depois disso a confirmação recusa a prévia, e a tarefa periódica apaga arquivo e registro.
    VALIDADE = timedelta(hours=2)

    # UUID e não um número: o id vai num campo da página e não deve ser adivinhável nem contável.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name="enviado por")
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    ano = models.PositiveSmallIntegerField("exercício")
    publicacao = models.DateField("publicação da LOA", null=True, blank=True)
    nome_original = models.CharField("nome do arquivo", max_length=255)
    caminho = models.CharField("caminho no armazenamento", max_length=255, unique=True)
    tamanho = models.PositiveIntegerField("tamanho (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    criado_em = models.DateTimeField("enviado em", default=timezone.now, db_index=True)
    usado_em = models.DateTimeField("importado em", null=True, blank=True)

    class Meta:
        verbose_name = "arquivo de importação"
        verbose_name_plural = "arquivos de importação"
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=["programacoes", "execucao"]) | Q(publicacao__isnull=False),
                name="arquivo_importacao_loa_com_publicacao",
                violation_error_message="A carga da LOA guarda a data de publicação.",
            ),
        ]

    def __str__(self):
        return f"{self.nome_original} ({self.get_tipo_display()} {self.ano})"

    @property
    def expira_em(self):
        return self.criado_em + self.VALIDADE
