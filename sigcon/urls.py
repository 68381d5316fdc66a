from django.contrib import admin
from django.urls import include, path

from emendas import relatorios, relatorios_indicacoes, views as emendas_views

admin.site.site_header = "SIGCON Saída – administração"
admin.site.site_title = "SIGCON Saída"
admin.site.index_title = "Cadastros"

urlpatterns = [
    path("", emendas_views.inicio, name="inicio"),
    path("conta/", include("contas.urls")),
    path("emendas/", include("emendas.urls")),
    path("convenios/", include("convenios.urls")),
    path("relatorios/remanejamentos/", relatorios.remanejamentos, name="relatorio_remanejamentos"),
    path("relatorios/remanejamentos.csv", relatorios.remanejamentos_csv, name="relatorio_remanejamentos_csv"),
    path("relatorios/remanejamentos.pdf", relatorios.remanejamentos_pdf, name="relatorio_remanejamentos_pdf"),
    path("relatorios/indicacoes/", relatorios_indicacoes.indicacoes, name="relatorio_indicacoes"),
    path("relatorios/indicacoes.csv", relatorios_indicacoes.indicacoes_csv, name="relatorio_indicacoes_csv"),
    path("relatorios/indicacoes.pdf", relatorios_indicacoes.indicacoes_pdf, name="relatorio_indicacoes_pdf"),
    path("relatorios/impedimentos/", relatorios_indicacoes.impedimentos, name="relatorio_impedimentos"),
    path("relatorios/impedimentos.csv", relatorios_indicacoes.impedimentos_csv, name="relatorio_impedimentos_csv"),
    path("relatorios/impedimentos.pdf", relatorios_indicacoes.impedimentos_pdf, name="relatorio_impedimentos_pdf"),
    path("admin/", admin.site.urls),
]
