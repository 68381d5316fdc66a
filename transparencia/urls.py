from django.urls import path

from . import views

app_name = "transparencia"

urlpatterns = [
    path("transparencia/", views.busca, name="busca"),
    path("transparencia/indicacoes/<int:ano>/<int:numero>/", views.indicacao, name="indicacao"),
    path("transparencia/municipios/", views.municipios, name="municipios"),
    # path: o nome de um município vem de um cadastro e pode trazer "/" ("Belo Horizonte/MG").
    path("transparencia/municipios/<path:municipio>/", views.municipio, name="municipio"),
    path("dados-abertos/", views.dados_abertos_inicio, name="dados_abertos"),
    path("dados-abertos/datapackage.json", views.datapackage, name="datapackage"),
    path("dados-abertos/<int:ano>/indicacoes.csv", views.indicacoes_csv, name="indicacoes_csv"),
    path("dados-abertos/<int:ano>/indicacoes.json", views.indicacoes_json, name="indicacoes_json"),
    path("dados-abertos/<int:ano>/instantaneos/<str:dia>.csv", views.instantaneo, name="instantaneo"),
]
