"""Leituras dos vínculos de assessores: os do parlamentar (ativos e o histórico) e o que o assessor atende.

Quem o assessor representa em cada tela (e onde escreve) é a regra de ``emendas.visibilidade``; aqui ficam só as
listas das telas "Meus assessores" e "Parlamentares que atendo".
"""

from django.http import Http404

from ..models import Parlamentar, VinculoAssessor
from ..visibilidade import parlamentar_do_usuario, parlamentares_assessorados


def vinculos_do_parlamentar(parlamentar: Parlamentar):
    """Todos os vínculos do parlamentar, os ativos primeiro (com quem associou e quem encerrou)."""
    return (VinculoAssessor.objects.filter(parlamentar=parlamentar)
            .select_related("assessor", "associado_por", "encerrado_por"))


def vinculo_ativo_do_parlamentar(parlamentar: Parlamentar, pk: int) -> VinculoAssessor:
    """O vínculo ativo *pk* do parlamentar, ou 404 (o de outro parlamentar, ou já encerrado, não existe aqui)."""
    vinculo = vinculos_do_parlamentar(parlamentar).filter(pk=pk, ativo=True).first()
    if vinculo is None:
        raise Http404("Assessor não encontrado.")
    return vinculo


def parlamentares_do_assessor(usuario) -> list[dict]:
    """Os parlamentares que *usuario* atende, com o escolhido agora marcado (o seletor do topo e a tela)."""
    atendidos = parlamentares_assessorados(usuario)
    if not atendidos:
        return []
    atual = parlamentar_do_usuario(usuario)
    desde = dict(VinculoAssessor.objects.filter(assessor=usuario, ativo=True).values_list("parlamentar_id", "desde"))
    return [{"parlamentar": p, "atual": atual is not None and p.pk == atual.pk, "desde": desde.get(p.pk)}
            for p in atendidos]
