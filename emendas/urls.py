"""Rotas de emendas (espaço de nomes ``emendas:``): as do núcleo aqui, as de cada capacidade no seu pacote."""

from django.urls import include, path

from . import views, views_correcao as corr

app_name = "emendas"
urlpatterns = [
    path("incisos/<int:pk>/", views.inciso_detalhe, name="inciso"),
    path("incisos/<int:pk>/historico/", views.historico_do_inciso, name="historico_do_inciso"),
    path("incisos/<int:pk>/remanejamentos/", views.remanejamentos_do_inciso, name="remanejamentos_do_inciso"),
    path("exercicios/<int:ano>/editar/", views.exercicio_editar, name="exercicio_editar"),
    path("importacoes/", views.importar, name="importar"),
    path("segov/incisos/", corr.incisos, name="corrigir_incisos"),
    path("segov/incisos/<int:pk>/corrigir/", corr.corrigir, name="corrigir_inciso"),
    path("", include("emendas.assessores.urls")),
    path("", include("emendas.remanejamentos.urls")),
    path("", include("emendas.catalogo.urls")),
    path("", include("emendas.saneamento.urls")),
    path("", include("emendas.diligencias.urls")),
    path("", include("emendas.transferencias.urls")),  # antes da indicação (a rota genérica de ações)
    path("", include("emendas.execucao.urls")),  # idem
    path("", include("emendas.indicacoes.urls")),
]
