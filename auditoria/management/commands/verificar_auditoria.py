from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from auditoria.cadeia import verificar_cadeia


class Command(BaseCommand):
    help = "Recalcula a cadeia de hashes da auditoria e aponta o primeiro registro que não confere."

    def handle(self, **_):
        v = verificar_cadeia()
        if not v.integra:
            r = v.quebrado
            raise CommandError(
                f"Cadeia da auditoria QUEBRADA no registro nº {r.pk} (posição {r.ordem or '—'}, {r.acao}, "
                f"{timezone.localtime(r.momento):%d/%m/%Y %H:%M:%S}): {v.motivo}. "
                f"{v.selados} registro(s) anteriores conferem."
            )
        self.stdout.write(self.style.SUCCESS(
            f"Cadeia da auditoria íntegra: {v.selados} registro(s) selado(s), {v.pendentes} aguardando selagem."
        ))
