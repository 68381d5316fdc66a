from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from emendas.importacao import ErroImportacao, importar_loa


class Command(BaseCommand):
    help = "Importa os incisos da LOA de um CSV (;) com o cabeçalho padrão. Tudo ou nada."

    def add_arguments(self, parser):
        parser.add_argument("arquivo")
        parser.add_argument("--ano", type=int, required=True)
        parser.add_argument("--publicacao", required=True, help="Data de publicação da LOA, AAAA-MM-DD.")
        parser.add_argument("--simular", action="store_true", help="Valida e mostra o resumo sem gravar.")

    def handle(self, arquivo, ano, publicacao, simular, **_):
        try:
            data = date.fromisoformat(publicacao)
        except ValueError:
            raise CommandError(f"Data de publicação inválida: “{publicacao}”. Use AAAA-MM-DD.") from None
        try:
            conteudo = Path(arquivo).read_bytes()
        except OSError as exc:
            raise CommandError(f"Não foi possível ler {arquivo}: {exc.strerror}.") from None
        try:
            resultado = importar_loa(conteudo=conteudo, ano=ano, publicacao=data, simular=simular)
        except ErroImportacao as exc:
            raise CommandError("Nada foi importado.\n" + "\n".join(str(e) for e in exc.erros)) from None
        prefixo = "Simulação (nada gravado): " if simular else "LOA importada: "
        self.stdout.write(self.style.SUCCESS(prefixo + resultado.resumo()))
