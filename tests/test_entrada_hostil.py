"""Entrada hostil nunca vira erro 500: byte nulo e caracteres de controle, envios grandes demais.

O PostgreSQL recusa o byte nulo num texto; antes da barreira (sigcon.middleware) um ``%00`` num campo
derrubava a tela com 500. Aqui cada formulário do sistema recebe o nulo num campo e deve responder 400
em português, sem gravar nada — e o mesmo envio, sem o nulo, passa da barreira.
"""

import time
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from convenios import services as convenios_services
from convenios.models import PropostaPlanoTrabalho
from emendas import services as emendas_services
from emendas.models import CategoriaImpedimento, Exercicio, Indicacao, Remanejamento
from tests.conftest import logado, meio_dia
from tests.fabricas import cenario_convenio
from tests.test_urls import _padroes, _url_exemplo

pytestmark = pytest.mark.django_db
NUL = "a\x00b"
DIA_LIVRE = meio_dia(date(2019, 2, 1))
MENSAGEM = "A requisição contém caracteres inválidos"


def estado_do_banco():
    """Quantas linhas tem cada tabela do sistema e a situação de cada pedido, indicação e proposta."""
    contagens = {
        m._meta.label: m.objects.count()
        for app in ("contas", "emendas", "convenios", "notificacoes", "integracoes", "relatorios")
        for m in apps.get_app_config(app).get_models()
    }
    return (
        contagens,
        sorted(Remanejamento.objects.values_list("pk", "status", "justificativa", "detalhamento")),
        sorted(Indicacao.objects.values_list("pk", "status", "objeto", "justificativa")),
        sorted(PropostaPlanoTrabalho.objects.values_list("pk", "status", "objeto", "justificativa")),
    )


@pytest.fixture
def cenario(inciso, parlamentar, analista_orgao, segov, programacoes, acao_saude_2, grupo_odc):
    """Um pedido de remanejamento, uma indicação em análise, uma aprovada usada numa proposta recebida."""
    convenente, usuario_conv, aprovada = cenario_convenio(inciso=inciso, parlamentar=parlamentar,
                                                           analista_orgao=analista_orgao, segov=segov)
    with time_machine.travel(DIA_LIVRE, tick=False):
        rem = emendas_services.solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                                       grupo_despesa=grupo_odc, valor=Decimal("1000.00"))
        em_analise = emendas_services.enviar_indicacao(
            usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO", valor=Decimal("500.00"),
            beneficiario=convenente, objeto="Ambulância")
        proposta = convenios_services.gerar_proposta(usuario=usuario_conv, convenente=convenente,
                                                     indicacoes={aprovada: Decimal("100.00")}, objeto="Reforma")
    categoria = CategoriaImpedimento.do_exercicio(inciso.exercicio).first()
    return {
        "inciso": inciso, "rem": rem, "em_analise": em_analise, "aprovada": aprovada, "proposta": proposta,
        "convenente": convenente, "usuario_conv": usuario_conv, "parlamentar": parlamentar.usuario,
        "orgao": analista_orgao, "segov": segov, "acao2": acao_saude_2, "grupo": grupo_odc, "categoria": categoria,
    }


