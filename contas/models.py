from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def normalizar_email(email: str | None) -> str:
    """O e-mail como o sistema guarda e procura: sem espaços nas pontas e em minúsculas.

    ``Ana@X.test`` e ``ana@x.test`` são a mesma pessoa (o banco recusa os dois, ver ``Usuario.Meta``).
    """
    return (email or "").strip().lower()


class UsuarioManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("O e-mail é obrigatório.")
        email = normalizar_email(email)
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
        # Pela mesma expressão da restrição única (LOWER(email)): acha "ANA@X" e nunca acha dois.
        return self.annotate(email_normalizado=Lower("email")).get(email_normalizado=normalizar_email(email))


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
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="usuario_email_unico_sem_caixa",
                violation_error_message="Já existe um usuário com este e-mail (maiúsculas e minúsculas não contam).",
            ),
        ]

    def __str__(self):
        return self.nome or self.email

    def clean(self):
        super().clean()
        self.email = normalizar_email(self.email)

    def save(self, *args, **kwargs):
        # Toda gravação (admin, cargas, comando, serviços) guarda o e-mail normalizado.
        self.email = normalizar_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.nome or self.email

    def get_short_name(self):
        return (self.nome or self.email).split(" ")[0]
