from convenios.importacao import importar_convenentes
from sigcon.comandos import ComandoDeImportacao


class Command(ComandoDeImportacao):
    help = "Importa convenentes de um CSV (;) com cabeçalho cnpj;razao_social;municipio;tipo. Tudo ou nada."
    rotulo = "Convenentes importados"

    def importar(self, conteudo):
        return importar_convenentes(conteudo=conteudo)