# (nome, quem envia, url, campos válidos, campo que recebe o nulo)
def _formularios(c):
    inc, rem, ind, prop = c["inciso"], c["rem"], c["em_analise"], c["proposta"]
    return [
        ("pedido de remanejamento", "parlamentar", f"/emendas/remanejamentos/inciso/{inc.pk}/novo/",
         {"confirmar": "1", "acao": c["acao2"].pk, "grupo_despesa": c["grupo"].pk, "valor": "10,00",
          "detalhamento": "Compra de equipamentos"}, "detalhamento"),
        ("reprovação de remanejamento", "segov", f"/emendas/remanejamentos/{rem.pk}/reprovar/",
         {"justificativa": "Destino fora da política"}, "justificativa"),
        ("reprovação de remanejamentos em lote", "segov", "/emendas/remanejamentos/analise/",
         {"acao_lote": "reprovar", "selecionados": rem.pk, "justificativa": "Fora da política"}, "justificativa"),
        ("indicação", "parlamentar", f"/emendas/indicacoes/inciso/{inc.pk}/nova/",
         {"forma_execucao": "CONVENIO", "objeto": "Reforma da escola", "cnpj_1": c["convenente"].cnpj,
          "valor_1": "10,00", "acao": "confirmar"}, "objeto"),
        ("valor da indicação", "parlamentar", f"/emendas/indicacoes/inciso/{inc.pk}/nova/",
         {"forma_execucao": "CONVENIO", "objeto": "Reforma da escola", "cnpj_1": c["convenente"].cnpj,
          "valor_1": "10,00", "acao": "confirmar"}, "valor_1"),
        ("cancelamento de indicação", "parlamentar", f"/emendas/indicacoes/{ind.pk}/cancelar/",
         {"justificativa": "Desistência"}, "justificativa"),
        ("devolução para ajuste", "orgao", f"/emendas/indicacoes/{ind.pk}/devolver/",
         {"justificativa": "Falta o plano"}, "justificativa"),
        ("reprovação por impedimento técnico", "orgao", f"/emendas/indicacoes/{ind.pk}/reprovar/",
         {"categoria": c["categoria"].pk, "justificativa": "Sem projeto"}, "justificativa"),
        ("decisão em lote do órgão", "orgao", "/emendas/indicacoes/orgao/",
         {"acao_lote": "devolver", "selecionados": ind.pk, "justificativa": "Falta o plano"}, "justificativa"),
        ("correção de inciso", "segov", f"/emendas/segov/incisos/{inc.pk}/corrigir/",
         {"confirmar": "1", "valor_inicial": "1.000.001,00", "acao": inc.acao_id, "grupo_despesa": inc.grupo_despesa_id,
          "justificativa": "Erro de digitação na LOA"}, "justificativa"),
        ("calendário do exercício", "segov", "/emendas/exercicios/2019/editar/",
         {"data_publicacao_loa": "2019-01-10", "data_liberacao": "2019-01-26", "fim_janela_livre": "2019-02-25",
          "fim_janela_obrigatoria": "2019-03-11", "limite_outra_uo_percentual": "10", "regime_cagec": "LEGADO"},
         "limite_outra_uo_percentual"),
        ("proposta de plano de trabalho", "usuario_conv", f"/convenios/convenente/{c['convenente'].pk}/gerar-proposta/",
         {"objeto": "Reforma da sede", "tipo_instrumento": "CONVENIO", f"usar_{c['aprovada'].pk}": "10,00"}, "objeto"),
        ("devolução da proposta", "orgao", f"/convenios/propostas/{prop.pk}/devolver/",
         {"justificativa": "Faltam documentos"}, "justificativa"),
        ("cancelamento da proposta", "usuario_conv", f"/convenios/propostas/{prop.pk}/cancelar/",
         {"justificativa": "Desistência"}, "justificativa"),
        ("exceção à consulta", "segov", f"/convenios/propostas/{prop.pk}/excecao/",
         {"sistema": "CAGEC", "momento": "ENVIO", "justificativa": "CAGEC fora do ar"}, "justificativa"),
        ("liberação de recursos", "orgao", f"/convenios/propostas/{prop.pk}/liberar/", {"valor": "10,00"},
         "valor"),
    ]


NOMES_FORMULARIOS = [
    "pedido de remanejamento", "reprovação de remanejamento", "reprovação de remanejamentos em lote", "indicação",
    "valor da indicação", "cancelamento de indicação", "devolução para ajuste", "reprovação por impedimento técnico",
    "decisão em lote do órgão", "correção de inciso", "calendário do exercício", "proposta de plano de trabalho",
    "devolução da proposta", "cancelamento da proposta", "exceção à consulta", "liberação de recursos",
]


