from django import template
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict

from ..acesso import pode_ver_auditoria
from ..selectors import registros_do_objeto

register = template.Library()


@register.inclusion_tag("auditoria/_do_objeto.html", takes_context=True)
def auditoria_do_objeto(context, objeto):
    """Seção "Auditoria" da página de um objeto; só aparece para quem pode ver a auditoria."""
    request = context.get("request")
    if objeto is None or request is None or not pode_ver_auditoria(request.user):
        return {"visivel": False}
    tipo = ContentType.objects.get_for_model(objeto, for_concrete_model=False)
    q = QueryDict(mutable=True)
    q.update({"tipo": tipo.pk, "id_objeto": objeto.pk})
    return {"visivel": True, "registros": registros_do_objeto(objeto), "filtro": q.urlencode()}


@register.filter
def valores(dados) -> str:
    """``{"status": "APROVADO"}`` → ``status: APROVADO`` (para ler na tela; o CSV leva o JSON inteiro)."""
    if dados is None:
        return ""
    if isinstance(dados, dict):
        return "; ".join(f"{k}: {v if not isinstance(v, list) else ', '.join(map(str, v)) or '—'}" for k, v in dados.items())
    return str(dados)
