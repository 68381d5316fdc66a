from django.contrib import admin
from django.urls import include, path

from emendas import relatorios, views as emendas_views

admin.site.site_header = "SIGCON Saída – administração"
admin.site.site_title = "SIGCON Saída"
admin.site.index_title = "Cadastros"

urlpatterns = [
    path("", emendas_views.inicio, name="inicio"),
    path("conta/", include("contas.urls")),
    path("emendas/", include("emendas.urls")),
    path("relatorios/remanejamentos/", relatorios.remanejamentos, name="relatorio_remanejamentos"),
    path("relatorios/remanejamentos.csv", relatorios.remanejamentos_csv, name="relatorio_remanejamentos_csv"),
    path("relatorios/remanejamentos.pdf", relatorios.remanejamentos_pdf, name="relatorio_remanejamentos_pdf"),
    path("admin/", admin.site.urls),
]
