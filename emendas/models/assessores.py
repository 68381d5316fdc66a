"""O vínculo entre um parlamentar e um assessor (DOMAIN.md §1.2), com o histórico inteiro.

Cada associação é uma linha; desassociar encerra a linha (``ate``, ``encerrado_por``), nunca a apaga: quem agiu em nome
de quem, e quando podia, continua legível. No máximo um vínculo ativo por par (restrição do banco).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .nucleo import Parlamentar


class VinculoAssessor(models.Model):
    parlamentar = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, related_name="vinculos_assessores",
                                    verbose_name="parlamentar")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vinculos_assessor",
                                 verbose_name="assessor")
    ativo = models.BooleanField("ativo", default=True)
    desde = models.DateTimeField("associado em", default=timezone.now)
    ate = models.DateTimeField("desassociado em", null=True, blank=True)
    associado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="associado por")
    encerrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="desassociado por")

    class Meta:
        verbose_name = "vínculo de assessor"
        verbose_name_plural = "vínculos de assessores"
        ordering = ["-ativo", "-desde", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["parlamentar", "assessor"], condition=Q(ativo=True),
                                    name="vinculo_assessor_um_ativo_por_par",
                                    violation_error_message="Este assessor já está associado a este parlamentar."),
            models.CheckConstraint(condition=Q(ativo=True, ate__isnull=True) | Q(ativo=False, ate__isnull=False),
                                   name="vinculo_assessor_ativo_sem_fim",
                                   violation_error_message="Vínculo ativo não tem data de fim; encerrado tem."),
        ]
        indexes = [models.Index(fields=["assessor", "ativo"], name="vinculo_assessor_ativos_idx")]

    def __str__(self):
        return f"{self.assessor} assessora {self.parlamentar}"
