"""Indicação de recursos, o seu histórico e a lista de impedimentos de ordem técnica."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..prazos import OrigemSaldo
from .catalogo import EspecificacaoAtendimento, TipoAplicacao
from .nucleo import DINHEIRO, Exercicio, Inciso, Parlamentar


class CategoriaImpedimento(models.Model):
    """Classificação do impedimento de ordem técnica (lista da LDO, mantida pela SEGOV).

    Sem exercício: lista padrão, usada por todo exercício que não tenha a sua.
    """

    # PROTECT: a lista da LDO de um exercício é parte do histórico das reprovações dele.
    exercicio = models.ForeignKey(
        Exercicio, on_delete=models.PROTECT, null=True, blank=True, related_name="categorias_impedimento",
        help_text="Vazio: categoria padrão, válida para os exercícios sem lista própria.", verbose_name="exercício",
    )
    nome = models.CharField("categoria", max_length=200)
    ativa = models.BooleanField("ativa", default=True)

    class Meta:
        verbose_name = "categoria de impedimento de ordem técnica"
        verbose_name_plural = "categorias de impedimento de ordem técnica"
        ordering = ["nome"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "nome"], name="categoria_iot_unica"),
            # NULL não é igual a NULL numa restrição única: a lista padrão precisa da sua.
            models.UniqueConstraint(
                fields=["nome"], condition=Q(exercicio__isnull=True), name="categoria_iot_padrao_unica",
                violation_error_message="Já existe uma categoria padrão com este nome.",
            ),
        ]

    def __str__(self):
        return self.nome

    @classmethod
    def do_exercicio(cls, exercicio):
        proprias = cls.objects.filter(exercicio=exercicio, ativa=True)
        return proprias if proprias.exists() else cls.objects.filter(exercicio__isnull=True, ativa=True)


# Grupos de situações usados nas restrições do banco de Indicacao (texto puro: as migrações os copiam).
ENCERRADAS = ["REPROVADA", "CANCELADA"]
COM_JUSTIFICATIVA = ["REPROVADA", "CANCELADA", "AGUARDANDO_AJUSTE", "RETORNADO_SEGOV"]
APOS_ORGAO = ["EM_ANALISE_SEGOV", "RETORNADO_SEGOV", "APROVADA"]
ATIVAS_TEXTO = ["EM_ANALISE_ORGAO", "EM_ANALISE_SEGOV", "RETORNADO_SEGOV", "AGUARDANDO_AJUSTE", "APROVADA"]


class Indicacao(models.Model):
    """Indicação de recursos de um inciso a um beneficiário (uma por beneficiário)."""

    class Status(models.TextChoices):
        EM_ANALISE_ORGAO = "EM_ANALISE_ORGAO", "Em análise no órgão"
        EM_ANALISE_SEGOV = "EM_ANALISE_SEGOV", "Em análise na SEGOV"
        RETORNADO_SEGOV = "RETORNADO_SEGOV", "Retornada pela SEGOV"
        AGUARDANDO_AJUSTE = "AGUARDANDO_AJUSTE", "Aguardando ajuste parlamentar"
        APROVADA = "APROVADA", "Aprovada"
        REPROVADA = "REPROVADA", "Reprovada (impedimento técnico)"
        CANCELADA = "CANCELADA", "Cancelada"

    class FormaExecucao(models.TextChoices):
        CONVENIO = "CONVENIO", "Celebração de convênio / parceria"
        EXECUCAO_DIRETA = "EXECUCAO_DIRETA", "Aplicação direta – execução direta"
        CAIXA_ESCOLAR = "CAIXA_ESCOLAR", "Aplicação direta – Caixa Escolar"
        DOACAO_BENS = "DOACAO_BENS", "Aplicação direta – doação de bens"
        RESOLUCAO_SES = "RESOLUCAO_SES", "Transferência fundo a fundo – Resolução SES"
        TRANSFERENCIA_ESPECIAL = "TRANSFERENCIA_ESPECIAL", "Transferência especial"
        OUTROS_INSTRUMENTOS = "OUTROS_INSTRUMENTOS", "Outros instrumentos"

    ATIVAS = (
        Status.EM_ANALISE_ORGAO, Status.EM_ANALISE_SEGOV, Status.RETORNADO_SEGOV, Status.AGUARDANDO_AJUSTE,
        Status.APROVADA,
    )

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="indicacoes", editable=False,
                                  verbose_name="exercício")
    numero = models.PositiveIntegerField("número", editable=False)
    inciso = models.ForeignKey(Inciso, on_delete=models.PROTECT, related_name="indicacoes")
    forma_execucao = models.CharField("forma de execução", max_length=24, choices=FormaExecucao.choices)
    beneficiario = models.ForeignKey(
        "convenios.Convenente", on_delete=models.PROTECT, null=True, blank=True, related_name="indicacoes",
        verbose_name="beneficiário",
    )
    objeto = models.TextField("objeto / tipo de atendimento")
    valor = models.DecimalField("valor", validators=[MinValueValidator(Decimal("0.01"))], **DINHEIRO)
    status = models.CharField("situação", max_length=20, choices=Status.choices, default=Status.EM_ANALISE_ORGAO)
    origem_saldo = models.CharField("saldo de origem", max_length=20, choices=OrigemSaldo.choices)
    saldo_devolucao = models.CharField("valor devolvido para", max_length=20, choices=OrigemSaldo.choices, blank=True)
    enviada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Por quem agiu o titular (o próprio parlamentar, ou o assessor com o próprio login): o parlamentar representado.
    em_nome_de = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="em nome de")
    # Primeiro envio; o reenvio depois de um ajuste não muda esta data.
    enviada_em = models.DateTimeField("enviada em", default=timezone.now)
    aprovada_orgao_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aprovada_orgao_em = models.DateTimeField("aprovada pelo órgão em", null=True, blank=True)
    aprovada_segov_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aprovada_segov_em = models.DateTimeField("aprovada pela SEGOV em", null=True, blank=True)
    encerrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="reprovada/cancelada por",
    )
    encerrada_em = models.DateTimeField("reprovada/cancelada em", null=True, blank=True)
    categoria_impedimento = models.ForeignKey(
        CategoriaImpedimento, on_delete=models.PROTECT, null=True, blank=True, verbose_name="categoria do impedimento"
    )
    justificativa = models.TextField("última justificativa", blank=True)
    # Priorização (DOMAIN.md §7.7): 1..n por titular e exercício entre as impositivas ativas, as de inciso P por
    # último; vazia nas outras. Mantida densa por emendas/indicacoes/priorizacao.py, com os incisos do titular travados.
    prioridade = models.PositiveIntegerField("prioridade", null=True, blank=True, editable=False)
    # Catálogos do grupo de despesa do inciso (DOMAIN.md §2.12, §7.2): o tipo de atendimento no convênio, o tipo de
    # aplicação nas outras formas, nenhum na transferência especial. Vazios nas indicações de antes dos catálogos.
    especificacao_atendimento = models.ForeignKey(
        EspecificacaoAtendimento, on_delete=models.PROTECT, null=True, blank=True, related_name="indicacoes",
        verbose_name="tipo de atendimento", editable=False,
    )
    tipo_aplicacao = models.ForeignKey(TipoAplicacao, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="indicacoes", verbose_name="tipo de aplicação", editable=False)
    # O último ajuste do parlamentar: as filas do órgão e da SEGOV destacam a indicação ajustada.
    ajustada_em = models.DateTimeField("ajustada em", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "indicação"
        verbose_name_plural = "indicações"
        ordering = ["-enviada_em", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "numero"], name="indicacao_numero_unico"),
            models.CheckConstraint(condition=Q(valor__gt=0), name="indicacao_valor_positivo"),
            models.CheckConstraint(
                condition=Q(beneficiario__isnull=False) | Q(forma_execucao="EXECUCAO_DIRETA"),
                name="indicacao_beneficiario_salvo_execucao_direta",
                violation_error_message="Informe o beneficiário: só a execução direta dispensa.",
            ),
            # O saldo do inciso lê encerrada_em e saldo_devolucao (emendas.movimentos).
            models.CheckConstraint(
                condition=(
                    Q(status__in=ENCERRADAS, encerrada_em__isnull=False) & ~Q(saldo_devolucao="")
                    | (
                        ~Q(status__in=ENCERRADAS)
                        & Q(encerrada_em__isnull=True, encerrada_por__isnull=True, saldo_devolucao="")
                    )
                ),
                name="indicacao_encerramento_conforme_situacao",
                violation_error_message=(
                    "Indicação reprovada ou cancelada tem a data do encerramento e para onde o valor voltou; "
                    "as ativas não."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="REPROVADA", categoria_impedimento__isnull=False)
                    | (~Q(status="REPROVADA") & Q(categoria_impedimento__isnull=True))
                ),
                name="indicacao_categoria_so_reprovada",
                violation_error_message="Só a indicação reprovada tem categoria de impedimento, e toda reprovada tem.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=COM_JUSTIFICATIVA) | ~Q(justificativa=""),
                name="indicacao_justificativa_conforme_situacao",
                violation_error_message="Indicação reprovada, cancelada ou devolvida precisa de justificativa.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=APOS_ORGAO) | Q(aprovada_orgao_em__isnull=False),
                name="indicacao_aprovada_orgao_conforme_situacao",
                violation_error_message="Indicação que passou pelo órgão tem a data da aprovação do órgão.",
            ),
            models.CheckConstraint(
                condition=Q(prioridade__isnull=True) | (
                    Q(prioridade__gte=1, status__in=ATIVAS_TEXTO) & ~Q(origem_saldo="NAO_IMPOSITIVO")
                ),
                name="indicacao_prioridade_so_impositiva_ativa",
                violation_error_message="Só as indicações impositivas ativas têm prioridade (a partir de 1).",
            ),
            models.CheckConstraint(
                condition=Q(especificacao_atendimento__isnull=True) | Q(tipo_aplicacao__isnull=True),
                name="indicacao_atendimento_ou_aplicacao",
                violation_error_message="A indicação tem tipo de atendimento ou tipo de aplicação, não os dois.",
            ),
            models.CheckConstraint(
                condition=~Q(status="APROVADA") | Q(aprovada_segov_em__isnull=False),
                name="indicacao_aprovada_segov_conforme_situacao",
                violation_error_message="Indicação aprovada tem a data da aprovação da SEGOV.",
            ),
        ]
        indexes = [
            # Filas do órgão e da SEGOV: WHERE status = X ORDER BY enviada_em, id LIMIT 50 sai do índice, sem ordenar
            # (e serve a qualquer consulta por situação, como o índice só de status que este substitui).
            models.Index(fields=["status", "enviada_em", "id"], name="indicacao_fila_idx"),
            # Visualizar Indicações: ORDER BY numero DESC, id DESC LIMIT 50 sem ordenar as 200 mil.
            models.Index(fields=["-numero", "-id"], name="indicacao_numero_desc_idx"),
            # A ordem do modelo (relatório "Valores Indicados"): ORDER BY enviada_em DESC, id DESC.
            models.Index(fields=["-enviada_em", "-id"], name="indicacao_enviada_desc_idx"),
        ]

    def __str__(self):
        return f"Indicação {self.numero}"

    @property
    def ativa(self) -> bool:
        return self.status in self.ATIVAS


class RegistroIndicacao(models.Model):
    # PROTECT: a trilha de auditoria nunca some junto com a indicação.
    indicacao = models.ForeignKey(Indicacao, on_delete=models.PROTECT, related_name="registros")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Nas ações do lado do titular (enviar, ajustar, cancelar) (o próprio parlamentar, ou o assessor com o próprio login): o parlamentar representado.
    em_nome_de = models.ForeignKey(Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="em nome de")
    momento = models.DateTimeField("quando", default=timezone.now)
    status_anterior = models.CharField("de", max_length=20, choices=Indicacao.Status.choices, blank=True)
    status_novo = models.CharField("para", max_length=20, choices=Indicacao.Status.choices)
    justificativa = models.TextField("justificativa / observação", blank=True)

    class Meta:
        verbose_name = "registro de indicação"
        verbose_name_plural = "registros de indicação"
        ordering = ["momento", "pk"]

    def __str__(self):
        return f"{self.get_status_anterior_display() or '—'} → {self.get_status_novo_display()}"
