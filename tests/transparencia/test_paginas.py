"""As páginas públicas sem login: busca com filtros, página da indicação (valores, escada, impedimento), município."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from emendas import services as em
from sigcon.dinheiro import formatar_brl
from tests.fabricas import lote_das_paginas

pytestmark = pytest.mark.django_db


def _texto(resposta) -> str:
    assert resposta.status_code == 200, resposta.status_code
    return re.sub(r"\s+", " ", resposta.content.decode())


def _numeros(resposta) -> set[int]:
    return {int(n) for n in re.findall(r'href="/transparencia/indicacoes/\d+/(\d+)/"', resposta.content.decode())}


def test_anonimo_abre_a_busca_e_ve_todas_as_indicacoes(client, publico):
    texto = _texto(client.get(reverse("transparencia:busca")))
    assert "4 indicações" in texto
    assert "Instituto Vida Nova" in texto and "Prefeitura Municipal de Itabira" in texto
    assert "execução direta pelo órgão" in texto
    totais = re.search(r"<p class=\"mb-2\" data-totais>(.*?)</p>", texto).group(1)
    # Indicado: as quatro; aprovado: só a aprovada pela SEGOV.
    assert f"indicado <strong>{formatar_brl(Decimal('426234.56'))}</strong>" in totais
    assert f"aprovado <strong>{formatar_brl(Decimal('300000.00'))}</strong>" in totais


@pytest.mark.parametrize("parametros, esperadas", [
    ({"situacao": "APROVADA"}, {"aprovada"}),
    ({"situacao": "REPROVADA"}, {"reprovada"}),
    ({"forma": "EXECUCAO_DIRETA"}, {"direta"}),
    ({"municipio": "Ouro Preto"}, {"do_mei"}),
    ({"q": "ambulância"}, {"direta"}),
    ({"q": "Itabira"}, {"reprovada"}),
])
def test_cada_filtro_restringe_a_lista(client, publico, parametros, esperadas):
    resposta = client.get(reverse("transparencia:busca"), parametros)
    assert _numeros(resposta) == {publico[n].numero for n in esperadas}


def test_filtros_por_exercicio_autor_orgao_e_cnpj(client, publico, outro_parlamentar, uo_saude):
    url = reverse("transparencia:busca")
    ano = publico["exercicio"].ano
    assert len(_numeros(client.get(url, {"ano": ano}))) == 4
    assert _numeros(client.get(url, {"autor": f"p{outro_parlamentar.pk}"})) == {publico["do_mei"].numero}
    assert len(_numeros(client.get(url, {"orgao": uo_saude.pk}))) == 4
    assert _numeros(client.get(url, {"q": publico["vida"].cnpj[:8]})) == {publico["aprovada"].numero}
    assert _numeros(client.get(url, {"q": str(publico["reprovada"].numero)})) >= {publico["reprovada"].numero}


def test_filtro_invalido_mostra_o_erro_e_nao_lista(client, publico):
    resposta = client.get(reverse("transparencia:busca"), {"ano": "1999"})
    texto = _texto(resposta)
    assert "Corrija os filtros" in texto and _numeros(resposta) == set()


def test_busca_por_cpf_ou_email_nao_pergunta_ao_banco_pelo_texto_oculto(client, publico):
    from tests.transparencia.cenario import CPF_NO_OBJETO, EMAIL_NO_OBJETO

    # Só o CPF (ou o e-mail) na busca: ele é retirado e a busca fica sem texto, como se viesse vazia.
    assert len(_numeros(client.get(reverse("transparencia:busca"), {"q": CPF_NO_OBJETO}))) == 4
    assert len(_numeros(client.get(reverse("transparencia:busca"), {"q": EMAIL_NO_OBJETO}))) == 4


def test_pagina_da_indicacao_aprovada_mostra_valores_convenio_e_escada(client, publico):
    ind = publico["aprovada"]
    texto = _texto(client.get(reverse("transparencia:indicacao", args=[ind.exercicio.ano, ind.numero])))
    assert f"Indicação nº {ind.numero}/{ind.exercicio.ano}" in texto
    assert "Ana Lacerda" in texto and "Instituto Vida Nova" in texto and publico["vida"].cnpj_formatado in texto
    # Utilizado: o controle de execução do convênio vigente (automático, o que a proposta usa da indicação).
    for rotulo, valor in (("Indicado", "300000.00"), ("Aprovado", "300000.00"), ("Em convênio", "200000.00"),
                          ("Utilizado", "200000.00"), ("Liberado", "50000.00")):
        celula = re.escape(formatar_brl(Decimal(valor)))
        assert re.search(rf"<th scope=\"row\">{rotulo}</th><td class=\"valor\">{celula}", texto), rotulo
    for passo in ("Enviada pelo autor", "Aprovada pelo órgão", "Aprovada pela SEGOV",
                  "Em proposta de plano de trabalho / convênio", "Recursos liberados"):
        assert f"<strong>{passo}</strong>" in texto
    assert "(pendente" not in texto and "em andamento" not in texto
    assert f"nº {publico['proposta'].pk}" in texto and "Vigente" in texto
    assert "Reforma da sede" in texto


def test_pagina_da_indicacao_reprovada_mostra_categoria_e_justificativa(client, publico):
    ind = publico["reprovada"]
    texto = _texto(client.get(reverse("transparencia:indicacao", args=[ind.exercicio.ano, ind.numero])))
    assert "Impedimento de ordem técnica: Ausência de projeto de engenharia" in texto
    assert "Sem projeto; responsável CPF [CPF omitido], e-mail [e-mail omitido]" in texto
    assert "Reprovada por impedimento de ordem técnica</strong>" in texto


def test_pagina_da_indicacao_em_analise_mostra_o_passo_atual(client, publico):
    ind = publico["do_mei"]
    texto = _texto(client.get(reverse("transparencia:indicacao", args=[ind.exercicio.ano, ind.numero])))
    assert 'aria-current="step"' in texto and "em andamento: Em análise na SEGOV" in texto
    assert "JOAO DA SILVA [CPF omitido]" in texto


def test_indicacao_ou_municipio_que_nao_existe_da_404(client, publico):
    ano = publico["exercicio"].ano
    assert client.get(reverse("transparencia:indicacao", args=[ano, 9999])).status_code == 404
    assert client.get(reverse("transparencia:municipio", args=["Atlântida"])).status_code == 404


def test_pagina_do_municipio_soma_por_exercicio(client, publico):
    texto = _texto(client.get(reverse("transparencia:municipio", args=["Mariana"])))
    assert "Indicações para entidades de Mariana" in texto
    for valor in ("300000.00", "200000.00", "50000.00"):
        assert formatar_brl(Decimal(valor)) in texto
    assert "Itabira" not in texto


def test_lista_de_municipios(client, publico):
    texto = _texto(client.get(reverse("transparencia:municipios")))
    for nome in ("Itabira", "Mariana", "Ouro Preto"):
        assert f'href="/transparencia/municipios/{nome.replace(" ", "%20")}/"' in texto


def test_quem_entrou_tambem_ve_e_tem_o_link_no_menu(publico):
    cliente = Client()
    cliente.force_login(publico["segov"])
    texto = _texto(cliente.get(reverse("transparencia:busca")))
    assert "4 indicações" in texto and 'class="nav-link" href="/transparencia/">Transparência</a>' in texto


def test_link_transparencia_na_entrada_e_no_rodape_para_quem_nao_entrou(client):
    texto = _texto(client.get(reverse("login")))
    assert texto.count('href="/transparencia/"') >= 2 and 'href="/dados-abertos/"' in texto


def test_post_nas_paginas_publicas_e_recusado(client, publico):
    assert client.post(reverse("transparencia:busca")).status_code == 405


def consultas_fora_do_cache(contexto) -> list[str]:
    """As consultas de um pedido, sem as do cache e do limite de pedidos (a tabela de cache do banco nos testes)."""
    transacao = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    return [q["sql"] for q in contexto.captured_queries
            if "sigcon_cache" not in q["sql"] and not q["sql"].startswith(transacao)]


@pytest.mark.parametrize("n", [30, 90])
def test_consultas_da_busca_nao_crescem_com_as_indicacoes(client, publico, n, parlamentar, outro_parlamentar,
                                                          acao_saude, grupo_inv):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from emendas.models import Bloco

    bloco = Bloco.objects.create(nome="Bloco da Transparência", responsavel=outro_parlamentar)
    lote_das_paginas(exercicio=publico["exercicio"], parlamentar=parlamentar, bloco=bloco, acoes=[acao_saude],
                     grupo=grupo_inv, usuario=publico["ana"], beneficiario=publico["vida"], n=n)
    # O primeiro pedido da versão: a versão, as 5 das escolhas dos filtros, os totais, os ids da página, as
    # colunas deles, os 3 dos convênios e a do controle de execução.
    with CaptureQueriesContext(connection) as primeiro:
        resposta = client.get(reverse("transparencia:busca"))
    assert resposta.status_code == 200 and len(_numeros(resposta)) == 50
    assert len(consultas_fora_do_cache(primeiro)) == 13, consultas_fora_do_cache(primeiro)
    # O segundo, na mesma versão: só a versão; o resto sai do cache.
    with CaptureQueriesContext(connection) as segundo:
        assert _numeros(client.get(reverse("transparencia:busca"))) == _numeros(resposta)
    assert len(consultas_fora_do_cache(segundo)) == 1, consultas_fora_do_cache(segundo)


def test_mudanca_aparece_na_hora_mesmo_com_cache(client, publico):
    ind = publico["do_mei"]
    url = reverse("transparencia:indicacao", args=[ind.exercicio.ano, ind.numero])
    assert "Em análise na SEGOV" in _texto(client.get(url))
    em.aprovar_indicacao_segov(usuario=publico["segov"], indicacao=ind)
    texto = _texto(client.get(url))
    assert 'data-situacao="APROVADA"' in texto
    assert "4 indicações" in _texto(client.get(reverse("transparencia:busca")))


def test_municipio_com_barra_ou_vazio_nao_quebra_as_paginas(client, publico):
    from convenios.models import Convenente

    Convenente.objects.filter(pk=publico["mei"].pk).update(municipio="Belo Horizonte/MG")
    Convenente.objects.filter(pk=publico["vida"].pk).update(municipio="")
    assert "4 indicações" in _texto(client.get(reverse("transparencia:busca")))
    texto = _texto(client.get(reverse("transparencia:municipios")))
    assert 'href="/transparencia/municipios/Belo%20Horizonte/MG/"' in texto
    assert "Indicações para entidades de Belo Horizonte/MG" in _texto(
        client.get(reverse("transparencia:municipio", args=["Belo Horizonte/MG"])))
    ind = publico["aprovada"]
    assert "Instituto Vida Nova" in _texto(client.get(reverse("transparencia:indicacao",
                                                              args=[ind.exercicio.ano, ind.numero])))
