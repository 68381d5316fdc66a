"""Controle de execução de uma indicação aprovada (DOMAIN.md §7.15): utilizado, empenhado, liquidado e pago, e o
impedimento de ordem técnica parcial da parte não utilizada (§7.8, canal c)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ..prazos import OrigemSaldo
from .indicacoes import CategoriaImpedimento, Indicacao
from .nucleo import DINHEIRO


class ExecucaoIndicacao(models.Model):
    """Uma por indicação aprovada. ``valor_indicado`` é a cópia do valor da indicação (que não muda depois da
    aprovação): as restrições do banco comparam os valores da execução com ele sem ler outra tabela."""

    # PROTECT: a execução é parte do histórico do dinheiro da indicação.
    indicacao = models.OneToOneField(Indicacao, on_delete=models.PROTECT, related_name="execucao",
                                     verbose_name="indicação")
    valor_indicado = models.DecimalField("valor indicado", **DINHEIRO)
    utilizado = models.DecimalField("valor utilizado", **DINHEIRO)
    empenhado = models.DecimalField("valor empenhado", **DINHEIRO)
    numero_empenho = models.CharField("número do empenho", max_length=40, blank=True)
    data_empenho = models.DateField("data do empenho", null=True, blank=True)
    liquidado = models.DecimalField("valor liquidado", **DINHEIRO)
    pago = models.DecimalField("valor pago", **DINHEIRO)
    data_pagamento = models.DateField("data do último pagamento", null=True, blank=True)
    automatica = models.BooleanField(
        "automática", default=False,
        help_text="Convênio, Resolução SES, Caixa Escolar e Transferência Especial: vem do instrumento, não do órgão.",
    )
    # Impedimento de ordem técnica parcial: só a parte não utilizada volta ao inciso, para o balde da tabela de
    # devolução no dia (prazos.destino_devolucao_indicacao); irreversível, uma vez por indicação.
    valor_impedido = models.DecimalField("valor impedido (não utilizado)", default=0, **DINHEIRO)
    saldo_devolucao = models.CharField("valor impedido devolvido para", max_length=20, choices=OrigemSaldo.choices,
                                       blank=True)
    impedido_em = models.DateTimeField("impedimento parcial em", null=True, blank=True)
    impedido_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="impedimento parcial por")
    categoria_impedimento = models.ForeignKey(CategoriaImpedimento, on_delete=models.PROTECT, null=True, blank=True,
                                              related_name="+", verbose_name="categoria do impedimento")
    justificativa_impedimento = models.TextField("justificativa do impedimento", blank=True)
    atualizada_em = models.DateTimeField("atualizada em", default=timezone.now)
    atualizada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name="atualizada por")

    class Meta:
        verbose_name = "execução de indicação"
        verbose_name_plural = "execuções de indicação"
        ordering = ["indicacao__numero"]
        constraints = [
            models.CheckConstraint(
                condition=Q(data_empenho__isnull=True) | Q(data_pagamento__isnull=True)
                | Q(data_pagamento__gte=F("data_empenho")),
                name="execucao_pagamento_depois_do_empenho",
                violation_error_message="O pagamento não pode ser anterior ao empenho.",
            ),
            models.CheckConstraint(
                condition=Q(pago__gte=0, liquidado__gte=F("pago"), empenhado__gte=F("liquidado"),
                            utilizado__gte=F("empenhado"), valor_indicado__gte=F("utilizado")),
                name="execucao_valores_em_ordem",
                violation_error_message="Os valores precisam obedecer pago ≤ liquidado ≤ empenhado ≤ utilizado ≤ "
                                        "indicado.",
            ),
            # O convênio não tem número de empenho próprio: o empenho é o das liberações da proposta.
            models.CheckConstraint(
                condition=Q(empenhado=0) | ~Q(numero_empenho="") | Q(automatica=True),
                name="execucao_empenho_com_numero",
                violation_error_message="Informe o número do empenho quando houver valor empenhado.",
            ),
            # O que não foi utilizado nem impedido só existe na execução automática (um convênio que usa parte
            # da indicação); na manual, utilizado < indicado é sempre impedimento parcial.
            models.CheckConstraint(
                condition=Q(valor_impedido__gte=0, valor_indicado__gte=F("utilizado") + F("valor_impedido"))
                & (Q(automatica=True) | Q(valor_indicado=F("utilizado") + F("valor_impedido"))),
                name="execucao_impedido_conforme_utilizado",
                violation_error_message="O valor impedido é o valor indicado menos o utilizado.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(valor_impedido__gt=0, impedido_em__isnull=False, impedido_por__isnull=False,
                      categoria_impedimento__isnull=False) & ~Q(saldo_devolucao="") & ~Q(justificativa_impedimento="")
                ) | Q(valor_impedido=0, impedido_em__isnull=True, impedido_por__isnull=True,
                      categoria_impedimento__isnull=True, saldo_devolucao="", justificativa_impedimento=""),
                name="execucao_impedimento_completo",
                violation_error_message="O impedimento parcial tem valor, data, autor, categoria, justificativa e "
                                        "destino do valor; sem impedimento, nenhum deles.",
            ),
        ]
        indexes = [
            # Os movimentos do inciso (emendas.movimentos) leem só as execuções com impedimento parcial.
            models.Index(fields=["impedido_em"], name="execucao_impedido_idx",
                         condition=Q(impedido_em__isnull=False)),
        ]

    def __str__(self):
        return f"Execução da indicação {self.indicacao.numero}"


class RegistroExecucao(models.Model):
    """Histórico: cada registro da execução, com os valores daquele momento."""

    class Fonte(models.TextChoices):
        ORGAO = "ORGAO", "Registro do órgão"
        IMPORTACAO = "IMPORTACAO", "Importação de planilha"
        AUTOMATICA = "AUTOMATICA", "Automática (instrumento)"

    # PROTECT: o histórico nunca some junto com a execução.
    execucao = models.ForeignKey(ExecucaoIndicacao, on_delete=models.PROTECT, related_name="registros")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    momento = models.DateTimeField("quando", default=timezone.now)
    fonte = models.CharField("fonte", max_length=12, choices=Fonte.choices)
    utilizado = models.DecimalField("valor utilizado", **DINHEIRO)
    empenhado = models.DecimalField("valor empenhado", **DINHEIRO)
    numero_empenho = models.CharField("número do empenho", max_length=40, blank=True)
    liquidado = models.DecimalField("valor liquidado", **DINHEIRO)
    pago = models.DecimalField("valor pago", **DINHEIRO)
    valor_impedido = models.DecimalField("valor impedido", **DINHEIRO)
    observacao = models.TextField("observação", blank=True)

    class Meta:
        verbose_name = "registro de execução"
        verbose_name_plural = "registros de execução"
        ordering = ["momento", "pk"]

    def __str__(self):
        return f"{self.execucao} em {self.momento:%d/%m/%Y %H:%M}"
