from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _aplicar_papeis(sender, **kwargs):
    from .papeis import aplicar_papeis

    aplicar_papeis()


class ContasConfig(AppConfig):
    name = "contas"
    verbose_name = "Contas e perfis"

    def ready(self):
        # As permissões de cada app só existem depois do migrate dele: reaplicar a tabela de papéis a cada
        # post_migrate é idempotente e deixa os grupos exatamente como contas/papeis.py declara.
        post_migrate.connect(_aplicar_papeis, dispatch_uid="contas_aplicar_papeis")
