"""A seção "Transferência especial" da página de uma indicação dessa forma: ``{% transferencia_da_indicacao ind %}``
(a situação, a resolução e o registro no SIAFI para quem vê a indicação; o link para quem abre a transferência)."""

from django import template

register = template.Library()


@register.inclusion_tag("emendas/transferencia/_da_indicacao.html", takes_context=True)
def transferencia_da_indicacao(context, indicacao):
    from contas import perfis

    from ..models import Indicacao, TransferenciaEspecial
    from ..transferencias import selectors

    if indicacao.forma_execucao != Indicacao.FormaExecucao.TRANSFERENCIA_ESPECIAL:
        return {"mostrar": False}
    te = TransferenciaEspecial.objects.filter(indicacao=indicacao).first()
    usuario = context["request"].user
    abre = perfis.ve_transferencias_especiais(usuario) and selectors.indicacoes_visiveis(usuario).filter(
        pk=indicacao.pk).exists()
    rotulo = te.get_status_display() if te else TransferenciaEspecial.Status.NAO_CADASTRADO.label
    return {"mostrar": True, "ind": indicacao, "te": te, "rotulo": rotulo, "abre": abre,
            "situacao": te.status if te else TransferenciaEspecial.Status.NAO_CADASTRADO}
