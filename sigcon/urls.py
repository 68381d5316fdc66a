from django.contrib import admin
from django.urls import include, path

from emendas import relatorios, relatorios_incisos, relatorios_indicacoes, relatorios_saldos, views as emendas_views
from relatorios import views as relatorios_gerados
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
    path("relatorios/remanejamentos/", relatorios.remanejamentos, name="relatorio_remanejamentos"),
    path("relatorios/remanejamentos.csv", relatorios.remanejamentos_csv, name="relatorio_remanejamentos_csv"),
    path("relatorios/remanejamentos.pdf", relatorios.remanejamentos_pdf, name="relatorio_remanejamentos_pdf"),
    path("relatorios/indicacoes/", relatorios_indicacoes.indicacoes, name="relatorio_indicacoes"),
    path("relatorios/indicacoes.csv", relatorios_indicacoes.indicacoes_csv, name="relatorio_indicacoes_csv"),
    path("relatorios/indicacoes.pdf", relatorios_indicacoes.indicacoes_pdf, name="relatorio_indicacoes_pdf"),
    path("relatorios/impedimentos/", relatorios_indicacoes.impedimentos, name="relatorio_impedimentos"),
    path("relatorios/impedimentos.csv", relatorios_indicacoes.impedimentos_csv, name="relatorio_impedimentos_csv"),
    path("relatorios/impedimentos.pdf", relatorios_indicacoes.impedimentos_pdf, name="relatorio_impedimentos_pdf"),
    path("relatorios/incisos/", relatorios_incisos.incisos, name="relatorio_incisos"),
    path("relatorios/incisos.csv", relatorios_incisos.incisos_csv, name="relatorio_incisos_csv"),
    path("relatorios/incisos.pdf", relatorios_incisos.incisos_pdf, name="relatorio_incisos_pdf"),
    path("relatorios/totalizacao/", relatorios_incisos.totalizacao, name="relatorio_totalizacao"),
    path("relatorios/totalizacao.csv", relatorios_incisos.totalizacao_csv, name="relatorio_totalizacao_csv"),
    path("relatorios/totalizacao.pdf", relatorios_incisos.totalizacao_pdf, name="relatorio_totalizacao_pdf"),
    path("relatorios/parlamentares/", relatorios_incisos.parlamentares, name="relatorio_parlamentares"),
    path("relatorios/parlamentares.csv", relatorios_incisos.parlamentares_csv, name="relatorio_parlamentares_csv"),
    path("relatorios/parlamentares.pdf", relatorios_incisos.parlamentares_pdf, name="relatorio_parlamentares_pdf"),
    path("relatorios/saldos/", relatorios_saldos.saldos, name="relatorio_saldos"),
    path("relatorios/saldos.csv", relatorios_saldos.saldos_csv, name="relatorio_saldos_csv"),
    path("relatorios/saldos.pdf", relatorios_saldos.saldos_pdf, name="relatorio_saldos_pdf"),
    path("relatorios/gerados/<int:pk>/", relatorios_gerados.progresso, name="relatorio_gerado"),
    path("relatorios/gerados/<int:pk>/baixar/", relatorios_gerados.baixar, name="relatorio_gerado_baixar"),
    path("auditoria/", include("auditoria.urls")),
    path("segov/acessos/", include("contas.urls_vinculos")),
    path("admin/", admin.site.urls),
]
