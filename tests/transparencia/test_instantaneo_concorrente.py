"""Duas execuções da tarefa diária ao mesmo tempo (dois workers, o beat repetido): um instantâneo só por exercício e
dia, e o arquivo de quem perdeu é apagado. No PostgreSQL, com threads e conexões de verdade, fora de qualquer
transação do teste (a leitura do arquivo roda na sua transação REPEATABLE READ)."""

from datetime import date

import pytest
from django.core.files.storage import default_storage

from tests.concorrencia import em_paralelo, so_no_postgres
from transparencia.instantaneos import gerar_instantaneo
from transparencia.models import InstantaneoDadosAbertos

pytestmark = pytest.mark.django_db(transaction=True)
DIA = date(2000, 1, 1)  # um dia só deste teste: os arquivos de outros testes não se misturam


def test_duas_tarefas_ao_mesmo_tempo_geram_um_instantaneo_so(publico):
    so_no_postgres()
    exercicio = publico["exercicio"]
    resultados = em_paralelo([lambda: gerar_instantaneo(exercicio=exercicio, dia=DIA)] * 2)
    assert not [r for r in resultados if isinstance(r, Exception)], resultados
    assert resultados[0].pk == resultados[1].pk
    assert InstantaneoDadosAbertos.objects.filter(exercicio=exercicio, dia=DIA).count() == 1
    _, arquivos = default_storage.listdir(f"dados-abertos/{exercicio.ano}")
    assert [a for a in arquivos if a.startswith(f"indicacoes-{DIA.isoformat()}")] == [
        resultados[0].arquivo.name.rsplit("/", 1)[-1]]
    assert resultados[0].linhas == 4
