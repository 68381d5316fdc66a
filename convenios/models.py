from django.conf import settings
from django.db import models
from django.db.models import F, Q

from emendas.models import RegimeCagec

from .cnpj import formatar_cnpj, normalizar_cnpj


class Convenente(models.Model):
    """Entidade que recebe recursos (espelho local do CAGEC)."""

    class Tipo(models.TextChoices):
        ADM_MUNICIPAL = "ADM_MUNICIPAL", "Administração municipal"
        CONSORCIO_PUBLICO = "CONSORCIO_PUBLICO", "Consórcio público"
        ENTIDADE_PUBLICA = "ENTIDADE_PUBLICA", "Entidade pública"
        OSC = "OSC", "Organização da sociedade civil"
        CAIXA_ESCOLAR = "CAIXA_ESCOLAR", "Caixa escolar"
        FUNDO_MUNICIPAL_SAUDE = "FUNDO_MUNICIPAL_SAUDE", "Fundo municipal de saúde"
        OUTRO = "OUTRO", "Outro"

    cnpj = models.CharField("CNPJ", max_length=14, unique=True)
    razao_social = models.CharField("razão social", max_length=250)
    municipio = models.CharField("município", max_length=120)
    tipo = models.CharField("tipo", max_length=24, choices=Tipo.choices, default=Tipo.OUTRO)
    # Caixa escolar: o código da escola (a indicação "Caixa Escolar" busca a escola pelo código, DOMAIN.md §7.2).
    codigo_escola = models.CharField("código da escola", max_length=20, blank=True)
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
        constraints = [
            models.UniqueConstraint(
                fields=["codigo_escola"], condition=~models.Q(codigo_escola=""), name="convenente_codigo_escola_unico"
            ),
        ]

    def __str__(self):
        return f"{self.razao_social} ({self.cnpj_formatado})"

    @property
    def cnpj_formatado(self) -> str:
        return formatar_cnpj(self.cnpj)

    # Rótulo da coluna no admin (sem ele: "Cnpj formatado").
    cnpj_formatado.fget.short_description = "CNPJ"

    def clean(self):
        self.cnpj = normalizar_cnpj(self.cnpj)


DINHEIRO = {"max_digits": 15, "decimal_places": 2}


