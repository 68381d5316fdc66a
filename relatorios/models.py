from django.conf import settings
from django.db import models
from django.utils import timezone


class RelatorioGerado(models.Model):
    """PDF ou CSV grande pedido pelo usuário e gerado por uma tarefa Celery.

    O arquivo fica no armazenamento do Django (``STORAGES["default"]``): o servidor web e o worker o veem
    sem disco compartilhado quando o armazenamento é remoto; a limpeza periódica apaga o arquivo e a linha.
    """

    class Status(models.TextChoices):
        PENDENTE = "PENDENTE", "Em preparação"
        PRONTO = "PRONTO", "Pronto"
        ERRO = "ERRO", "Erro"

    class Formato(models.TextChoices):
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relatorios_gerados", verbose_name="usuário"
    )
    nome = models.CharField("relatório", max_length=40)
    titulo = models.CharField("título", max_length=120, blank=True)
    formato = models.CharField("formato", max_length=3, choices=Formato.choices, default=Formato.PDF)
    parametros = models.JSONField("filtros", default=dict, blank=True)
    status = models.CharField("situação", max_length=10, choices=Status.choices, default=Status.PENDENTE)
    progresso = models.PositiveSmallIntegerField("progresso (%)", default=0)
    linhas = models.PositiveIntegerField("linhas", default=0)
    arquivo = models.FileField("arquivo", upload_to="relatorios/%Y/%m/", max_length=200, blank=True, editable=False)
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
        return f"{self.titulo or self.nome} ({self.get_formato_display()}, {self.get_status_display()})"

    @property
    def pronto(self) -> bool:
        return self.status == self.Status.PRONTO

    @property
    def pendente(self) -> bool:
        return self.status == self.Status.PENDENTE

    @property
    def linhas_formatadas(self) -> str:
        """``199.817``: o número de linhas com o ponto de milhar."""
        return f"{self.linhas:,}".replace(",", ".")

    @property
    def tipo_de_conteudo(self) -> str:
        return "text/csv; charset=utf-8" if self.formato == self.Formato.CSV else "application/pdf"
