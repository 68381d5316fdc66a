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

    O envio tem três passos, e nenhum segura a linha travada enquanto fala com o SMTP
    (``notificacoes.services.enviar_pendente``):

    1. reserva, numa transação curta: PENDENTE → ENVIANDO com ``reservado_em`` e mais uma tentativa;
    2. envio ao SMTP, fora de qualquer transação;
    3. marca, noutra transação curta: ENVIADO, ou de volta a PENDENTE (FALHOU depois de
       ``MAX_TENTATIVAS``) com o erro.

    Uma queda do broker não perde nada (a tarefa periódica acha o PENDENTE) e dois workers não enviam o
    mesmo e-mail (só um consegue a reserva). Um e-mail que ficou em ENVIANDO (o worker caiu entre a reserva
    e a marca) só volta a ser enviado pela tarefa periódica depois de ``SIGCON_EMAIL_RESERVA_MINUTOS``.
    O que sobra é o limite do próprio SMTP: se o worker cai depois de o servidor aceitar a mensagem e antes
    da marca, ninguém sabe que ela saiu, e ela sai de novo quando a reserva vence.
    """

    class Status(models.TextChoices):
        PENDENTE = "PENDENTE", "Pendente"
        ENVIANDO = "ENVIANDO", "Enviando (reservado por um worker)"
        ENVIADO = "ENVIADO", "Enviado"
        FALHOU = "FALHOU", "Falhou (tentativas esgotadas)"

    class Tipo(models.TextChoices):
        """De onde vem o e-mail. Só os tipos de ``TIPOS_DE_AVISO`` aparecem nas Notificações do sistema."""

        REMANEJAMENTO_SOLICITADO = "REM_SOLICITADO", "Remanejamento solicitado"
        REMANEJAMENTO_DECIDIDO = "REM_DECIDIDO", "Remanejamento decidido"
        INDICACAO = "INDICACAO", "Indicação (reprovação, ajuste)"
        DILIGENCIA = "DILIGENCIA", "Diligência (aberta, fechada)"
        RESUMO_SEGOV = "RESUMO_SEGOV", "Resumo diário da SEGOV"
        LEMBRETE = "LEMBRETE", "Lembrete de prazo"
        PROPOSTA = "PROPOSTA", "Proposta de plano de trabalho"
        CONVITE = "CONVITE", "Convite (link de primeiro acesso)"
        SENHA = "SENHA", "Definição de senha"
        OUTRO = "OUTRO", "Outro"

    # Chave opcional de idempotência (ex.: "resumo-segov-2026-11-22"): o mesmo e-mail não entra duas vezes.
    chave = models.CharField("chave", max_length=120, null=True, blank=True, unique=True)
    assunto = models.CharField("assunto", max_length=250)
    # Nunca guarda credencial: o link de definir senha fica como MARCA_LINK_SENHA e é montado no envio.
    corpo = models.TextField("corpo")
    tipo = models.CharField("tipo", max_length=16, choices=Tipo.choices, default=Tipo.OUTRO)
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
    # Quando um worker reservou o e-mail pela última vez; também identifica a reserva na marca do resultado.
    reservado_em = models.DateTimeField("reservado em", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail da caixa de saída"
        verbose_name_plural = "caixa de saída de e-mails"
        ordering = ["-criado_em"]
        indexes = [models.Index(fields=["status", "criado_em"])]
        constraints = [
            # Sem a hora da reserva, um e-mail em ENVIANDO nunca venceria e ficaria preso para sempre.
            models.CheckConstraint(
                condition=~models.Q(status="ENVIANDO") | models.Q(reservado_em__isnull=False),
                name="email_enviando_tem_reserva",
                violation_error_message="E-mail em envio precisa da hora da reserva.",
            ),
        ]

    def __str__(self):
        return self.assunto


# Os e-mails sobre o trabalho de quem os recebe. Lista de permitidos: um tipo novo só vira notificação se entrar
# aqui; convite e senha nunca (levam o link de senha, que só existe no e-mail).
TIPOS_DE_AVISO = frozenset({
    EmailPendente.Tipo.REMANEJAMENTO_SOLICITADO, EmailPendente.Tipo.REMANEJAMENTO_DECIDIDO,
    EmailPendente.Tipo.INDICACAO, EmailPendente.Tipo.RESUMO_SEGOV, EmailPendente.Tipo.PROPOSTA,
    EmailPendente.Tipo.DILIGENCIA, EmailPendente.Tipo.LEMBRETE,
})


class Aviso(models.Model):
    """Um e-mail da caixa de saída como notificação no sistema, para um usuário destinatário, com lida/não lida.

    Nasce com o e-mail (``notificacoes.services.enfileirar_email``), na mesma transação, só para os tipos de
    ``TIPOS_DE_AVISO`` e só para contas ativas cujo e-mail está entre os destinatários.
    """

    # Sem índice próprio: o único (usuário, e-mail) e o da lista começam pelo usuário.
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="avisos",
                                db_index=False, verbose_name="usuário")
    email = models.ForeignKey(EmailPendente, on_delete=models.CASCADE, related_name="avisos", verbose_name="e-mail")
    criado_em = models.DateTimeField("criado em", default=timezone.now)
    lido_em = models.DateTimeField("lido em", null=True, blank=True)

    class Meta:
        verbose_name = "notificação"
        verbose_name_plural = "notificações"
        ordering = ["-criado_em", "-pk"]
        indexes = [
            models.Index(fields=["usuario", "-criado_em", "-id"], name="aviso_lista_do_usuario"),
            # A contagem do menu, em toda página: só as não lidas entram no índice, que fica pequeno.
            models.Index(fields=["usuario"], condition=models.Q(lido_em__isnull=True), name="aviso_nao_lido"),
        ]
        constraints = [models.UniqueConstraint(fields=["usuario", "email"], name="aviso_unico_por_email")]

    def __str__(self):
        return f"{self.email.assunto} ({'lida' if self.lido_em else 'não lida'})"
