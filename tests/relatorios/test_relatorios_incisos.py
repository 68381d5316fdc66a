"""Relatórios "Incisos", "Totalização", "Parlamentares" e "Saldos por titular": tela, CSV, PDF e acesso."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relatorios import acesso as relatorios_acesso
from emendas.models import Exercicio, Inciso
from emendas.selectors import saldos_agrupados
from emendas.selectors import saldos_incisos
from tests.fabricas import ler_csv, lote_incisos, numeros_da_pagina, por_coluna, texto_do_pdf
from tests.relatorios.conftest import LIVRE, RELATORIOS, SEM_PDFTOTEXT, logado

pytestmark = pytest.mark.django_db
M = Decimal


# --- Incisos ---------------------------------------------------------------------------------------

def test_incisos_tela_com_saldos_e_total(cenario):
    r = logado(cenario["segov"]).get(reverse("relatorio_incisos"))
    # Ordem padrão: titular, emenda, inciso.
    assert numeros_da_pagina(r) == ["S501", "S502", "R1", "S504", "S503"]
    linhas = {l.inciso.numero: l.saldos for l in r.context["pagina"].object_list}
    s = linhas["S501"]
    assert (s.valor_inicial, s.valor_inciso, s.remanejamento_solicitado, s.indicado, s.disponivel_indicacao) == (
        M("1000000.00"), M("900000.00"), M("20000.00"), M("1334.56"), M("878665.44"))
    assert linhas["R1"].disponivel_indicacao == M("100000.00")
    html = r.content.decode()
    assert "5 incisos · exercício 2019" in html
    # Total de todos os incisos filtrados: valor inicial, valor do inciso, solicitado, indicado, disponível.
    for valor in ("1.650.000,00", "1.550.000,00", "20.000,00", "1.341,56", "1.528.658,44"):
        assert valor in html
    assert "Total (5 incisos)" in html
    assert 'aria-sort="ascending"' in html and "ordem=-titular" in html


def test_incisos_csv(cenario):
    cabecalho, linhas = ler_csv(logado(cenario["segov"]).get(reverse("relatorio_incisos_csv")))
    assert cabecalho == [
        "Exercício", "Titular", "Emenda", "Inciso", "Tipo", "UO", "Nome da UO", "Ação", "Nome da ação",
        "Grupo de despesa", "Nome do grupo de despesa", "Valor inicial", "Valor do inciso", "Remanejamento solicitado",
        "Indicado", "Disponível para indicação", "Inciso de origem",
    ]
    por = por_coluna(linhas, "Inciso")
    assert [l["Inciso"] for l in linhas] == ["S501", "S502", "R1", "S504", "S503"]
    assert por["S501"] == {
        "Exercício": "2019", "Titular": "Ana Lacerda", "Emenda": str(cenario["s501"].emenda.numero),
        "Inciso": "S501", "Tipo": "S", "UO": "4291", "Nome da UO": "Fundo Estadual de Saúde", "Ação": "4470",
        "Nome da ação": "Atenção primária", "Grupo de despesa": "4", "Nome do grupo de despesa": "Investimentos",
        "Valor inicial": "1.000.000,00", "Valor do inciso": "900.000,00", "Remanejamento solicitado": "20.000,00",
        "Indicado": "1.334,56", "Disponível para indicação": "878.665,44", "Inciso de origem": "",
    }
    assert (por["R1"]["Tipo"], por["R1"]["Ação"], por["R1"]["Inciso de origem"]) == ("R", "4471", "S501")
    assert por["S504"]["Titular"] == "Bloco Minas"
    assert (por["S503"]["Indicado"], por["S503"]["Disponível para indicação"]) == ("7,00", "299.993,00")


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_incisos_pdf(cenario, tmp_path):
    texto = texto_do_pdf(logado(cenario["segov"]).get(reverse("relatorio_incisos_pdf"), {"uo": "4291"}), tmp_path)
    assert "SIGCON Saída – Incisos" in texto and "Gerado em 01/02/2019 12:00" in texto
    assert "Exercício: 2019; UO (código): 4291" in texto and "Emitido por Sílvia SEGOV" in texto
    assert "Página 1 de 1" in texto
    assert "878.665,44" in texto and "Bloco Minas" in texto and "S503" not in texto
    # S501 + S504 + R1
    linha_total = next(l for l in texto.splitlines() if "Total (3 incisos)" in l)
    assert linha_total.split()[-5:] == ["1.150.000,00", "1.050.000,00", "20.000,00", "1.334,56", "1.028.665,44"]


@pytest.mark.parametrize("ordem, esperado", [
    ("-valor_inicial", ["S501", "S503", "S502", "R1", "S504"]),
    ("valor_inicial", ["S504", "R1", "S502", "S503", "S501"]),
    ("inciso", ["S501", "S502", "S503", "S504", "R1"]),
    ("-inciso", ["R1", "S504", "S503", "S502", "S501"]),
    ("uo", ["S502", "S503", "S501", "R1", "S504"]),
    ("origem", ["R1", "S501", "S502", "S503", "S504"]),
    ("-titular", ["S503", "S504", "S501", "S502", "R1"]),
    # Fora da lista branca (ou coluna calculada): a ordem padrão, sem erro.
    ("disponivel", ["S501", "S502", "R1", "S504", "S503"]),
    ("senha; drop table", ["S501", "S502", "R1", "S504", "S503"]),
])
def test_incisos_ordem(cenario, ordem, esperado):
    assert numeros_da_pagina(logado(cenario["segov"]).get(reverse("relatorio_incisos"), {"ordem": ordem})) == esperado


def test_ordem_vale_no_csv_e_continua_ao_filtrar(cenario):
    c = logado(cenario["segov"])
    _, linhas = ler_csv(c.get(reverse("relatorio_incisos_csv"), {"ordem": "-valor_inicial", "uo": "1261"}))
    assert [l["Inciso"] for l in linhas] == ["S503", "S502"]
    html = c.get(reverse("relatorio_incisos"), {"ordem": "-valor_inicial"}).content.decode()
    assert 'type="hidden" name="ordem" value="-valor_inicial"' in html
    assert "ordem=-valor_inicial" in html  # links de CSV/PDF levam a ordem


@pytest.mark.parametrize("filtro, esperado", [
    ({"uo": "1261"}, ["S502", "S503"]),
    ({"acao": "4471"}, ["R1"]),
    ({"grupo": "3"}, ["S502", "R1", "S503"]),
    ({"parlamentar": "bloco"}, ["S504"]),
    ({"parlamentar": "ANA", "grupo": "4"}, ["S501"]),
    ({"ano": "2019"}, ["S501", "S502", "R1", "S504", "S503"]),
])
def test_incisos_filtros(cenario, filtro, esperado):
    assert numeros_da_pagina(logado(cenario["segov"]).get(reverse("relatorio_incisos"), filtro)) == esperado


def test_exercicio_padrao_e_o_mais_recente_e_ano_inexistente_da_lista_vazia(cenario):
    Exercicio.objects.create(ano=2020, data_publicacao_loa=date(2020, 1, 10))
    c = logado(cenario["segov"])
    assert numeros_da_pagina(c.get(reverse("relatorio_incisos"))) == []  # 2020 ainda sem incisos
    assert len(numeros_da_pagina(c.get(reverse("relatorio_incisos"), {"ano": "2019"}))) == 5
    r = c.get(reverse("relatorio_incisos"), {"ano": "1999"})
    assert numeros_da_pagina(r) == [] and "Faça uma escolha válida" in r.content.decode()
    _, linhas = ler_csv(c.get(reverse("relatorio_incisos_csv"), {"ano": "1999"}))
    assert linhas == []


def test_tela_pagina_de_100_em_100(cenario):
    lote_incisos(cenario, 150)
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_incisos"), {"ordem": "inciso"})
    assert len(numeros_da_pagina(r)) == 100 and "Mostrando 1–100 de 155 incisos" in r.content.decode()
    assert len(numeros_da_pagina(c.get(reverse("relatorio_incisos"), {"ordem": "inciso", "pagina": "2"}))) == 55


# --- Totalização -----------------------------------------------------------------------------------

def test_totalizacao_tela_csv(cenario):
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_totalizacao"))
    assert r.status_code == 200
    linhas = r.context["pagina"].object_list
    assert [(l.uo[:4], l.acao[:4], l.grupo[:1], l.n) for l in linhas] == [
        ("1261", "4001", "3", 2), ("4291", "4470", "4", 2), ("4291", "4471", "3", 1)]
    html = r.content.decode()
    assert "3 programações" in html and "1.528.658,44" in html
    cabecalho, linhas = ler_csv(c.get(reverse("relatorio_totalizacao_csv")))
    assert cabecalho == ["UO", "Ação", "Grupo de despesa", "Incisos", "Valor inicial", "Valor do inciso", "Indicado",
                         "Disponível para indicação"]
    assert linhas == [
        {"UO": "1261 – Secretaria de Educação", "Ação": "4001 – Ensino médio",
         "Grupo de despesa": "3 – Outras Despesas Correntes", "Incisos": "2", "Valor inicial": "500.000,00",
         "Valor do inciso": "500.000,00", "Indicado": "7,00", "Disponível para indicação": "499.993,00"},
        {"UO": "4291 – Fundo Estadual de Saúde", "Ação": "4470 – Atenção primária",
         "Grupo de despesa": "4 – Investimentos", "Incisos": "2", "Valor inicial": "1.050.000,00",
         "Valor do inciso": "950.000,00", "Indicado": "1.334,56", "Disponível para indicação": "928.665,44"},
        {"UO": "4291 – Fundo Estadual de Saúde", "Ação": "4471 – Atenção hospitalar",
         "Grupo de despesa": "3 – Outras Despesas Correntes", "Incisos": "1", "Valor inicial": "100.000,00",
         "Valor do inciso": "100.000,00", "Indicado": "0,00", "Disponível para indicação": "100.000,00"},
    ]
    # Qualquer coluna ordena (poucas linhas, em memória).
    _, desc = ler_csv(c.get(reverse("relatorio_totalizacao_csv"), {"ordem": "-valor_inicial"}))
    assert [l["Valor inicial"] for l in desc] == ["1.050.000,00", "500.000,00", "100.000,00"]
    # Parlamentar vê só a soma dos seus incisos (e dos blocos).
    _, da_ana = ler_csv(logado(cenario["ana"]).get(reverse("relatorio_totalizacao_csv")))
    assert [(l["Incisos"], l["Valor inicial"]) for l in da_ana] == [
        ("1", "200.000,00"), ("2", "1.050.000,00"), ("1", "100.000,00")]


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_totalizacao_pdf(cenario, tmp_path):
    texto = texto_do_pdf(logado(cenario["segov"]).get(reverse("relatorio_totalizacao_pdf")), tmp_path)
    assert "SIGCON Saída – Totalização" in texto and "Página 1 de 1" in texto
    assert "4470 – Atenção primária" in texto and "928.665,44" in texto
    linha_total = next(l for l in texto.splitlines() if l.split()[:1] == ["Total"])
    assert linha_total.split()[-5:] == ["5", "1.650.000,00", "1.550.000,00", "1.341,56", "1.528.658,44"]


# --- Parlamentares ---------------------------------------------------------------------------------

def test_parlamentares_tela_csv(cenario):
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_parlamentares"))
    assert numeros_da_pagina(r) == ["S501", "S502", "R1", "S504", "S503"]
    assert "75,00" in r.content.decode()  # total de reprovados/cancelados
    cabecalho, linhas = ler_csv(c.get(reverse("relatorio_parlamentares_csv")))
    assert cabecalho == [
        "Titular", "Emenda", "Inciso", "UO", "Nome da UO", "Grupo de despesa", "Nome do grupo de despesa", "Ação",
        "Nome da ação", "Valor inicial", "Valor atualizado", "Valores indicados", "Reprovados/cancelados",
        "Inciso de origem",
    ]
    por = por_coluna(linhas, "Inciso")
    s501 = por["S501"]
    assert (s501["Valor inicial"], s501["Valor atualizado"], s501["Valores indicados"],
            s501["Reprovados/cancelados"]) == ("1.000.000,00", "900.000,00", "1.334,56", "75,00")
    assert por["R1"]["Inciso de origem"] == "S501" and por["R1"]["Reprovados/cancelados"] == "0,00"
    assert por["S503"]["Valores indicados"] == "7,00"
    # Ordenar por uma coluna ordena dentro de cada titular.
    r = c.get(reverse("relatorio_parlamentares"), {"ordem": "-valor_inicial"})
    assert numeros_da_pagina(r) == ["S501", "S502", "R1", "S504", "S503"]


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_parlamentares_pdf_com_subtotais(cenario, tmp_path):
    texto = texto_do_pdf(logado(cenario["segov"]).get(reverse("relatorio_parlamentares_pdf")), tmp_path)
    assert "SIGCON Saída – Parlamentares" in texto and "Página 1 de 1" in texto
    linhas = texto.splitlines()
    ana = next(l for l in linhas if "Subtotal Ana Lacerda (3 incisos)" in l)
    assert ana.split()[-4:] == ["1.300.000,00", "1.200.000,00", "1.334,56", "75,00"]
    assert any("Subtotal Bloco Minas (1 inciso)" in l for l in linhas)
    total = next(l for l in linhas if "Total (5 incisos)" in l)
    assert total.split()[-4:] == ["1.650.000,00", "1.550.000,00", "1.341,56", "75,00"]


# --- Saldos por titular ----------------------------------------------------------------------------

def test_saldos_tela_csv(cenario):
    c = logado(cenario["segov"])
    r = c.get(reverse("relatorio_saldos"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "3 titulares" in html and "Saldos em 01/02/2019" in html
    cabecalho, linhas = ler_csv(c.get(reverse("relatorio_saldos_csv")))
    assert cabecalho == [
        "Titular", "Tipo", "Incisos", "Valor do inciso", "Livre", "Com possibilidade de remanejamento",
        "Sem possibilidade de remanejamento", "Não impositivo", "Reservado para projeto de lei",
        "Remanejamento solicitado", "Indicado",
    ]
    por = por_coluna(linhas, "Titular")
    # Ordem natural de totais_por_titular: parlamentares, depois blocos.
    assert list(por) == ["Ana Lacerda", "Bruno Tavares", "Bloco Minas"]
    assert por["Ana Lacerda"] == {
        "Titular": "Ana Lacerda", "Tipo": "Parlamentar", "Incisos": "3", "Valor do inciso": "1.200.000,00",
        "Livre": "1.178.665,44", "Com possibilidade de remanejamento": "0,00",
        "Sem possibilidade de remanejamento": "0,00", "Não impositivo": "0,00",
        "Reservado para projeto de lei": "0,00", "Remanejamento solicitado": "20.000,00", "Indicado": "1.334,56",
    }
    assert (por["Bloco Minas"]["Tipo"], por["Bloco Minas"]["Livre"]) == ("Bloco", "50.000,00")
    assert (por["Bruno Tavares"]["Livre"], por["Bruno Tavares"]["Indicado"]) == ("299.993,00", "7,00")
    _, so_bruno = ler_csv(c.get(reverse("relatorio_saldos_csv"), {"parlamentar": "bruno"}))
    assert [l["Titular"] for l in so_bruno] == ["Bruno Tavares"]
    _, por_livre = ler_csv(c.get(reverse("relatorio_saldos_csv"), {"ordem": "-livre"}))
    assert [l["Titular"] for l in por_livre] == ["Ana Lacerda", "Bruno Tavares", "Bloco Minas"]


@pytest.mark.parametrize("dia", ["31/01/2019", "2019-01-31"])
def test_saldos_em_outro_dia(cenario, dia):
    """Em 31/01 nada tinha acontecido: R1 não existia, tudo livre."""
    _, linhas = ler_csv(logado(cenario["segov"]).get(reverse("relatorio_saldos_csv"), {"dia": dia}))
    ana = por_coluna(linhas, "Titular")["Ana Lacerda"]
    assert (ana["Incisos"], ana["Valor do inciso"], ana["Livre"], ana["Indicado"]) == (
        "2", "1.200.000,00", "1.200.000,00", "0,00")


def test_saldos_depois_da_janela_livre_e_data_invalida(cenario):
    c = logado(cenario["segov"])
    _, linhas = ler_csv(c.get(reverse("relatorio_saldos_csv"), {"dia": "01/03/2019"}))
    ana = por_coluna(linhas, "Titular")["Ana Lacerda"]
    assert (ana["Livre"], ana["Sem possibilidade de remanejamento"]) == ("0,00", "1.178.665,44")
    r = c.get(reverse("relatorio_saldos"), {"dia": "31/02/2019"})
    assert r.status_code == 200 and list(r.context["pagina"].object_list) == []
    assert "Data inválida: 31/02/2019. Esse dia não existe no calendário." in r.content.decode()


@SEM_PDFTOTEXT
@pytest.mark.pdf
def test_saldos_pdf(cenario, tmp_path):
    texto = texto_do_pdf(logado(cenario["visualizador"]).get(reverse("relatorio_saldos_pdf"), {"dia": "01/03/2019"}),
                       tmp_path)
    assert "SIGCON Saída – Saldos por titular" in texto and "Página 1 de 1" in texto
    assert "Saldos em 01/03/2019 – Janela restrita" in texto and "Emitido por Vera Visualizadora" in texto
    total = next(l for l in texto.splitlines() if l.split()[:1] == ["Total"])
    assert total.split()[1:] == ["5", "1.550.000,00", "0,00", "0,00", "1.528.658,44", "0,00", "0,00", "20.000,00",
                                 "1.341,56"]


# --- Somas agrupadas = soma inciso a inciso --------------------------------------------------------

@pytest.mark.parametrize("dia", [date(2019, 1, 31), LIVRE, date(2019, 3, 1), date(2019, 4, 1)])
def test_somas_agrupadas_iguais_a_soma_por_inciso(cenario, dia):
    incisos = list(Inciso.objects.select_related("exercicio").filter(exercicio=cenario["exercicio"]))
    por_inciso = saldos_incisos(incisos, dia)
    grupos = saldos_agrupados(Inciso.objects.filter(exercicio=cenario["exercicio"]), cenario["exercicio"], dia,
                              ("acao", "grupo_despesa"))
    for chave, agrupado in grupos.items():
        dos_incisos = [por_inciso[i.pk] for i in incisos if (i.acao_id, i.grupo_despesa_id) == chave]
        soma = dos_incisos[0]
        for s in dos_incisos[1:]:
            soma = soma + s
        assert agrupado.saldos == soma, chave


# --- Quem vê o quê ---------------------------------------------------------------------------------

@pytest.mark.parametrize("perfil, esperado", [
    ("segov", ["S501", "S502", "R1", "S504", "S503"]),
    ("visualizador", ["S501", "S502", "R1", "S504", "S503"]),
    ("ana", ["S501", "S502", "R1", "S504"]),  # os seus e os do bloco de que é membro
    ("bruno", ["S503", "S504"]),
    ("orgao", ["S501", "R1", "S504"]),  # só a UO 4291
])
def test_visibilidade_por_perfil(cenario, perfil, esperado):
    c = logado(cenario[perfil])
    for nome in ("relatorio_incisos", "relatorio_parlamentares"):
        assert sorted(numeros_da_pagina(c.get(reverse(nome)))) == sorted(esperado), nome
        _, linhas = ler_csv(c.get(reverse(f"{nome}_csv")))
        assert sorted(l["Inciso"] for l in linhas) == sorted(esperado), nome
    _, tot = ler_csv(c.get(reverse("relatorio_totalizacao_csv")))
    esperados = Inciso.objects.filter(numero__in=esperado)
    assert sum(int(l["Incisos"]) for l in tot) == len(esperado)
    assert sum(M(l["Valor inicial"].replace(".", "").replace(",", ".")) for l in tot) == sum(
        i.valor_inicial for i in esperados)
    saldos = c.get(reverse("relatorio_saldos"))
    assert saldos.status_code == (200 if perfil in ("segov", "visualizador") else 403)


def test_convenente_recebe_403_e_anonimo_vai_para_o_login(cenario):
    c = logado(cenario["convenente"])
    for nome in RELATORIOS:
        for sufixo in ("", "_csv", "_pdf"):
            url = reverse(f"relatorio_{nome}{sufixo}")
            assert c.get(url).status_code == 403, url
            assert Client().get(url).status_code == 302, url


def test_filtro_com_dados_de_outro_devolve_vazio(cenario):
    ana, orgao = logado(cenario["ana"]), logado(cenario["orgao"])
    assert numeros_da_pagina(ana.get(reverse("relatorio_incisos"), {"parlamentar": "Bruno"})) == []
    assert numeros_da_pagina(orgao.get(reverse("relatorio_incisos"), {"uo": "1261"})) == []
    assert numeros_da_pagina(orgao.get(reverse("relatorio_parlamentares"), {"parlamentar": "Bruno"})) == []
    for nome in ("relatorio_incisos_csv", "relatorio_parlamentares_csv", "relatorio_totalizacao_csv"):
        _, linhas = ler_csv(ana.get(reverse(nome), {"parlamentar": "Bruno"}))
        assert linhas == [], nome
    r = ana.get(reverse("relatorio_totalizacao"), {"uo": "9999"})
    assert r.status_code == 200 and list(r.context["pagina"].object_list) == []


def test_grupo_visualizador_criado_pela_migracao(db):
    assert Group.objects.filter(name=relatorios_acesso.VISUALIZADOR).exists()


# --- Consultas não crescem com as linhas -----------------------------------------------------------

def _consultas(cliente, url):
    with CaptureQueriesContext(connection) as capturadas:
        r = cliente.get(url)
        assert r.status_code == 200, url
        if r.streaming:
            b"".join(r.streaming_content)  # o CSV só consulta enquanto é lido
    return len(capturadas)


@pytest.mark.pdf
def test_consultas_nao_crescem_com_as_linhas(cenario):
    clientes = {p: logado(cenario[p]) for p in ("segov", "ana", "orgao")}
    casos = []
    for perfil in clientes:
        for nome in RELATORIOS:
            if nome == "saldos" and perfil != "segov":
                continue
            for sufixo in ("", "_csv", "_pdf"):
                casos.append((perfil, reverse(f"relatorio_{nome}{sufixo}")))
    poucas = {caso: _consultas(clientes[caso[0]], caso[1]) for caso in casos}
    lote_incisos(cenario, 40)  # 5 → 45 incisos (e 80 indicações): basta para um N+1 aparecer
    muitas = {caso: _consultas(clientes[caso[0]], caso[1]) for caso in casos}
    assert muitas == poucas
