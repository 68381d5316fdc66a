"""Rotas do segundo ciclo (saneamento, remanejamento constitucional e a lei), incluídas por emendas/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("saneamento/", views.painel, name="saneamento"),
    path("saneamento/incisos/<int:pk>/", views.inciso, name="saneamento_inciso"),
    path("saneamento/incisos/<int:pk>/concluir/", views.concluir, name="concluir_saneamento"),
    path("remanejamento-constitucional/", views.remanejamento_constitucional, name="remanejamento_constitucional"),
    path("segov/lei-remanejamento/", views.lei, name="lei_remanejamento"),
]
