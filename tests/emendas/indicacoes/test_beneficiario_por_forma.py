"""Beneficiário por forma de execução (DOMAIN.md §7.1–7.3): a tabela, o serviço, a tela e a busca."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.models import Acao, Indicacao, UnidadeOrcamentaria
from emendas.indicacoes.regras import TIPOS_POR_FORMA
from emendas.services import enviar_indicacao
from tests.conftest import Fabrica, logado, meio_dia

pytestmark = pytest.mark.django_db
Forma = Indicacao.FormaExecucao
Tipo = Convenente.Tipo


@pytest.fixture(autouse=True)
def _janela_livre():
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        yield


@pytest.fixture
def benef(db):
    """Um convenente de cada tipo, todos em Betim (a busca por município acha todos)."""
    return {
        t: Convenente.objects.create(cnpj=gerar_cnpj(700 + n), razao_social=f"Entidade {t.label}", municipio="Betim",
                                     tipo=t, codigo_escola="31000123" if t == Tipo.CAIXA_ESCOLAR else "")
        for n, t in enumerate(Tipo)
    }


@pytest.fixture
def incisos(exercicio, inciso, parlamentar, grupo_inv):
    """Um inciso onde cada forma é permitida: saúde (Resolução SES e as gerais), educação, transferência especial."""
    UnidadeOrcamentaria.objects.filter(pk=inciso.acao.uo_id).update(secretaria=UnidadeOrcamentaria.Secretaria.SAUDE)
    inciso.acao.uo.refresh_from_db()
    see = UnidadeOrcamentaria.objects.create(codigo="1261", nome="SEE",
                                             secretaria=UnidadeOrcamentaria.Secretaria.EDUCACAO)
    seg = UnidadeOrcamentaria.objects.create(codigo="1491", nome="SEGOV")
    fabrica = Fabrica(exercicio, inciso.acao, grupo_inv)
    fabrica.n = 50
    educacao = fabrica.inciso(parlamentar, acao=Acao.objects.create(uo=see, codigo="2041", nome="Escolas"))
    te = fabrica.inciso(parlamentar, acao=Acao.objects.create(uo=seg, codigo="2090", nome="TE", destino_livre=True))
    return {Forma.CAIXA_ESCOLAR: educacao, Forma.TRANSFERENCIA_ESPECIAL: te, "outras": inciso}


def _inciso_da_forma(incisos, forma):
    return incisos.get(forma, incisos["outras"])


def _enviar(parlamentar, incisos, forma, beneficiario):
    return enviar_indicacao(usuario=parlamentar.usuario, inciso=_inciso_da_forma(incisos, forma), forma_execucao=forma,
                            valor=Decimal("10.00"), beneficiario=beneficiario, objeto="Objeto")


# forma, um tipo aceito (None = sem beneficiário), um tipo recusado, o texto dos tipos aceitos na mensagem
CASOS = [
    (Forma.TRANSFERENCIA_ESPECIAL, Tipo.ADM_MUNICIPAL, Tipo.CONSORCIO_PUBLICO, "Tipos aceitos: Administração municipal."),
    (Forma.CAIXA_ESCOLAR, Tipo.CAIXA_ESCOLAR, Tipo.OSC, "Tipos aceitos: Caixa escolar."),
    (Forma.RESOLUCAO_SES, Tipo.FUNDO_MUNICIPAL_SAUDE, Tipo.ADM_MUNICIPAL, "Tipos aceitos: Fundo municipal de saúde."),
    (Forma.DOACAO_BENS, Tipo.CONSORCIO_PUBLICO, Tipo.ENTIDADE_PUBLICA,
     "Tipos aceitos: Administração municipal, Consórcio público, Organização da sociedade civil, Outro."),
    (Forma.CONVENIO, Tipo.OSC, Tipo.CAIXA_ESCOLAR,
     "Tipos aceitos: Administração municipal, Consórcio público, Entidade pública, Organização da sociedade civil, "
     "Outro."),
    (Forma.OUTROS_INSTRUMENTOS, Tipo.ENTIDADE_PUBLICA, Tipo.FUNDO_MUNICIPAL_SAUDE,
     "Tipos aceitos: Administração municipal, Consórcio público, Entidade pública, Organização da sociedade civil, "
     "Outro."),
    (Forma.EXECUCAO_DIRETA, None, Tipo.ADM_MUNICIPAL, "não tem beneficiário convenente"),
]


def test_a_tabela_tem_uma_linha_para_cada_forma_e_todo_tipo_serve_a_alguma():
    assert set(TIPOS_POR_FORMA) == set(Forma.values)
    assert {t for tipos in TIPOS_POR_FORMA.values() for t in tipos} == set(Tipo.values)


@pytest.mark.parametrize("forma, aceito, recusado, texto", CASOS)
def test_servico_aceita_o_tipo_da_forma_e_recusa_os_outros_nomeando_os_aceitos(
        forma, aceito, recusado, texto, benef, incisos, parlamentar):
    with pytest.raises(ValidationError) as erro:
        _enviar(parlamentar, incisos, forma, benef[recusado])
    mensagem = " ".join(erro.value.messages)
    assert texto in mensagem
    if aceito is not None:
        assert f"não aceita beneficiário do tipo “{recusado.label}”" in mensagem
    assert not Indicacao.objects.exists()
    ind = _enviar(parlamentar, incisos, forma, benef[aceito] if aceito else None)
    assert ind.beneficiario_id == (benef[aceito].pk if aceito else None)


@pytest.mark.parametrize("forma", [f for f in Forma.values if f != Forma.EXECUCAO_DIRETA])
def test_servico_exige_beneficiario_em_toda_forma_menos_execucao_direta(forma, incisos, parlamentar):
    with pytest.raises(ValidationError, match="Informe o beneficiário"):
        _enviar(parlamentar, incisos, forma, None)


def test_servico_confere_o_tipo_gravado_e_nao_o_do_objeto_recebido(benef, incisos, parlamentar):
    forjado = benef[Tipo.OSC]
    forjado.tipo = Tipo.ADM_MUNICIPAL  # só em memória
    with pytest.raises(ValidationError, match="Organização da sociedade civil"):
        _enviar(parlamentar, incisos, Forma.TRANSFERENCIA_ESPECIAL, forjado)
    assert not Indicacao.objects.exists()


def _nova(parlamentar, inciso, **dados):
    base = {"objeto": "Reforma", "valor_1": "10,00", "acao": "confirmar"}
    return logado(parlamentar.usuario).enviar(reverse("emendas:nova_indicacao", args=[inciso.pk]), {**base, **dados})


def test_tela_recusa_cnpj_forjado_de_tipo_errado_e_nao_grava(benef, incisos, parlamentar):
    escola = benef[Tipo.CAIXA_ESCOLAR]
    r = _nova(parlamentar, incisos["outras"], forma_execucao=Forma.CONVENIO, cnpj_1=escola.cnpj_formatado,
              cnpj_2=benef[Tipo.OSC].cnpj, valor_2="5,00")
    html = r.content.decode()
    assert r.status_code == 200
    assert "não aceita beneficiário do tipo “Caixa escolar”" in html and "Tipos aceitos: Administração municipal" in html
    assert not Indicacao.objects.exists()
    r = _nova(parlamentar, incisos[Forma.TRANSFERENCIA_ESPECIAL], forma_execucao=Forma.TRANSFERENCIA_ESPECIAL,
              cnpj_1=benef[Tipo.OSC].cnpj)
    assert "Tipos aceitos: Administração municipal." in r.content.decode() and not Indicacao.objects.exists()
    r = _nova(parlamentar, incisos[Forma.TRANSFERENCIA_ESPECIAL], forma_execucao=Forma.TRANSFERENCIA_ESPECIAL,
              cnpj_1=benef[Tipo.ADM_MUNICIPAL].cnpj)
    assert r.status_code == 302
    assert Indicacao.objects.get().beneficiario == benef[Tipo.ADM_MUNICIPAL]


def test_tela_de_execucao_direta_recusa_cnpj_e_aceita_sem_beneficiario(benef, incisos, parlamentar):
    r = _nova(parlamentar, incisos["outras"], forma_execucao=Forma.EXECUCAO_DIRETA,
              cnpj_1=benef[Tipo.ADM_MUNICIPAL].cnpj)
    assert "não tem beneficiário convenente" in r.content.decode() and not Indicacao.objects.exists()
    assert _nova(parlamentar, incisos["outras"], forma_execucao=Forma.EXECUCAO_DIRETA).status_code == 302
    assert Indicacao.objects.get().beneficiario is None


def _busca(parlamentar, htmx=True, **params):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    r = logado(parlamentar.usuario).get(reverse("emendas:buscar_beneficiarios"), {"q": "betim", **params}, **extra)
    assert r.status_code == 200
    return r


def _tipos(r):
    return {c.tipo for c in r.context["resultados"]}


@pytest.mark.parametrize("forma, aceito, recusado, texto", CASOS)
def test_busca_so_lista_os_beneficiarios_que_a_forma_aceita(forma, aceito, recusado, texto, benef, parlamentar):
    r = _busca(parlamentar, forma=forma)
    assert _tipos(r) == set(TIPOS_POR_FORMA[forma])
    html = r.content.decode()
    assert f"Entidade {recusado.label}" not in html
    if aceito is None:
        assert "não tem beneficiário convenente" in html
    else:
        assert f"Entidade {aceito.label}" in html


def test_busca_sem_forma_lista_todos_e_sem_javascript_guarda_a_forma(benef, parlamentar):
    assert _tipos(_busca(parlamentar)) == set(Tipo.values)
    assert _tipos(_busca(parlamentar, forma="INVENTADA")) == set(Tipo.values)
    r = _busca(parlamentar, htmx=False, forma=Forma.RESOLUCAO_SES)
    html = r.content.decode()
    assert "<html" in html and _tipos(r) == {Tipo.FUNDO_MUNICIPAL_SAUDE}
    assert f'<option value="{Forma.RESOLUCAO_SES}" selected>' in html


def test_busca_acha_a_escola_pelo_codigo(benef, parlamentar):
    r = _busca(parlamentar, q="31000123", forma=Forma.CAIXA_ESCOLAR)
    assert [c.pk for c in r.context["resultados"]] == [benef[Tipo.CAIXA_ESCOLAR].pk]
    assert "escola 31000123" in r.content.decode()


def test_tela_de_indicacao_leva_a_forma_escolhida_para_a_busca(incisos, parlamentar):
    cli = logado(parlamentar.usuario)
    url = reverse("emendas:nova_indicacao", args=[incisos[Forma.CAIXA_ESCOLAR].pk])
    html = cli.get(url).content.decode()
    # A busca já começa na primeira forma do inciso e oferece só as formas dele.
    busca = _select_da_busca(html)
    assert f'<option value="{Forma.CONVENIO}" selected>' in busca
    assert f'value="{Forma.CAIXA_ESCOLAR}"' in busca and f'value="{Forma.RESOLUCAO_SES}"' not in busca
    assert "<strong>Aplicação direta – Caixa Escolar</strong>: Caixa escolar" in html
    r = cli.enviar(url, {"forma_execucao": Forma.CAIXA_ESCOLAR, "objeto": "x", "cnpj_1": gerar_cnpj(999),
                       "valor_1": "1,00"})
    busca = _select_da_busca(r.content.decode())
    assert f'<option value="{Forma.CAIXA_ESCOLAR}" selected>' in busca and busca.count("selected") == 1


def _select_da_busca(html):
    inicio = html.index('id="forma-busca"')
    return html[inicio:html.index("</select>", inicio)]
