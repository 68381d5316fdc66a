"""Rotas da diligência, incluídas por emendas/urls.py antes das da indicação: ``indicacoes/<pk>/diligencia/`` não
pode cair na rota genérica ``indicacoes/<pk>/<acao>/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicacoes/<int:pk>/diligencia/", views.abrir, name="abrir_diligencia"),
    path("diligencias/", views.gerenciar, name="diligencias"),
    path("diligencias/<int:pk>/", views.detalhe, name="diligencia"),
    path("diligencias/<int:pk>/responder/", views.responder, name="responder_diligencia"),
    path("diligencias/<int:pk>/fechar/", views.fechar, name="fechar_diligencia"),
    path("diligencias/anexos/<int:pk>/", views.anexo, name="anexo_diligencia"),
]
