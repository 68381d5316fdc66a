"""Telas da auditoria e dos vínculos: a SEGOV vê e exporta; os demais perfis recebem 403."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from auditoria.models import RegistroAuditoria
from auditoria.services import registrar
from contas import perfis
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas.services import solicitar_remanejamento
from tests.conftest import SENHA, criar_usuario, logado, meio_dia

pytestmark = pytest.mark.django_db
M = Decimal


@pytest.fixture
def remanejamento(programacoes, inciso, parlamentar, acao_saude_2, grupo_inv):
    with time_machine.travel(meio_dia(date(2019, 2, 1)), tick=False):
        return solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                       grupo_despesa=grupo_inv, valor=M("100.00"))


def test_segov_ve_a_auditoria_na_pagina_do_remanejamento_e_do_inciso(remanejamento, segov, parlamentar):
    url = reverse("emendas:remanejamento", args=[remanejamento.pk])
    pagina = logado(segov).get(url).content.decode()
    assert 'id="titulo-auditoria"' in pagina and "remanejamento.solicitar" in pagina
    assert 'id="titulo-auditoria"' not in logado(parlamentar.usuario).get(url).content.decode()
    url_inciso = reverse("emendas:inciso", args=[remanejamento.inciso_origem_id])
    assert 'id="titulo-auditoria"' in logado(segov).get(url_inciso).content.decode()


def test_segov_ve_a_auditoria_na_pagina_da_indicacao_e_da_proposta(inciso, parlamentar, analista_orgao, segov):
    from convenios.services import gerar_proposta
    from tests.fabricas import cenario_convenio

    conv, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                          segov=segov)
    proposta = gerar_proposta(usuario=usuario, convenente=conv, indicacoes={ind: M("10.00")}, objeto="Reforma")
    cliente = logado(segov)
    pagina_ind = cliente.get(reverse("emendas:indicacao", args=[ind.pk])).content.decode()
    assert 'id="titulo-auditoria"' in pagina_ind and "indicacao.aprovar_segov" in pagina_ind
    pagina_prop = cliente.get(reverse("convenios:proposta", args=[proposta.pk])).content.decode()
    assert 'id="titulo-auditoria"' in pagina_prop and "proposta.gerar" in pagina_prop
    assert 'id="titulo-auditoria"' not in logado(usuario).get(reverse("convenios:proposta", args=[proposta.pk])).content.decode()


def test_a_tela_da_auditoria_filtra_por_objeto_e_acao(remanejamento, segov):
    registrar(acao="conta.login_falhou", depois={"email": "x@y.test"})
    tipo = ContentType.objects.get_for_model(remanejamento)
    r = logado(segov).get(reverse("auditoria:lista"), {"tipo": tipo.pk, "id_objeto": remanejamento.pk})
    assert r.status_code == 200
    assert [x.acao for x in r.context["pagina"].object_list] == ["remanejamento.solicitar"]
    r = logado(segov).get(reverse("auditoria:lista"), {"acao": "conta.login"})
    assert [x.acao for x in r.context["pagina"].object_list] == ["conta.login_falhou"]


def test_a_lista_da_auditoria_nao_faz_uma_consulta_por_linha(segov, django_assert_max_num_queries):
    cliente = logado(segov)
    for n in (3, 30):
        for _ in range(n):
            registrar(acao="teste.massa", objeto=segov, usuario=segov, depois={"n": n})
        with django_assert_max_num_queries(12):
            assert cliente.get(reverse("auditoria:lista"), {"acao": "teste."}).status_code == 200


def test_csv_da_auditoria_com_filtro_e_sem_formulas(segov):
    perigoso = Convenente.objects.create(cnpj=gerar_cnpj(5), razao_social="=HYPERLINK(\"http://x\")", municipio="Betim")
    registrar(acao="convenente.teste", objeto=perigoso, usuario=segov, antes={"a": 1}, depois={"a": 2})
    registrar(acao="outra.coisa")
    r = logado(segov).get(reverse("auditoria:csv"), {"acao": "convenente."})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    linhas = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert linhas[0][:5] == ["Registro", "Momento", "Usuário", "IP", "Ação"]
    (linha,) = linhas[1:]
    assert linha[2] == "segov@segov.test" and linha[4] == "convenente.teste"
    assert linha[7].startswith("'=HYPERLINK")
    assert (linha[8], linha[9]) == ('{"a": 1}', '{"a": 2}')


PAGINAS_SEGOV = [
    ("auditoria:lista", []), ("auditoria:csv", []), ("vinculos:uos", []), ("vinculos:convenentes", []),
]


@pytest.mark.parametrize("perfil", [perfis.PARLAMENTAR, perfis.ORGAO, perfis.CONVENENTE, perfis.VISUALIZADOR])
def test_outros_perfis_recebem_403(perfil, uo_saude):
    conv = Convenente.objects.create(cnpj=gerar_cnpj(6), razao_social="OSC", municipio="Betim")
    cliente = logado(criar_usuario(f"{perfil[:4].lower()}@teste.test", perfil))
    urls = [reverse(n) for n, _ in PAGINAS_SEGOV] + [
        reverse("vinculos:uo", args=[uo_saude.pk]), reverse("vinculos:convenente", args=[conv.pk])]
    for url in urls:
        assert cliente.get(url).status_code == 403, url
    assert cliente.enviar(reverse("vinculos:uo", args=[uo_saude.pk]), {"adicionar": "x@y.test"}).status_code == 403
    assert not RegistroAuditoria.objects.filter(acao="uo.analistas").exists()


def test_menu_da_segov_leva_as_telas_novas(segov):
    pagina = logado(segov).get(reverse("inicio")).content.decode()
    for nome in ("auditoria:lista", "vinculos:uos", "vinculos:convenentes"):
        assert f'href="{reverse(nome)}"' in pagina


# --- Analistas das UOs e usuários dos convenentes ----------------------------------------------------

def test_segov_inclui_e_retira_analista_da_uo_e_a_auditoria_guarda_antes_e_depois(segov, analista_orgao, uo_saude):
    novo = criar_usuario("novo@orgao.test", perfis.ORGAO)
    cliente = logado(segov)
    url = reverse("vinculos:uo", args=[uo_saude.pk])
    assert "analista@saude.test" in cliente.get(url).content.decode()
    r = cliente.enviar(url, {"adicionar": "NOVO@orgao.test", "remover": [analista_orgao.pk]}, REMOTE_ADDR="10.2.2.2")
    assert r.status_code == 302
    assert list(uo_saude.analistas.values_list("email", flat=True)) == ["novo@orgao.test"]
    (reg,) = RegistroAuditoria.objects.filter(acao="uo.analistas")
    assert reg.antes == {"analistas": ["analista@saude.test"]} and reg.depois == {"analistas": ["novo@orgao.test"]}
    assert (reg.usuario, reg.ip, reg.id_objeto) == (segov, "10.2.2.2", str(uo_saude.pk))
    assert "uo.analistas" in cliente.get(url).content.decode()  # a auditoria aparece na própria página


@pytest.mark.parametrize("email, mensagem", [
    ("ninguem@x.test", "Nenhum usuário com o e-mail ninguem@x.test"),
    ("ana@almg.test", "não tem o perfil “Órgão”"),
    ("analista@saude.test", "Nada mudou"),
])
def test_vinculo_invalido_e_recusado_com_mensagem_e_nada_muda(segov, analista_orgao, uo_saude, parlamentar,
                                                              email, mensagem):
    r = logado(segov).enviar(reverse("vinculos:uo", args=[uo_saude.pk]), {"adicionar": email})
    assert r.status_code == 200 and mensagem in r.content.decode()
    assert list(uo_saude.analistas.all()) == [analista_orgao]
    assert not RegistroAuditoria.objects.filter(acao="uo.analistas").exists()


def test_segov_vincula_usuario_ao_convenente(segov, convenente):
    conv = Convenente.objects.create(cnpj=gerar_cnpj(9), razao_social="Prefeitura de Betim", municipio="Betim")
    cliente = logado(segov)
    lista = cliente.get(reverse("vinculos:convenentes"), {"q": "betim"}).content.decode()
    assert "Prefeitura de Betim" in lista
    r = cliente.enviar(reverse("vinculos:convenente", args=[conv.pk]), {"adicionar": "prefeitura@conv.test"})
    assert r.status_code == 302 and list(conv.usuarios.all()) == [convenente]
    (reg,) = RegistroAuditoria.objects.filter(acao="convenente.usuarios")
    assert (reg.antes, reg.depois) == ({"usuarios": []}, {"usuarios": ["prefeitura@conv.test"]})


# --- O admin só mostra ---------------------------------------------------------------------------

def test_ninguem_altera_nem_apaga_registro_pelo_admin(django_user_model, segov):
    admin = django_user_model.objects.create_superuser(email="ti@sigcon.test", password=SENHA, nome="TI")
    reg = registrar(acao="teste.admin")
    cliente = logado(admin)
    assert cliente.get(reverse("admin:auditoria_registroauditoria_changelist")).status_code == 200
    assert cliente.get(reverse("admin:auditoria_registroauditoria_change", args=[reg.pk])).status_code == 200
    assert cliente.post(reverse("admin:auditoria_registroauditoria_change", args=[reg.pk]),
                        {"acao": "teste.forjado"}).status_code == 403
    assert cliente.post(reverse("admin:auditoria_registroauditoria_delete", args=[reg.pk]),
                        {"post": "yes"}).status_code == 403
    reg.refresh_from_db()
    assert reg.acao == "teste.admin"
