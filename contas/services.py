from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string

from notificacoes.models import MARCA_LINK_SENHA, EmailPendente
from notificacoes.services import enfileirar_email

from . import perfis
from .links import link_definir_senha  # noqa: F401  (nome público de antes)
from .models import normalizar_email


def convidar_usuario(*, usuario) -> None:
    """Envia (pela caixa de saída) o link para o primeiro acesso definir a senha.

    O corpo guardado leva só a marca do link; o link com o token é montado na hora do envio.
    """
    corpo = render_to_string("contas/email_convite.txt", {"usuario": usuario, "link": MARCA_LINK_SENHA})
    enfileirar_email(assunto="SIGCON Saída – defina sua senha de acesso", corpo=corpo, destinatarios=[usuario.email],
                     link_senha_de=usuario, tipo=EmailPendente.Tipo.CONVITE)


def criar_usuario(*, email: str, perfil: str, nome: str = "", uo=None, senha: str | None = None):
    """Cria (ou completa) um usuário com o perfil pedido. ``perfil``: chave de ``perfis.POR_CHAVE``."""
    from emendas.models import Parlamentar

    if perfil not in perfis.POR_CHAVE:
        raise ValidationError(f"Perfil desconhecido: “{perfil}”. Use: {', '.join(perfis.POR_CHAVE)}.")
    if perfil == "orgao" and uo is None:
        raise ValidationError("Informe a UO (--uo) do analista do órgão.")
    Usuario = get_user_model()
    email = normalizar_email(email)
    with transaction.atomic():
        usuario = Usuario.objects.filter(email__iexact=email).first()
        novo = usuario is None
        if novo:
            usuario = Usuario.objects.create_user(email=email, nome=nome, password=senha)
        elif nome and usuario.nome != nome:
            usuario.nome = nome
            usuario.save(update_fields=["nome"])
        if senha and not novo:
            usuario.set_password(senha)
            usuario.save(update_fields=["password"])
        usuario.groups.add(Group.objects.get_or_create(name=perfis.POR_CHAVE[perfil])[0])
        if perfil == "admin" and not usuario.is_staff:
            usuario.is_staff = True
            usuario.is_superuser = True
            usuario.save(update_fields=["is_staff", "is_superuser"])
        if perfil == "segov" and not usuario.is_staff:
            usuario.is_staff = True  # a SEGOV corrige dados pelo admin durante o período fechado
            usuario.save(update_fields=["is_staff"])
        if perfil == "parlamentar":
            Parlamentar.objects.get_or_create(usuario=usuario, defaults={"nome": nome or usuario.email})
        if uo is not None:
            uo.analistas.add(usuario)
        if novo and not senha:
            convidar_usuario(usuario=usuario)
    return usuario
