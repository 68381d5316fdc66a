from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convenios.importacao import importar_convenentes
from emendas.importacao import ErroImportacao


class Command(BaseCommand):
    help = "Importa convenentes de um CSV (;) com cabeçalho cnpj;razao_social;municipio;tipo. Tudo ou nada."

    def add_arguments(self, parser):
        parser.add_argument("arquivo")

    def handle(self, arquivo, **_):
        try:
            conteudo = Path(arquivo).read_bytes()
        except OSError as exc:
            raise CommandError(f"Não foi possível ler {arquivo}: {exc.strerror}.") from None
        try:
            resultado = importar_convenentes(conteudo=conteudo)
        except ErroImportacao as exc:
            raise CommandError("Nada foi importado.\n" + "\n".join(str(e) for e in exc.erros)) from None
        self.stdout.write(self.style.SUCCESS("Convenentes importados: " + resultado.resumo()))
