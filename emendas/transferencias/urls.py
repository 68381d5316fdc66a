"""Rotas de "Transferências Especiais" (o <pk> é o da indicação: antes do cadastro ainda não há transferência)."""

from django.urls import path

from . import views

urlpatterns = [
    path("transferencias/", views.lista, name="transferencias"),
    path("transferencias/cadastrar/", views.cadastrar_marcadas, name="transferencias_cadastrar"),
    path("transferencias/<int:pk>/", views.detalhe, name="transferencia"),
    path("transferencias/<int:pk>/cadastrar/", views.cadastrar, name="cadastrar_transferencia"),
    path("transferencias/<int:pk>/enviar/", views.enviar, name="enviar_transferencia"),
    path("transferencias/<int:pk>/encerrar/", views.encerrar, name="encerrar_transferencia"),
    path("transferencias/<int:pk>/declaracao.pdf", views.declaracao, name="declaracao_transferencia"),
]
