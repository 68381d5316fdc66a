"""Diligência: o pedido de esclarecimento ou de documento que o órgão faz sobre uma indicação (DOMAIN.md §2.10)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from .indicacoes import Indicacao
from .nucleo import Exercicio, UnidadeOrcamentaria


class Diligencia(models.Model):
    """Aberta pelo analista do órgão da indicação (e, se for o caso, da proposta que a usa); respondida pelo titular
    no sistema; fechada pelo órgão. O número de controle é da sequência do exercício."""

    class Status(models.TextChoices):
        ABERTA = "ABERTA", "Aberta"
        FECHADA = "FECHADA", "Fechada"

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="diligencias", editable=False,
                                  verbose_name="exercício")
    numero = models.PositiveIntegerField("número de controle", editable=False)
    # PROTECT: a diligência é parte do histórico da indicação (e da proposta).
    indicacao = models.ForeignKey(Indicacao, on_delete=models.PROTECT, related_name="diligencias",
                                  verbose_name="indicação")
    proposta = models.ForeignKey("convenios.PropostaPlanoTrabalho", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="diligencias", verbose_name="proposta de plano de trabalho")
    # O órgão (UO) da indicação quando a diligência foi aberta: o filtro "órgão" e quem pode fechá-la.
    orgao = models.ForeignKey(UnidadeOrcamentaria, on_delete=models.PROTECT, related_name="diligencias",
                              verbose_name="órgão (UO)")
    responsavel = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="responsável (quem abriu)")
    texto = models.TextField("texto da diligência")
    status = models.CharField("situação", max_length=10, choices=Status.choices, default=Status.ABERTA)
    aberta_em = models.DateTimeField("aberta em", default=timezone.now)
    fechada_em = models.DateTimeField("fechada em", null=True, blank=True)
    fechada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="fechada por")

    class Meta:
        verbose_name = "diligência"
        verbose_name_plural = "diligências"
        ordering = ["-aberta_em", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "numero"], name="diligencia_numero_unico"),
            models.CheckConstraint(
                condition=(Q(status="FECHADA", fechada_em__isnull=False, fechada_por__isnull=False)
                           | (~Q(status="FECHADA") & Q(fechada_em__isnull=True, fechada_por__isnull=True))),
                name="diligencia_fechamento_conforme_situacao",
                violation_error_message="Diligência fechada tem quem e quando fechou; a aberta não.",
            ),
        ]
        indexes = [
            # "Gerenciar Diligências": ORDER BY numero DESC, id DESC LIMIT 50 sai do índice.
            models.Index(fields=["-numero", "-id"], name="diligencia_numero_desc_idx"),
            # O selo das listas de indicações: a diligência aberta mais recente de cada indicação da página.
            models.Index(fields=["indicacao", "status", "-numero"], name="diligencia_da_indicacao_idx"),
        ]

    def __str__(self):
        return f"Diligência nº {self.numero}"

    @property
    def aberta(self) -> bool:
        return self.status == self.Status.ABERTA

    @classmethod
    def numero_da_aberta(cls, indicacao="pk") -> Subquery:
        """O número da diligência aberta mais recente da indicação (*indicacao*: o campo com o id dela na consulta de
        fora), ou nulo: a anotação das listas de indicações, que mostram o número e o selo na linha. Uma subconsulta
        por linha da página, pelo índice ``diligencia_da_indicacao_idx``; o COUNT da paginação não a leva."""
        abertas = cls.objects.filter(indicacao_id=OuterRef(indicacao), status=cls.Status.ABERTA).order_by("-numero")
        return Subquery(abertas.values("numero")[:1])


class RespostaDiligencia(models.Model):
    """Uma resposta do titular (texto e anexos). Várias enquanto a diligência está aberta."""

    diligencia = models.ForeignKey(Diligencia, on_delete=models.PROTECT, related_name="respostas",
                                   verbose_name="diligência")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="quem respondeu")
    texto = models.TextField("resposta")
    criada_em = models.DateTimeField("respondida em", default=timezone.now)

    class Meta:
        verbose_name = "resposta de diligência"
        verbose_name_plural = "respostas de diligência"
        ordering = ["criada_em", "pk"]

    def __str__(self):
        quando = timezone.localtime(self.criada_em)
        return f"Resposta à diligência nº {self.diligencia.numero} ({quando:%d/%m/%Y %H:%M})"


def caminho_do_anexo(anexo, nome_original: str) -> str:
    """Nome aleatório no armazenamento (nunca o nome que veio do navegador): ninguém adivinha nem sobrescreve."""
    extensao = nome_original.rsplit(".", 1)[-1].lower() if "." in nome_original else "bin"
    return f"diligencias/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extensao}"


class AnexoDiligencia(models.Model):
    """Um arquivo de uma resposta, no armazenamento do Django (``default_storage``); só baixa quem vê a indicação."""

    resposta = models.ForeignKey(RespostaDiligencia, on_delete=models.PROTECT, related_name="anexos",
                                 verbose_name="resposta")
    arquivo = models.FileField("arquivo", upload_to=caminho_do_anexo, max_length=200)
    # Saneado (emendas.diligencias.anexos): é o nome do download, nunca um caminho.
    nome = models.CharField("nome do arquivo", max_length=120)
    tamanho = models.PositiveIntegerField("tamanho (bytes)")
    tipo = models.CharField("tipo", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "anexo de diligência"
        verbose_name_plural = "anexos de diligência"
        ordering = ["pk"]

    def __str__(self):
        return self.nome
