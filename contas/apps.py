from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _aplicar_papeis(sender, **kwargs):
    from .papeis import aplicar_papeis

    aplicar_papeis()


def _criar_tabela_de_cache(sender, using="default", **kwargs):
    # O cache no banco (settings.CACHES sem Redis) precisa da tabela; o comando não faz nada se ela
    # já existe ou se o cache é o Redis.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class ContasConfig(AppConfig):
    name = "contas"
    verbose_name = "Contas e perfis"

    def ready(self):
        # As permissões de cada app só existem depois do migrate dele: reaplicar a tabela de papéis a cada
        # post_migrate é idempotente e deixa os grupos exatamente como contas/papeis.py declara.
        post_migrate.connect(_aplicar_papeis, dispatch_uid="contas_aplicar_papeis")
        post_migrate.connect(_criar_tabela_de_cache, sender=self, dispatch_uid="contas_tabela_de_cache")
        from . import entrada  # noqa: F401  (liga os receptores de falha de login e bloqueio)
        from .sessao import marcar_renovacao_no_login

        user_logged_in.connect(marcar_renovacao_no_login, dispatch_uid="contas_sessao_renovada_no_login")
