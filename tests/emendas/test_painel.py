"""Painéis (parlamentar e SEGOV), a página do inciso como centro e os gráficos SVG do servidor."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from emendas import graficos, prazos, selectors
from emendas.models import Bloco, Indicacao, OrigemSaldo, Remanejamento
from emendas.prazos import Calendario, Fase
from emendas.saldos import Saldos
from sigcon.dinheiro import ZERO
from tests.conftest import logado, meio_dia

LIVRE, RESTRITA, FECHADO = date(2019, 2, 1), date(2019, 3, 1), date(2019, 1, 20)
M = Decimal


def _saldos(**baldes) -> Saldos:
    campos = {c: M(baldes.get(c, "0")) for c in Saldos.CAMPOS_SOMA}
    campos["valor_inciso"] = sum((campos[b.campo] for b in graficos.BALDES), ZERO)
    return Saldos(fase=Fase.LIVRE, **campos)


# ---------------------------------------------------------------------------------------------- gráficos e prazos

def test_segmentos_cobrem_a_barra_e_nenhum_balde_com_dinheiro_some():
    s = _saldos(indicado="999000.00", livre="999.99", remanejamento_solicitado="0.01")
    partes = graficos.segmentos(s)
    assert [p["balde"].campo for p in partes] == ["remanejamento_solicitado", "indicado", "livre"]
    assert abs(sum(p["largura"] for p in partes) - graficos.LARGURA) < 1e-6
    assert all(p["largura"] >= 6 for p in partes)  # o centavo pendente ainda aparece
    assert partes[0]["x"] == 0 and partes[1]["x"] == partes[0]["largura"]


def test_barra_descreve_os_baldes_em_texto_sem_style_e_escapa():
    svg = str(graficos.barra_baldes(_saldos(indicado="300.00", livre="100.00")))
    assert 'role="img"' in svg and "Indicado R$ 300,00 (75,0%)" in svg and "Livre R$ 100,00 (25,0%)" in svg
    assert "style=" not in svg and "<script" not in svg
    escondida = str(graficos.barra_baldes(_saldos(livre="1.00"), descrever=False))
    assert 'aria-hidden="true"' in escondida and "role=" not in escondida


def test_barra_de_inciso_sem_valor_nao_divide_por_zero():
    svg = str(graficos.barra_baldes(_saldos()))
    assert "sem dinheiro nos baldes" in svg and "Sem valor" in svg


def test_etapas_dizem_dias_restantes_e_para_comecar():
    cal = Calendario.padrao(date(2019, 1, 10))  # liberação 26/01, livre até 25/02, obrigatória até 11/03
    e = {x["fase"]: x for x in graficos.etapas(cal, LIVRE)}
    assert e[Fase.FECHADO]["passada"] and e[Fase.FECHADO]["fim"] == date(2019, 1, 25)
    assert e[Fase.LIVRE]["atual"] and e[Fase.LIVRE]["dias_restantes"] == 24
    assert e[Fase.RESTRITA]["dias_para_comecar"] == 25 and e[Fase.RESTRITA]["inicio"] == date(2019, 2, 26)
    assert e[Fase.ENCERRADA]["fim"] is None and e[Fase.ENCERRADA]["dias_para_comecar"] == 39
    ultimo_dia = {x["fase"]: x for x in graficos.etapas(cal, date(2019, 3, 11))}
    assert ultimo_dia[Fase.RESTRITA]["dias_restantes"] == 0


def test_etapa_sem_nenhum_dia_fica_de_fora():
    cal = Calendario(date(2019, 1, 10), date(2019, 1, 10), date(2019, 2, 9), date(2019, 3, 11))
    assert [e["fase"] for e in graficos.etapas(cal, LIVRE)] == [Fase.LIVRE, Fase.RESTRITA, Fase.ENCERRADA]


def test_linha_do_tempo_marca_hoje_dentro_da_escala():
    cal = Calendario.padrao(date(2019, 1, 10))
    svg = str(graficos.linha_do_tempo(cal, LIVRE)["svg"])
    assert svg.count("<rect") == 4 and "<line" in svg and "style=" not in svg
    # Um dia muito depois do calendário fica na borda direita, não fora do desenho.
    longe = str(graficos.linha_do_tempo(cal, date(2030, 1, 1))["svg"])
    x = float(longe.split('<line x1="')[1].split('"')[0])
    assert graficos.LARGURA - 2 <= x < graficos.LARGURA


# ---------------------------------------------------------------------------------------------------- telas

pytestmark = pytest.mark.django_db


def _indicar(inciso, usuario, valor, numero=1, status=Indicacao.Status.EM_ANALISE_ORGAO):
    aprovada = {"aprovada_orgao_em": meio_dia(LIVRE), "aprovada_segov_em": meio_dia(LIVRE)} if status == "APROVADA" else {}
    return Indicacao.objects.create(exercicio=inciso.exercicio, numero=numero, inciso=inciso, objeto="Obra",
                                    valor=M(valor), forma_execucao="EXECUCAO_DIRETA", status=status,
                                    origem_saldo=OrigemSaldo.LIVRE, enviada_por=usuario, **aprovada)


def _remanejar(inciso, usuario, valor, acao, grupo):
    return Remanejamento.objects.create(inciso_origem=inciso, acao=acao, grupo_despesa=grupo, valor=M(valor),
                                        saldo_origem=OrigemSaldo.LIVRE, solicitado_por=usuario)


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_painel_do_parlamentar_tem_baldes_por_titular_e_por_inciso(inciso, parlamentar, outro_parlamentar, fabrica,
                                                                  acao_saude_2, grupo_inv):
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    fabrica.inciso(bloco, "500.00")
    _indicar(inciso, parlamentar.usuario, "1000.00")
    _remanejar(inciso, parlamentar.usuario, "250.00", acao_saude_2, grupo_inv)
    r = logado(parlamentar.usuario).get("/")
    html = r.content.decode()
    titulares = {t["titular"]: t for t in r.context["titulares"]}
    assert set(titulares) == {"Ana Lacerda", "Bloco Minas"}
    s = titulares["Ana Lacerda"]["saldos"]
    assert s == selectors.saldos_inciso(inciso, LIVRE)
    assert (s.indicado, s.remanejamento_solicitado, s.livre) == (M("1000.00"), M("250.00"), M("998750.00"))
    # Colunas só dos baldes com dinheiro; os outros, ditos em texto.
    assert [b.campo for b in r.context["baldes"]] == ["remanejamento_solicitado", "indicado", "livre"]
    assert "com possibilidade de remanejamento" in ", ".join(r.context["omitidos"])
    assert '<td data-label="Indicado" class="valor">R$ 1.000,00</td>' in html
    assert html.count('class="barra-baldes"') == 2 + 2 + 1  # titulares, linhas de inciso, total da (única) UO
    assert "Linha do tempo do exercício" in html and "em curso: faltam 24 dias" in html
    assert "style=" not in html.split("<main", 1)[1]


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_painel_da_segov_tem_totais_da_tramitacao_e_barras(inciso, parlamentar, segov, acao_saude_2, grupo_inv):
    _indicar(inciso, parlamentar.usuario, "1000.00")
    _indicar(inciso, parlamentar.usuario, "10.00", numero=2, status=Indicacao.Status.APROVADA)
    _remanejar(inciso, parlamentar.usuario, "250.00", acao_saude_2, grupo_inv)
    r = logado(segov).get("/")
    fluxos = {f["titulo"]: f for f in r.context["tramitacao"]}
    indicacoes = {l["rotulo"]: (l["n"], l["valor"]) for l in fluxos["Indicações"]["linhas"]}
    assert indicacoes["Em análise no órgão"] == (1, M("1000.00")) and indicacoes["Aprovada"] == (1, M("10.00"))
    assert indicacoes["Cancelada"] == (0, ZERO)
    assert fluxos["Remanejamentos"]["n"] == 1 and fluxos["Remanejamentos"]["valor"] == M("250.00")
    html = r.content.decode()
    assert f'{reverse("relatorio_indicacoes")}?ano=2019&amp;status=APROVADA' in html
    assert html.count('class="barra-baldes"') == 3  # todos, a linha do titular, o total


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_inciso_na_janela_livre_oferece_remanejar_e_indicar_ao_titular(inciso, parlamentar, acao_saude_2, grupo_inv):
    rem = _remanejar(inciso, parlamentar.usuario, "250.00", acao_saude_2, grupo_inv)
    r = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[inciso.pk]))
    html = r.content.decode()
    assert reverse("emendas:novo_remanejamento", args=[inciso.pk]) in html
    assert reverse("emendas:nova_indicacao", args=[inciso.pk]) in html
    assert 'role="img"' in html
    assert f"busca={inciso.numero}" in html and f"inciso={inciso.numero}" in html and reverse("emendas:historico_do_inciso", args=[inciso.pk]) in html
    # Os remanejamentos do inciso chegam pelo htmx (a página não os lê); sem JavaScript, o link abre a página própria.
    url = reverse("emendas:remanejamentos_do_inciso", args=[inciso.pk])
    assert f'hx-get="{url}" hx-trigger="revealed"' in html
    assert f'<a href="{url}">Ver os remanejamentos do inciso {inciso.numero}</a>' in html
    assert reverse("emendas:remanejamento", args=[rem.pk]) not in html


@pytest.mark.parametrize("dia, motivo", [
    (FECHADO, "O sistema está em atualização"),
    (date(2019, 3, 20), "O prazo de remanejamento terminou em 11/03/2019"),
])
def test_inciso_fora_da_janela_nao_oferece_os_botoes(inciso, parlamentar, dia, motivo):
    with time_machine.travel(meio_dia(dia), tick=False):
        r = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[inciso.pk]))
    html = r.content.decode()
    assert reverse("emendas:novo_remanejamento", args=[inciso.pk]) not in html
    assert reverse("emendas:nova_indicacao", args=[inciso.pk]) not in html
    assert motivo in html


@time_machine.travel(meio_dia(RESTRITA), tick=False)
def test_inciso_na_janela_restrita_sem_cpr_so_indica(inciso, parlamentar):
    r = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[inciso.pk]))
    acoes = r.context["acoes"]
    assert not acoes["remanejar"].pode and acoes["indicar"].pode
    assert acoes["remanejar"].motivo == "Não há saldo disponível para remanejamento hoje."


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_membro_do_bloco_le_o_inciso_sem_botoes(parlamentar, outro_parlamentar, fabrica):
    bloco = Bloco.objects.create(nome="Bloco Minas", responsavel=outro_parlamentar)
    bloco.membros.add(parlamentar)
    do_bloco = fabrica.inciso(bloco, "500.00")
    r = logado(parlamentar.usuario).get(reverse("emendas:inciso", args=[do_bloco.pk]))
    assert not r.context["acoes"]["remanejar"].pode and not r.context["acoes"]["indicar"].pode
    assert "Você só consulta este inciso" in r.content.decode()
    responsavel = logado(outro_parlamentar.usuario).get(reverse("emendas:inciso", args=[do_bloco.pk]))
    assert responsavel.context["acoes"]["indicar"].pode


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_remanejamentos_do_inciso_no_trecho_do_htmx_e_na_pagina_sem_javascript(inciso, parlamentar, outro_parlamentar,
                                                                              acao_saude_2, grupo_inv, segov):
    rem = _remanejar(inciso, parlamentar.usuario, "250.00", acao_saude_2, grupo_inv)
    url = reverse("emendas:remanejamentos_do_inciso", args=[inciso.pk])
    trecho = logado(parlamentar.usuario).get(url, HTTP_HX_REQUEST="true")
    html = trecho.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="remanejamentos-do-inciso">')
    assert trecho["Vary"].count("HX-Request") == 1
    assert reverse("emendas:remanejamento", args=[rem.pk]) in html and "R$ 250,00" in html
    assert f"1 remanejamento do inciso {inciso.numero}" in html
    pagina = logado(parlamentar.usuario).get(url).content.decode()
    assert "<html" in pagina and f"Remanejamentos do inciso {inciso.numero}</h1>" in pagina and "R$ 250,00" in pagina
    assert logado(outro_parlamentar.usuario).get(url).status_code == 404
    assert logado(outro_parlamentar.usuario).get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert logado(segov).get(url).status_code == 200


def test_inciso_sem_remanejamentos_diz_no_trecho(inciso, parlamentar):
    url = reverse("emendas:remanejamentos_do_inciso", args=[inciso.pk])
    html = logado(parlamentar.usuario).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Nenhum remanejamento pedido a partir deste inciso." in html


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_historico_do_inciso_junta_remanejamentos_e_indicacoes(inciso, parlamentar, outro_parlamentar, acao_saude_2,
                                                                grupo_inv):
    from emendas.models import RegistroIndicacao, RegistroRemanejamento

    rem = _remanejar(inciso, parlamentar.usuario, "250.00", acao_saude_2, grupo_inv)
    RegistroRemanejamento.objects.create(remanejamento=rem, usuario=parlamentar.usuario, status_novo="SOLICITADO",
                                         valor=rem.valor)
    ind = _indicar(inciso, parlamentar.usuario, "1000.00", numero=7)
    RegistroIndicacao.objects.create(indicacao=ind, usuario=parlamentar.usuario, status_novo="EM_ANALISE_ORGAO",
                                     momento=meio_dia(LIVRE) + timedelta(minutes=5))
    url = reverse("emendas:historico_do_inciso", args=[inciso.pk])
    trecho = logado(parlamentar.usuario).get(url, HTTP_HX_REQUEST="true")
    html = trecho.content.decode()
    assert "<html" not in html and trecho["Vary"].count("HX-Request") == 1
    # Do mais novo ao mais antigo.
    assert html.index("Indicação nº 7: em análise no órgão (R$ 1.000,00)") < html.index(
        f"Remanejamento nº {rem.pk}: solicitado (R$ 250,00)")
    assert "<html" in logado(parlamentar.usuario).get(url).content.decode()
    assert logado(outro_parlamentar.usuario).get(url).status_code == 404


@time_machine.travel(meio_dia(LIVRE), tick=False)
def test_listas_filtram_pelo_inciso_dos_links_da_pagina(inciso, parlamentar, fabrica, acao_saude_2, grupo_inv):
    outro = fabrica.inciso(parlamentar, "10.00")
    _indicar(inciso, parlamentar.usuario, "1000.00", numero=1)
    _indicar(outro, parlamentar.usuario, "5.00", numero=2)
    _remanejar(outro, parlamentar.usuario, "3.00", acao_saude_2, grupo_inv)
    cliente = logado(parlamentar.usuario)
    lista = cliente.get(reverse("emendas:visualizar_indicacoes"), {"ano": 2019, "busca": inciso.numero.lower()})
    assert [i.numero for i in lista.context["pagina"].object_list] == [1]
    relatorio = cliente.get(reverse("relatorio_remanejamentos"), {"ano": 2019, "inciso": inciso.numero})
    assert relatorio.status_code == 200 and "R$ 3,00" not in relatorio.content.decode()
    assert "R$ 3,00" in cliente.get(reverse("relatorio_remanejamentos"), {"inciso": outro.numero}).content.decode()
