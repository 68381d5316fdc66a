"""Telas de "Transferências Especiais": lista e filtros, cadastro das marcadas ("aplicar a todas"), a página de uma,
"Enviar para o SIAFI" com revisão (e o SIAFI fora do ar), encerrar, e o PDF da "Declaração"."""

from datetime import date

import pytest
from django.urls import reverse

from contas import perfis
from emendas.models import TransferenciaEspecial
from integracoes.models import ConsultaIntegracao, ServicoSimulado
from tests.conftest import criar_usuario, logado
from tests.fabricas import texto_do_pdf, transferencias_aprovadas

pytestmark = pytest.mark.django_db
Status = TransferenciaEspecial.Status
LISTA = reverse("emendas:transferencias")
DADOS = {"numero_resolucao": "RES 55/2019", "data_publicacao": "2019-01-28", "dotacao": "1491.2090.4.4.40.42"}


def _url(nome, ind):
    return reverse(f"emendas:{nome}", args=[ind.pk])


def _cadastrada(analista, ind):
    r = logado(analista).enviar(_url("cadastrar_transferencia", ind), DADOS)
    assert r.status_code == 302
    return TransferenciaEspecial.objects.get(indicacao=ind)


def test_lista_mostra_as_aprovadas_com_a_situacao_e_o_cadastro_das_marcadas(tes, analista_segov_uo):
    r = logado(analista_segov_uo).get(LISTA)
    html = r.content.decode()
    assert r.status_code == 200 and "3 transferências especiais" in html
    assert html.count('data-situacao="NAO_CADASTRADO"') == 3
    assert "Município de Itabira" not in html and "Itabira" in html  # a coluna mostra o município
    assert "Cadastrar nas marcadas (aplicar a todas)" in html and 'name="selecionados"' in html


def test_quem_so_ve_nao_tem_caixas_nem_cadastro(tes, segov):
    html = logado(segov).get(LISTA).content.decode()
    assert "3 transferências especiais" in html and 'name="selecionados"' not in html
    assert "Cadastrar nas marcadas" not in html


def test_orgao_de_outra_uo_ve_a_lista_vazia_e_o_parlamentar_nao_entra(tes, analista_orgao, parlamentar):
    assert "0 transferências especiais" in logado(analista_orgao).get(LISTA).content.decode()
    assert logado(parlamentar.usuario).get(LISTA).status_code == 403
    assert logado(analista_orgao).get(_url("transferencia", tes[0])).status_code == 404


def test_lista_sem_consulta_por_linha(exercicio, parlamentar, segov, analista_segov_uo, grupo_inv, programacoes, tes,
                                      django_assert_max_num_queries):
    cliente = logado(analista_segov_uo)
    with django_assert_max_num_queries(14) as poucas:
        cliente.get(LISTA)
    transferencias_aprovadas(exercicio=exercicio, parlamentar=parlamentar, segov=segov, analista=analista_segov_uo,
                             grupo=grupo_inv, valores=("1.00",) * 6, n=2)
    with django_assert_max_num_queries(len(poucas.captured_queries)):
        r = cliente.get(LISTA)
    assert "9 transferências especiais" in r.content.decode()


def test_filtros(tes, analista_segov_uo):
    cliente = logado(analista_segov_uo)
    _cadastrada(analista_segov_uo, tes[0])
    assert "1 transferência especial" in cliente.get(LISTA, {"status": "CADASTRADO"}).content.decode()
    assert "2 transferências especiais" in cliente.get(LISTA, {"status": "NAO_CADASTRADO"}).content.decode()
    assert "1 transferência especial" in cliente.get(LISTA, {"resolucao": "55/2019"}).content.decode()
    assert "1 transferência especial" in cliente.get(LISTA, {"municipio": "mariana"}).content.decode()
    assert "1 transferência especial" in cliente.get(LISTA, {"indicacao": tes[2].numero}).content.decode()
    assert "0 transferências especiais" in cliente.get(LISTA, {"ano": 2020}).content.decode()


def test_cadastrar_as_marcadas_aplica_a_todas(tes, analista_segov_uo):
    r = logado(analista_segov_uo).enviar(reverse("emendas:transferencias_cadastrar"), {
        **DADOS, "selecionados": [tes[0].pk, tes[2].pk], "querystring": "status=NAO_CADASTRADO"}, follow=True)
    assert r.redirect_chain[-1][0] == f"{LISTA}?status=NAO_CADASTRADO"
    assert "2 transferências especiais cadastradas" in r.content.decode()
    assert set(TransferenciaEspecial.objects.values_list("indicacao_id", "numero_resolucao", "status")) == {
        (tes[0].pk, "RES 55/2019", Status.CADASTRADO), (tes[2].pk, "RES 55/2019", Status.CADASTRADO)}


