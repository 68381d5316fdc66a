"""Segundo ciclo das emendas (DOMAIN.md §7.12–7.14): saneamento, remanejamento constitucional e a lei que cria os
incisos P.

O dinheiro deste ciclo sai sempre do balde RESERVADO_PL (o saldo com impedimento de ordem técnica) e entra nos saldos
como um terceiro tipo de movimento (``emendas.movimentos``), ao lado de remanejamentos e indicações.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .indicacoes import Indicacao
from .nucleo import DINHEIRO, Acao, Bloco, Exercicio, GrupoDespesa, Inciso, Parlamentar

UM_TITULAR = Q(parlamentar__isnull=False, bloco__isnull=True) | Q(parlamentar__isnull=True, bloco__isnull=False)


class LeiRemanejamento(models.Model):
    """A lei do remanejamento constitucional sancionada, registrada pela SEGOV: cria os incisos P."""

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="leis_remanejamento",
                                  verbose_name="exercício")
    numero_lei = models.CharField("número da lei", max_length=40)
    data = models.DateField("data da sanção")
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name="registrada por")
    registrada_em = models.DateTimeField("registrada em", default=timezone.now)

    class Meta:
        verbose_name = "lei do remanejamento constitucional"
        verbose_name_plural = "leis do remanejamento constitucional"
        ordering = ["exercicio", "data", "pk"]
        constraints = [models.UniqueConstraint(fields=["exercicio", "numero_lei"], name="lei_remanejamento_unica")]

    def __str__(self):
        return f"Lei nº {self.numero_lei} ({self.data:%d/%m/%Y})"


class LinhaRemanejamentoConstitucional(models.Model):
    """Uma dotação de destino programada pelo titular (§7.13); vira um inciso P quando a lei é registrada."""

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="linhas_remanejamento_const",
                                  verbose_name="exercício")
    parlamentar = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bloco = models.ForeignKey(Bloco, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acao = models.ForeignKey(Acao, on_delete=models.PROTECT, related_name="+", verbose_name="ação de destino")
    grupo_despesa = models.ForeignKey(GrupoDespesa, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="grupo de despesa de destino")
    valor = models.DecimalField("valor", validators=[MinValueValidator(Decimal("0.01"))], **DINHEIRO)
    criado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criado_em = models.DateTimeField("programada em", default=timezone.now)
    lei = models.ForeignKey(LeiRemanejamento, on_delete=models.PROTECT, null=True, blank=True, related_name="linhas")
    inciso_gerado = models.OneToOneField(Inciso, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="linha_remanejamento_const", verbose_name="inciso P gerado")

    class Meta:
        verbose_name = "linha do remanejamento constitucional"
        verbose_name_plural = "linhas do remanejamento constitucional"
        ordering = ["exercicio", "pk"]
        constraints = [
            models.CheckConstraint(condition=UM_TITULAR, name="linha_rc_um_titular"),
            models.CheckConstraint(condition=Q(valor__gt=0), name="linha_rc_valor_positivo"),
            models.CheckConstraint(condition=Q(lei__isnull=True, inciso_gerado__isnull=True)
                                   | Q(lei__isnull=False, inciso_gerado__isnull=False),
                                   name="linha_rc_inciso_p_so_com_lei"),
        ]

    def __str__(self):
        return f"{self.acao.codigo}/{self.grupo_despesa.codigo}: {self.valor}"


class MovimentoSaneamento(models.Model):
    """Dinheiro do saldo com impedimento técnico (RESERVADO_PL) de um inciso, em quatro formas:

    - SANEAMENTO: valor sanado de uma indicação reprovada (com a proposta saneadora): volta a ser indicado;
    - RESERVA: guardado para o remanejamento constitucional (fica no RESERVADO_PL até a lei);
    - SAIDA_LEI: saiu para um inciso P na lei (como o remanejamento aprovado: move, nunca cria);
    - PERDA_LEI: guardado e não programado, perdeu a impositividade na lei.
    As duas últimas são gravadas pela lei e nunca mudam; as duas primeiras se editam até a conclusão.
    """

    class Tipo(models.TextChoices):
        SANEAMENTO = "SANEAMENTO", "Valor sanado"
        RESERVA = "RESERVA", "Guardado para o remanejamento constitucional"
        SAIDA_LEI = "SAIDA_LEI", "Saiu para inciso P (lei)"
        PERDA_LEI = "PERDA_LEI", "Não programado (perdeu a impositividade)"

    inciso = models.ForeignKey(Inciso, on_delete=models.PROTECT, related_name="movimentos_saneamento")
    tipo = models.CharField("tipo", max_length=12, choices=Tipo.choices)
    indicacao = models.ForeignKey(Indicacao, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="saneamentos", verbose_name="indicação sanada")
    proposta_saneadora = models.TextField("proposta saneadora", blank=True)
    valor = models.DecimalField("valor", validators=[MinValueValidator(Decimal("0.01"))], **DINHEIRO)
    linha = models.ForeignKey(LinhaRemanejamentoConstitucional, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="saidas")
    criado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criado_em = models.DateTimeField("quando", default=timezone.now)

    class Meta:
        verbose_name = "movimento do saneamento"
        verbose_name_plural = "movimentos do saneamento"
        ordering = ["inciso", "criado_em", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(valor__gt=0), name="mov_saneamento_valor_positivo"),
            models.CheckConstraint(
                condition=(Q(tipo="SANEAMENTO", indicacao__isnull=False) & ~Q(proposta_saneadora=""))
                | (~Q(tipo="SANEAMENTO") & Q(indicacao__isnull=True)),
                name="mov_saneamento_indicacao_conforme_tipo",
                violation_error_message="O valor sanado é de uma indicação e tem a proposta saneadora.",
            ),
            models.CheckConstraint(condition=Q(tipo="SAIDA_LEI", linha__isnull=False)
                                   | (~Q(tipo="SAIDA_LEI") & Q(linha__isnull=True)),
                                   name="mov_saneamento_linha_so_saida"),
            models.UniqueConstraint(fields=["indicacao"], condition=Q(tipo="SANEAMENTO"),
                                    name="mov_saneamento_um_por_indicacao"),
            models.UniqueConstraint(fields=["inciso"], condition=Q(tipo="RESERVA"),
                                    name="mov_saneamento_uma_reserva_por_inciso"),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.valor} ({self.inciso_id})"


class ConclusaoSaneamento(models.Model):
    """"Concluir saneamento" de um inciso: a escolha fica só para leitura (até "Refazer escolha", na janela)."""

    inciso = models.OneToOneField(Inciso, on_delete=models.PROTECT, related_name="conclusao_saneamento")
    concluida_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    concluida_em = models.DateTimeField("concluída em", default=timezone.now)

    class Meta:
        verbose_name = "conclusão do saneamento"
        verbose_name_plural = "conclusões do saneamento"

    def __str__(self):
        return f"Saneamento concluído: {self.inciso_id}"


class ConclusaoRemanejamentoConstitucional(models.Model):
    """O titular concluiu a programação do remanejamento constitucional do exercício."""

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="+", verbose_name="exercício")
    parlamentar = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bloco = models.ForeignKey(Bloco, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    concluida_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    concluida_em = models.DateTimeField("concluída em", default=timezone.now)

    class Meta:
        verbose_name = "conclusão do remanejamento constitucional"
        verbose_name_plural = "conclusões do remanejamento constitucional"
        constraints = [
            models.CheckConstraint(condition=UM_TITULAR, name="conclusao_rc_um_titular"),
            models.UniqueConstraint(fields=["exercicio", "parlamentar"], condition=Q(parlamentar__isnull=False),
                                    name="conclusao_rc_unica_parlamentar"),
            models.UniqueConstraint(fields=["exercicio", "bloco"], condition=Q(bloco__isnull=False),
                                    name="conclusao_rc_unica_bloco"),
        ]

    def __str__(self):
        return f"Remanejamento constitucional concluído ({self.exercicio_id})"
