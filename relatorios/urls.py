"""URLs de todos os relatórios, geradas do registro, e as do acompanhamento dos PDFs em segundo plano.

Para cada relatório ``<nome>``: ``<nome>/`` (tela), ``<nome>.csv`` e ``<nome>.pdf``, com os nomes
``relatorio_<nome>``, ``relatorio_<nome>_csv`` e ``relatorio_<nome>_pdf`` (sem namespace: são os nomes de sempre).
"""

from django.urls import path

from . import registro, views


def rotas(relatorios) -> list:
    padroes = []
    for relatorio in relatorios:
        tela, csv, pdf = relatorio.views()
        padroes += [
            path(f"{relatorio.nome}/", tela, name=f"relatorio_{relatorio.nome}"),
            path(f"{relatorio.nome}.csv", csv, name=f"relatorio_{relatorio.nome}_csv"),
            path(f"{relatorio.nome}.pdf", pdf, name=f"relatorio_{relatorio.nome}_pdf"),
        ]
    return padroes


urlpatterns = [
    *rotas(registro.todos()),
    path("gerados/<int:pk>/", views.progresso, name="relatorio_gerado"),
    path("gerados/<int:pk>/baixar/", views.baixar, name="relatorio_gerado_baixar"),
]
