from django.urls import path

from . import views

app_name = "emendas"
urlpatterns = [
    path("incisos/<int:pk>/", views.inciso_detalhe, name="inciso"),
    path("exercicios/<int:ano>/editar/", views.exercicio_editar, name="exercicio_editar"),
    path("importacoes/", views.importar, name="importar"),
]
