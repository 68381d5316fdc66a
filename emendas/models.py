import re
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import prazos
from .prazos import OrigemSaldo

__all__ = [
    "RegimeCagec",
    "Exercicio",
    "SequenciaExercicio",
    "UnidadeOrcamentaria",
    "Acao",
    "GrupoDespesa",
    "ProgramacaoElegivel",
    "Parlamentar",
    "Bloco",
    "Emenda",
    "Inciso",
    "RegistroCorrecaoInciso",
    "Remanejamento",
    "RegistroRemanejamento",
    "Indicacao",
    "RegistroIndicacao",
    "CategoriaImpedimento",
    "OrigemSaldo",
]

DINHEIRO = {"max_digits": 15, "decimal_places": 2}
NAO_NEGATIVO = [MinValueValidator(Decimal("0.00"))]


class RegimeCagec(models.TextChoices):
    """Quando a regularidade no CAGEC é checada nas propostas do exercício (DOMAIN.md §8.3 e Decisões).

    Fica aqui, e não em convenios, porque o regime é do exercício; ``PropostaPlanoTrabalho.Regime`` é esta
    mesma classe.
    """

    LEGADO = "LEGADO", "Decreto 46.319/2013 (CAGEC no cadastro e no envio)"
    DEC_48745 = "DEC_48745", "Decreto 48.745/2023 (CAGEC só nas assinaturas)"


class Exercicio(models.Model):
    """Ano orçamentário (LOA) com o calendário das janelas e a política de remanejamento."""

    ano = models.PositiveSmallIntegerField("ano", unique=True)
    data_publicacao_loa = models.DateField("publicação da LOA (D0)")
    data_liberacao = models.DateField(
        "liberação do sistema", blank=True, help_text="Padrão: 16 dias após a publicação da LOA."
    )
    fim_janela_livre = models.DateField(
        "fim da janela livre", blank=True, help_text="Padrão: 30 dias após a liberação (D0+46), inclusive."
    )
    fim_janela_obrigatoria = models.DateField(
        "fim da janela obrigatória", blank=True, help_text="Padrão: 60 dias após a publicação (D0+60), inclusive."
    )
    permite_outra_uo = models.BooleanField("permite remanejar para outra UO", default=False)
    limite_outra_uo_percentual = models.DecimalField(
        "limite para outra UO (% do montante impositivo)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    minimo_saude_percentual = models.DecimalField(
        "mínimo em saúde (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Vazio: não verificado.",
        validators=[MinValueValidator(Decimal("0"))],
    )
    auto_aprovar_remanejamento = models.BooleanField("aprovar remanejamentos válidos automaticamente", default=False)
    nao_impositivo_habilitado = models.BooleanField(
        "saldo não impositivo habilitado", default=False, help_text="Libera remanejar e indicar após o prazo."
    )
    regime_cagec = models.CharField(
        "regime da regularidade no CAGEC", max_length=10, choices=RegimeCagec.choices, default=RegimeCagec.LEGADO,
        help_text="Definido pela SEGOV; vale para todas as propostas de plano de trabalho geradas com indicações "
                  "deste exercício.",
    )

    class Meta:
        verbose_name = "exercício"
        verbose_name_plural = "exercícios"
        ordering = ["-ano"]

    def __str__(self):
        return str(self.ano)

    def preencher_datas_padrao(self):
        liberacao, fim_livre, fim_obrigatoria = prazos.datas_padrao(self.data_publicacao_loa)
        if not self.data_liberacao:
            self.data_liberacao = liberacao
        if not self.fim_janela_livre:
            self.fim_janela_livre = fim_livre
        if not self.fim_janela_obrigatoria:
            self.fim_janela_obrigatoria = fim_obrigatoria

    def clean(self):
        if self.data_publicacao_loa:
            self.preencher_datas_padrao()
            erros = prazos.erros_calendario(self)
            if erros:
                raise ValidationError(erros)

    def save(self, *args, **kwargs):
        self.preencher_datas_padrao()
        super().save(*args, **kwargs)
        SequenciaExercicio.objects.bulk_create(
            [SequenciaExercicio(exercicio=self, nome=nome) for nome in SequenciaExercicio.Nome.values],
            ignore_conflicts=True,
        )

    def fase(self, dia=None) -> prazos.Fase:
        return prazos.fase(self, dia or timezone.localdate())