class PropostaPlanoTrabalho(models.Model):
    """Proposta de plano de trabalho que usa valores de indicações aprovadas (convênio / parceria)."""

    class Status(models.TextChoices):
        CADASTRAMENTO = "CADASTRAMENTO", "Em cadastramento"
        ENVIADA = "ENVIADA", "Enviada ao concedente"
        EM_ANALISE = "EM_ANALISE", "Em análise no concedente"
        DEVOLVIDA = "DEVOLVIDA", "Devolvida para adequação"
        APROVADA = "APROVADA", "Aprovada"
        PLANO_AUTORIZADO = "PLANO_AUTORIZADO", "Plano autorizado pela SEGOV"
        ASSINADA = "ASSINADA", "Assinada pelo convenente"
        EM_PUBLICACAO = "EM_PUBLICACAO", "Em publicação"
        VIGENTE = "VIGENTE", "Vigente"
        CANCELADA = "CANCELADA", "Cancelada"

    # Até a aprovação a proposta ainda pode soltar as indicações que usa (desvincular uma, ou cancelar).
    ANTES_DA_APROVACAO = (Status.CADASTRAMENTO, Status.ENVIADA, Status.EM_ANALISE, Status.DEVOLVIDA)
    # O impedimento de ordem técnica dentro da proposta vale até as assinaturas; nunca na publicação nem depois
    # (DOMAIN.md §3.5 e §7.8).
    ACEITA_IOT = (*ANTES_DA_APROVACAO, Status.APROVADA, Status.PLANO_AUTORIZADO, Status.ASSINADA)
    # Da autorização da SEGOV em diante o instrumento tem número (DOMAIN.md §3.5, passo 11).
    COM_NUMERO = (Status.PLANO_AUTORIZADO, Status.ASSINADA, Status.EM_PUBLICACAO, Status.VIGENTE)

    # O regime é do exercício (Exercicio.regime_cagec); a proposta guarda o que valia quando foi gerada.
    Regime = RegimeCagec

    class Natureza(models.TextChoices):
        NENHUMA = "", "Sem natureza especial"
        SAUDE = "SAUDE", "Saúde"
        EDUCACAO = "EDUCACAO", "Educação"
        ASSISTENCIA_SOCIAL = "ASSISTENCIA_SOCIAL", "Assistência social"
        CALAMIDADE = "CALAMIDADE", "Calamidade pública"

    class TipoInstrumento(models.TextChoices):
        CONVENIO = "CONVENIO", "Convênio de saída"
        TERMO_FOMENTO = "TERMO_FOMENTO", "Termo de fomento"
        TERMO_COLABORACAO = "TERMO_COLABORACAO", "Termo de colaboração"

    concedente = models.ForeignKey(
        "emendas.UnidadeOrcamentaria", on_delete=models.PROTECT, related_name="propostas",
        verbose_name="concedente (UO)",
    )
    convenente = models.ForeignKey(Convenente, on_delete=models.PROTECT, related_name="propostas")
    objeto = models.TextField("objeto")
    vigencia_inicio = models.DateField("início da vigência", null=True, blank=True)
    vigencia_fim = models.DateField("fim da vigência", null=True, blank=True)
    tipo_instrumento = models.CharField(
        "tipo de instrumento", max_length=20, choices=TipoInstrumento.choices, default=TipoInstrumento.CONVENIO
    )
    natureza_especial = models.CharField(
        "natureza especial", max_length=20, choices=Natureza.choices, default=Natureza.NENHUMA, blank=True
    )
    regime = models.CharField("regime", max_length=10, choices=Regime.choices, default=Regime.LEGADO)
    status = models.CharField("situação", max_length=20, choices=Status.choices, default=Status.CADASTRAMENTO)
    justificativa = models.TextField("última justificativa", blank=True)
    # Formalização (DOMAIN.md §3.5): o número nasce na autorização da SEGOV (sequência do exercício, travada);
    # as assinaturas e a publicação dizem quem e quando.
    numero_instrumento = models.CharField("número do instrumento", max_length=20, blank=True)
    autorizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name="plano autorizado por")
    autorizado_em = models.DateTimeField("plano autorizado em", null=True, blank=True)
    assinado_convenente_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="assinado pelo representante legal",
    )
    assinado_convenente_em = models.DateTimeField("assinado pelo convenente em", null=True, blank=True)
    testemunha_nome = models.CharField("testemunha", max_length=200, blank=True)
    testemunha_cpf = models.CharField("CPF da testemunha", max_length=11, blank=True)
    assinado_concedente_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="assinado pelo concedente",
    )
    assinado_concedente_em = models.DateTimeField("assinado pelo concedente em", null=True, blank=True)
    data_publicacao = models.DateField("data de publicação", null=True, blank=True)
    extrato_publicacao = models.TextField("extrato da publicação", blank=True)
    criado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criado_em = models.DateTimeField("criada em", auto_now_add=True)
    indicacoes = models.ManyToManyField("emendas.Indicacao", through="UsoIndicacao", related_name="propostas")

    class Meta:
        verbose_name = "proposta de plano de trabalho"
        verbose_name_plural = "propostas de plano de trabalho"
        ordering = ["-criado_em", "-pk"]
        constraints = [
            # Só o que vale para qualquer fluxo de proposta: o fim da vigência não vem antes do início e a
            # devolução diz por quê. As demais situações mudam de campos em outros trabalhos.
            models.CheckConstraint(
                condition=Q(vigencia_inicio__isnull=True) | Q(vigencia_fim__isnull=True)
                | Q(vigencia_fim__gte=F("vigencia_inicio")),
                name="proposta_vigencia_em_ordem",
                violation_error_message="O fim da vigência não pode ser anterior ao início.",
            ),
            models.CheckConstraint(
                condition=~Q(status="DEVOLVIDA") | ~Q(justificativa=""),
                name="proposta_devolvida_com_justificativa",
                violation_error_message="Proposta devolvida precisa de justificativa.",
            ),
            models.UniqueConstraint(
                fields=["numero_instrumento"], condition=~Q(numero_instrumento=""),
                name="proposta_numero_instrumento_unico",
                violation_error_message="Já existe um instrumento com este número.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["PLANO_AUTORIZADO", "ASSINADA", "EM_PUBLICACAO", "VIGENTE"])
                | ~Q(numero_instrumento=""),
                name="proposta_autorizada_com_numero",
                violation_error_message="Do plano autorizado em diante o instrumento tem número.",
            ),
            models.CheckConstraint(
                condition=~Q(status="VIGENTE") | Q(data_publicacao__isnull=False),
                name="proposta_vigente_publicada",
                violation_error_message="Instrumento vigente tem data de publicação.",
            ),
        ]

    def __str__(self):
        return f"Proposta nº {self.pk} – {self.convenente.razao_social}"


class UsoIndicacao(models.Model):
    """Quanto de cada indicação a proposta usa."""

    # CASCADE: o uso é parte da proposta, não histórico (desvincular apaga o uso; os eventos contam a história).
    proposta = models.ForeignKey(PropostaPlanoTrabalho, on_delete=models.CASCADE, related_name="usos")
    indicacao = models.ForeignKey("emendas.Indicacao", on_delete=models.PROTECT, related_name="usos")
    valor = models.DecimalField("valor utilizado", **DINHEIRO)

    class Meta:
        verbose_name = "uso de indicação"
        verbose_name_plural = "usos de indicação"
        constraints = [
            models.UniqueConstraint(fields=["proposta", "indicacao"], name="uso_indicacao_unico"),
            models.CheckConstraint(condition=models.Q(valor__gt=0), name="uso_indicacao_valor_positivo"),
        ]


