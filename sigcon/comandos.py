"""Base dos comandos ``manage.py importar_*``: lê o arquivo, chama a importação, erro com linha e campo."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from emendas.importacao import ErroImportacao


class ComandoDeImportacao(BaseCommand):
    """Subclasses definem ``help``, ``rotulo`` ("Convenentes importados") e ``importar(conteudo) -> Resultado``."""

    rotulo = "Importados"

    def add_arguments(self, parser):
        parser.add_argument("arquivo")

    def importar(self, conteudo: bytes):
        raise NotImplementedError

    def handle(self, arquivo, **_):
        try:
            conteudo = Path(arquivo).read_bytes()
        except OSError as exc:
            raise CommandError(f"Não foi possível ler {arquivo}: {exc.strerror}.") from None
        try:
            resultado = self.importar(conteudo)
        except ErroImportacao as exc:
            raise CommandError("Nada foi importado.\n" + "\n".join(str(e) for e in exc.erros)) from None
        self.stdout.write(self.style.SUCCESS(f"{self.rotulo}: " + resultado.resumo()))