@pytest.mark.parametrize("dados, mensagem", [
    ({**DADOS}, "Marque ao menos uma indicação"),
    ({**DADOS, "numero_resolucao": "", "selecionados": ["X"]}, "Marque ao menos uma indicação"),
    ({"data_publicacao": "ontem", "selecionados": ["ind"]}, "Nº da resolução"),
    ({**DADOS, "data_publicacao": "2019-03-01", "selecionados": ["ind"]}, "posterior a hoje"),
    ({**DADOS, "selecionados": ["ind", "999999"]}, "não está mais disponível"),
])
def test_cadastro_das_marcadas_recusado_com_mensagem(tes, analista_segov_uo, dados, mensagem):
    dados = {**dados, "selecionados": [tes[0].pk if s == "ind" else s for s in dados.get("selecionados", [])]}
    r = logado(analista_segov_uo).enviar(reverse("emendas:transferencias_cadastrar"), dados, follow=True)
    assert mensagem in r.content.decode()
    assert not TransferenciaEspecial.objects.exists()


def test_marcadas_de_quem_so_ve_e_recusado(tes, segov):
    r = logado(segov).enviar(reverse("emendas:transferencias_cadastrar"), {**DADOS, "selecionados": [tes[0].pk]})
    assert r.status_code == 403 and not TransferenciaEspecial.objects.exists()


def test_pagina_cadastra_e_mostra_os_dados_e_o_historico(tes, analista_segov_uo):
    cliente = logado(analista_segov_uo)
    assert "Enviar para o SIAFI" not in cliente.get(_url("transferencia", tes[0])).content.decode()
    r = cliente.enviar(_url("cadastrar_transferencia", tes[0]), DADOS, follow=True)
    html = r.content.decode()
    assert "cadastrada" in html and "RES 55/2019" in html and "28/01/2019" in html
    assert "Não cadastrado → Cadastrado" in html and "Enviar para o SIAFI" in html
    assert 'value="RES 55/2019"' in html  # o formulário vem com os dados para alterar


def test_pagina_recusa_dado_invalido_com_mensagem(tes, analista_segov_uo):
    r = logado(analista_segov_uo).enviar(_url("cadastrar_transferencia", tes[0]), {**DADOS, "numero_resolucao": ""})
    assert r.status_code == 200 and "Este campo é obrigatório" in r.content.decode()
    r = logado(analista_segov_uo).enviar(_url("cadastrar_transferencia", tes[0]), {**DADOS, "data_publicacao": "2020-01-01"})
    assert "posterior a hoje" in r.content.decode() and not TransferenciaEspecial.objects.exists()


def test_get_nas_acoes_e_405(tes, analista_segov_uo):
    cliente = logado(analista_segov_uo)
    for nome in ("cadastrar_transferencia", "enviar_transferencia", "encerrar_transferencia"):
        assert cliente.get(_url(nome, tes[0])).status_code == 405
    assert cliente.get(reverse("emendas:transferencias_cadastrar")).status_code == 405


def test_enviar_passa_pela_revisao_e_registra(tes, analista_segov_uo):
    _cadastrada(analista_segov_uo, tes[0])
    cliente = logado(analista_segov_uo)
    r = cliente.enviar(_url("enviar_transferencia", tes[0]))
    html = r.content.decode()
    assert r.status_code == 200 and "Revise antes de confirmar" in html and "Confirmar: enviar para o SIAFI" in html
    assert ConsultaIntegracao.objects.count() == 0
    r = cliente.enviar(_url("enviar_transferencia", tes[0]), {"confirmado": "1"}, follow=True)
    te = TransferenciaEspecial.objects.get()
    assert te.status == Status.REGISTRADO_SIAFI
    html = r.content.decode()
    assert f"registro nº {te.numero_siafi}" in html and "Declaração (PDF)" in html and "Encerrar" in html


def test_siafi_fora_do_ar_mostra_o_erro_e_o_reenvio(tes, analista_segov_uo):
    _cadastrada(analista_segov_uo, tes[0])
    ServicoSimulado.objects.update_or_create(sistema="SIAFI", defaults={"fora_do_ar": True})
    r = logado(analista_segov_uo).enviar(_url("enviar_transferencia", tes[0]), {"confirmado": "1"}, follow=True)
    html = r.content.decode()
    assert "Não enviada ao SIAFI-MG" in html and 'id="erro-siafi"' in html and "Reenviar para o SIAFI" in html
    assert TransferenciaEspecial.objects.get().status == Status.NAO_ENVIADO
    lista = logado(analista_segov_uo).get(LISTA).content.decode()
    assert 'data-situacao="NAO_ENVIADO"' in lista and "não respondeu" in lista


