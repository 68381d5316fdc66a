"""As telas da diligência: abrir pela indicação, o número na linha da indicação, "Gerenciar Diligências", responder
com anexo, baixar o anexo e fechar; e as recusas (403 para quem vê e não pode, 404 para quem nem vê)."""

import pytest
from django.urls import reverse

from emendas.models import AnexoDiligencia, Diligencia
from emendas.services import abrir_diligencia, fechar_diligencia, responder_diligencia
from notificacoes.models import EmailPendente
from tests.conftest import logado
from tests.emendas.diligencias.conftest import LIVRE, pdf, token, token_de
from tests.fabricas import em

pytestmark = pytest.mark.django_db


def abrir(c, texto="Envie a declaração de contrapartida."):
    return abrir_diligencia(usuario=c["orgao"], indicacao=c["ind"], texto=texto)


def test_orgao_abre_pela_tela_da_indicacao_e_o_numero_aparece_nas_listas(c):
    orgao = logado(c["orgao"])
    pagina_ind = orgao.get(reverse("emendas:indicacao", args=[c["ind"].pk])).content.decode()
    url = reverse("emendas:abrir_diligencia", args=[c["ind"].pk])
    assert url in pagina_ind  # o botão "Informar diligência"
    r = orgao.post(url, {"texto": "Falta a declaração de contrapartida.", "envio_unico": token(orgao, url)})
    dil = Diligencia.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("emendas:diligencia", args=[dil.pk])
    assert "Diligência nº 1 aberta" in orgao.get(r["Location"]).content.decode()
    assert EmailPendente.objects.filter(tipo=EmailPendente.Tipo.DILIGENCIA).count() == 1

    selo = "Diligência nº 1 aberta"
    ana = logado(c["ana"])
    with em(LIVRE):
        paginas = {
            "indicação (órgão)": orgao.get(reverse("emendas:indicacao", args=[c["ind"].pk])),
            "fila do órgão": orgao.get(reverse("emendas:analise_orgao")),
            "indicação (titular)": ana.get(reverse("emendas:indicacao", args=[c["ind"].pk])),
            "Visualizar Indicações": ana.get(reverse("emendas:visualizar_indicacoes")),
            "Indicação de Recursos": ana.get(reverse("emendas:indicacoes"), {"ano": 2019}),
            "indicações do inciso": ana.get(reverse("emendas:indicacoes_do_inciso", args=[c["inciso"].pk])),
            "relatório Valores Indicados": ana.get(reverse("relatorio_indicacoes")),
        }
    sem_selo = [nome for nome, r in paginas.items()
                if r.status_code != 200 or "Diligência nº 1" not in r.content.decode()]
    assert not sem_selo, sem_selo
    assert selo in paginas["Visualizar Indicações"].content.decode()
    lista = ana.get(reverse("emendas:diligencias"))
    assert [d.numero for d in lista.context["pagina"].object_list] == [1]

    # Fechada, o selo some das listas (a diligência continua na página da indicação).
    fechar_diligencia(usuario=c["orgao"], diligencia=dil)
    assert selo not in ana.get(reverse("emendas:visualizar_indicacoes")).content.decode()
    assert "Diligência nº 1</a>" in ana.get(reverse("emendas:indicacao", args=[c["ind"].pk])).content.decode()


def test_texto_vazio_volta_ao_formulario_com_a_mensagem(c):
    orgao = logado(c["orgao"])
    url = reverse("emendas:abrir_diligencia", args=[c["ind"].pk])
    r = orgao.post(url, {"texto": "   ", "envio_unico": token(orgao, url)})
    assert r.status_code == 200 and "Este campo é obrigatório" in r.content.decode()
    assert not Diligencia.objects.exists()


@pytest.mark.parametrize(("quem", "codigo"), [("ana", 403), ("segov", 403), ("orgao_outro", 404), ("bruno", 404)])
def test_quem_nao_e_o_orgao_da_indicacao_nao_abre(c, quem, codigo):
    url = reverse("emendas:abrir_diligencia", args=[c["ind"].pk])
    cliente = logado(c[quem])
    assert cliente.get(url).status_code == codigo
    assert cliente.post(url, {"texto": "Dúvida", "envio_unico": token_de(c[quem])}).status_code == codigo
    assert not Diligencia.objects.exists()


