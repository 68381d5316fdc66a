from django.conf import settings
from django.db import models
from django.utils import timezone


class RelatorioGerado(models.Model):
    """PDF grande pedido pelo usuário e gerado por uma tarefa Celery.

    O arquivo fica no banco (poucos MB, apagado pela limpeza periódica): não depende de disco
    compartilhado entre o servidor web e o worker.
    """

    class Status(models.TextChoices):
        PENDENTE = "PENDENTE", "Em preparação"
        PRONTO = "PRONTO", "Pronto"
        ERRO = "ERRO", "Erro"

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relatorios_gerados", verbose_name="usuário"
    )
    nome = models.CharField("relatório", max_length=40)
    titulo = models.CharField("título", max_length=120, blank=True)
    parametros = models.JSONField("filtros", default=dict, blank=True)
    status = models.CharField("situação", max_length=10, choices=Status.choices, default=Status.PENDENTE)
    progresso = models.PositiveSmallIntegerField("progresso (%)", default=0)
    linhas = models.PositiveIntegerField("linhas", default=0)
    arquivo = models.BinaryField("arquivo", null=True, blank=True, editable=False)
    nome_arquivo = models.CharField("nome do arquivo", max_length=120, blank=True)
    criado_em = models.DateTimeField("pedido em", default=timezone.now)
    concluido_em = models.DateTimeField("concluído em", null=True, blank=True)
    erro = models.TextField("erro", blank=True)

    class Meta:
        verbose_name = "relatório gerado"
        verbose_name_plural = "relatórios gerados"
        ordering = ["-criado_em", "-pk"]
        indexes = [models.Index(fields=["status", "criado_em"])]

    def __str__(self):
        return f"{self.titulo or self.nome} ({self.get_status_display()})"

    @property
    def pronto(self) -> bool:
        return self.status == self.Status.PRONTO

    @property
    def pendente(self) -> bool:
        return self.status == self.Status.PENDENTE
