from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convenios.importacao import importar_escolas
from emendas.importacao import ErroImportacao


class Command(BaseCommand):
    help = ("Importa escolas (caixas escolares) de um CSV UTF-8 (;) com cabeçalho "
            "codigo_escola;cnpj;razao_social;municipio. Tudo ou nada; pode rodar de novo sem duplicar.")

    def add_arguments(self, parser):
        parser.add_argument("arquivo")

    def handle(self, arquivo, **_):
        try:
            conteudo = Path(arquivo).read_bytes()
        except OSError as exc:
            raise CommandError(f"Não foi possível ler {arquivo}: {exc.strerror}.") from None
        try:
            resultado = importar_escolas(conteudo=conteudo)
        except ErroImportacao as exc:
            raise CommandError("Nada foi importado.\n" + "\n".join(str(e) for e in exc.erros)) from None
        self.stdout.write(self.style.SUCCESS("Escolas importadas: " + resultado.resumo()))
