"""Rotas do controle de execução, incluídas por emendas/urls.py antes das da indicação: ``indicacoes/<pk>/execucao/``
não pode cair na rota genérica ``indicacoes/<pk>/<acao>/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicacoes/<int:pk>/execucao/", views.registrar, name="registrar_execucao"),
    path("execucao/", views.lista, name="execucoes"),
    path("execucao/importar/", views.importar, name="importar_execucao"),
]
