"""SEGOV › Corrigir inciso: o serviço (regras, trava, registro) e a tela (busca, confirmação, recusas)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from emendas import selectors
from emendas.models import Inciso, RegistroCorrecaoInciso
from emendas.services import aprovar_remanejamento, cancelar_indicacao, corrigir_inciso, enviar_indicacao
from emendas.services import solicitar_remanejamento
from tests.conftest import com_token, logado, meio_dia

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE = date(2019, 2, 1)


def indicar(inciso, parlamentar, valor):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        return enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="EXECUCAO_DIRETA",
                                valor=M(valor), objeto="Obra")


def test_segov_corrige_valor_e_a_correcao_fica_registrada(inciso, segov):
    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="Erro de digitação na LOA", valor_inicial=M("900000.00"))
    inciso.refresh_from_db()
    assert inciso.valor_inicial == M("900000.00")
    reg = RegistroCorrecaoInciso.objects.get()
    assert (reg.usuario, reg.justificativa, reg.valor_anterior, reg.valor_novo) == (
        segov, "Erro de digitação na LOA", M("1000000.00"), M("900000.00"))
    assert reg.acao_anterior == reg.acao_nova == inciso.acao


def test_corrigir_exige_segov_e_justificativa(inciso, parlamentar, segov):
    with pytest.raises(PermissionDenied):
        corrigir_inciso(usuario=parlamentar.usuario, inciso=inciso, justificativa="x", valor_inicial=M("1.00"))
    with pytest.raises(ValidationError, match="Informe a justificativa"):
        corrigir_inciso(usuario=segov, inciso=inciso, justificativa="  ", valor_inicial=M("1.00"))
    with pytest.raises(ValidationError, match="Nada a corrigir"):
        corrigir_inciso(usuario=segov, inciso=inciso, justificativa="x", valor_inicial=inciso.valor_inicial)
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("1000000.00")
    assert not RegistroCorrecaoInciso.objects.exists()


def test_nao_baixa_abaixo_do_comprometido_mas_baixa_ate_ele(inciso, parlamentar, segov):
    indicar(inciso, parlamentar, "4000.00")
    with pytest.raises(ValidationError) as erro:
        corrigir_inciso(usuario=segov, inciso=inciso, justificativa="x", valor_inicial=M("1.00"))
    assert erro.value.messages == [
        "O inciso S501 tem R$ 4.000,00 comprometidos (indicações ativas, remanejamentos pedidos ou aprovados); "
        "o novo valor R$ 1,00 deixaria o saldo negativo."
    ]
    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="x", valor_inicial=M("4000.00"))
    s = selectors.saldos_inciso(Inciso.objects.get(pk=inciso.pk), LIVRE)
    assert s.livre == 0 and s.indicado == M("4000.00")
    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="subiu", valor_inicial=M("5000.00"))
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("5000.00")


def test_nao_muda_acao_nem_grupo_de_inciso_com_movimento_mesmo_encerrado(inciso, parlamentar, segov, acao_saude_2,
                                                                         grupo_odc):
    ind = indicar(inciso, parlamentar, "10.00")
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        cancelar_indicacao(usuario=parlamentar.usuario, indicacao=ind, justificativa="desisti")
    for mudanca in ({"acao": acao_saude_2}, {"grupo_despesa": grupo_odc}):
        with pytest.raises(ValidationError, match="já tem indicações ou remanejamentos"):
            corrigir_inciso(usuario=segov, inciso=inciso, justificativa="x", **mudanca)
    inciso.refresh_from_db()
    assert (inciso.acao, inciso.grupo_despesa.codigo) != (acao_saude_2, "3")


def test_muda_acao_e_grupo_de_inciso_sem_movimento_para_qualquer_acao(inciso, segov, acao_saude_2, grupo_odc):
    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="Programação errada", acao=acao_saude_2,
                    grupo_despesa=grupo_odc)
    inciso.refresh_from_db()
    assert (inciso.acao, inciso.grupo_despesa) == (acao_saude_2, grupo_odc)
    reg = RegistroCorrecaoInciso.objects.get()
    assert (reg.acao_nova, reg.grupo_novo, reg.valor_anterior, reg.valor_novo) == (
        acao_saude_2, grupo_odc, M("1000000.00"), M("1000000.00"))


def test_inciso_r_nao_e_corrigido(inciso, parlamentar, segov, programacoes, acao_saude_2, grupo_inv):
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        rem = solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                      grupo_despesa=grupo_inv, valor=M("100.00"))
        r = aprovar_remanejamento(usuario=segov, remanejamento=rem)
    with pytest.raises(ValidationError, match="nasceu de um remanejamento aprovado"):
        corrigir_inciso(usuario=segov, inciso=r, justificativa="x", valor_inicial=M("500.00"))
    assert selectors.valor_comprometido(inciso) == M("100.00")


# ---------------------------------------------------------------------------
# Tela

def test_lista_busca_e_mostra_o_comprometido(inciso, fabrica, outro_parlamentar, parlamentar, segov,
                                             django_assert_max_num_queries):
    fabrica.inciso(outro_parlamentar, "50.00")
    indicar(inciso, parlamentar, "4000.00")
    c = logado(segov)
    url = reverse("emendas:corrigir_incisos")
    html = c.get(url).content.decode()
    assert "S501" in html and "S502" in html and "R$ 4.000,00" in html
    html = c.get(url, {"q": "Bruno"}).content.decode()
    assert "S502" in html and "S501" not in html
    for _ in range(30):
        fabrica.inciso(outro_parlamentar, "1.00")
    with django_assert_max_num_queries(12):
        assert c.get(url).status_code == 200


def test_fluxo_completo_revisar_confirmar_e_ver_o_registro(inciso, parlamentar, segov):
    indicar(inciso, parlamentar, "4000.00")
    c = logado(segov)
    url = reverse("emendas:corrigir_inciso", args=[inciso.pk])
    r = c.get(url)
    assert r.status_code == 200 and "R$ 4.000,00" in r.content.decode()
    assert not RegistroCorrecaoInciso.objects.exists()  # abrir o formulário não muda nada
    dados = {"valor_inicial": "4.000,00", "acao": inciso.acao_id, "grupo_despesa": inciso.grupo_despesa_id,
             "justificativa": "LOA republicada"}
    r = c.enviar(url, {**dados, "revisar": ""})
    html = r.content.decode()
    assert "Confirmar correção" in html and "R$ 1.000.000,00" in html and "R$ 4.000,00" in html
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("1000000.00")  # a revisão não grava
    r = c.enviar(url, {**dados, "confirmar": ""})
    assert r.status_code == 302 and r.url == url
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("4000.00")
    html = c.get(url).content.decode()
    assert "corrigido" in html and "LOA republicada" in html and "R$ 1.000.000,00 → R$ 4.000,00" in html


def test_tela_mostra_a_recusa_e_nao_grava(inciso, parlamentar, segov):
    indicar(inciso, parlamentar, "4000.00")
    c = logado(segov)
    url = reverse("emendas:corrigir_inciso", args=[inciso.pk])
    dados = {"valor_inicial": "1,00", "acao": inciso.acao_id, "grupo_despesa": inciso.grupo_despesa_id,
             "justificativa": "x"}
    for botao in ("revisar", "confirmar"):
        r = c.enviar(url, {**dados, botao: ""})
        html = r.content.decode()
        assert r.status_code == 200
        assert "o novo valor R$ 1,00 deixaria o saldo negativo" in html and "Confirmar correção" not in html
    r = c.enviar(url, {**dados, "valor_inicial": "1,2,3", "revisar": ""})
    assert "Use o formato 1.234,56" in r.content.decode()
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("1000000.00")
    assert not RegistroCorrecaoInciso.objects.exists()


def test_outros_perfis_recebem_403_e_inciso_desconhecido_404(inciso, parlamentar, analista_orgao, segov):
    dados = {"valor_inicial": "1,00", "acao": inciso.acao_id, "grupo_despesa": inciso.grupo_despesa_id,
             "justificativa": "x", "confirmar": ""}
    for usuario in (parlamentar.usuario, analista_orgao):
        c = logado(usuario)
        assert c.get(reverse("emendas:corrigir_incisos")).status_code == 403
        assert c.get(reverse("emendas:corrigir_inciso", args=[inciso.pk])).status_code == 403
        assert c.enviar(reverse("emendas:corrigir_inciso", args=[inciso.pk]), dados).status_code == 403
    assert logado(segov).get(reverse("emendas:corrigir_inciso", args=[999999])).status_code == 404
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("1000000.00")


def test_post_sem_csrf_e_recusado(inciso, segov):
    c = Client(enforce_csrf_checks=True)
    c.force_login(segov)
    r = c.post(reverse("emendas:corrigir_inciso", args=[inciso.pk]), com_token(segov, {
        "valor_inicial": "1,00", "acao": inciso.acao_id, "grupo_despesa": inciso.grupo_despesa_id,
        "justificativa": "x", "confirmar": ""}))
    assert r.status_code == 403
    assert Inciso.objects.get(pk=inciso.pk).valor_inicial == M("1000000.00")


def test_menu_da_segov_leva_a_tela(segov, exercicio):
    html = logado(segov).get("/").content.decode()
    assert reverse("emendas:corrigir_incisos") in html and "Corrigir inciso" in html