@pytest.mark.parametrize("nome", NOMES_FORMULARIOS)
def test_byte_nulo_em_cada_formulario_da_400_em_portugues_e_nao_grava_nada(cenario, nome):
    _, quem, url, dados, campo = next(f for f in _formularios(cenario) if f[0] == nome)
    cliente = logado(cenario[quem])
    antes = estado_do_banco()
    with time_machine.travel(DIA_LIVRE, tick=False):
        resposta = cliente.enviar(url, {**dados, campo: f"{dados[campo]}\x00"})
    assert resposta.status_code == 400
    assert MENSAGEM in resposta.content.decode()
    assert estado_do_banco() == antes
    # O mesmo envio sem o nulo passa da barreira: quem recusou foi o caractere, não o resto do formulário.
    with time_machine.travel(DIA_LIVRE, tick=False):
        assert cliente.enviar(url, dados).status_code in (200, 302)


def test_byte_nulo_no_envio_do_arquivo_de_importacao_da_400(segov):
    antes = estado_do_banco()
    arquivo = SimpleUploadedFile("loa.csv", b"uo;uo_nome\n", content_type="text/csv")
    resposta = logado(segov).enviar("/emendas/importacoes/", {"tipo": "loa", "ano": "2027\x00",
                                                           "publicacao": "2027-01-08", "arquivo": arquivo})
    assert resposta.status_code == 400 and MENSAGEM in resposta.content.decode()
    resposta = logado(segov).enviar("/emendas/importacoes/", {"confirmar": "1",
                                                           "previa": "6f1c3a52-8d0e-4b8f-9b1e-2a7d5c4e3f10\x00"})
    assert resposta.status_code == 400
    assert estado_do_banco() == antes


@pytest.mark.parametrize("url", [
    "/relatorios/remanejamentos/?parlamentar=a%00b",
    "/relatorios/remanejamentos.csv?uo=%00",
    "/relatorios/indicacoes/?beneficiario=%00",
    "/relatorios/impedimentos/?municipio=x%00",
    "/relatorios/incisos/?acao=%00",
    "/relatorios/totalizacao/?parlamentar=%00",
    "/relatorios/parlamentares/?parlamentar=%00",
    "/relatorios/saldos/?uo=%00",
    "/emendas/indicacoes/lista/?busca=%00",
    "/emendas/indicacoes/beneficiarios/?q=%00",
    "/emendas/segov/incisos/?q=%00",
    "/emendas/indicacoes/?busca=%00",
    "/convenios/propostas/?status=%00",
    "/emendas/remanejamentos/?uo=%01",
    "/?ano=2019%0A",
])
def test_caracteres_de_controle_nos_filtros_dos_relatorios_dao_400(segov, url):
    resposta = logado(segov).get(url)
    assert resposta.status_code == 400
    assert MENSAGEM in resposta.content.decode()


TODAS = sorted(_padroes(get_resolver()))


@pytest.mark.parametrize("nome, rota", TODAS, ids=[n for n, _ in TODAS])
def test_nenhuma_rota_aceita_byte_nulo(segov, nome, rota):
    """Anda pelo resolvedor de URLs: toda rota, nova ou antiga, recusa o nulo no POST, na URL e no caminho."""
    cliente = logado(segov)
    url = _url_exemplo(rota)
    for resposta in (
        cliente.enviar(url, {"justificativa": NUL, "objeto": "ok"}),
        cliente.enviar(url, {f"campo{NUL}": "ok"}),
        cliente.get(url, {"q": NUL}),
        cliente.get(url + "%00"),
    ):
        assert resposta.status_code == 400, (url, resposta.status_code)


def test_o_admin_tambem_recusa_byte_nulo(admin_client):
    antes = estado_do_banco()
    resposta = admin_client.post("/admin/emendas/unidadeorcamentaria/add/", {"codigo": "1", "nome": NUL})
    assert resposta.status_code == 400
    assert estado_do_banco() == antes


