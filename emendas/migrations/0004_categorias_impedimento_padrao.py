from django.db import migrations

CATEGORIAS = [
    "Incompatibilidade do objeto com a finalidade da ação orçamentária",
    "Ausência de projeto de engenharia, licença ambiental ou outro documento técnico exigido",
    "Valor incompatível com o objeto ou com o cronograma de execução",
    "Desistência do beneficiário",
    "Proposta ou plano de trabalho não apresentado no prazo",
    "Impedimento legal do beneficiário para receber o recurso",
    "Incompatibilidade com a política pública setorial",
    "Outras razões de ordem técnica devidamente justificadas",
]


def criar(apps, schema_editor):
    Categoria = apps.get_model("emendas", "CategoriaImpedimento")
    for nome in CATEGORIAS:
        if not Categoria.objects.filter(exercicio__isnull=True, nome=nome).exists():
            Categoria.objects.create(nome=nome)


class Migration(migrations.Migration):
    dependencies = [("emendas", "0003_exercicio_sequencia_indicacao_and_more")]
    operations = [migrations.RunPython(criar, migrations.RunPython.noop)]
