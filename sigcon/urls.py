from django.contrib import admin
from django.urls import include, path

from emendas import views as emendas_views

admin.site.site_header = "SIGCON Saída – administração"
admin.site.site_title = "SIGCON Saída"
admin.site.index_title = "Cadastros"

urlpatterns = [
    path("", emendas_views.inicio, name="inicio"),
    path("conta/", include("contas.urls")),
    path("emendas/", include("emendas.urls")),
    path("admin/", admin.site.urls),
]
