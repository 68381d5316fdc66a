"""Carga dos catálogos por CSV: tudo ou nada, erros linha a linha, prévia sem gravar, auditada."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from emendas.catalogo.carga import carregar_catalogo
from emendas.catalogo.selectors import catalogo_valido_para
from emendas.importacao.leitura import ErroImportacao
from emendas.models import EspecificacaoAtendimento, GeneroAtendimento, TipoAplicacao
from tests.conftest import logado

from .conftest import APLICACAO_CSV, ATENDIMENTO_CSV

pytestmark = pytest.mark.django_db


def nomes(especificacoes):
    return {(e.categoria.genero.nome, e.categoria.nome, e.nome) for e in especificacoes}


def test_carga_boa_monta_o_catalogo_de_cada_grupo_e_audita(catalogo, segov):
    inv, odc = catalogo_valido_para(catalogo["inv"]), catalogo_valido_para(catalogo["odc"].pk)
    assert nomes(inv.especificacoes) == {("REFORMA OU OBRA", "Construção", "Prédio Público"),
                                         ("REFORMA OU OBRA", "Reforma", "Mercado Municipal"),
                                         ("AQUISIÇÃO DE BENS", "Permanente", "Mobiliário")}
    # "AQUISIÇÃO DE BENS – Consumo" só no custeio (DOMAIN.md §2.12)
    assert ("AQUISIÇÃO DE BENS", "Consumo", "Gêneros Alimentícios") in nomes(odc.especificacoes)
    assert [t.nome for t in odc.tipos_aplicacao] == ["Capacitação"]
    assert len(inv.tipos_aplicacao) == 2
    assert GeneroAtendimento.objects.filter(nome="AQUISIÇÃO DE BENS").count() == 1  # um gênero em dois grupos
    assert [n for n, _ in inv.generos()] and len(inv.categorias(inv.generos()[0][0])) >= 1
    acoes = set(RegistroAuditoria.objects.values_list("acao", flat=True))
    assert {"catalogo.carregar_atendimento", "catalogo.carregar_aplicacao"} <= acoes


def test_seletor_com_grupo_vazio_ou_desconhecido_da_catalogo_vazio(db):
    assert not catalogo_valido_para(None).tem("atendimento")
    assert catalogo_valido_para(999).especificacoes == []


@pytest.mark.parametrize("conteudo, erro", [
    ("grupo_despesa;genero;categoria;especificacao\n9;X;Y;Z\n", "Linha 2, campo “grupo_despesa”: grupo de despesa “9”"),
    ("grupo_despesa;genero;categoria;especificacao\n4;X;;Z\n", "Linha 2, campo “categoria”: campo obrigatório"),
    ("grupo_despesa;genero;categoria\n4;X;Y\n", "cabeçalho inválido"),
    ("grupo_despesa;genero;categoria;especificacao\n4;X;Y;Z\n4;x;y ;z\n", "Linha 3: linha repetida (igual à linha 2)"),
    ("grupo_despesa;genero;categoria;especificacao\n4;X;Y;" + "Z" * 201 + "\n", "no máximo 200 caracteres"),
    ("grupo_despesa;genero;categoria;especificacao\n", "nenhuma linha de dados"),
])
def test_carga_ruim_nao_grava_nada_e_diz_a_linha(catalogo, segov, conteudo, erro):
    antes = list(EspecificacaoAtendimento.objects.order_by("pk").values_list("pk", "ativa"))
    with pytest.raises(ErroImportacao) as exc:
        carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=conteudo.encode())
    assert any(erro in str(e) for e in exc.value.erros), exc.value.erros
    assert list(EspecificacaoAtendimento.objects.order_by("pk").values_list("pk", "ativa")) == antes


def test_uma_linha_ruim_entre_boas_tambem_nao_grava_nada(grupo_inv, segov):
    conteudo = ATENDIMENTO_CSV.replace("3;SERVIÇOS", "7;SERVIÇOS")
    with pytest.raises(ErroImportacao) as exc:
        carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=conteudo.encode())
    assert [e.linha for e in exc.value.erros] == [5, 6]  # o GD 3 também não existe aqui: todas as linhas ditas
    assert not EspecificacaoAtendimento.objects.exists() and not GeneroAtendimento.objects.exists()


def test_nova_carga_desativa_o_que_saiu_reativa_o_que_voltou_e_troca_os_grupos(catalogo, segov):
    menor = "grupo_despesa;genero;categoria;especificacao\n4;reforma ou obra;Reforma;Mercado Municipal\n" \
            "3;REFORMA OU OBRA;Reforma;Mercado Municipal\n"
    r = carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=menor.encode())
    assert (r.criados, r.alterados, len(r.desativados)) == (0, 1, 4)
    mercado = EspecificacaoAtendimento.objects.get(nome="Mercado Municipal")
    assert set(mercado.grupos_despesa.values_list("codigo", flat=True)) == {"3", "4"}
    assert mercado.categoria.genero.nome == "REFORMA OU OBRA"  # a grafia cadastrada fica
    assert EspecificacaoAtendimento.objects.filter(ativa=True).count() == 1
    r = carregar_catalogo(usuario=segov, tipo="atendimento", conteudo=ATENDIMENTO_CSV.encode())
    assert r.reativados == 4 and EspecificacaoAtendimento.objects.filter(ativa=True).count() == 5
    assert set(mercado.grupos_despesa.values_list("codigo", flat=True)) == {"4"}


def test_previa_faz_e_desfaz(grupo_inv, grupo_odc, segov):
    r = carregar_catalogo(usuario=segov, tipo="aplicacao", conteudo=APLICACAO_CSV.encode(), simular=True)
    assert r.simulado and r.criados == 3 and [l["situacao"] for l in r.linhas] == ["nova"] * 3
    assert not TipoAplicacao.objects.exists() and not RegistroAuditoria.objects.filter(
        acao__startswith="catalogo.").exists()


def test_so_quem_carrega_dados_carrega_o_catalogo(parlamentar, grupo_inv):
    with pytest.raises(PermissionDenied):
        carregar_catalogo(usuario=parlamentar.usuario, tipo="aplicacao", conteudo=APLICACAO_CSV.encode())


def _arquivo(texto, nome="catalogo.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nome, texto.encode(), content_type="text/csv")


def test_tela_de_carga_previa_e_confirmacao(segov, grupo_inv, grupo_odc):
    c = logado(segov)
    url = reverse("emendas:carga_catalogo")
    assert "Carregar catálogo por CSV" in c.get(url).content.decode()
    r = c.enviar(url, {"tipo": "atendimento", "arquivo": _arquivo(ATENDIMENTO_CSV)})
    html = r.content.decode()
    assert "Prévia: Tipos de atendimento (nada foi gravado ainda)" in html and "Mercado Municipal" in html
    assert not EspecificacaoAtendimento.objects.exists()
    conteudo = r.context["confirmacao"].initial["conteudo"]
    r = c.enviar(url, {"confirmar": "1", "tipo": "atendimento", "conteudo": conteudo}, follow=True)
    assert "Catálogo “Tipos de atendimento” carregado: 5 linhas; 5 novos" in r.content.decode()
    assert EspecificacaoAtendimento.objects.count() == 5
    assert "Prédio Público" in c.get(reverse("emendas:catalogo")).content.decode()


def test_tela_de_carga_com_arquivo_ruim_lista_os_erros_e_nao_grava(segov, grupo_inv):
    c = logado(segov)
    r = c.enviar(reverse("emendas:carga_catalogo"),
                 {"tipo": "aplicacao", "arquivo": _arquivo("grupo_despesa;tipo_aplicacao\n4;Kit\n8;Outro\n")})
    html = r.content.decode()
    assert "Nada foi gravado" in html and "Linha 3, campo “grupo_despesa”" in html
    assert not TipoAplicacao.objects.exists()


def test_confirmacao_com_conteudo_corrompido_e_recusada(segov, grupo_inv):
    r = logado(segov).enviar(reverse("emendas:carga_catalogo"),
                             {"confirmar": "1", "tipo": "aplicacao", "conteudo": "%%%não-base64"})
    assert r.status_code == 200 and not TipoAplicacao.objects.exists()
    assert "O conteúdo da prévia veio corrompido" in r.content.decode()