class SequenciaExercicio(models.Model):
    """Último número usado de uma numeração do exercício (indicações, incisos R).

    Linha própria, fora do exercício: quem numera a trava por último (ver ``emendas/travas.py``).
    """

    class Nome(models.TextChoices):
        INDICACAO = "INDICACAO", "Indicações"
        INCISO_R = "INCISO_R", "Incisos R"

    # Parte do próprio exercício (não é histórico): vai junto se um exercício vazio for apagado.
    exercicio = models.ForeignKey(Exercicio, on_delete=models.CASCADE, related_name="sequencias")
    nome = models.CharField("numeração", max_length=10, choices=Nome.choices)
    ultimo = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "numeração do exercício"
        verbose_name_plural = "numerações do exercício"
        constraints = [models.UniqueConstraint(fields=["exercicio", "nome"], name="sequencia_unica_por_exercicio")]

    def __str__(self):
        return f"{self.get_nome_display()} {self.exercicio_id}: {self.ultimo}"


class UnidadeOrcamentaria(models.Model):
    class Secretaria(models.TextChoices):
        SAUDE = "SAUDE", "Secretaria de Estado de Saúde (Resolução SES)"
        EDUCACAO = "EDUCACAO", "Secretaria de Estado de Educação (Caixa Escolar)"
        OUTRA = "OUTRA", "Outra"

    codigo = models.CharField("código", max_length=10, unique=True)
    nome = models.CharField("nome", max_length=200)
    secretaria = models.CharField(
        "secretaria", max_length=10, choices=Secretaria.choices, default=Secretaria.OUTRA,
        help_text="Define as formas de execução exclusivas: Caixa Escolar (Educação) e Resolução SES (Saúde).",
    )
    analistas = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="analistas do órgão",
        blank=True,
        related_name="uos_analisadas",
        help_text="Analistas de viabilidade técnica que analisam as indicações desta UO.",
    )

    class Meta:
        verbose_name = "unidade orçamentária"
        verbose_name_plural = "unidades orçamentárias"
        ordering = ["codigo"]

    def __str__(self):
        return f"{self.codigo} – {self.nome}"


class Acao(models.Model):
    class Area(models.TextChoices):
        SAUDE = "SAUDE", "Saúde"
        EDUCACAO = "EDUCACAO", "Educação"
        IAG1 = "IAG1", "Ações estratégicas (IAG 1)"
        OUTRA = "OUTRA", "Outra"

    uo = models.ForeignKey(UnidadeOrcamentaria, on_delete=models.PROTECT, related_name="acoes", verbose_name="UO")
    codigo = models.CharField("código", max_length=10)
    nome = models.CharField("nome", max_length=250)
    area = models.CharField("área", max_length=10, choices=Area.choices, default=Area.OUTRA)
    destino_livre = models.BooleanField(
        "destino livre", default=False, help_text="Recebe remanejamento de qualquer UO (ex.: UO 1491 / ação 2090)."
    )

    class Meta:
        verbose_name = "ação orçamentária"
        verbose_name_plural = "ações orçamentárias"
        ordering = ["uo__codigo", "codigo"]
        constraints = [models.UniqueConstraint(fields=["uo", "codigo"], name="acao_unica_por_uo")]

    def __str__(self):
        return f"{self.codigo} – {self.nome}"


class GrupoDespesa(models.Model):
    codigo = models.CharField("código", max_length=10, unique=True)
    nome = models.CharField("nome", max_length=120)

    class Meta:
        verbose_name = "grupo de despesa"
        verbose_name_plural = "grupos de despesa"
        ordering = ["codigo"]

    def __str__(self):
        return f"{self.codigo} – {self.nome}"


class ProgramacaoElegivel(models.Model):
    """Ação + grupo de despesa do anexo da Resolução SEGOV para o exercício."""

    # PROTECT: apagar o exercício não pode levar junto o anexo que validou os remanejamentos dele.
    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="programacoes")
    acao = models.ForeignKey(Acao, on_delete=models.PROTECT, related_name="programacoes", verbose_name="ação")
    grupo_despesa = models.ForeignKey(GrupoDespesa, on_delete=models.PROTECT, verbose_name="grupo de despesa")
    recebe_remanejamento = models.BooleanField("recebe remanejamento", default=True)

    class Meta:
        verbose_name = "programação elegível"
        verbose_name_plural = "programações elegíveis"
        ordering = ["acao__uo__codigo", "acao__codigo", "grupo_despesa__codigo"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "acao", "grupo_despesa"], name="programacao_unica")
        ]

    def __str__(self):
        return f"{self.acao.uo.codigo} / {self.acao.codigo} / {self.grupo_despesa.codigo}"


