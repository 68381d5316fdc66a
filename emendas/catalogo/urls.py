"""Rotas do catálogo (espaço de nomes ``emendas:``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("catalogo/", views.lista, name="catalogo"),
    path("catalogo/carga/", views.carga, name="carga_catalogo"),
    path("catalogo/opcoes/<int:pk>/", views.opcoes, name="catalogo_opcoes"),
]
