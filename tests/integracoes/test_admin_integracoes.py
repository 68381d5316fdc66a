"""Admin das integrações: simulador editável, consultas só para leitura, busca por CNPJ com máscara."""

import pytest
from django.urls import reverse

from convenios.cnpj import formatar_cnpj
from integracoes import cagec
from integracoes.models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_logado(client, django_user_model):
    su = django_user_model.objects.create_superuser(email="root@sigcon.test", password="x-senha-forte-1")
    client.force_login(su)
    return client


def test_busca_por_cnpj_com_mascara(admin_logado, cnpj):
    SituacaoSimulada.objects.create(cnpj=cnpj, cagec_regular=False)
    cagec.consultar(cnpj)
    for modelo in ("situacaosimulada", "consultaintegracao"):
        r = admin_logado.get(reverse(f"admin:integracoes_{modelo}_changelist"), {"q": formatar_cnpj(cnpj)})
        assert r.status_code == 200
        assert r.context["cl"].result_count == 1, modelo


def test_consultas_sao_so_leitura(admin_logado, cnpj):
    cagec.consultar(cnpj)
    consulta = ConsultaIntegracao.objects.get()
    assert admin_logado.get(reverse("admin:integracoes_consultaintegracao_add")).status_code == 403
    assert admin_logado.get(reverse("admin:integracoes_consultaintegracao_delete", args=[consulta.pk])).status_code == 403
    r = admin_logado.get(reverse("admin:integracoes_consultaintegracao_change", args=[consulta.pk]))
    assert r.status_code == 200 and not r.context["adminform"].form.fields  # tudo somente leitura


def test_desligar_servico_pela_lista(admin_logado):
    servicos = list(ServicoSimulado.objects.order_by("sistema"))
    dados = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Salvar"}
    for i, s in enumerate(servicos):
        dados[f"form-{i}-id"] = str(s.pk)
        if s.sistema == "CAGEC":
            dados[f"form-{i}-fora_do_ar"] = "on"
    r = admin_logado.post(reverse("admin:integracoes_servicosimulado_changelist"), dados)
    assert r.status_code == 302
    assert ServicoSimulado.esta_fora_do_ar("CAGEC") and not ServicoSimulado.esta_fora_do_ar("SIAFI")
