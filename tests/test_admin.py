"""Toda página de lista e de inclusão do admin abre para um administrador (nada quebrado)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_todas_as_telas_do_admin_abrem(client, django_user_model, inciso):
    su = django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")
    client.force_login(su)
    for modelo, modelo_admin in admin.site._registry.items():
        info = (modelo._meta.app_label, modelo._meta.model_name)
        r = client.get(reverse("admin:%s_%s_changelist" % info), {"q": "a"})
        assert r.status_code == 200, info
        if modelo_admin.has_add_permission(r.wsgi_request):
            assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200, info
    r = client.get(reverse("admin:emendas_inciso_change", args=[inciso.pk]))
    assert r.status_code == 200


def test_segov_entra_no_admin_e_ve_os_cadastros(client, segov):
    # As permissões do grupo vêm de contas/papeis.py, aplicadas pelo migrate do banco de testes.
    segov.is_staff = True
    segov.save()
    client.force_login(segov)
    assert client.get(reverse("admin:emendas_exercicio_changelist")).status_code == 200
    assert client.get(reverse("admin:contas_usuario_changelist")).status_code == 403
