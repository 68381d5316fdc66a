import re

from django.conf import settings
from django.db import models
from django.utils import timezone


# O que o corpo guardado mostra no lugar do link (uid + token), trocado pelo link de verdade só no envio.
MARCA_LINK_SENHA = "[link para definir a senha: gerado na hora do envio]"
# Um link de senha pronto (uid + token): a caixa de saída recusa gravá-lo.
LINK_DE_SENHA_PRONTO = re.compile(r"/senha/definir/[0-9A-Za-z_\-]+/[0-9A-Za-z]+-[0-9A-Za-z]+")


class EmailPendente(models.Model):
    """Caixa de saída: todo e-mail é gravado aqui na mesma transação do fato que o causou.

    A tarefa Celery só envia o que está PENDENTE e marca ENVIADO com a linha travada,
    então uma queda do broker não perde nada e dois workers não enviam o mesmo e-mail.
    """

    class Status(models.TextChoices):
        PENDENTE = "PENDENTE", "Pendente"
        ENVIADO = "ENVIADO", "Enviado"
        FALHOU = "FALHOU", "Falhou (tentativas esgotadas)"

    # Chave opcional de idempotência (ex.: "resumo-segov-2026-11-22"): o mesmo e-mail não entra duas vezes.
    chave = models.CharField("chave", max_length=120, null=True, blank=True, unique=True)
    assunto = models.CharField("assunto", max_length=250)
    # Nunca guarda credencial: o link de definir senha fica como MARCA_LINK_SENHA e é montado no envio.
    corpo = models.TextField("corpo")
    link_senha_de = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="link de senha para", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text="Usuário cujo link de definir senha é gerado na hora do envio (o token não fica gravado).",
    )
    destinatarios = models.JSONField("destinatários", default=list)
    status = models.CharField("situação", max_length=10, choices=Status.choices, default=Status.PENDENTE)
    tentativas = models.PositiveSmallIntegerField("tentativas", default=0)
    ultimo_erro = models.TextField("último erro", blank=True)
    criado_em = models.DateTimeField("criado em", default=timezone.now)
    enviado_em = models.DateTimeField("enviado em", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail da caixa de saída"
        verbose_name_plural = "caixa de saída de e-mails"
        ordering = ["-criado_em"]
        indexes = [models.Index(fields=["status", "criado_em"])]

    def __str__(self):
        return self.assunto
