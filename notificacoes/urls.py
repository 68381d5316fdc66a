from django.urls import path

from . import views

app_name = "notificacoes"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("<int:pk>/", views.aviso, name="aviso"),
    path("<int:pk>/lida/", views.marcar_lida, name="marcar_lida"),
    path("lidas/", views.marcar_todas, name="marcar_todas"),
]