class Parlamentar(models.Model):
    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="parlamentar", verbose_name="usuário"
    )
    nome = models.CharField("nome parlamentar", max_length=200)

    class Meta:
        verbose_name = "parlamentar"
        verbose_name_plural = "parlamentares"
        ordering = ["nome"]

    def __str__(self):
        return self.nome


class Bloco(models.Model):
    nome = models.CharField("nome", max_length=200, unique=True)
    responsavel = models.ForeignKey(
        Parlamentar, on_delete=models.PROTECT, related_name="blocos_responsavel", verbose_name="responsável"
    )
    membros = models.ManyToManyField(Parlamentar, related_name="blocos", blank=True, verbose_name="membros")

    class Meta:
        verbose_name = "bloco ou bancada"
        verbose_name_plural = "blocos e bancadas"
        ordering = ["nome"]

    def __str__(self):
        return self.nome


class Emenda(models.Model):
    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="emendas")
    numero = models.PositiveIntegerField("número")
    parlamentar = models.ForeignKey(
        Parlamentar, on_delete=models.PROTECT, null=True, blank=True, related_name="emendas"
    )
    bloco = models.ForeignKey(Bloco, on_delete=models.PROTECT, null=True, blank=True, related_name="emendas")

    class Meta:
        verbose_name = "emenda"
        verbose_name_plural = "emendas"
        ordering = ["exercicio", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "numero"], name="emenda_unica_por_exercicio"),
            models.CheckConstraint(
                condition=(Q(parlamentar__isnull=False, bloco__isnull=True) | Q(parlamentar__isnull=True, bloco__isnull=False)),
                name="emenda_um_titular",
            ),
        ]

    def __str__(self):
        return f"Emenda {self.numero}/{self.exercicio_id and self.exercicio.ano}"

    @property
    def titular(self):
        return self.parlamentar or self.bloco


_NUMERO_INCISO = re.compile(r"^([SRP])([0-9]{1,6})$")


class Inciso(models.Model):
    class Tipo(models.TextChoices):
        S = "S", "S – previsto na LOA"
        R = "R", "R – resultante de remanejamento"
        P = "P", "P – remanejamento constitucional (não remanejável)"

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="incisos", editable=False)
    emenda = models.ForeignKey(Emenda, on_delete=models.PROTECT, related_name="incisos")
    numero = models.CharField("inciso", max_length=8, help_text="Letra e número, ex.: S530.")
    tipo = models.CharField("tipo", max_length=1, choices=Tipo.choices, editable=False)
    acao = models.ForeignKey(Acao, on_delete=models.PROTECT, related_name="incisos", verbose_name="ação")
    grupo_despesa = models.ForeignKey(GrupoDespesa, on_delete=models.PROTECT, verbose_name="grupo de despesa")
    valor_inicial = models.DecimalField("valor inicial", validators=NAO_NEGATIVO, **DINHEIRO)
    inciso_origem = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="incisos_gerados",
        verbose_name="inciso de origem",
    )
    # Balde em que o valor inicial nasce: LIVRE para S e P; para R depende da fase da aprovação.
    saldo_inicial = models.CharField(
        "saldo inicial em", max_length=20, choices=OrigemSaldo.choices, default=OrigemSaldo.LIVRE, editable=False
    )
    criado_em = models.DateTimeField("criado em", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "inciso"
        verbose_name_plural = "incisos"
        ordering = ["acao__uo__codigo", "emenda__numero", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["exercicio", "numero"], name="inciso_unico_por_exercicio"),
            models.CheckConstraint(condition=Q(valor_inicial__gte=0), name="inciso_valor_inicial_nao_negativo"),
        ]

    def __str__(self):
        return self.numero

    @staticmethod
    def tipo_do_numero(numero: str) -> str:
        casado = _NUMERO_INCISO.match(numero or "")
        if not casado:
            raise ValidationError(f"Número de inciso inválido: “{numero}”. Use a letra S, R ou P seguida de dígitos.")
        return casado.group(1)

    def clean(self):
        self.tipo = self.tipo_do_numero(self.numero)

    def save(self, *args, **kwargs):
        self.tipo = self.tipo_do_numero(self.numero)
        if self.emenda_id and not self.exercicio_id:
            self.exercicio_id = self.emenda.exercicio_id
        super().save(*args, **kwargs)

    @property
    def uo(self):
        return self.acao.uo

    @property
    def remanejavel(self) -> bool:
        return self.tipo != self.Tipo.P


