"""As páginas das telas de relatório lidas em mais de uma consulta (ids primeiro, depois os objetos) mostram as
mesmas linhas, na mesma ordem, que uma consulta só mostraria."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emendas.models import Remanejamento
from tests.fabricas import lote_incisos
from tests.relatorios.conftest import logado

pytestmark = pytest.mark.django_db


def test_remanejamentos_segunda_pagina_na_ordem_pedida(cenario, acao_saude_2, grupo_inv):
    novos = lote_incisos(cenario, 105, indicacoes_por_inciso=0)
    # Valores fora da ordem dos ids: a ordem da página tem de vir do ORDER BY, não do ``pk IN (...)``.
    Remanejamento.objects.bulk_create([
        Remanejamento(inciso_origem=i, acao=acao_saude_2, grupo_despesa=grupo_inv, saldo_origem="LIVRE",
                      valor=Decimal((k * 37) % 105 + 1), solicitado_por=cenario["ana"]) for k, i in enumerate(novos)
    ])
    esperado = list(Remanejamento.objects.order_by("-valor", "-pk").values_list("pk", flat=True))
    cliente = logado(cenario["segov"])
    paginas = [cliente.get(reverse("relatorio_remanejamentos"), {"ordem": "-valor", "pagina": p}) for p in (1, 2)]
    vistos = [r.pk for resposta in paginas for r in resposta.context["pagina"].object_list]
    assert vistos == esperado
    assert len(paginas[0].context["pagina"].object_list) == 100
    primeiro = paginas[0].context["pagina"].object_list[0]
    html = paginas[0].content.decode()
    assert f'href="{reverse("emendas:remanejamento", args=[primeiro.pk])}"' in html
    assert primeiro.inciso_origem.numero in html and "R$ 105,00" in html
