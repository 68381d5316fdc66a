"""A busca de beneficiários do formulário de indicação: por nome, município ou código da escola (a lista ao lado do
formulário) e pelo CNPJ digitado numa linha (o nome e a situação CAGEC/SIAFI aparecem embaixo dela)."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.views.decorators.http import require_GET

from convenios import services as convenios_services, visibilidade
from convenios.cnpj import normalizar_cnpj
from integracoes.errors import IntegracaoIndisponivel
from sigcon.views_util import pagina_ou_trecho

from ..models import Indicacao
from . import regras, selectors as consultas


@login_required
@require_GET
def buscar_beneficiarios(request):
    """Busca de convenentes por CNPJ, razão social ou município, com a última situação CAGEC/SIAFI."""
    if not visibilidade.pode_buscar_convenentes(request.user):
        raise PermissionDenied("A busca de convenentes é para parlamentares, órgãos e SEGOV.")
    termo = request.GET.get("q", "").strip()
    forma = request.GET.get("forma", "")
    if forma not in Indicacao.FormaExecucao.values:
        forma = ""  # sem forma (ou forma desconhecida): a busca mostra todos os tipos
    return pagina_ou_trecho(request, "emendas/indicacao/beneficiarios.html", "emendas/indicacao/_beneficiarios.html", {
        "termo": termo, "resultados": consultas.buscar_convenentes(termo, forma), "forma": forma,
        "forma_rotulo": Indicacao.FormaExecucao(forma).label if forma else "",
        "tipos_aceitos": regras.nomes_dos_tipos(forma) if forma else "",
        "formas": Indicacao.FormaExecucao.choices,
        "ve_motivo_siafi": visibilidade.ve_motivo_siafi(request.user),
    })


# A situação CAGEC/SIAFI que a linha mostra vale por um dia; depois a busca consulta o CAGEC de novo (a resposta
# dele traz também o bloqueio no SIAFI-MG). Só informa: nunca impede a indicação (Decisões, "CAGEC / SIAFI").
SITUACAO_VALE_POR = timedelta(hours=24)


@login_required
@require_GET
def beneficiario_por_cnpj(request):
    """O beneficiário de um CNPJ digitado numa linha do formulário (htmx): nome, tipo, município, se a forma o
    aceita e a última situação no CAGEC e no SIAFI-MG, consultada pelos adaptadores de integracoes/ quando velha."""
    if not visibilidade.pode_buscar_convenentes(request.user):
        raise PermissionDenied("A busca de convenentes é para parlamentares, órgãos e SEGOV.")
    digitado = next((v for k, v in request.GET.items() if k == "cnpj" or k.startswith("cnpj_")), "").strip()
    forma = request.GET.get("forma_execucao", "")
    contexto = {"digitado": digitado, "ve_motivo_siafi": visibilidade.ve_motivo_siafi(request.user)}
    digitos = "".join(c for c in digitado if c.isdigit())
    if len(digitos) == 14:
        try:
            cnpj = normalizar_cnpj(digitos)
        except ValidationError as exc:
            contexto["erro"] = exc.messages[0]
        else:
            contexto["convenente"] = convenente = consultas.convenente_por_cnpj(cnpj)
            if convenente and forma in Indicacao.FormaExecucao.values:
                contexto["recusa"] = regras.conferir_beneficiario(forma, convenente.tipo)
            if convenente:
                contexto["aviso"] = _atualizar_situacao(request.user, convenente)
    return pagina_ou_trecho(request, "emendas/indicacao/beneficiario.html",
                            "emendas/indicacao/_beneficiario_linha.html", contexto)


def _atualizar_situacao(usuario, convenente) -> str:
    """Consulta o CAGEC quando a situação guardada é de mais de um dia (ou nunca houve); "" ou o aviso de falha."""
    consultada = convenente.situacao_consultada_em
    if consultada and timezone.now() - consultada < SITUACAO_VALE_POR:
        return ""
    try:
        convenios_services.consultar_cagec_para_atualizar(usuario=usuario, convenente=convenente)
    except IntegracaoIndisponivel:
        return "O CAGEC não respondeu agora; esta é a última situação conhecida."
    convenente.refresh_from_db(fields=["situacao_cagec", "siafi_bloqueado", "siafi_motivo", "situacao_consultada_em"])
    return ""
