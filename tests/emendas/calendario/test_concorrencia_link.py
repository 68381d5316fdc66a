"""Vários "Gerar link" do mesmo usuário ao mesmo tempo (duplo clique, duas abas): todos terminam e fica um ativo só."""

import pytest
from django.test import Client
from django.urls import reverse

from emendas import services as em
from emendas.models import LinkCalendario
from tests.concorrencia import em_paralelo, so_no_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_geracoes_simultaneas_deixam_um_link_ativo(parlamentar):
    so_no_postgres()
    usuario = parlamentar.usuario
    tokens = em_paralelo([lambda: em.gerar_link_calendario(usuario=usuario) for _ in range(4)])
    assert all(isinstance(t, str) for t in tokens), tokens
    assert LinkCalendario.objects.filter(usuario=usuario).count() == 4
    assert LinkCalendario.objects.filter(usuario=usuario, revogado_em__isnull=True).count() == 1
    abrem = [t for t in tokens if Client().get(reverse("calendario:ics", kwargs={"token": t})).status_code == 200]
    assert len(abrem) == 1
