from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .entrada import PedirSenhaView
from .forms import DefinirSenhaForm

urlpatterns = [
    path("entrar/", auth_views.LoginView.as_view(template_name="contas/login.html"), name="login"),
    path("sair/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "senha/definir/",
        PedirSenhaView.as_view(
            form_class=DefinirSenhaForm,
            template_name="contas/senha_pedir.html",
            email_template_name="contas/email_definir_senha.txt",
            subject_template_name="contas/email_definir_senha_assunto.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "senha/definir/enviado/",
        auth_views.PasswordResetDoneView.as_view(template_name="contas/senha_enviado.html"),
        name="password_reset_done",
    ),
    path(
        "senha/definir/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="contas/senha_nova.html", success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "senha/definir/concluido/",
        auth_views.PasswordResetCompleteView.as_view(template_name="contas/senha_concluida.html"),
        name="password_reset_complete",
    ),
    path(
        "senha/alterar/",
        auth_views.PasswordChangeView.as_view(
            template_name="contas/senha_alterar.html", success_url=reverse_lazy("password_change_done")
        ),
        name="password_change",
    ),
    path(
        "senha/alterar/ok/",
        auth_views.PasswordChangeDoneView.as_view(template_name="contas/senha_alterada.html"),
        name="password_change_done",
    ),
]
