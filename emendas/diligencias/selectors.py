"""Leituras das diligências: quem vê cada uma é quem vê a indicação (``emendas.visibilidade``)."""

from django.http import Http404

from ..models import AnexoDiligencia, Diligencia, UnidadeOrcamentaria
from ..visibilidade import filtro_indicacoes_visiveis

# A ordem da lista; o id desempata (o número repete-se entre exercícios).
ORDEM = ("-numero", "-pk")


def diligencias_visiveis(usuario):
    return Diligencia.objects.filter(filtro_indicacoes_visiveis(usuario, prefixo="indicacao__"))


def para_a_lista(qs):
    """As linhas de uma página de "Gerenciar Diligências", com o que a tabela mostra (sem consulta por linha)."""
    return qs.select_related("exercicio", "orgao", "responsavel", "indicacao__inciso__emenda__parlamentar",
                             "indicacao__inciso__emenda__bloco").order_by(*ORDEM)


def orgaos_das_diligencias(usuario):
    """As UOs que aparecem nas diligências que *usuario* vê (as opções do filtro "órgão")."""
    ids = diligencias_visiveis(usuario).order_by().values("orgao_id").distinct()
    return UnidadeOrcamentaria.objects.filter(pk__in=ids).order_by("codigo")


def diligencia_para_usuario(usuario, pk: int) -> Diligencia:
    """A diligência, ou 404 para quem não vê a indicação dela (não revela que existe)."""
    dil = (diligencias_visiveis(usuario).filter(pk=pk)
           .select_related("exercicio", "orgao", "responsavel", "fechada_por", "proposta", "indicacao__exercicio",
                           "indicacao__beneficiario", "indicacao__inciso__acao__uo",
                           "indicacao__inciso__emenda__parlamentar__usuario",
                           "indicacao__inciso__emenda__bloco__responsavel__usuario")
           .first())
    if dil is None:
        raise Http404("Diligência não encontrada.")
    return dil


def respostas(diligencia):
    return diligencia.respostas.select_related("usuario").prefetch_related("anexos")


def da_indicacao(indicacao):
    """As diligências de uma indicação, para a página dela (mais recentes primeiro)."""
    return indicacao.diligencias.select_related("orgao", "responsavel", "proposta").order_by(*ORDEM)


def anexo_para_usuario(usuario, pk: int) -> AnexoDiligencia:
    """O anexo, ou 404 para quem não vê a indicação da diligência (o download segue a mesma regra da tela)."""
    anexo = (AnexoDiligencia.objects
             .filter(filtro_indicacoes_visiveis(usuario, prefixo="resposta__diligencia__indicacao__"), pk=pk).first())
    if anexo is None:
        raise Http404("Anexo não encontrado.")
    return anexo
