from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from emendas.importacao import ErroImportacao, importar_programacoes


class Command(BaseCommand):
    help = "Importa as programações elegíveis (anexo da Resolução SEGOV) de um CSV (;). Tudo ou nada."

    def add_arguments(self, parser):
        parser.add_argument("arquivo")
        parser.add_argument("--ano", type=int, required=True)
        parser.add_argument("--simular", action="store_true")

    def handle(self, arquivo, ano, simular, **_):
        try:
            conteudo = Path(arquivo).read_bytes()
        except OSError as exc:
            raise CommandError(f"Não foi possível ler {arquivo}: {exc.strerror}.") from None
        try:
            resultado = importar_programacoes(conteudo=conteudo, ano=ano, simular=simular)
        except ErroImportacao as exc:
            raise CommandError("Nada foi importado.\n" + "\n".join(str(e) for e in exc.erros)) from None
        prefixo = "Simulação (nada gravado): " if simular else "Programações importadas: "
        self.stdout.write(self.style.SUCCESS(prefixo + resultado.resumo()))
