from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from convenios.cnpj import formatar_cnpj, normalizar_cnpj

from .tipos import Pendencia


class Sistema(models.TextChoices):
    CAGEC = "CAGEC", "CAGEC"
    SIAFI = "SIAFI", "SIAFI-MG"


def ler_pendencias(texto: str) -> list[Pendencia]:
    """Uma pendência por linha, com validade opcional depois de uma barra: ``descrição | dd/mm/aaaa``."""
    pendencias, erros = [], []
    for numero, linha in enumerate((texto or "").splitlines(), start=1):
        linha = linha.strip()
        if not linha:
            continue
        descricao, validade = linha, ""
        if "|" in linha:
            descricao, validade = (parte.strip() for parte in linha.rsplit("|", 1))
        if not descricao:
            erros.append(f"linha {numero}: falta a descrição antes da barra")
            continue
        data = None
        if validade:
            try:
                data = datetime.strptime(validade, "%d/%m/%Y").date()
            except ValueError:
                erros.append(f"linha {numero}: validade “{validade}” não está no formato dd/mm/aaaa")
                continue
        pendencias.append(Pendencia(descricao, data))
    if erros:
        raise ValidationError("Pendências com problema — " + "; ".join(erros) + ".")
    return pendencias


class SituacaoSimulada(models.Model):
    """O que o CAGEC e o SIAFI-MG simulados respondem para um CNPJ (editável pelo admin).

    CNPJ sem linha aqui é regular no CAGEC e não está bloqueado no SIAFI-MG.
    """

    cnpj = models.CharField("CNPJ", max_length=14, unique=True)
    cagec_regular = models.BooleanField("regular no CAGEC", default=True)
    pendencias = models.TextField(
        "pendências no CAGEC", blank=True,
        help_text="Uma por linha. Validade opcional depois de uma barra: “Certidão do FGTS | 31/12/2026”.",
    )
    siafi_bloqueado = models.BooleanField("bloqueado no SIAFI-MG", default=False)
    siafi_motivo = models.CharField("motivo do bloqueio no SIAFI-MG", max_length=250, blank=True)
    # Representante legal devolvido pelo CAGEC simulado; sem nome, a resposta vem sem representante.
    representante_nome = models.CharField("representante legal", max_length=200, blank=True)
    representante_cpf = models.CharField("CPF do representante", max_length=11, blank=True)
    representante_cargo = models.CharField("cargo do representante", max_length=120, blank=True)
    representante_email = models.EmailField("e-mail do representante", blank=True)
    representante_fim_mandato = models.DateField("fim do mandato do representante", null=True, blank=True)
    observacao = models.TextField("observação", blank=True)
    atualizado_em = models.DateTimeField("atualizado em", auto_now=True)

    class Meta:
        verbose_name = "situação simulada"
        verbose_name_plural = "situações simuladas (CAGEC e SIAFI-MG)"
        ordering = ["cnpj"]

    def __str__(self):
        return self.cnpj_formatado

    @property
    def cnpj_formatado(self) -> str:
        return formatar_cnpj(self.cnpj)

    # Rótulo da coluna no admin (sem ele: "Cnpj formatado").
    cnpj_formatado.fget.short_description = "CNPJ"

    def clean(self):
        self.cnpj = normalizar_cnpj(self.cnpj)
        try:
            ler_pendencias(self.pendencias)
        except ValidationError as erro:
            raise ValidationError({"pendencias": erro.messages}) from erro

    def representante_legal(self) -> dict | None:
        if not self.representante_nome:
            return None
        return {
            "nome": self.representante_nome,
            "cpf": self.representante_cpf,
            "cargo": self.representante_cargo,
            "email": self.representante_email,
            "fim_mandato": self.representante_fim_mandato,
        }


class ServicoSimulado(models.Model):
    """Liga/desliga o CAGEC ou o SIAFI-MG simulado, para ensaiar a tela de "sistema indisponível"."""

    sistema = models.CharField("sistema", max_length=5, choices=Sistema.choices, unique=True)
    fora_do_ar = models.BooleanField(
        "fora do ar", default=False, help_text="Ligado, o serviço simulado não responde a nenhuma consulta."
    )

    class Meta:
        verbose_name = "serviço simulado"
        verbose_name_plural = "serviços simulados"
        ordering = ["sistema"]

    def __str__(self):
        return f"{self.get_sistema_display()} ({'fora do ar' if self.fora_do_ar else 'no ar'})"

    @classmethod
    def esta_fora_do_ar(cls, sistema: str) -> bool:
        return cls.objects.filter(sistema=sistema, fora_do_ar=True).exists()


class ConsultaIntegracao(models.Model):
    """Toda consulta ao CAGEC ou ao SIAFI-MG, com sucesso ou não: é a prova do que o sistema respondeu."""

    sistema = models.CharField("sistema", max_length=5, choices=Sistema.choices)
    cnpj = models.CharField("CNPJ", max_length=14)
    momento = models.DateTimeField("momento", default=timezone.now)
    # PROTECT: quem consultou faz parte da prova (vazio só nas consultas feitas pelo sistema).
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="usuário",
    )
    sucesso = models.BooleanField("sucesso")
    resposta = models.JSONField("resposta", null=True, blank=True)
    erro = models.TextField("erro", blank=True)
    latencia_ms = models.PositiveIntegerField("latência (ms)")

    class Meta:
        verbose_name = "consulta ao CAGEC / SIAFI-MG"
        verbose_name_plural = "consultas ao CAGEC / SIAFI-MG"
        ordering = ["-momento", "-pk"]
        indexes = [models.Index(fields=["cnpj", "-momento"])]

    def __str__(self):
        resultado = "ok" if self.sucesso else "falhou"
        return f"{self.get_sistema_display()} {formatar_cnpj(self.cnpj)} em {self.momento:%d/%m/%Y %H:%M} ({resultado})"

    @property
    def cnpj_formatado(self) -> str:
        return formatar_cnpj(self.cnpj)
