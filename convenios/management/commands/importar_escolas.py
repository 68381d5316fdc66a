from convenios.importacao import importar_escolas
from sigcon.comandos import ComandoDeImportacao


class Command(ComandoDeImportacao):
    help = ("Importa escolas (caixas escolares) de um CSV UTF-8 (;) com cabeçalho "
            "codigo_escola;cnpj;razao_social;municipio. Tudo ou nada; pode rodar de novo sem duplicar.")
    rotulo = "Escolas importadas"

    def importar(self, conteudo):
        return importar_escolas(conteudo=conteudo)
