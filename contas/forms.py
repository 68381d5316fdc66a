from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm


class DefinirSenhaForm(PasswordResetForm):
    """Recuperação de senha que também serve para o primeiro acesso.

    O formulário padrão ignora usuários sem senha utilizável; aqui eles recebem o
    link, porque é assim que quem foi criado pela carga da LOA define a senha.
    """

    def get_users(self, email):
        Usuario = get_user_model()
        return Usuario._default_manager.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # Pela caixa de saída, como todo e-mail do sistema: nada se perde se o SMTP cair.
        from django.template import loader

        from notificacoes.services import enfileirar_email

        assunto = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        corpo = loader.render_to_string(email_template_name, context)
        enfileirar_email(assunto=assunto, corpo=corpo, destinatarios=[to_email])
