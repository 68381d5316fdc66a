"""As rotas de produção (``sigcon.urls``) mais os pisos do bench em ``/bench/piso/...``."""

from django.urls import path

from sigcon.urls import urlpatterns as rotas_de_producao

from . import pisos, pisos_relatorios

pisos_urls = [
    path("bench/piso/inicio/", pisos.inicio, name="piso_inicio"),
    path("bench/piso/analise_remanejamentos/", pisos.analise_remanejamentos, name="piso_analise_remanejamentos"),
    path("bench/piso/analise_segov/", pisos.analise_segov, name="piso_analise_segov"),
    path("bench/piso/analise_orgao/", pisos.analise_orgao, name="piso_analise_orgao"),
    path("bench/piso/inciso/<int:pk>/", pisos.inciso, name="piso_inciso"),
    path("bench/piso/remanejamentos/", pisos.remanejamentos, name="piso_remanejamentos"),
    path("bench/piso/indicacoes/", pisos.indicacoes, name="piso_indicacoes"),
    path("bench/piso/visualizar_indicacoes/", pisos.visualizar_indicacoes, name="piso_visualizar_indicacoes"),
    path("bench/piso/post/", pisos.post, name="piso_post"),
    path("bench/piso/relatorio/<str:nome>/", pisos_relatorios.relatorio, name="piso_relatorio"),
    path("bench/piso/csv/", pisos_relatorios.csv_cru, name="piso_csv"),
]

urlpatterns = [*rotas_de_producao, *pisos_urls]
