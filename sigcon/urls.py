from django.contrib import admin
from django.urls import include, path

from emendas import views as emendas_views
from sigcon import ajuda
from sigcon.saude import saude

admin.site.site_header = "SIGCON Saída – administração"
admin.site.site_title = "SIGCON Saída"
admin.site.index_title = "Cadastros"

urlpatterns = [
    path("", emendas_views.inicio, name="inicio"),
    path("saude/", saude, name="saude"),
    path("conta/", include("contas.urls")),
    path("emendas/", include("emendas.urls")),
    path("convenios/", include("convenios.urls")),
    path("relatorios/", include("relatorios.urls")),
    path("auditoria/", include("auditoria.urls")),
    path("notificacoes/", include("notificacoes.urls")),
    path("envios/", include("envios.urls")),
    path("ajuda/", ajuda.ajuda, name="ajuda"),
    path("", include("emendas.calendario.urls")),  # /calendario/ (com o .ics privado) e /api/calendario/<ano>.json
    path("segov/acessos/", include("contas.urls_vinculos")),
    path("", include("transparencia.urls")),  # /transparencia/ e /dados-abertos/, sem login
    path("admin/", admin.site.urls),
]