class EventoProposta(models.Model):
    # PROTECT: a trilha de auditoria nunca some junto com a proposta.
    proposta = models.ForeignKey(PropostaPlanoTrabalho, on_delete=models.PROTECT, related_name="eventos")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    momento = models.DateTimeField("quando", auto_now_add=True)
    status_anterior = models.CharField("de", max_length=20, blank=True, choices=PropostaPlanoTrabalho.Status.choices)
    status_novo = models.CharField("para", max_length=20, choices=PropostaPlanoTrabalho.Status.choices)
    observacao = models.TextField("observação", blank=True)

    class Meta:
        ordering = ["momento", "pk"]
        verbose_name = "evento da proposta"
        verbose_name_plural = "eventos da proposta"


class VerificacaoRegularidade(models.Model):
    """Resultado de cada checagem CAGEC/SIAFI num momento do fluxo (guardado mesmo quando bloqueia)."""

    class Resultado(models.TextChoices):
        REGULAR = "REGULAR", "Regular / sem bloqueio"
        IRREGULAR = "IRREGULAR", "Irregular / bloqueado"
        ISENTO = "ISENTO", "Isento da exigência"
        INDISPONIVEL = "INDISPONIVEL", "Serviço não respondeu"
        EXCECAO = "EXCECAO", "Exceção autorizada pela SEGOV"

    # PROTECT: cada consulta CAGEC/SIAFI é prova do que foi checado; nunca some junto com a proposta.
    proposta = models.ForeignKey(PropostaPlanoTrabalho, on_delete=models.PROTECT, related_name="verificacoes")
    sistema = models.CharField("sistema", max_length=6)
    momento = models.CharField("momento", max_length=40, choices=[
        ("GERAR", "Gerar proposta"), ("ENVIAR", "Envio da proposta"),
        ("ASSINATURA_CONVENENTE", "Assinatura do convenente"), ("ASSINATURA_CONCEDENTE", "Assinatura do concedente"),
        ("SOLICITAR_LIBERACAO", "Solicitação de liberação"), ("AUTORIZAR_LIBERACAO", "Autorização de liberação"),
    ])
    resultado = models.CharField("resultado", max_length=12, choices=Resultado.choices)
    detalhe = models.TextField("detalhe", blank=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criado_em = models.DateTimeField("quando", auto_now_add=True)
    usada = models.BooleanField("exceção já usada", default=False)

    class Meta:
        ordering = ["-criado_em", "-pk"]
        verbose_name = "verificação de regularidade"
        verbose_name_plural = "verificações de regularidade"
        constraints = [
            models.CheckConstraint(
                condition=Q(usada=False) | Q(resultado="EXCECAO"),
                name="verificacao_so_excecao_e_usada",
                violation_error_message="Só uma exceção da SEGOV pode ser marcada como usada.",
            ),
        ]


class Liberacao(models.Model):
    class Status(models.TextChoices):
        SOLICITADA = "SOLICITADA", "Solicitada"
        AUTORIZADA = "AUTORIZADA", "Autorizada pela SEGOV"

    proposta = models.ForeignKey(PropostaPlanoTrabalho, on_delete=models.PROTECT, related_name="liberacoes")
    parcela = models.PositiveSmallIntegerField("parcela")
    valor = models.DecimalField("valor", **DINHEIRO)
    status = models.CharField("situação", max_length=10, choices=Status.choices, default=Status.SOLICITADA)
    solicitada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    solicitada_em = models.DateTimeField("solicitada em", auto_now_add=True)
    autorizada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    autorizada_em = models.DateTimeField("autorizada em", null=True, blank=True)

    class Meta:
        ordering = ["proposta", "parcela"]
        verbose_name = "liberação de recursos"
        verbose_name_plural = "liberações de recursos"
        constraints = [
            models.UniqueConstraint(fields=["proposta", "parcela"], name="liberacao_parcela_unica"),
            models.CheckConstraint(condition=models.Q(valor__gt=0), name="liberacao_valor_positivo"),
            models.CheckConstraint(
                condition=(
                    Q(status="AUTORIZADA", autorizada_em__isnull=False, autorizada_por__isnull=False)
                    | (~Q(status="AUTORIZADA") & Q(autorizada_em__isnull=True, autorizada_por__isnull=True))
                ),
                name="liberacao_autorizacao_conforme_situacao",
                violation_error_message="Parcela autorizada diz quem autorizou e quando; a solicitada, não.",
            ),
        ]
