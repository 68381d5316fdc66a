"""No admin, dinheiro, titular, programação do inciso e situações são somente leitura, até para o superusuário."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from emendas.models import Emenda, Inciso

pytestmark = pytest.mark.django_db


@pytest.fixture
def raiz(django_user_model):
    return django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")


def test_superusuario_nao_muda_valor_acao_nem_emenda_do_inciso(client, raiz, inciso, acao_saude_2, grupo_odc,
                                                               fabrica, outro_parlamentar):
    outra_emenda = fabrica.inciso(outro_parlamentar, "1.00").emenda
    client.force_login(raiz)
    url = reverse("admin:emendas_inciso_change", args=[inciso.pk])
    r = client.post(url, {"numero": "S999", "valor_inicial": "1", "acao": acao_saude_2.pk,
                          "grupo_despesa": grupo_odc.pk, "emenda": outra_emenda.pk})
    assert r.status_code in (200, 302)
    inciso.refresh_from_db()
    assert (inciso.numero, inciso.valor_inicial, inciso.acao_id, inciso.grupo_despesa_id, inciso.emenda_id) == (
        "S501", Decimal("1000000.00"), fabrica.acao.pk, fabrica.grupo.pk, Emenda.objects.get(parlamentar__isnull=False,
                                                                                               incisos=inciso).pk)
    assert inciso.emenda.parlamentar.nome == "Ana Lacerda"


def test_superusuario_nao_cria_inciso_pelo_admin(client, raiz, exercicio, acao_saude, grupo_inv, parlamentar):
    emenda = Emenda.objects.create(exercicio=exercicio, numero=1, parlamentar=parlamentar)
    client.force_login(raiz)
    r = client.post(reverse("admin:emendas_inciso_add"), {"numero": "S1", "emenda": emenda.pk, "acao": acao_saude.pk,
                                                          "grupo_despesa": grupo_inv.pk, "valor_inicial": "10"})
    assert r.status_code == 403
    assert not Inciso.objects.exists()


def test_superusuario_nao_troca_o_titular_da_emenda(client, raiz, inciso, outro_parlamentar):
    emenda = inciso.emenda
    client.force_login(raiz)
    r = client.post(reverse("admin:emendas_emenda_change", args=[emenda.pk]),
                    {"numero": emenda.numero, "parlamentar": outro_parlamentar.pk, "bloco": ""})
    assert r.status_code in (200, 302)
    emenda.refresh_from_db()
    assert emenda.parlamentar.nome == "Ana Lacerda"


def test_campos_de_situacao_e_dinheiro_sao_somente_leitura_em_todo_modelo(raiz, inciso):
    pedido = RequestFactory().get("/")
    pedido.user = raiz
    protegidos = {"status", "situacao_cagec", "siafi_bloqueado", "valor", "valor_inicial", "acao", "grupo_despesa",
                  "emenda", "parlamentar", "bloco", "saldo_inicial", "saldo_origem", "saldo_devolucao",
                  "origem_saldo", "inciso", "inciso_origem", "inciso_gerado"}
    vistos = set()
    for modelo, modelo_admin in admin.site._registry.items():
        if modelo._meta.app_label not in ("emendas", "convenios"):
            continue
        objeto = modelo.objects.first() or modelo()  # formulário de alteração, mesmo sem linha no banco
        if not modelo_admin.has_change_permission(pedido, objeto):
            continue
        campos = {f.name for f in modelo._meta.fields} & protegidos
        if modelo._meta.model_name == "programacaoelegivel":
            campos -= {"acao", "grupo_despesa"}  # cadastros de programação, não dinheiro de um inciso
        editaveis = campos - set(modelo_admin.get_readonly_fields(pedido, objeto))
        assert not editaveis, (modelo, editaveis)
        vistos.add(modelo._meta.model_name)
    assert {"inciso", "emenda", "remanejamento", "indicacao", "convenente"} <= vistos


def test_segov_no_admin_ve_as_correcoes_do_inciso_e_nao_muda_o_valor(client, segov, inciso):
    from emendas.services import corrigir_inciso

    segov.is_staff = True
    segov.save()
    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="LOA republicada", valor_inicial=Decimal("10.00"))
    client.force_login(segov)
    url = reverse("admin:emendas_inciso_change", args=[inciso.pk])
    html = client.get(url).content.decode()
    assert "LOA republicada" in html and 'name="valor_inicial"' not in html
    client.post(url, {"valor_inicial": "99999"})
    inciso.refresh_from_db()
    assert inciso.valor_inicial == Decimal("10.00")
