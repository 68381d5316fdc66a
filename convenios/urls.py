from django.urls import path

from . import views
from .formalizacao import views as views_iot

app_name = "convenios"
urlpatterns = [
    path("", views.painel, name="painel"),
    path("propostas/", views.propostas, name="propostas"),
    path("liberacoes/", views.liberacoes, name="liberacoes"),
    path("convenente/<int:convenente_pk>/gerar-proposta/", views.gerar, name="gerar"),
    path("propostas/<int:pk>/", views.proposta, name="proposta"),
    path("propostas/<int:pk>/liberar/", views.liberar, name="liberar"),
    path("propostas/<int:pk>/excecao/", views.excecao, name="excecao"),
    path("propostas/<int:pk>/atualizar-cagec/", views.atualizar_cagec, name="atualizar_cagec"),
    path("propostas/<int:pk>/cancelar/", views.cancelar, name="cancelar"),
    path("propostas/<int:pk>/impedimento/", views_iot.impedimento, name="impedimento"),
    path("propostas/<int:pk>/desvincular/<int:indicacao_pk>/", views.desvincular, name="desvincular"),
    path("propostas/<int:pk>/<str:acao>/", views.agir, name="agir"),
    path("liberacoes/<int:pk>/autorizar/", views.autorizar, name="autorizar"),
]
