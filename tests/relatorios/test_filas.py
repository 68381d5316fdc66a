"""O "Exportar CSV" das filas de aprovação: as linhas da fila, com o filtro da tela, e só para quem vê a fila."""

import pytest
from django.urls import reverse

from emendas.models import Indicacao, Remanejamento
from relatorios import base
from relatorios.models import RelatorioGerado
from tests.fabricas import ler_csv
from tests.relatorios.conftest import logado

pytestmark = pytest.mark.django_db


def test_csv_da_fila_de_remanejamentos_traz_so_os_pedidos_a_espera(cenario):
    segov = logado(cenario["segov"])
    tela = segov.get(reverse("emendas:analise_remanejamentos"), {"uo": "4291", "pagina": "1", "todos": "1"})
    # O link leva os filtros da tela (não a página nem o "marcar todos").
    assert f'href="{reverse("relatorio_fila_remanejamentos_csv")}?uo=4291"' in tela.content.decode()
    cabecalho, linhas = ler_csv(segov.get(reverse("relatorio_fila_remanejamentos_csv")))
    assert cabecalho[:3] == ["Nº", "Exercício", "Titular"]
    # A fila abre nos pedidos à espera: o de 20.000,00; o aprovado (100.000,00) fica de fora, como na tela.
    pendente = Remanejamento.objects.get(status=Remanejamento.Status.SOLICITADO)
    assert [(l["Nº"], l["Valor"], l["Situação"]) for l in linhas] == [(str(pendente.pk), "20.000,00", "Solicitado")]
    # O filtro da tela vale no CSV: "Todas" as situações traz os dois.
    _, todas = ler_csv(segov.get(reverse("relatorio_fila_remanejamentos_csv"), {"status": ""}))
    assert sorted(l["Valor"] for l in todas) == ["100.000,00", "20.000,00"]


def test_csv_das_filas_de_indicacoes_segue_quem_ve_e_o_filtro(cenario):
    orgao = logado(cenario["orgao"])
    tela = orgao.get(reverse("emendas:analise_orgao")).content.decode()
    assert reverse("relatorio_fila_indicacoes_orgao_csv") in tela
    # O analista da UO 4291 vê a de 100,00 (S501), não a de 7,00 (S503, UO 1261), nem as decididas.
    _, linhas = ler_csv(orgao.get(reverse("relatorio_fila_indicacoes_orgao_csv")))
    assert [(l["Inciso"], l["Valor"], l["Situação"]) for l in linhas] == [("S501", "100,00", "Em análise no órgão")]

    segov = logado(cenario["segov"])
    _, linhas = ler_csv(segov.get(reverse("relatorio_fila_indicacoes_segov_csv")))
    assert linhas == []  # nada em análise na SEGOV
    _, linhas = ler_csv(segov.get(reverse("relatorio_fila_indicacoes_segov_csv"), {"status": Indicacao.Status.APROVADA}))
    assert [l["Valor"] for l in linhas] == ["1.234,56"]


@pytest.mark.parametrize("nome, quem_ve, quem_nao_ve", [
    ("fila_remanejamentos", "segov", ("ana", "orgao", "visualizador", "convenente")),
    ("fila_indicacoes_segov", "segov", ("ana", "orgao", "visualizador", "convenente")),
    ("fila_indicacoes_orgao", "orgao", ("ana", "segov", "visualizador", "convenente")),
])
def test_quem_nao_ve_a_fila_nao_exporta(cenario, nome, quem_ve, quem_nao_ve):
    for papel in quem_nao_ve:
        cliente = logado(cenario[papel])
        for sufixo in ("_csv", "_pdf", ""):
            assert cliente.get(reverse(f"relatorio_{nome}{sufixo}")).status_code == 403, (papel, sufixo)
    assert logado(cenario[quem_ve]).get(reverse(f"relatorio_{nome}_csv")).status_code == 200


def test_a_tela_do_relatorio_da_fila_e_a_propria_fila_e_nao_esta_no_menu(cenario):
    segov = logado(cenario["segov"])
    r = segov.get(reverse("relatorio_fila_remanejamentos"), {"status": "APROVADO"})
    assert r.status_code == 302 and r["Location"] == reverse("emendas:analise_remanejamentos") + "?status=APROVADO"
    menu = segov.get("/").content.decode()
    assert "fila_remanejamentos/" not in menu and reverse("relatorio_remanejamentos") in menu


def test_csv_grande_da_fila_vai_pelo_celery(cenario, monkeypatch):
    # Acima do limite da requisição, o pedido vira um RelatorioGerado do dono, com os filtros da fila.
    monkeypatch.setattr(base, "LIMITE_CSV_NA_HORA", 0)
    segov = logado(cenario["segov"])
    r = segov.get(reverse("relatorio_fila_remanejamentos_csv"), {"ano": cenario["exercicio"].ano})
    gerado = RelatorioGerado.objects.get(usuario=cenario["segov"])
    assert r.status_code == 302 and r["Location"] == reverse("relatorio_gerado", args=[gerado.pk])
    assert gerado.nome == "fila_remanejamentos" and gerado.formato == "csv"
    assert gerado.parametros == {"ano": str(cenario["exercicio"].ano)}


def test_csv_da_fila_de_liberacoes_traz_as_parcelas_a_autorizar_e_so_para_a_segov(inciso, parlamentar,
                                                                                  analista_orgao, segov, convenente):
    from datetime import date
    from decimal import Decimal

    import time_machine

    from convenios import services as conv
    from tests.conftest import meio_dia
    from tests.fabricas import cenario_convenio, convenio_vigente, proposta_aprovada

    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        beneficiario, cadastrador, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar,
                                                          analista_orgao=analista_orgao, segov=segov)
        p = proposta_aprovada(cadastrador=cadastrador, convenente=beneficiario, indicacao=ind,
                              analista_orgao=analista_orgao, valor=Decimal("1000.00"))
        convenio_vigente(cadastrador=cadastrador, analista_orgao=analista_orgao, proposta=p)
        primeira = conv.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=Decimal("400.00"))
        conv.autorizar_liberacao(usuario=segov, liberacao=primeira)
        conv.solicitar_liberacao(usuario=analista_orgao, proposta=p, valor=Decimal("250.50"))
    cliente = logado(segov)
    assert reverse("relatorio_fila_liberacoes_csv") in cliente.get(reverse("convenios:liberacoes")).content.decode()
    cabecalho, linhas = ler_csv(cliente.get(reverse("relatorio_fila_liberacoes_csv")))
    assert cabecalho[:6] == ["Proposta", "Convenente", "CNPJ", "Concedente (UO)", "Parcela", "Valor"]
    # Só a parcela à espera (a autorizada saiu da fila, como na tela).
    assert [(l["Proposta"], l["Parcela"], l["Valor"]) for l in linhas] == [(str(p.pk), "2", "250,50")]
    for quem in (analista_orgao, cadastrador, parlamentar.usuario):
        assert logado(quem).get(reverse("relatorio_fila_liberacoes_csv")).status_code == 403
