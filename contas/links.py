"""Links com credencial (uid + token): montados só na hora do envio do e-mail, nunca guardados."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def link_definir_senha(usuario) -> str:
    uid = urlsafe_base64_encode(force_bytes(usuario.pk))
    token = default_token_generator.make_token(usuario)
    caminho = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SIGCON_URL_BASE.rstrip("/") + caminho
