from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UsuarioManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("O e-mail é obrigatório.")
        email = self.normalize_email(email).lower()
        usuario = self.model(email=email, **extra)
        if password:
            usuario.set_password(password)
        else:
            usuario.set_unusable_password()
        usuario.save(using=self._db)
        return usuario

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class Usuario(AbstractBaseUser, PermissionsMixin):
    """Usuário do sistema; o login é o e-mail."""

    email = models.EmailField("e-mail", unique=True)
    nome = models.CharField("nome", max_length=200, blank=True)
    is_active = models.BooleanField("ativo", default=True)
    is_staff = models.BooleanField(
        "acesso ao admin", default=False, help_text="Pode entrar na administração do Django."
    )
    criado_em = models.DateTimeField("criado em", default=timezone.now, editable=False)

    objects = UsuarioManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nome"]

    class Meta:
        verbose_name = "usuário"
        verbose_name_plural = "usuários"
        ordering = ["nome", "email"]

    def __str__(self):
        return self.nome or self.email

    def get_full_name(self):
        return self.nome or self.email

    def get_short_name(self):
        return (self.nome or self.email).split(" ")[0]
