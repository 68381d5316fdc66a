from django.urls import path

from . import views

app_name = "envios"

urlpatterns = [
    # A chave é o sha256 do nonce do token (hexadecimal): quem a conhece é quem tinha o formulário.
    path("andamento/<slug:chave>/", views.andamento, name="andamento"),
]
