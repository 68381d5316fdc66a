"""Rotas da indicação, incluídas por emendas/urls.py no espaço de nomes ``emendas:`` (caminhos e nomes de antes)."""

from django.urls import path

from . import views, views_ajuste, views_beneficiarios, views_parlamentar

urlpatterns = [
    path("indicacoes/", views.indicacao_de_recursos, name="indicacoes"),
    path("indicacoes/lista/", views.visualizar, name="visualizar_indicacoes"),
    path("indicacoes/orgao/", views.analise_orgao, name="analise_orgao"),
    path("indicacoes/segov/", views.analise_segov, name="analise_segov"),
    path("indicacoes/beneficiarios/", views_beneficiarios.buscar_beneficiarios, name="buscar_beneficiarios"),
    path("indicacoes/beneficiario/", views_beneficiarios.beneficiario_por_cnpj, name="beneficiario_por_cnpj"),
    path("indicacoes/priorizacao/", views_parlamentar.priorizacao_das_indicacoes, name="priorizacao"),
    path("indicacoes/cancelar-varias/", views_parlamentar.cancelar_varias, name="cancelar_indicacoes"),
    path("indicacoes/inciso/<int:pk>/", views.do_inciso, name="indicacoes_do_inciso"),
    path("indicacoes/inciso/<int:pk>/nova/", views.nova, name="nova_indicacao"),
    path("indicacoes/<int:pk>/", views.detalhe, name="indicacao"),
    path("indicacoes/<int:pk>/cancelar/", views.cancelar, name="cancelar_indicacao"),
    path("indicacoes/<int:pk>/ajustar/", views_ajuste.ajustar, name="ajustar_indicacao"),
    path("indicacoes/<int:pk>/repriorizar/", views_parlamentar.repriorizar, name="repriorizar_indicacao"),
    path("indicacoes/<int:pk>/<str:acao>/", views.agir, name="agir_indicacao"),
]
