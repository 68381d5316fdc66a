from django.conf import settings
from django.db import models
from django.utils import timezone


class EnvioUnico(models.Model):
    """Um token de formulário já usado: quem o usou, quando, e o resultado que o reenvio mostra de novo.

    A linha nasce (``concluido_em`` vazio) antes de a ação rodar — a chave única no banco é o que faz de dois envios
    simultâneos do mesmo token, em réplicas diferentes, um só — e recebe o redirecionamento e as mensagens do
    primeiro envio quando ele termina. Um envio que não fez nada (formulário com erro, só mensagens de erro, exceção)
    apaga a linha: o token pode ser usado de novo.
    """

    chave = models.CharField(max_length=64, unique=True)  # sha256 do nonce do token (o token em si não fica aqui)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    caminho = models.CharField(max_length=500)
    criado_em = models.DateTimeField(default=timezone.now, db_index=True)
    concluido_em = models.DateTimeField(null=True, blank=True)
    destino = models.CharField(max_length=2000, blank=True)
    mensagens = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "envio único"
        verbose_name_plural = "envios únicos"

    def __str__(self):
        return f"{self.caminho} ({self.criado_em:%d/%m/%Y %H:%M})"
