"""O calendário de cada usuário (link privado do .ics), as escolhas de lembretes e as prorrogações de janela."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .nucleo import Exercicio


class LinkCalendario(models.Model):
    """O link privado do calendário (.ics) de um usuário. Só o SHA-256 do token fica guardado: o link aparece uma
    vez, na hora em que é gerado; gerar outro ou revogar desliga o anterior (404 para quem ainda o tiver)."""

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="links_calendario",
                                verbose_name="usuário")
    hash_token = models.CharField("SHA-256 do token", max_length=64, unique=True, editable=False)
    criado_em = models.DateTimeField("criado em", default=timezone.now, editable=False)
    revogado_em = models.DateTimeField("revogado em", null=True, blank=True)
    ultimo_acesso_em = models.DateTimeField("último acesso em", null=True, blank=True)

    class Meta:
        verbose_name = "link de calendário"
        verbose_name_plural = "links de calendário"
        ordering = ["-criado_em"]
        constraints = [
            # Um link ativo por usuário: gerar outro revoga o anterior na mesma transação.
            models.UniqueConstraint(fields=["usuario"], condition=Q(revogado_em__isnull=True),
                                    name="link_calendario_um_ativo"),
        ]

    def __str__(self):
        return f"{self.usuario} ({'revogado' if self.revogado_em else 'ativo'})"


class PreferenciaLembretes(models.Model):
    """Quais lembretes o usuário quer receber. Sem linha, todos ligados (o padrão)."""

    usuario = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="preferencia_lembretes", verbose_name="usuário")
    prazos = models.BooleanField("prazos das minhas janelas (saldos que mudam de balde)", default=True)
    fila_orgao = models.BooleanField("itens esperando na fila do órgão além do prazo de análise", default=True)
    semana_segov = models.BooleanField("resumo diário do que vence na semana (SEGOV)", default=True)

    class Meta:
        verbose_name = "preferência de lembretes"
        verbose_name_plural = "preferências de lembretes"

    def __str__(self):
        return f"Lembretes de {self.usuario}"


class ProrrogacaoJanela(models.Model):
    """Uma prorrogação de janela decidida pela SEGOV, com a justificativa (a auditoria guarda o mesmo)."""

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="prorrogacoes",
                                  verbose_name="exercício")
    chave = models.CharField("janela", max_length=60, help_text="A chave do prazo (ex.: fase:LIVRE, SR:PLANO_SEGOV).")
    rotulo = models.CharField("nome da janela", max_length=200)
    fim_anterior = models.DateField("fim anterior")
    fim_novo = models.DateField("fim novo")
    justificativa = models.TextField("justificativa")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="decidida por")
    criado_em = models.DateTimeField("decidida em", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "prorrogação de janela"
        verbose_name_plural = "prorrogações de janela"
        ordering = ["-criado_em"]
        constraints = [
            models.CheckConstraint(condition=Q(fim_novo__gt=models.F("fim_anterior")),
                                   name="prorrogacao_so_estende",
                                   violation_error_message="A prorrogação precisa de um fim depois do atual."),
        ]

    def __str__(self):
        return f"{self.rotulo}: {self.fim_anterior:%d/%m/%Y} → {self.fim_novo:%d/%m/%Y}"
