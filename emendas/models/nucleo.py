"""Núcleo: exercício e seu calendário, cadastros da LOA (UO, ação, grupo, programação), titulares, emendas e
incisos, e a trilha das correções de inciso."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from .. import prazos
from ..prazos import OrigemSaldo

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
    percentual_execucao_obrigatoria = models.DecimalField(
        "execução obrigatória (% do montante da LOA)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Quando o valor constitucionalmente obrigatório fica abaixo do valor da LOA (ex.: 0,70% da RCL "
                  "contra 1% na LOA = 70): a diferença perde a impositividade no saneamento (§7.14). Vazio: todo.",
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
            # Por campo: o formulário da SEGOV mostra o erro ao lado da data errada, não num aviso solto.
            erros = prazos.erros_calendario_por_campo(self)
            if erros:
                raise ValidationError(erros)

    def save(self, *args, **kwargs):
        self.preencher_datas_padrao()
        # O calendário de antes: as janelas de operação que ainda estavam no padrão dele seguem o novo.
        anterior = Exercicio.objects.filter(pk=self.pk).first() if self.pk else None
        super().save(*args, **kwargs)
        SequenciaExercicio.objects.bulk_create(
            [SequenciaExercicio(exercicio=self, nome=nome) for nome in SequenciaExercicio.Nome.values],
            ignore_conflicts=True,
        )
        self.janelas_operacao.model.sincronizar(self, anterior)

    @cached_property
    def janelas(self) -> dict:
        """As janelas de operação, {(trilha, tipo): (início, fim)}, lidas uma vez (``prazos.janela_aberta``)."""
        return {(j.trilha, j.tipo): (j.inicio, j.fim) for j in self.janelas_operacao.all()}

    def fase(self, dia=None) -> prazos.Fase:
        return prazos.fase(self, dia or timezone.localdate())


class SequenciaExercicio(models.Model):
    """Último número usado de uma numeração do exercício (indicações, incisos R).

    Linha própria, fora do exercício: quem numera a trava por último (ver ``emendas/travas.py``).
    """

    class Nome(models.TextChoices):
        INDICACAO = "INDICACAO", "Indicações"
        INCISO_R = "INCISO_R", "Incisos R"
        INCISO_P = "INCISO_P", "Incisos P (lei do remanejamento constitucional)"
        DILIGENCIA = "DILIGENCIA", "Diligências"
        # Número do convênio / termo, dado na autorização do plano pela SEGOV (convenios.formalizacao).
        CONVENIO = "CONVENIO", "Instrumentos (convênios e termos)"

    # Parte do próprio exercício (não é histórico): vai junto se um exercício vazio for apagado.
    exercicio = models.ForeignKey(Exercicio, on_delete=models.CASCADE, related_name="sequencias",
                                  verbose_name="exercício")
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
    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="programacoes",
                                  verbose_name="exercício")
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
    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="emendas", verbose_name="exercício")
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

    exercicio = models.ForeignKey(Exercicio, on_delete=models.PROTECT, related_name="incisos", editable=False,
                                  verbose_name="exercício")
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