def test_parlamentar_responde_com_anexo_e_so_quem_ve_a_indicacao_baixa(c):
    dil = abrir(c)
    ana = logado(c["ana"])
    url = reverse("emendas:diligencia", args=[dil.pk])
    r = ana.post(reverse("emendas:responder_diligencia", args=[dil.pk]), {
        "texto": "Segue a declaração assinada.", "anexos": [pdf("Declaração.pdf")], "envio_unico": token(ana, url)})
    assert r.status_code == 302 and r["Location"] == url
    pagina = ana.get(url).content.decode()
    assert "Segue a declaração assinada." in pagina and "Declaração.pdf" in pagina
    anexo = AnexoDiligencia.objects.get()
    baixar = reverse("emendas:anexo_diligencia", args=[anexo.pk])
    for quem in ("ana", "orgao", "segov"):
        r = logado(c[quem]).get(baixar)
        assert r.status_code == 200, quem
        assert r["Content-Disposition"].startswith("attachment;") and "Declara" in r["Content-Disposition"]
        assert b"".join(r.streaming_content).startswith(b"%PDF-")
    for quem in ("bruno", "orgao_outro"):
        assert logado(c[quem]).get(baixar).status_code == 404, quem


def test_anexo_recusado_volta_com_o_texto_digitado_e_o_motivo(c, settings):
    settings.SIGCON_UPLOAD_MAXIMO = 1024
    dil = abrir(c)
    ana = logado(c["ana"])
    url = reverse("emendas:diligencia", args=[dil.pk])
    r = ana.post(reverse("emendas:responder_diligencia", args=[dil.pk]), {
        "texto": "Minha resposta", "anexos": [pdf(conteudo=b"%PDF-1.4" + b"0" * 4000)], "envio_unico": token(ana, url)})
    corpo = r.content.decode()
    assert r.status_code == 200 and "o limite de cada anexo é" in corpo and "Minha resposta" in corpo
    r = ana.post(reverse("emendas:responder_diligencia", args=[dil.pk]), {
        "texto": "Minha resposta", "anexos": [pdf("script.html", b"<script>")], "envio_unico": token(ana, url)})
    assert "não é de um tipo aceito" in r.content.decode()
    assert not dil.respostas.exists()


@pytest.mark.parametrize(("quem", "codigo"), [("orgao", 403), ("segov", 403), ("bruno", 404), ("orgao_outro", 404)])
def test_resposta_de_quem_nao_e_o_titular_e_recusada(c, quem, codigo):
    dil = abrir(c)
    r = logado(c[quem]).post(reverse("emendas:responder_diligencia", args=[dil.pk]),
                             {"texto": "Eu respondo", "envio_unico": token_de(c[quem])})
    assert r.status_code == codigo and not dil.respostas.exists()


def test_orgao_fecha_pela_tela_e_o_botao_some(c):
    dil = abrir(c)
    orgao = logado(c["orgao"])
    url = reverse("emendas:diligencia", args=[dil.pk])
    fechar = reverse("emendas:fechar_diligencia", args=[dil.pk])
    assert fechar in orgao.get(url).content.decode()
    r = orgao.post(fechar, {"envio_unico": token(orgao, url)}, follow=True)
    assert "Diligência nº 1 fechada" in r.content.decode()
    dil.refresh_from_db()
    assert dil.status == "FECHADA" and fechar not in r.content.decode()
    # O formulário de resposta também some para o titular.
    pagina = logado(c["ana"]).get(url).content.decode()
    assert reverse("emendas:responder_diligencia", args=[dil.pk]) not in pagina
    assert "não recebe mais respostas" in pagina
    # Fechar de novo (outro token): a mensagem, sem segundo e-mail.
    r = orgao.post(fechar, {"envio_unico": token_de(c["orgao"])}, follow=True)
    assert "já está fechada" in r.content.decode()
    assert EmailPendente.objects.filter(assunto__contains="fechada").count() == 1


@pytest.mark.parametrize(("quem", "codigo"), [("ana", 403), ("segov", 403), ("orgao_outro", 404)])
def test_quem_nao_e_o_orgao_nao_fecha(c, quem, codigo):
    dil = abrir(c)
    r = logado(c[quem]).post(reverse("emendas:fechar_diligencia", args=[dil.pk]), {"envio_unico": token_de(c[quem])})
    assert r.status_code == codigo
    dil.refresh_from_db()
    assert dil.status == "ABERTA"


