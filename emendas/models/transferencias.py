"""Transferência Especial (EC 101/2019): o registro da indicação aprovada dessa forma ("Gerir Transferência
Especial", DOMAIN.md §3.4) — nº da resolução, data de publicação, dotação e o envio ao SIAFI-MG."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .indicacoes import Indicacao


class TransferenciaEspecial(models.Model):
    """Nasce no primeiro cadastro (antes dele, a indicação aprovada aparece como "não cadastrado"). O envio ao
    SIAFI-MG grava o pedido (``envio_iniciado_em``), chama o SIAFI fora da transação e grava o resultado; o
    ``identificador`` vai em todo envio da mesma transferência, para o SIAFI não registrar duas vezes."""

    class Status(models.TextChoices):
        NAO_CADASTRADO = "NAO_CADASTRADO", "Não cadastrado"
        CADASTRADO = "CADASTRADO", "Cadastrado"
        REGISTRADO_SIAFI = "REGISTRADO_SIAFI", "Registrado no SIAFI"
        NAO_ENVIADO = "NAO_ENVIADO", "Não enviado"
        ENCERRADO = "ENCERRADO", "Encerrado"

    # PROTECT: o registro no SIAFI é parte do histórico da indicação.
    indicacao = models.OneToOneField(Indicacao, on_delete=models.PROTECT, related_name="transferencia_especial",
                                     verbose_name="indicação")
    # A chave de idempotência do SIAFI-MG: a mesma em todo reenvio desta transferência.
    identificador = models.UUIDField("identificador no SIAFI", default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField("situação", max_length=16, choices=Status.choices, default=Status.NAO_CADASTRADO)
    numero_resolucao = models.CharField("nº da resolução", max_length=40, blank=True)
    data_publicacao = models.DateField("data de publicação", null=True, blank=True)
    dotacao = models.CharField("dotação orçamentária", max_length=80, blank=True)
    cadastrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name="cadastrada por")
    cadastrada_em = models.DateTimeField("cadastrada em", null=True, blank=True)
    # Pedido gravado e ainda sem resultado: outro envio espera (ou, passado o prazo, o pedido é dado por perdido).
    envio_iniciado_em = models.DateTimeField("envio ao SIAFI em andamento desde", null=True, blank=True)
    enviada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="último envio por")
    tentativas = models.PositiveIntegerField("envios ao SIAFI", default=0)
    ultimo_envio_em = models.DateTimeField("último envio em", null=True, blank=True)
    erro_siafi = models.TextField("motivo do não envio", blank=True)
    numero_siafi = models.CharField("nº do registro no SIAFI", max_length=40, blank=True)
    registrada_em = models.DateTimeField("registrada no SIAFI em", null=True, blank=True)
    encerrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name="encerrada por")
    encerrada_em = models.DateTimeField("encerrada em", null=True, blank=True)

    class Meta:
        verbose_name = "transferência especial"
        verbose_name_plural = "transferências especiais"
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="NAO_CADASTRADO") | (
                    ~Q(numero_resolucao="") & Q(data_publicacao__isnull=False, cadastrada_em__isnull=False)),
                name="transferencia_cadastrada_com_resolucao",
                violation_error_message="Transferência cadastrada tem nº da resolução, data de publicação e quando.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["REGISTRADO_SIAFI", "ENCERRADO"]) | (
                    ~Q(numero_siafi="") & Q(registrada_em__isnull=False)),
                name="transferencia_registrada_com_numero_siafi",
                violation_error_message="Transferência registrada no SIAFI tem o nº do registro e a data.",
            ),
            models.CheckConstraint(
                condition=~Q(status="NAO_ENVIADO") | ~Q(erro_siafi=""),
                name="transferencia_nao_enviada_com_motivo",
                violation_error_message="Transferência não enviada mostra o motivo.",
            ),
            models.CheckConstraint(
                condition=Q(status="ENCERRADO", encerrada_em__isnull=False)
                | (~Q(status="ENCERRADO") & Q(encerrada_em__isnull=True)),
                name="transferencia_encerramento_conforme_situacao",
                violation_error_message="Só a transferência encerrada tem a data do encerramento.",
            ),
        ]

    def __str__(self):
        return f"Transferência especial da indicação {self.indicacao.numero}"

    @property
    def envio_em_andamento(self) -> bool:
        return self.envio_iniciado_em is not None


class RegistroTransferenciaEspecial(models.Model):
    """Histórico: cada mudança de situação da transferência especial (``sigcon.estados``)."""

    # PROTECT: o histórico nunca some junto com a transferência.
    transferencia = models.ForeignKey(TransferenciaEspecial, on_delete=models.PROTECT, related_name="registros",
                                      verbose_name="transferência especial")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="usuário")
    momento = models.DateTimeField("quando", default=timezone.now)
    status_anterior = models.CharField("de", max_length=16, choices=TransferenciaEspecial.Status.choices,
                                       blank=True)
    status_novo = models.CharField("para", max_length=16, choices=TransferenciaEspecial.Status.choices)
    observacao = models.TextField("observação", blank=True)

    class Meta:
        verbose_name = "registro de transferência especial"
        verbose_name_plural = "registros de transferência especial"
        ordering = ["momento", "pk"]

    def __str__(self):
        return f"{self.get_status_anterior_display() or '—'} → {self.get_status_novo_display()}"
