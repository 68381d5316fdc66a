"""O registro de disponibilidade: quando o próprio app esteve de pé (batimentos) e quando o CAGEC e o SIAFI-MG caíram.

A SEGOV lê estes registros para decidir uma prorrogação com base em fatos (emendas/calendario: minutos de queda nos
últimos dias de cada janela).
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class PeriodoNoAr(models.Model):
    """Um trecho contínuo de batimentos: o app estava de pé de ``inicio`` até ``ultimo_batimento``.

    O batimento periódico (Celery beat) estica o trecho aberto; um batimento que chega depois de uma falta maior que a
    tolerância abre outro trecho, e o buraco entre os dois é tempo em que o app não bateu (fora do ar ou sem worker).
    """

    inicio = models.DateTimeField("início", default=timezone.now)
    ultimo_batimento = models.DateTimeField("último batimento", default=timezone.now)
    batimentos = models.PositiveIntegerField("batimentos", default=1)

    class Meta:
        verbose_name = "período no ar"
        verbose_name_plural = "períodos no ar"
        ordering = ["-ultimo_batimento"]
        indexes = [models.Index(fields=["-ultimo_batimento"], name="periodo_no_ar_ultimo_idx")]
        constraints = [models.CheckConstraint(condition=Q(ultimo_batimento__gte=F("inicio")),
                                              name="periodo_no_ar_em_ordem")]

    def __str__(self):
        return f"{timezone.localtime(self.inicio):%d/%m/%Y %H:%M} – {timezone.localtime(self.ultimo_batimento):%H:%M}"


class QuedaIntegracao(models.Model):
    """Uma queda do CAGEC ou do SIAFI-MG observada pelos adaptadores (integracoes): do primeiro erro (ou da abertura
    do disjuntor) até a primeira resposta boa (ou o fechamento). Uma aberta por sistema."""

    class Sistema(models.TextChoices):
        CAGEC = "CAGEC", "CAGEC"
        SIAFI = "SIAFI", "SIAFI-MG"

    sistema = models.CharField("sistema", max_length=5, choices=Sistema.choices)
    inicio = models.DateTimeField("início", default=timezone.now)
    fim = models.DateTimeField("fim", null=True, blank=True)
    detalhe = models.CharField("o que foi observado", max_length=250, blank=True)
    disjuntor_aberto_em = models.DateTimeField("disjuntor aberto em", null=True, blank=True)
    disjuntor_fechado_em = models.DateTimeField("disjuntor fechado em", null=True, blank=True)

    class Meta:
        verbose_name = "queda de integração"
        verbose_name_plural = "quedas de integração"
        ordering = ["-inicio"]
        constraints = [
            models.UniqueConstraint(fields=["sistema"], condition=Q(fim__isnull=True), name="queda_uma_aberta"),
            models.CheckConstraint(condition=Q(fim__isnull=True) | Q(fim__gte=F("inicio")), name="queda_em_ordem"),
        ]

    def __str__(self):
        fim = f"{timezone.localtime(self.fim):%d/%m/%Y %H:%M}" if self.fim else "em curso"
        return f"{self.get_sistema_display()}: {timezone.localtime(self.inicio):%d/%m/%Y %H:%M} – {fim}"