def test_outro_orgao_nao_envia(tes, analista_segov_uo):
    _cadastrada(analista_segov_uo, tes[0])
    intruso = criar_usuario("intruso@governo.test", perfis.ORGAO, "Intruso")
    assert logado(intruso).enviar(_url("enviar_transferencia", tes[0]), {"confirmado": "1"}).status_code == 404
    assert TransferenciaEspecial.objects.get().status == Status.CADASTRADO


def test_encerrar_com_revisao(tes, analista_segov_uo):
    _cadastrada(analista_segov_uo, tes[0])
    cliente = logado(analista_segov_uo)
    cliente.enviar(_url("enviar_transferencia", tes[0]), {"confirmado": "1"})
    assert "Revise antes de confirmar" in cliente.enviar(_url("encerrar_transferencia", tes[0])).content.decode()
    r = cliente.enviar(_url("encerrar_transferencia", tes[0]), {"confirmado": "1"}, follow=True)
    assert "encerrada" in r.content.decode() and TransferenciaEspecial.objects.get().status == Status.ENCERRADO


def test_declaracao_so_depois_do_registro(tes, analista_segov_uo):
    _cadastrada(analista_segov_uo, tes[0])
    r = logado(analista_segov_uo).get(_url("declaracao_transferencia", tes[0]), follow=True)
    assert "A declaração só existe depois do registro" in r.content.decode()
    assert logado(analista_segov_uo).get(_url("declaracao_transferencia", tes[1])).status_code == 404


@pytest.mark.pdf
def test_declaracao_em_pdf(tes, analista_segov_uo, segov, tmp_path):
    _cadastrada(analista_segov_uo, tes[0])
    logado(analista_segov_uo).enviar(_url("enviar_transferencia", tes[0]), {"confirmado": "1"})
    te = TransferenciaEspecial.objects.get()
    r = logado(segov).get(_url("declaracao_transferencia", tes[0]))
    assert f"declaracao-transferencia-especial-2019-{tes[0].numero}.pdf" in r["Content-Disposition"]
    texto = " ".join(texto_do_pdf(r, tmp_path).split())
    for trecho in ("Declaração de Transferência Especial", f"nº {tes[0].numero} / 2019", "Município de Itabira",
                   "R$ 100.000,00", "RES 55/2019", "28/01/2019", te.numero_siafi, "Registrado no SIAFI",
                   "Emitida por Sílvia SEGOV"):
        assert trecho in texto, trecho
    # Encerrada, a declaração continua disponível (DOMAIN.md §10 nº 32).
    logado(analista_segov_uo).enviar(_url("encerrar_transferencia", tes[0]), {"confirmado": "1"})
    assert "Encerrado" in texto_do_pdf(logado(segov).get(_url("declaracao_transferencia", tes[0])), tmp_path)


def test_menu_para_quem_ve(tes, analista_segov_uo, segov, parlamentar):
    visualizador = criar_usuario("ver@segov.test", perfis.VISUALIZADOR, "Vera Visualizadora")
    for quem in (analista_segov_uo, segov, visualizador):
        assert f'href="{LISTA}"' in logado(quem).get(reverse("inicio"), follow=True).content.decode(), quem
    assert f'href="{LISTA}"' not in logado(parlamentar.usuario).get(reverse("inicio")).content.decode()
    assert logado(visualizador).get(_url("transferencia", tes[0])).status_code == 200


def test_pagina_da_indicacao_mostra_a_transferencia(tes, analista_segov_uo, parlamentar):
    url = reverse("emendas:indicacao", args=[tes[0].pk])
    html = logado(parlamentar.usuario).get(url).content.decode()
    assert "Transferência especial" in html and 'data-situacao="NAO_CADASTRADO"' in html
    assert "Abrir em Transferências Especiais" not in html  # o titular vê a situação, não abre a tela do órgão
    te = _cadastrada(analista_segov_uo, tes[0])
    logado(analista_segov_uo).enviar(_url("enviar_transferencia", tes[0]), {"confirmado": "1"})
    te.refresh_from_db()
    html = logado(parlamentar.usuario).get(url).content.decode()
    assert f"registro nº {te.numero_siafi} no SIAFI-MG" in html and "resolução RES 55/2019" in html
    assert "Abrir em Transferências Especiais" in logado(analista_segov_uo).get(url).content.decode()