class RegistroCorrecaoInciso(models.Model):
    """Trilha de auditoria das correções de um inciso feitas pela SEGOV (valor inicial, ação, grupo)."""

    inciso = models.ForeignKey(Inciso, on_delete=models.PROTECT, related_name="correcoes")
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="usuário"
    )
    momento = models.DateTimeField("quando", default=timezone.now)
    justificativa = models.TextField("justificativa")
    valor_anterior = models.DecimalField("valor inicial antes", **DINHEIRO)
    valor_novo = models.DecimalField("valor inicial depois", **DINHEIRO)
    acao_anterior = models.ForeignKey(Acao, on_delete=models.PROTECT, related_name="+", verbose_name="ação antes")
    acao_nova = models.ForeignKey(Acao, on_delete=models.PROTECT, related_name="+", verbose_name="ação depois")
    grupo_anterior = models.ForeignKey(
        GrupoDespesa, on_delete=models.PROTECT, related_name="+", verbose_name="grupo de despesa antes"
    )
    grupo_novo = models.ForeignKey(
        GrupoDespesa, on_delete=models.PROTECT, related_name="+", verbose_name="grupo de despesa depois"
    )

    class Meta:
        verbose_name = "correção de inciso"
        verbose_name_plural = "correções de inciso"
        ordering = ["momento", "pk"]

    def __str__(self):
        return f"Correção do inciso {self.inciso_id} em {self.momento:%d/%m/%Y %H:%M}"


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
        constraints = [
            models.CheckConstraint(condition=Q(valor__gt=0), name="remanejamento_valor_positivo"),
            # O saldo do inciso lê estes campos (selectors._movimentos): a situação e eles não podem discordar.
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


class CategoriaImpedimento(models.Model):
    """Classificação do impedimento de ordem técnica (lista da LDO, mantida pela SEGOV).

    Sem exercício: lista padrão, usada por todo exercício que não tenha a sua.
    """

    # PROTECT: a lista da LDO de um exercício é parte do histórico das reprovações dele.
    exercicio = models.ForeignKey(
        Exercicio, on_delete=models.PROTECT, null=True, blank=True, related_name="categorias_impedimento",
        help_text="Vazio: categoria padrão, válida para os exercícios sem lista própria.",
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

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="indicacoes", editable=False)
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
            # O saldo do inciso lê encerrada_em e saldo_devolucao (selectors._movimentos).
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
                condition=~Q(status="APROVADA") | Q(aprovada_segov_em__isnull=False),
                name="indicacao_aprovada_segov_conforme_situacao",
                violation_error_message="Indicação aprovada tem a data da aprovação da SEGOV.",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"Indicação {self.numero}"

    @property
    def ativa(self) -> bool:
        return self.status in self.ATIVAS


class RegistroIndicacao(models.Model):
    # PROTECT: a trilha de auditoria nunca some junto com a indicação.
    indicacao = models.ForeignKey(Indicacao, on_delete=models.PROTECT, related_name="registros")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
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


class ArquivoImportacao(models.Model):
    """Arquivo enviado à tela de importação, guardado entre a prévia e a confirmação.

    O conteúdo fica no armazenamento de arquivos do Django (``default_storage``: disco local ou um serviço
    compatível com S3, conforme ``STORAGES``), com nome aleatório; a confirmação manda só o ``id`` e lê daqui o
    tipo, o ano e a publicação, de modo que nada que vem do navegador muda o que a prévia mostrou.
    """

    class Tipo(models.TextChoices):
        LOA = "loa", "Incisos da LOA"
        PROGRAMACOES = "programacoes", "Programações elegíveis"

    # Depois disso a confirmação recusa a prévia, e a tarefa periódica apaga arquivo e registro.
    VALIDADE = timedelta(hours=2)

    # UUID e não um número: o id vai num campo da página e não deve ser adivinhável nem contável.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name="enviado por")
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    ano = models.PositiveSmallIntegerField("exercício")
    publicacao = models.DateField("publicação da LOA", null=True, blank=True)
    nome_original = models.CharField("nome do arquivo", max_length=255)
    caminho = models.CharField("caminho no armazenamento", max_length=255, unique=True)
    tamanho = models.PositiveIntegerField("tamanho (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    criado_em = models.DateTimeField("enviado em", default=timezone.now, db_index=True)
    usado_em = models.DateTimeField("importado em", null=True, blank=True)

    class Meta:
        verbose_name = "arquivo de importação"
        verbose_name_plural = "arquivos de importação"
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo="programacoes") | Q(publicacao__isnull=False),
                name="arquivo_importacao_loa_com_publicacao",
                violation_error_message="A carga da LOA guarda a data de publicação.",
            ),
        ]

    def __str__(self):
        return f"{self.nome_original} ({self.get_tipo_display()} {self.ano})"

    @property
    def expira_em(self):
        return self.criado_em + self.VALIDADE