def test_diligencia_de_outro_orgao_nao_aparece_nem_abre(c):
    dil = abrir(c)
    outro = logado(c["orgao_outro"])
    assert "Nenhuma diligência encontrada" in outro.get(reverse("emendas:diligencias")).content.decode()
    assert outro.get(reverse("emendas:diligencia", args=[dil.pk])).status_code == 404
    assert logado(c["bruno"]).get(reverse("emendas:diligencia", args=[dil.pk])).status_code == 404


def test_filtros_de_gerenciar_diligencias(c):
    d1 = abrir(c, "Primeira")
    d2 = abrir(c, "Segunda")
    fechar_diligencia(usuario=c["orgao"], diligencia=d1)
    ana = logado(c["ana"])
    url = reverse("emendas:diligencias")

    def numeros(**filtros):
        r = ana.get(url, filtros)
        assert r.status_code == 200
        return [d.numero for d in r.context["pagina"].object_list]

    assert numeros() == [2, 1]
    assert numeros(status="ABERTA") == [2] and numeros(status="FECHADA") == [1]
    assert numeros(numero=1) == [1]
    assert numeros(indicacao=c["ind"].numero) == [2, 1]
    assert numeros(orgao=d2.orgao_id) == [2, 1]
    assert numeros(responsavel="Otávio") == [2, 1] and numeros(responsavel="ninguém") == []
    assert numeros(numero="abc") == []  # filtro inválido: nada, com a mensagem no campo


@pytest.mark.parametrize("n", [3, 12])
def test_lista_paginada_sem_consulta_por_linha(c, n, django_assert_max_num_queries):
    for k in range(n):
        d = abrir(c, f"Dúvida {k}")
        responder_diligencia(usuario=c["ana"], diligencia=d, texto="Resposta")
    ana = logado(c["ana"])
    ana.get(reverse("emendas:diligencias"))  # sessão e perfis já lidos
    with django_assert_max_num_queries(12):
        r = ana.get(reverse("emendas:diligencias"))
    assert len(r.context["pagina"].object_list) == n


def test_paginacao_de_50_em_50(c):
    for k in range(51):
        abrir(c, f"Dúvida {k}")
    r = logado(c["segov"]).get(reverse("emendas:diligencias"), {"pagina": 2})
    assert [d.numero for d in r.context["pagina"].object_list] == [1]
    assert "de 51 diligências" in r.content.decode()


def test_quem_nao_tem_diligencias_nao_abre_a_lista(c):
    from contas import perfis
    from tests.conftest import criar_usuario

    for perfil in (perfis.VISUALIZADOR, perfis.CONVENENTE, None):
        usuario = criar_usuario(f"x{perfil}@t.test", perfil)
        assert logado(usuario).get(reverse("emendas:diligencias")).status_code == 403


def test_diligencia_na_proposta_pela_tela_aparece_na_pagina_da_proposta(c, parlamentar, segov):
    from tests.fabricas import cenario_convenio, proposta_aprovada

    conv, cadastrador, ind = cenario_convenio(inciso=c["inciso"], parlamentar=parlamentar, analista_orgao=c["orgao"],
                                              segov=segov, n=8)
    proposta = proposta_aprovada(cadastrador=cadastrador, convenente=conv, indicacao=ind, analista_orgao=c["orgao"])
    orgao = logado(c["orgao"])
    url = reverse("emendas:abrir_diligencia", args=[ind.pk])
    pagina = orgao.get(url, {"proposta": proposta.pk}).content.decode()
    assert f'<option value="{proposta.pk}" selected>Proposta nº {proposta.pk}' in pagina
    r = orgao.post(url, {"texto": "Falta a planilha de custos.", "proposta": proposta.pk,
                         "envio_unico": token(orgao, url)})
    assert r.status_code == 302 and Diligencia.objects.get().proposta == proposta
    # Na página da proposta, para o convenente que vai juntar o documento.
    pagina = logado(cadastrador).get(reverse("convenios:proposta", args=[proposta.pk])).content.decode()
    assert "Diligências do órgão" in pagina and "Falta a planilha de custos." in pagina
