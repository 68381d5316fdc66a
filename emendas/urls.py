from django.urls import path

from . import views, views_correcao as corr, views_indicacao as ind, views_remanejamento as rem

app_name = "emendas"
urlpatterns = [
    path("incisos/<int:pk>/", views.inciso_detalhe, name="inciso"),
    path("exercicios/<int:ano>/editar/", views.exercicio_editar, name="exercicio_editar"),
    path("importacoes/", views.importar, name="importar"),
    path("segov/incisos/", corr.incisos, name="corrigir_incisos"),
    path("segov/incisos/<int:pk>/corrigir/", corr.corrigir, name="corrigir_inciso"),
    path("remanejamentos/", rem.solicitacao, name="remanejamentos"),
    path("remanejamentos/analise/", rem.analise, name="analise_remanejamentos"),
    path("remanejamentos/inciso/<int:pk>/novo/", rem.novo, name="novo_remanejamento"),
    path("remanejamentos/inciso/<int:pk>/novo/grupos/", rem.grupos, name="grupos_remanejamento"),
    path("remanejamentos/<int:pk>/", rem.visualizar, name="remanejamento"),
    path("remanejamentos/<int:pk>/cancelar/", rem.cancelar, name="cancelar_remanejamento"),
    path("remanejamentos/<int:pk>/aprovar/", rem.aprovar, name="aprovar_remanejamento"),
    path("remanejamentos/<int:pk>/reprovar/", rem.reprovar, name="reprovar_remanejamento"),
    path("indicacoes/", ind.indicacao_de_recursos, name="indicacoes"),
    path("indicacoes/lista/", ind.visualizar, name="visualizar_indicacoes"),
    path("indicacoes/orgao/", ind.analise_orgao, name="analise_orgao"),
    path("indicacoes/segov/", ind.analise_segov, name="analise_segov"),
    path("indicacoes/beneficiarios/", ind.buscar_beneficiarios, name="buscar_beneficiarios"),
    path("indicacoes/inciso/<int:pk>/nova/", ind.nova, name="nova_indicacao"),
    path("indicacoes/<int:pk>/", ind.detalhe, name="indicacao"),
    path("indicacoes/<int:pk>/cancelar/", ind.cancelar, name="cancelar_indicacao"),
    path("indicacoes/<int:pk>/ajustar/", ind.ajustar, name="ajustar_indicacao"),
    path("indicacoes/<int:pk>/<str:acao>/", ind.agir, name="agir_indicacao"),
]
