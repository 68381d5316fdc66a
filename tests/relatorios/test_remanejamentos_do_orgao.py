"""Relatório "Remanejamento de Incisos" para o analista de órgão: só as UOs que ele analisa."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emendas.models import Acao, ProgramacaoElegivel
from emendas.services import solicitar_remanejamento

from .conftest import criar_usuario, logado
from tests.fabricas import ler_csv


@pytest.fixture
def com_pedido_de_outra_uo(cenario, grupo_inv):
    """Além dos dois pedidos de Ana (S501, UO 4291), um de Bruno no S503 (UO 1261, educação)."""
    s503 = cenario["s503"]
    destino = Acao.objects.create(uo=s503.acao.uo, codigo="4002", nome="Ensino fundamental", area=Acao.Area.EDUCACAO)
    ProgramacaoElegivel.objects.create(exercicio=cenario["exercicio"], acao=destino, grupo_despesa=grupo_inv)
    solicitar_remanejamento(usuario=cenario["bruno"], inciso=s503, acao=destino, grupo_despesa=grupo_inv,
                            valor=Decimal("5000.00"), detalhamento="Escola estadual")
    return cenario


@pytest.mark.pdf
def test_analista_de_orgao_ve_o_relatorio_de_remanejamentos_so_das_suas_uos(com_pedido_de_outra_uo):
    c = logado(com_pedido_de_outra_uo["orgao"])  # analisa a UO 4291
    r = c.get(reverse("relatorio_remanejamentos"))
    assert r.status_code == 200
    assert {rem["inciso"] for rem in r.context["pagina"].object_list} == {"S501"}
    assert len(r.context["pagina"].object_list) == 2
    _, linhas = ler_csv(c.get(reverse("relatorio_remanejamentos_csv")))
    assert sorted((l["Inciso de origem"], l["UO de origem"]) for l in linhas) == [("S501", "4291"), ("S501", "4291")]
    r = c.get(reverse("relatorio_remanejamentos_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    # O filtro não abre a porta: pedir a UO de outro órgão devolve lista vazia.
    _, linhas = ler_csv(c.get(reverse("relatorio_remanejamentos_csv"), {"parlamentar": "Bruno"}))
    assert linhas == []


def test_analista_de_outra_uo_ve_so_a_dela_e_o_menu_mostra_o_relatorio(com_pedido_de_outra_uo):
    c = com_pedido_de_outra_uo
    educacao = criar_usuario("analista@educacao.test", "Órgão", "Eduarda Educação")
    c["s503"].acao.uo.analistas.add(educacao)
    cliente = logado(educacao)
    _, linhas = ler_csv(cliente.get(reverse("relatorio_remanejamentos_csv")))
    assert [(l["Inciso de origem"], l["Detalhamento"]) for l in linhas] == [("S503", "Escola estadual")]
    assert reverse("relatorio_remanejamentos") in cliente.get(reverse("relatorio_incisos")).content.decode()


def test_segov_continua_vendo_todos_e_convenente_continua_sem_acesso(com_pedido_de_outra_uo):
    c = com_pedido_de_outra_uo
    _, linhas = ler_csv(logado(c["segov"]).get(reverse("relatorio_remanejamentos_csv")))
    assert len(linhas) == 3
    assert logado(c["convenente"]).get(reverse("relatorio_remanejamentos")).status_code == 403
    assert logado(c["convenente"]).get(reverse("relatorio_remanejamentos_csv")).status_code == 403
