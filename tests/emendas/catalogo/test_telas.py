"""O catálogo nas telas: o formulário da indicação e o do ajuste oferecem só o grupo do inciso (htmx e sem JS),
recusam o id forjado, e as filas destacam o ajuste sem consultas a mais."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import EspecificacaoAtendimento, GeneroAtendimento, Indicacao, OrigemSaldo
from emendas.services import aprovar_indicacao_orgao, devolver_para_ajuste, enviar_indicacao
from tests.conftest import logado, meio_dia

pytestmark = pytest.mark.django_db
LIVRE = date(2019, 2, 1)


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(LIVRE), tick=False):
        yield


@pytest.fixture
def c(catalogo, inciso, parlamentar, analista_orgao, segov):
    benef = Convenente.objects.create(cnpj=gerar_cnpj(21), razao_social="Prefeitura de Betim", municipio="Betim",
                                      tipo="ADM_MUNICIPAL")
    return {"inciso": inciso, "parl": parlamentar.usuario, "orgao": analista_orgao, "segov": segov, "benef": benef,
            "url": reverse("emendas:nova_indicacao", args=[inciso.pk])}


def esp(nome):
    return EspecificacaoAtendimento.objects.get(nome=nome)


def dados(c, **extra):
    return {"forma_execucao": "CONVENIO", "objeto": "Reforma", "cnpj_1": c["benef"].cnpj_formatado,
            "valor_1": "1.000,00", **extra}


def test_formulario_oferece_so_o_catalogo_do_grupo_do_inciso(c):
    html = logado(c["parl"]).get(c["url"]).content.decode()
    assert "Prédio Público" in html and "Mobiliário" in html and 'label="REFORMA OU OBRA – Reforma"' in html
    assert "Gêneros Alimentícios" not in html and "Capacitação" not in html  # do custeio (GD 3)
    assert "Kit viatura e armamento na PMMG" in html
    assert reverse("emendas:catalogo_opcoes", args=[c["inciso"].pk]) in html  # htmx dos selects dependentes
    assert 'value="opcoes"' in html  # e o botão "Filtrar as opções" sem JavaScript


def test_revisar_e_confirmar_grava_o_tipo(c):
    cli = logado(c["parl"])
    escolha = {"especificacao_atendimento": esp("Mercado Municipal").pk}
    r = cli.enviar(c["url"], dados(c, **escolha))
    assert "REFORMA OU OBRA – Reforma – Mercado Municipal" in r.content.decode()  # na revisão
    cli.enviar(c["url"], dados(c, acao="confirmar", **escolha))
    assert Indicacao.objects.get().especificacao_atendimento == esp("Mercado Municipal")


def test_id_forjado_de_outro_grupo_e_erro_no_campo_e_nada_e_gravado(c):
    r = logado(c["parl"]).enviar(c["url"], dados(c, acao="confirmar",
                                                 especificacao_atendimento=esp("Gêneros Alimentícios").pk))
    html = r.content.decode()
    assert "Este tipo de atendimento não vale para o grupo de despesa do inciso" in html
    assert not Indicacao.objects.exists()


def test_sem_tipo_com_catalogo_carregado_e_erro_no_campo(c):
    r = logado(c["parl"]).enviar(c["url"], dados(c))
    assert "Escolha o tipo de atendimento: a forma escolhida pede um." in r.content.decode()


def test_filtrar_sem_javascript_volta_com_o_que_foi_digitado_e_as_opcoes_do_genero(c):
    reforma = GeneroAtendimento.objects.get(nome="REFORMA OU OBRA")
    r = logado(c["parl"]).enviar(c["url"], dados(c, acao="opcoes", genero=reforma.pk))
    html = r.content.decode()
    assert "Prédio Público" in html and "Mobiliário" not in html
    assert c["benef"].cnpj_formatado in html and not Indicacao.objects.exists()


def test_trecho_htmx_filtra_categorias_e_especificacoes(c):
    bens = GeneroAtendimento.objects.get(nome="AQUISIÇÃO DE BENS")
    url = reverse("emendas:catalogo_opcoes", args=[c["inciso"].pk])
    html = logado(c["parl"]).get(url, {"genero": bens.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="campos-atendimento"' in html and "<html" not in html
    assert "Permanente" in html and "Mobiliário" in html and "Reforma" not in html
    assert "Consumo" not in html  # a categoria de bens de consumo não vale para investimento
    # A categoria do gênero anterior não é erro: volta a "todas".
    reforma = GeneroAtendimento.objects.get(nome="REFORMA OU OBRA")
    construcao = reforma.categorias.get(nome="Construção")
    html = logado(c["parl"]).get(url, {"genero": bens.pk, "categoria": construcao.pk}).content.decode()
    assert "Faça uma escolha válida" not in html and "Mobiliário" in html and "Prédio Público" not in html
    # Gênero forjado ou de outro grupo: vale como "todos".
    html = logado(c["parl"]).get(url, {"genero": "abc"}).content.decode()
    assert "Prédio Público" in html and "Mobiliário" in html


def test_trecho_htmx_so_para_quem_ve_o_inciso(c, outro_parlamentar):
    url = reverse("emendas:catalogo_opcoes", args=[c["inciso"].pk])
    assert logado(outro_parlamentar.usuario).get(url).status_code == 404


def _devolvida(c, nome="Prédio Público"):
    ind = enviar_indicacao(usuario=c["parl"], inciso=c["inciso"], forma_execucao="CONVENIO", valor=Decimal("10.00"),
                           beneficiario=c["benef"], objeto="Obra", especificacao_atendimento=esp(nome))
    devolver_para_ajuste(usuario=c["orgao"], indicacao=ind, justificativa="Trocar para mercado municipal.")
    return ind


def test_tela_do_ajuste_mostra_as_janelas_e_grava_o_novo_tipo(c):
    ind = _devolvida(c)
    url = reverse("emendas:ajustar_indicacao", args=[ind.pk])
    cli = logado(c["parl"])
    html = cli.get(url).content.decode()
    assert "Ajuste completo do tipo de atendimento" in html and "26/01/2019 a 23/04/2019" in html
    assert f'value="{esp("Prédio Público").pk}" selected' in html
    r = cli.enviar(url, {"objeto": "Reforma do mercado", "especificacao_atendimento": esp("Mercado Municipal").pk},
                   follow=True)
    assert "ajustada e reenviada ao órgão" in r.content.decode()
    ind.refresh_from_db()
    assert ind.especificacao_atendimento == esp("Mercado Municipal") and ind.status == "EM_ANALISE_ORGAO"


def test_tela_do_ajuste_recusa_o_forjado_e_filtra_sem_gravar(c):
    ind = _devolvida(c)
    url = reverse("emendas:ajustar_indicacao", args=[ind.pk])
    cli = logado(c["parl"])
    r = cli.enviar(url, {"objeto": "x", "especificacao_atendimento": esp("Gêneros Alimentícios").pk})
    assert "não vale para o grupo de despesa do inciso" in r.content.decode()
    bens = GeneroAtendimento.objects.get(nome="AQUISIÇÃO DE BENS")
    r = cli.enviar(url, {"objeto": "x", "genero": bens.pk, "acao": "opcoes"})
    assert "Mobiliário" in r.content.decode() and "Prédio Público" not in r.content.decode()
    ind.refresh_from_db()
    assert ind.status == "AGUARDANDO_AJUSTE" and ind.especificacao_atendimento == esp("Prédio Público")


def test_filas_destacam_o_ajuste_pedido_e_o_ajustado(c):
    pedida = _devolvida(c)
    ajustada = _devolvida(c, "Mobiliário")
    logado(c["parl"]).enviar(reverse("emendas:ajustar_indicacao", args=[ajustada.pk]), {"objeto": "Bens"})
    fila = reverse("emendas:analise_orgao")
    orgao = logado(c["orgao"])
    html = orgao.get(fila).content.decode()
    assert "ajustada em 01/02/2019" in html and 'class="table-warning"' in html
    html = orgao.get(fila, {"status": "AGUARDANDO_AJUSTE"}).content.decode()
    assert "ajuste pedido" in html and "Trocar para mercado municipal." in html and str(pedida.numero) in html
    aprovar_indicacao_orgao(usuario=c["orgao"], indicacao=ajustada)
    assert "ajustada em 01/02/2019" in logado(c["segov"]).get(reverse("emendas:analise_segov")).content.decode()


def test_destaque_do_ajuste_nao_acrescenta_consultas_a_fila(c):
    cli = logado(c["orgao"])
    fila = reverse("emendas:analise_orgao")

    def criar(n, ajustada):
        base = Indicacao.objects.count()
        Indicacao.objects.bulk_create([
            Indicacao(exercicio=c["inciso"].exercicio, numero=1000 + base + k, inciso=c["inciso"], objeto="x",
                      forma_execucao="CONVENIO", beneficiario=c["benef"], valor=Decimal("1.00"),
                      origem_saldo=OrigemSaldo.LIVRE, enviada_por=c["parl"],
                      especificacao_atendimento=esp("Prédio Público"),
                      ajustada_em=meio_dia(LIVRE) if ajustada else None)
            for k in range(n)])

    def contar():
        cli.get(fila)
        with CaptureQueriesContext(connection) as q:
            assert cli.get(fila).status_code == 200
        return len(q)

    criar(3, ajustada=False)
    sem = contar()
    criar(30, ajustada=True)
    assert contar() == sem


def test_orgao_devolve_pela_tela_uma_indicacao_em_analise_na_segov(c):
    ind = enviar_indicacao(usuario=c["parl"], inciso=c["inciso"], forma_execucao="CONVENIO", valor=Decimal("10.00"),
                           beneficiario=c["benef"], objeto="Obra", especificacao_atendimento=esp("Prédio Público"))
    aprovar_indicacao_orgao(usuario=c["orgao"], indicacao=ind)
    orgao = logado(c["orgao"])
    html = orgao.get(reverse("emendas:indicacao", args=[ind.pk])).content.decode()
    assert reverse("emendas:agir_indicacao", args=[ind.pk, "devolver"]) in html
    orgao.enviar(reverse("emendas:agir_indicacao", args=[ind.pk, "devolver"]), {"justificativa": "Mudar o tipo."})
    ind.refresh_from_db()
    assert ind.status == "AGUARDANDO_AJUSTE" and ind.justificativa == "Mudar o tipo."


def test_confirmar_ignora_o_select_da_outra_forma(c):
    from emendas.models import TipoAplicacao

    kit = TipoAplicacao.objects.get(nome="Kit viatura e armamento na PMMG")
    r = logado(c["parl"]).enviar(c["url"], dados(c, acao="confirmar", tipo_aplicacao=kit.pk,
                                                 especificacao_atendimento=esp("Prédio Público").pk))
    assert r.status_code == 302
    ind = Indicacao.objects.get()
    assert ind.especificacao_atendimento == esp("Prédio Público") and ind.tipo_aplicacao is None
