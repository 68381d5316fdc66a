"""Rotas do remanejamento, incluídas por emendas/urls.py no espaço de nomes ``emendas:`` (caminhos e nomes de antes)."""

from django.urls import path

from . import views

urlpatterns = [
    path("remanejamentos/", views.solicitacao, name="remanejamentos"),
    path("remanejamentos/analise/", views.analise, name="analise_remanejamentos"),
    path("remanejamentos/inciso/<int:pk>/novo/", views.novo, name="novo_remanejamento"),
    path("remanejamentos/inciso/<int:pk>/novo/grupos/", views.grupos, name="grupos_remanejamento"),
    path("remanejamentos/<int:pk>/", views.visualizar, name="remanejamento"),
    path("remanejamentos/<int:pk>/cancelar/", views.cancelar, name="cancelar_remanejamento"),
    path("remanejamentos/<int:pk>/aprovar/", views.aprovar, name="aprovar_remanejamento"),
    path("remanejamentos/<int:pk>/reprovar/", views.reprovar, name="reprovar_remanejamento"),
]
