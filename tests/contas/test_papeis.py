"""A tabela de papéis (contas/papeis.py) é o que vale no banco e no admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from contas import papeis, perfis
from tests.conftest import criar_usuario, logado

pytestmark = pytest.mark.django_db


def permissoes_no_banco(grupo: str) -> set[tuple[str, str]]:
    return set(Group.objects.get(name=grupo).permissions.values_list("content_type__app_label", "codename"))


@pytest.fixture
def segov_no_admin(segov):
    segov.is_staff = True
    segov.save(update_fields=["is_staff"])
    return logado(segov)


def test_permissoes_de_cada_grupo_no_banco_sao_exatamente_as_da_tabela():
    # O banco de testes passou pelo migrate: o post_migrate aplicou a tabela.
    for grupo in perfis.TODOS:
        assert permissoes_no_banco(grupo) == papeis.permissoes_esperadas(grupo), grupo


def test_toda_permissao_da_tabela_existe_e_todo_modelo_do_admin_tem_linha_na_tabela():
    acoes_validas = {"view", "add", "change", "delete"}
    for rotulo, por_grupo in papeis.PERMISSOES_NO_ADMIN.items():
        apps.get_model(rotulo)  # LookupError se a linha nomeia um modelo que não existe
        assert set(por_grupo) <= set(perfis.TODOS), rotulo
        for acoes in por_grupo.values():
            assert set(acoes) <= acoes_validas, rotulo
    for grupo in perfis.TODOS:
        for app_label, codename in papeis.permissoes_esperadas(grupo):
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), codename
    no_admin = {m._meta.label_lower for m in admin.site._registry}
    assert no_admin - set(papeis.PERMISSOES_NO_ADMIN) == set(), "modelo novo no admin: declare-o em contas/papeis.py"


def test_ninguem_alem_do_superusuario_tem_permissao_em_usuarios_grupos_e_permissoes():
    for grupo in perfis.TODOS:
        assert not {(a, c) for a, c in permissoes_no_banco(grupo) if a in ("auth", "contas")}, grupo


def test_so_segov_tem_permissoes_no_admin_e_a_caixa_de_saida_so_se_le():
    for grupo in set(perfis.TODOS) - {perfis.SEGOV}:
        assert permissoes_no_banco(grupo) == set(), grupo
    assert {c for a, c in permissoes_no_banco(perfis.SEGOV) if a == "notificacoes"} == {"view_emailpendente"}


def test_aplicar_papeis_tira_o_que_foi_dado_a_mais_e_devolve_o_que_falta():
    grupo = Group.objects.get(name=perfis.SEGOV)
    grupo.permissions.add(Permission.objects.get(codename="change_usuario"))
    grupo.permissions.remove(Permission.objects.get(codename="view_inciso"))
    Group.objects.get(name=perfis.ORGAO).permissions.add(Permission.objects.get(codename="delete_emailpendente"))
    papeis.aplicar_papeis()
    assert permissoes_no_banco(perfis.SEGOV) == papeis.permissoes_esperadas(perfis.SEGOV)
    assert permissoes_no_banco(perfis.ORGAO) == set()


def test_segov_nao_altera_usuario_nem_grupo_no_admin(segov_no_admin, segov, usuario_parlamentar):
    url = reverse("admin:contas_usuario_change", args=[segov.pk])
    assert segov_no_admin.get(url).status_code == 403
    r = segov_no_admin.post(url, {"email": segov.email, "is_active": "on", "is_staff": "on", "is_superuser": "on"})
    assert r.status_code == 403
    segov.refresh_from_db()
    assert not segov.is_superuser
    assert segov_no_admin.get(reverse("admin:auth_group_changelist")).status_code == 403
    grupo = Group.objects.get(name=perfis.SEGOV)
    assert segov_no_admin.get(reverse("admin:auth_group_change", args=[grupo.pk])).status_code == 403


def test_segov_nao_troca_a_conta_ligada_ao_parlamentar(segov_no_admin, parlamentar, outro_parlamentar):
    livre = criar_usuario("livre@almg.test")
    url = reverse("admin:emendas_parlamentar_change", args=[parlamentar.pk])
    dados = {"nome": "Ana L.", "usuario": livre.pk}
    for inline in segov_no_admin.get(url).context["inline_admin_formsets"]:
        prefixo = inline.formset.prefix
        dados.update({f"{prefixo}-TOTAL_FORMS": "0", f"{prefixo}-INITIAL_FORMS": "0"})
    r = segov_no_admin.post(url, dados)
    assert r.status_code == 302, r.content.decode()[:2000]
    parlamentar.refresh_from_db()
    assert (parlamentar.nome, parlamentar.usuario.email) == ("Ana L.", "ana@almg.test")


def test_segov_ve_os_cadastros_mas_nao_apaga_dinheiro(segov_no_admin, inciso):
    assert segov_no_admin.get(reverse("admin:emendas_exercicio_changelist")).status_code == 200
    assert segov_no_admin.get(reverse("admin:emendas_inciso_change", args=[inciso.pk])).status_code == 200
    assert segov_no_admin.get(reverse("admin:emendas_inciso_delete", args=[inciso.pk])).status_code == 403
    assert segov_no_admin.get(reverse("admin:emendas_exercicio_delete", args=[inciso.exercicio_id])).status_code == 403
