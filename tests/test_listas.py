"""Listas sem teto escondido (paginação com total), filtros de exercício em <select> e os textos do item 7 da
issue 14: valor mínimo com R$, remanejamento cancelado, cabeçalhos do admin, situação CAGEC da proposta."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from convenios.models import Convenente
from emendas.forms import CampoValor
from emendas.models import Exercicio
from emendas.services import cancelar_remanejamento, solicitar_remanejamento
from sigcon import views_util
from tests.conftest import logado, meio_dia
from tests.fabricas import LIVRE, cenario_convenio, convenente, proposta_aprovada

pytestmark = pytest.mark.django_db


@pytest.fixture
def duas_propostas(inciso, parlamentar, analista_orgao, segov):
    propostas = []
    for n in (1, 2):
        conv, cadastrador, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                  segov=segov, valor="100.00", n=n)
        propostas.append(proposta_aprovada(cadastrador=cadastrador, convenente=conv, indicacao=ind,
                                           analista_orgao=analista_orgao))
    return propostas


def test_lista_de_propostas_pagina_com_o_total_em_vez_de_parar_num_teto(duas_propostas, segov, monkeypatch):
    monkeypatch.setattr(views_util, "POR_PAGINA", 1)
    c = logado(segov)
    html = c.get(reverse("convenios:propostas")).content.decode()
    assert "Mostrando 1–1 de 2 propostas" in html and 'rel="next"' in html
    html2 = c.get(reverse("convenios:propostas"), {"pagina": "2"}).content.decode()
    assert "Mostrando 2–2 de 2 propostas" in html2
    numeros = [re.findall(r'href="/convenios/propostas/(\d+)/"', h) for h in (html, html2)]
    assert sorted(numeros[0] + numeros[1]) == sorted(str(p.pk) for p in duas_propostas)
    # Página fora do fim: a última, não um erro.
    assert c.get(reverse("convenios:propostas"), {"pagina": "99"}).status_code == 200


def test_proposta_mostra_a_ultima_verificacao_do_cagec_em_vez_de_nao_consultado(duas_propostas, segov):
    p = duas_propostas[0]
    Convenente.objects.filter(pk=p.convenente_id).update(situacao_cagec="")
    html = logado(segov).get(reverse("convenios:proposta", args=[p.pk])).content.decode()
    trecho = re.sub(r"\s+", " ", html.split("Situação conhecida", 1)[1].split("</dd>", 1)[0])
    assert "CAGEC: não consultado" not in trecho
    assert 'data-situacao="REGULAR">Regular / sem bloqueio</span>' in trecho and "última verificação" in trecho
    assert 'class="badge situacao situacao-verde" data-situacao="APROVADA">Aprovada</span>' in html


def test_filtro_exercicio_e_um_select_com_os_exercicios_carregados(exercicio, segov):
    Exercicio.objects.create(ano=2020, data_publicacao_loa=exercicio.data_publicacao_loa.replace(year=2020))
    c = logado(segov)
    html = c.get(reverse("emendas:analise_remanejamentos")).content.decode()
    campo = html.split('name="ano"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="(\d*)"', campo) == ["", "2020", "2019"]
    html = c.get(reverse("emendas:visualizar_indicacoes"), {"ano": "1999"}).content.decode()
    assert "Escolha um dos exercícios carregados." in html


def test_valor_minimo_sai_em_reais_sem_virgula_sobrando():
    with pytest.raises(Exception) as erro:
        CampoValor(minimo=Decimal("0.01")).clean("0,00")
    assert erro.value.messages == ["O valor deve ser de pelo menos R$ 0,01."]


def test_remanejamento_cancelado_diz_quem_cancelou_e_nao_decidido(inciso, parlamentar, programacoes, acao_saude_2,
                                                                  grupo_inv):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        rem = solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                      grupo_despesa=grupo_inv, valor=Decimal("10.00"))
        cancelar_remanejamento(usuario=parlamentar.usuario, remanejamento=rem)
    html = logado(parlamentar.usuario).get(reverse("emendas:remanejamento", args=[rem.pk])).content.decode()
    assert ">Cancelado por</dt>" in html and ">Decidido</dt>" not in html
    assert 'data-situacao="CANCELADO">Cancelado</span>' in html


def test_cabecalhos_do_admin_com_acento_e_nomes_certos(client, django_user_model, inciso):
    su = django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")
    client.force_login(su)
    convenente(5, "Prefeitura de Itabira", "Itabira")  # lista vazia não tem cabeçalho
    errados = re.compile(r">\s*(Exercicio|Cnpj formatado|Pk)\s*<")
    for modelo in admin.site._registry:
        info = (modelo._meta.app_label, modelo._meta.model_name)
        html = client.get(reverse("admin:%s_%s_changelist" % info)).content.decode()
        assert not errados.search(html), (info, errados.search(html).group(1))
    assert "Exercício" in client.get(reverse("admin:emendas_inciso_changelist")).content.decode()
    assert ">CNPJ<" in client.get(reverse("admin:convenios_convenente_changelist")).content.decode()
