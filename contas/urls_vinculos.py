from django.urls import path

from . import views_vinculos as v

app_name = "vinculos"
urlpatterns = [
    path("uos/", v.uos, name="uos"),
    path("uos/<int:pk>/", v.uo, name="uo"),
    path("convenentes/", v.convenentes, name="convenentes"),
    path("convenentes/<int:pk>/", v.convenente, name="convenente"),
]
