from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm


class DefinirSenhaForm(PasswordResetForm):
    """Recuperação de senha que também serve para o primeiro acesso.

    O formulário padrão ignora usuários sem senha utilizável; aqui eles recebem o
    link, porque é assim que quem foi criado pela carga da LOA define a senha.
    """

    def get_users(self, email):
        from .models import normalizar_email

        Usuario = get_user_model()
        return Usuario._default_manager.filter(email__iexact=normalizar_email(email), is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # Pela caixa de saída, como todo e-mail do sistema: nada se perde se o SMTP cair.
        # O token que o Django pôs no contexto não vai para o corpo guardado: o link entra como marca e é
        # gerado de novo na hora do envio (notificacoes.services.enviar_pendente).
        from django.template import loader

        from notificacoes.models import MARCA_LINK_SENHA, EmailPendente
        from notificacoes.services import enfileirar_email

        contexto = {chave: valor for chave, valor in context.items() if chave not in ("token", "uid")}
        contexto["link"] = MARCA_LINK_SENHA
        assunto = "".join(loader.render_to_string(subject_template_name, contexto).splitlines())
        corpo = loader.render_to_string(email_template_name, contexto)
        enfileirar_email(assunto=assunto, corpo=corpo, destinatarios=[to_email], link_senha_de=context["user"],
                         tipo=EmailPendente.Tipo.SENHA)
