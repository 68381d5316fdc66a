"""Entradas, saídas, senhas erradas e mudanças de grupos e permissões.

Sinais aqui são aceitáveis: não há regra de negócio, só o registro do que o Django já fez (login, m2m de
permissões). As mudanças de estado do domínio chamam ``registrar`` nos próprios serviços.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .contexto import ip_do_pedido
from .services import registrar


@receiver(user_logged_in, dispatch_uid="auditoria_entrar")
def _entrou(sender, request, user, **_):
    registrar(acao="conta.entrar", objeto=user, usuario=user, ip=ip_do_pedido(request))


@receiver(user_logged_out, dispatch_uid="auditoria_sair")
def _saiu(sender, request, user, **_):
    if user is not None:
        registrar(acao="conta.sair", objeto=user, usuario=user, ip=ip_do_pedido(request))


@receiver(user_login_failed, dispatch_uid="auditoria_login_falhou")
def _falhou(sender, credentials, request=None, **_):
    # O Django já trocou a senha por asteriscos em *credentials*; guardamos só o e-mail tentado.
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    registrar(acao="conta.login_falhou", depois={"email": email}, ip=ip_do_pedido(request))


def _campo_m2m(instancia, sender):
    """Nome do acesso (``groups``, ``user_set``, ``permissions``...) da relação *sender* vista de *instancia*."""
    for campo in instancia._meta.get_fields():
        if not campo.many_to_many:
            continue
        if not campo.concrete:  # lado reverso (ex.: Group.user_set)
            if campo.through is sender:
                return campo.get_accessor_name()
        elif campo.remote_field.through is sender:
            return campo.name
    return None


def _membros(instancia, nome) -> list[str]:
    return sorted(getattr(o, "email", None) or str(o) for o in getattr(instancia, nome).all())


def _mudou_permissao(sender, instance, action, **_):
    nome = _campo_m2m(instance, sender)
    if nome is None:
        return
    if action.startswith("pre_"):
        instance.__dict__.setdefault("_auditoria_m2m", {})[nome] = _membros(instance, nome)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    antes = set(instance.__dict__.get("_auditoria_m2m", {}).pop(nome, []))
    depois = set(_membros(instance, nome))
    if antes == depois:
        return
    # Só a diferença: quem saiu (antes) e quem entrou (depois); um grupo tem centenas de permissões.
    registrar(acao=f"permissoes.{nome}", objeto=instance, antes={nome: sorted(antes - depois)},
              depois={nome: sorted(depois - antes)})


def _antes_de_salvar_usuario(sender, instance, update_fields=None, raw=False, **_):
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    antiga = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance.__dict__["_auditoria_senha_mudou"] = antiga is not None and antiga != instance.password


def _depois_de_salvar_usuario(sender, instance, **_):
    # Vale para o admin, a troca pelo próprio usuário e a definição por link (quem usou o link fica pelo IP).
    if instance.__dict__.pop("_auditoria_senha_mudou", False):
        registrar(acao="conta.senha_alterada", objeto=instance)


def conectar():
    Usuario = get_user_model()
    pre_save.connect(_antes_de_salvar_usuario, sender=Usuario, dispatch_uid="auditoria_senha_antes")
    post_save.connect(_depois_de_salvar_usuario, sender=Usuario, dispatch_uid="auditoria_senha_depois")
    for through in (Usuario.groups.through, Usuario.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_mudou_permissao, sender=through, dispatch_uid=f"auditoria_m2m_{through._meta.label}")
