"""O instantâneo diário dos dados abertos: o arquivo guardado e o SHA-256 publicado no ``datapackage.json``."""

from django.db import models
from django.utils import timezone


class InstantaneoDadosAbertos(models.Model):
    """O CSV das indicações de um exercício como estava num dia, guardado no armazenamento do Django.

    O SHA-256 e o tamanho vão para o ``datapackage.json`` (quem baixou o arquivo confere que é o mesmo); a cabeça
    da cadeia de auditoria no momento da cópia (``auditoria_ordem``, ``auditoria_hash``) liga o arquivo ao registro
    encadeado de todas as mudanças, e o próprio instantâneo entra na auditoria com o seu hash.
    """

    # PROTECT: o arquivo publicado de um exercício é parte do histórico dele.
    exercicio = models.ForeignKey("emendas.Exercicio", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="exercício")
    dia = models.DateField("dia")
    arquivo = models.FileField("arquivo", max_length=250)
    sha256 = models.CharField("SHA-256", max_length=64)
    tamanho = models.PositiveBigIntegerField("tamanho (bytes)")
    linhas = models.PositiveIntegerField("indicações")
    auditoria_ordem = models.PositiveBigIntegerField("posição da cabeça da auditoria", null=True, blank=True)
    auditoria_hash = models.CharField("hash da cabeça da auditoria", max_length=64, blank=True)
    criado_em = models.DateTimeField("gerado em", default=timezone.now)

    class Meta:
        verbose_name = "instantâneo dos dados abertos"
        verbose_name_plural = "instantâneos dos dados abertos"
        ordering = ["-dia", "exercicio"]
        constraints = [models.UniqueConstraint(fields=["exercicio", "dia"], name="instantaneo_um_por_dia")]

    def __str__(self):
        return f"Dados abertos de {self.exercicio.ano} em {self.dia:%d/%m/%Y}"
