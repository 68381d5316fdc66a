"""O registro de auditoria: uma tabela só de inserção, encadeada por hash depois (``auditoria.cadeia``)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class RegistroAuditoria(models.Model):
    """Uma mudança de estado: quem, quando, de onde, o quê, sobre qual objeto, antes e depois.

    Inserida sem trava nenhuma, na transação da própria mudança. ``ordem``, ``hash_anterior`` e ``hash`` ficam
    vazios até a tarefa periódica selar o registro na cadeia; no PostgreSQL um gatilho recusa qualquer outro
    UPDATE e todo DELETE (migração 0002).
    """

    momento = models.DateTimeField("momento", default=timezone.now, db_index=True)
    # PROTECT: apagar um usuário não pode apagar (nem alterar) o que ele fez; desative a conta.
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="usuário",
    )
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    acao = models.CharField("ação", max_length=60, db_index=True)
    tipo_objeto = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="tipo do objeto"
    )
    id_objeto = models.CharField("id do objeto", max_length=64, blank=True)
    repr_objeto = models.CharField("objeto", max_length=250, blank=True)
    antes = models.JSONField("antes", null=True, blank=True, encoder=DjangoJSONEncoder)
    depois = models.JSONField("depois", null=True, blank=True, encoder=DjangoJSONEncoder)
    # Preenchidos uma única vez, pela selagem (NULL → valor). ``ordem`` é a posição na cadeia: a ordem dos ids
    # na hora de selar (um registro de id menor cuja transação terminou depois entra numa selagem seguinte).
    ordem = models.PositiveBigIntegerField("posição na cadeia", null=True, blank=True, unique=True)
    hash_anterior = models.CharField("hash anterior", max_length=64, null=True, blank=True)
    hash = models.CharField("hash", max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = "registro de auditoria"
        verbose_name_plural = "registros de auditoria"
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["tipo_objeto", "id_objeto"], name="auditoria_objeto_idx"),
            # A selagem procura os registros ainda sem hash, em ordem de id.
            models.Index(fields=["id"], name="auditoria_pendente_idx", condition=models.Q(hash__isnull=True)),
        ]

    def __str__(self):
        return f"{self.acao} nº {self.pk}"

    @property
    def selado(self) -> bool:
        return self.hash is not None