def test_outros_caracteres_de_controle_sao_recusados_mas_quebra_de_linha_e_tabulacao_passam(cenario):
    cliente = logado(cenario["segov"])
    url = f"/emendas/remanejamentos/{cenario['rem'].pk}/reprovar/"
    for ruim in ("\x01", "\x1b[31m", "\x7f", "\x85"):
        assert cliente.enviar(url, {"justificativa": f"texto{ruim}"}).status_code == 400, repr(ruim)
    assert Remanejamento.objects.get(pk=cenario["rem"].pk).status == Remanejamento.Status.SOLICITADO
    texto = "Primeira linha\r\nSegunda\tcom tabulação"
    with time_machine.travel(DIA_LIVRE, tick=False):
        assert cliente.enviar(url, {"justificativa": texto, "confirmado": "1"}).status_code == 302
    rem = Remanejamento.objects.get(pk=cenario["rem"].pk)
    assert rem.status == Remanejamento.Status.REPROVADO and rem.justificativa == texto


def test_quebra_de_linha_na_url_e_recusada(segov):
    assert logado(segov).get("/relatorios/remanejamentos/", {"parlamentar": "Ana\nLacerda"}).status_code == 400


def test_campos_demais_dao_400_em_portugues(segov, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    resposta = logado(segov).enviar("/emendas/remanejamentos/analise/", {f"c{n}": "1" for n in range(60)})
    assert resposta.status_code == 400
    assert "campos ou arquivos demais" in resposta.content.decode()


# --- Envios grandes demais ----------------------------------------------------------------------


def test_tela_de_importacao_diz_o_limite_do_arquivo(segov):
    assert "até 5 MB" in logado(segov).get("/emendas/importacoes/").content.decode()


def test_upload_de_50_mb_e_recusado_rapido_com_400_em_portugues(segov):
    cliente = logado(segov)
    arquivo = SimpleUploadedFile("loa.csv", b"x" * (50 * 1024 * 1024), content_type="text/csv")
    antes = estado_do_banco()
    inicio = time.monotonic()
    resposta = cliente.enviar("/emendas/importacoes/", {"tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
                                                      "arquivo": arquivo})
    assert time.monotonic() - inicio < 15  # inclui montar 50 MB no cliente de teste; antes levava quase 1 minuto
    assert resposta.status_code == 400
    texto = resposta.content.decode()
    assert "passa do limite" in texto and "até 5 MB" in texto
    assert estado_do_banco() == antes


def test_arquivo_de_6_mb_e_recusado_na_porta_com_o_limite(segov):
    # Com o arquivo guardado no servidor entre a prévia e a confirmação, o limite do corpo é o do arquivo mais
    # uma folga: 6 MB já não passam da porta.
    conteudo = b"emenda;titular\n" + b"1;x\n" * (6 * 1024 * 1024 // 4)
    arquivo = SimpleUploadedFile("loa.csv", conteudo, content_type="text/csv")
    antes = estado_do_banco()
    resposta = logado(segov).enviar("/emendas/importacoes/", {"tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
                                                           "arquivo": arquivo})
    assert resposta.status_code == 400
    texto = resposta.content.decode()
    assert "O envio tem 6 MB e passa do limite de 5 MB por requisição (arquivos de importação e anexos de diligência: até 5 MB)" in texto
    assert estado_do_banco() == antes


def test_arquivo_pouco_acima_de_5_mb_e_recusado_no_formulario_com_o_tamanho(settings, segov):
    # Entre o limite do arquivo e o do corpo (a folga do multipart) quem recusa é o formulário.
    conteudo = b"emenda;titular\n" + b"x" * settings.SIGCON_UPLOAD_MAXIMO
    arquivo = SimpleUploadedFile("loa.csv", conteudo, content_type="text/csv")
    resposta = logado(segov).enviar("/emendas/importacoes/", {"tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
                                                           "arquivo": arquivo})
    assert resposta.status_code == 200
    erros = resposta.context["form"].errors["arquivo"]
    assert erros == ["O arquivo “loa.csv” tem mais de 5 MB; o limite é 5 MB. Divida-o ou retire o que não for "
                     "desta carga."]


def test_corpo_grande_sem_arquivo_tambem_da_400(segov):
    resposta = logado(segov).enviar("/emendas/remanejamentos/analise/", {"justificativa": "x" * (9 * 1024 * 1024)})
    assert resposta.status_code == 400
    assert "passa do limite" in resposta.content.decode()


def test_envio_de_um_arquivo_de_5_mb_cabe_no_limite_do_corpo(settings, segov):
    # O maior corpo legítimo é o envio do arquivo (a confirmação leva só o id da prévia): o arquivo de 5 MB
    # com os campos do formulário e as fronteiras do multipart passa da porta e chega ao formulário.
    from django.test.client import BOUNDARY, encode_multipart

    arquivo = SimpleUploadedFile("loa.csv", b"x" * settings.SIGCON_UPLOAD_MAXIMO, content_type="text/csv")
    dados = {"csrfmiddlewaretoken": "x" * 64, "tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
             "arquivo": arquivo}
    assert len(encode_multipart(BOUNDARY, dados)) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    arquivo.seek(0)
    del dados["csrfmiddlewaretoken"]  # o cliente de teste não confere o CSRF
    resposta = logado(segov).enviar("/emendas/importacoes/", dados)
    assert resposta.status_code == 200 and "passa do limite" not in resposta.content.decode()
    assert "Nada foi importado" in resposta.content.decode()  # recusado pelo conteúdo, não pelo tamanho


def test_confirmacao_da_importacao_com_campos_forjados_usa_o_que_a_previa_guardou(segov):
    from emendas.importacao import CABECALHO_LOA
    from emendas.models import Inciso

    csv = ";".join(CABECALHO_LOA) + "\n175;Ana;PARLAMENTAR;ana@almg.test;S530;4291;Saúde;4470;Atenção;4;Inv;1,00\n"
    cliente = logado(segov)
    previa = cliente.enviar("/emendas/importacoes/", {
        "tipo": "loa", "ano": "2027", "publicacao": "2027-01-08",
        "arquivo": SimpleUploadedFile("loa.csv", csv.encode(), content_type="text/csv")}).context["previa"]
    # Sem a prévia, um ano forjado fora da faixa não dá 500 nem importa nada.
    forjado = {"confirmar": "1", "tipo": "programacoes", "ano": "99999999999", "publicacao": "1900-01-01"}
    resposta = cliente.enviar("/emendas/importacoes/", forjado, follow=True)
    assert resposta.status_code == 200
    assert "A prévia expirou ou já foi usada. Envie o arquivo novamente." in resposta.content.decode()
    assert not Exercicio.objects.exists()
    # Com ela, os campos forjados são ignorados: vale o tipo, o ano e a publicação guardados na prévia.
    resposta = cliente.enviar("/emendas/importacoes/", {**forjado, "previa": str(previa.pk)}, follow=True)
    assert resposta.status_code == 200 and "Importação concluída" in resposta.content.decode()
    assert list(Exercicio.objects.values_list("ano", "data_publicacao_loa")) == [(2027, date(2027, 1, 8))]
    assert Inciso.objects.get().valor_inicial == Decimal("1.00")


def test_fila_ignora_ids_forjados_grandes_demais(segov):
    resposta = logado(segov).enviar("/emendas/remanejamentos/analise/",
                                  {"acao_lote": "aprovar", "selecionados": ["9" * 30, "١"]}, follow=True)
    assert resposta.status_code == 200
    assert "Selecione ao menos um pedido" in resposta.content.decode()


def test_host_invalido_mostra_a_pagina_400_em_portugues(client):
    resposta = client.get("/", HTTP_HOST="malicioso.example")
    assert resposta.status_code == 400
    assert "Requisição inválida" in resposta.content.decode()
