"""Tela do impedimento de ordem técnica dentro da proposta (DOMAIN.md §7.8–7.9): o analista do concedente escolhe
a indicação usada, a categoria e a justificativa; a revisão mostra o valor que volta ao inciso; o serviço tira o
uso e reprova numa transação só. Os passos da formalização (autorizar, assinar, publicar) são ações da proposta
(``convenios:agir``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_POST

from envios import revisao
from envios.unico import envio_unico
from sigcon.views_util import executar_acao

from .. import permissoes, selectors, services
from ..forms import ImpedimentoNaPropostaForm


@login_required
@require_POST
@envio_unico
def impedimento(request, pk: int):
    p = selectors.proposta_visivel(request.user, pk)
    if p is None:
        raise Http404("Proposta não encontrada.")
    if not permissoes.e_concedente(request.user, p):
        raise PermissionDenied("Somente o analista do órgão concedente dá o impedimento de ordem técnica.")
    voltar = reverse("convenios:proposta", args=[p.pk])
    form = ImpedimentoNaPropostaForm(request.POST, proposta=p)
    if form.is_valid() and not revisao.confirmado(request) and permissoes.pode_dar_iot(request.user, p):
        d = form.cleaned_data
        uso = p.usos.get(indicacao=d["indicacao"])
        return revisao.revisar(
            request, acao=f"Impedimento de ordem técnica na proposta nº {p.pk}", botao="Reprovar a indicação",
            itens=[revisao.Item(str(d["indicacao"].numero), f"Indicação retirada da proposta e reprovada "
                                f"({d['categoria'].nome})", uso.valor)],
            singular="indicação", plural="indicações", voltar=voltar,
            aviso="A reprovação não pode ser desfeita; o valor volta ao inciso do parlamentar pela regra do prazo. "
                  f"Justificativa: {d['justificativa']}",
        )

    def reprovar():
        if not form.is_valid():
            raise ValidationError([e for erros in form.errors.values() for e in erros])
        d = form.cleaned_data
        services.reprovar_indicacao_na_proposta(usuario=request.user, proposta=p, indicacao=d["indicacao"],
                                                categoria=d["categoria"], justificativa=d["justificativa"])

    return executar_acao(request, reprovar, destino=voltar,
                         sucesso="Indicação reprovada por impedimento de ordem técnica e retirada da proposta.")
