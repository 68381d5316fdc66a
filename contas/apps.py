from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Apps cujos modelos a SEGOV mantém pelo admin do Django.
APPS_DA_SEGOV = ("emendas", "convenios", "notificacoes", "integracoes")


def _permissoes_da_segov(sender, **kwargs):
    from django.contrib.auth.models import Group, Permission

    from . import perfis

    grupo = Group.objects.filter(name=perfis.SEGOV).first()
    if grupo is None:
        return
    grupo.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS_DA_SEGOV))


def _criar_tabela_de_cache(sender, using="default", **kwargs):
    # O cache no banco (settings.CACHES sem Redis) precisa da tabela; o comando não faz nada se ela
    # já existe ou se o cache é o Redis.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class ContasConfig(AppConfig):
    name = "contas"
    verbose_name = "Contas e perfis"

    def ready(self):
        # Permissões só existem depois do migrate; dá-las ao grupo SEGOV a cada migrate é idempotente.
        post_migrate.connect(_permissoes_da_segov, dispatch_uid="contas_permissoes_segov")
        post_migrate.connect(_criar_tabela_de_cache, sender=self, dispatch_uid="contas_tabela_de_cache")
        from . import entrada  # noqa: F401  (liga os receptores de falha de login e bloqueio)
