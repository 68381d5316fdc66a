"""Rotas do calendário (espaço de nomes ``calendario:``), na raiz do site: ``/calendario/...`` e ``/api/calendario/``."""

from django.urls import path

from . import views

app_name = "calendario"
urlpatterns = [
    path("calendario/", views.meu_calendario, name="meu"),
    path("calendario/link/", views.gerar_link, name="gerar_link"),
    path("calendario/link/revogar/", views.revogar_link, name="revogar_link"),
    path("calendario/lembretes/", views.preferencias, name="preferencias"),
    path("calendario/exercicio/", views.prazos_segov_atual, name="segov_atual"),
    path("calendario/exercicio/<int:ano>/", views.prazos_segov, name="segov"),
    path("calendario/exercicio/<int:ano>/prorrogar/", views.prorrogar, name="prorrogar"),
    path("calendario/<str:token>.ics", views.ics, name="ics"),
    path("api/calendario/<int:ano>.json", views.api_ano, name="api"),
]
