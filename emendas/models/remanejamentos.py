"""Pedido de remanejamento e o seu histórico."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..prazos import OrigemSaldo
from .nucleo import DINHEIRO, Acao, GrupoDespesa, Inciso, Parlamentar


class Remanejamento(models.Model):
    """Pedido de remanejamento (LDO) de parte de um inciso para outra programação."""

    class Status(models.TextChoices):
        SOLICITADO = "SOLICITADO", "Solicitado"
        APROVADO = "APROVADO", "Aprovado"
        REPROVADO = "REPROVADO", "Reprovado"
        CANCELADO = "CANCELADO", "Cancelado"

    inciso_origem = models.ForeignKey(
        Inciso, on_delete=models.PROTECT, related_name="remanejamentos", verbose_name="inciso de origem"
    )
    acao = models.ForeignKey(Acao, on_delete=models.PROTECT, related_name="+", verbose_name="ação de destino")
    grupo_despesa = models.ForeignKey(
        GrupoDespesa, on_delete=models.PROTECT, related_name="+", verbose_name="grupo de despesa de destino"
    )
    valor = models.DecimalField("valor", validators=[MinValueValidator(Decimal("0.01"))], **DINHEIRO)
    detalhamento = models.TextField("detalhamento", blank=True)
    status = models.CharField("situação", max_length=12, choices=Status.choices, default=Status.SOLICITADO)
    saldo_origem = models.CharField("saldo de origem", max_length=20, choices=OrigemSaldo.choices)
    saldo_devolucao = models.CharField(
        "valor devolvido para", max_length=20, choices=OrigemSaldo.choices, blank=True
    )
    solicitado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="solicitado por"
    )
    solicitado_em = models.DateTimeField("solicitado em", default=timezone.now)
    # Por quem agiu o titular (o próprio parlamentar, ou o assessor com o próprio login): o parlamentar representado.
    em_nome_de = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="em nome de")
    decidido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="decidido por",
    )
    decidido_em = models.DateTimeField("decidido em", null=True, blank=True)
    justificativa = models.TextField("justificativa", blank=True)
    inciso_gerado = models.OneToOneField(
        Inciso, on_delete=models.PROTECT, null=True, blank=True, related_name="remanejamento_de_origem",
        verbose_name="inciso R gerado",
    )

    class Meta:
        verbose_name = "remanejamento"
        verbose_name_plural = "remanejamentos"
        ordering = ["-solicitado_em"]
        # Fila da SEGOV: WHERE status = 'SOLICITADO' ORDER BY solicitado_em, id LIMIT 50 sai do índice, sem ordenar.
        indexes = [
            models.Index(fields=["status", "solicitado_em", "id"], name="remanejamento_fila_idx"),
            # Relatório "Lista de Remanejamento de Incisos" (ordem padrão): ORDER BY solicitado_em DESC, id DESC
            # LIMIT 100 sai do índice, sem ordenar os 50 mil pedidos de todos os exercícios (17 ms → 0,1 ms).
            models.Index(fields=["-solicitado_em", "-id"], name="remanejamento_data_desc_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valor__gt=0), name="remanejamento_valor_positivo"),
            # O saldo do inciso lê estes campos (emendas.movimentos): a situação e eles não podem discordar.
            models.CheckConstraint(
                condition=(
                    Q(status="SOLICITADO", decidido_em__isnull=True, decidido_por__isnull=True)
                    | (~Q(status="SOLICITADO") & Q(decidido_em__isnull=False))
                ),
                name="remanejamento_decisao_conforme_situacao",
                violation_error_message="Remanejamento solicitado não tem decisão; decidido tem a data da decisão.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="APROVADO", inciso_gerado__isnull=False)
                    | (~Q(status="APROVADO") & Q(inciso_gerado__isnull=True))
                ),
                name="remanejamento_inciso_r_so_aprovado",
                violation_error_message="Só o remanejamento aprovado tem inciso R, e todo aprovado tem o seu.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=["REPROVADO", "CANCELADO"], decidido_por__isnull=False) & ~Q(saldo_devolucao="")
                    | (~Q(status__in=["REPROVADO", "CANCELADO"]) & Q(saldo_devolucao=""))
                ),
                name="remanejamento_devolucao_conforme_situacao",
                violation_error_message=(
                    "Remanejamento reprovado ou cancelado diz quem decidiu e para onde o valor voltou; "
                    "os demais não devolvem valor."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="REPROVADO") | ~Q(justificativa=""),
                name="remanejamento_reprovado_com_justificativa",
                violation_error_message="Remanejamento reprovado precisa de justificativa.",
            ),
        ]

    def __str__(self):
        return f"Remanejamento {self.pk} de {self.inciso_origem}"


class RegistroRemanejamento(models.Model):
    """Trilha de auditoria: cada mudança de situação de um remanejamento."""

    # PROTECT: a trilha de auditoria nunca some junto com o pedido.
    remanejamento = models.ForeignKey(Remanejamento, on_delete=models.PROTECT, related_name="registros")
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="usuário",
    )
    # Nas ações do lado do titular (solicitar, cancelar) (o próprio parlamentar, ou o assessor com o próprio login): o parlamentar representado.
    em_nome_de = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="em nome de")
    momento = models.DateTimeField("quando", default=timezone.now)
    status_anterior = models.CharField("de", max_length=12, choices=Remanejamento.Status.choices, blank=True)
    status_novo = models.CharField("para", max_length=12, choices=Remanejamento.Status.choices)
    valor = models.DecimalField("valor", **DINHEIRO)
    observacao = models.TextField("observação", blank=True)

    class Meta:
        verbose_name = "registro de remanejamento"
        verbose_name_plural = "registros de remanejamento"
        ordering = ["momento", "pk"]

    def __str__(self):
        return f"{self.get_status_anterior_display() or '—'} → {self.get_status_novo_display()}"
