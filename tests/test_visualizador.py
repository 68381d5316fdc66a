"""O grupo "Visualizador de Relatórios" lê todos os relatórios e não escreve nada."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from contas import perfis
from emendas.services import enviar_indicacao, solicitar_remanejamento
from tests.conftest import criar_usuario, meio_dia

pytestmark = pytest.mark.django_db


@pytest.fixture
def visualizador(db):
    return criar_usuario("leitor@segov.test", perfis.VISUALIZADOR, "Leitor de Relatórios")


def test_visualizador_ve_os_relatorios_de_todos(visualizador, programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2, grupo_despesa=grupo_inv,
                                valor=Decimal("10.00"))
        enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                         valor=Decimal("20.00"), objeto="Obra")
    c = Client()
    c.force_login(visualizador)
    assert c.get("/").url == reverse("relatorio_saldos")
    corpo = b"".join(c.get(reverse("relatorio_remanejamentos_csv")).streaming_content).decode("utf-8-sig")
    assert "Ana Lacerda" in corpo and "10,00" in corpo
    corpo = b"".join(c.get(reverse("relatorio_indicacoes_csv")).streaming_content).decode("utf-8-sig")
    assert "20,00" in corpo
    # Só lê: nenhuma tela de escrita abre.
    assert c.get(reverse("emendas:remanejamentos")).status_code == 403
    assert c.get(reverse("emendas:analise_segov")).status_code == 403
    assert c.get(reverse("emendas:importar")).status_code == 403
