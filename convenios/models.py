from django.conf import settings
from django.db import models

from .cnpj import formatar_cnpj, normalizar_cnpj


class Convenente(models.Model):
    """Entidade que recebe recursos (espelho local do CAGEC)."""

    class Tipo(models.TextChoices):
        ADM_MUNICIPAL = "ADM_MUNICIPAL", "Administração municipal"
        CONSORCIO_PUBLICO = "CONSORCIO_PUBLICO", "Consórcio público"
        ENTIDADE_PUBLICA = "ENTIDADE_PUBLICA", "Entidade pública"
        OSC = "OSC", "Organização da sociedade civil"
        OUTRO = "OUTRO", "Outro"

    cnpj = models.CharField("CNPJ", max_length=14, unique=True)
    razao_social = models.CharField("razão social", max_length=250)
    municipio = models.CharField("município", max_length=120)
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices, default=Tipo.OUTRO)
    # Última situação conhecida no CAGEC / SIAFI-MG (informativa na indicação; as consultas ficam em integracoes).
    situacao_cagec = models.CharField(
        "situação no CAGEC", max_length=12, blank=True,
        choices=[("REGULAR", "Regular"), ("IRREGULAR", "Irregular")],
    )
    siafi_bloqueado = models.BooleanField("bloqueado no SIAFI-MG", null=True, blank=True)
    siafi_motivo = models.CharField("motivo do bloqueio", max_length=250, blank=True)
    situacao_consultada_em = models.DateTimeField("situação consultada em", null=True, blank=True)
    usuarios = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="convenentes", verbose_name="usuários da entidade"
    )

    class Meta:
        verbose_name = "convenente"
        verbose_name_plural = "convenentes"
        ordering = ["razao_social"]

    def __str__(self):
        return f"{self.razao_social} ({self.cnpj_formatado})"

    @property
    def cnpj_formatado(self) -> str:
        return formatar_cnpj(self.cnpj)

    def clean(self):
        self.cnpj = normalizar_cnpj(self.cnpj)
