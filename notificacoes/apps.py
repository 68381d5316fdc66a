from django.apps import AppConfig


class NotificacoesConfig(AppConfig):
    name = "notificacoes"
    verbose_name = "Notificações (caixa de saída de e-mails)"
