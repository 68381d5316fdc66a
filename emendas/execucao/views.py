"""Telas do controle de execução: a lista "Controle de execução" (órgão e SEGOV), o registro de uma indicação
(com a revisão antes do impedimento parcial, irreversível) e a importação da planilha (prévia e confirmação)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from sigcon.dinheiro import formatar_brl
from sigcon.views_util import mensagens, paginar

from .. import selectors as nucleo
from ..arquivos_importacao import PreviaIndisponivel, confirmar_previa, executar_importacao, guardar_previa
from ..importacao import ErroImportacao
from ..models import ArquivoImportacao
from . import selectors, services
from .forms import FiltroExecucoesForm, ImportarExecucaoForm, RegistrarExecucaoForm
from .importacao import CABECALHO_EXECUCAO
from .regras import e_automatica


def _exigir_perfil(usuario) -> None:
    if not perfis.pode_registrar_execucao(usuario):
        raise PermissionDenied("O controle de execução é do órgão que analisa a indicação e da SEGOV.")


@login_required
@require_GET
def lista(request):
    """"Controle de execução": as aprovadas das UOs do órgão (todas, para a SEGOV), com a execução de cada uma."""
    _exigir_perfil(request.user)
    filtro = FiltroExecucoesForm(request.GET or None)
    qs = filtro.filtrar(selectors.aprovadas_visiveis(request.user))
    return render(request, "emendas/execucao/lista.html", {"filtro": filtro, "pagina": paginar(request, qs)})


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def registrar(request, pk: int):
    """O registro da execução de uma indicação; utilizado < indicado passa pela revisão do impedimento parcial."""
    ind = nucleo.indicacao_para_usuario(request.user, pk)
    if not services.pode_registrar(request.user, ind):
        raise PermissionDenied(f"Somente o analista do órgão da UO {ind.inciso.acao.uo.codigo} ou a SEGOV registra "
                               "a execução desta indicação.")
    execucao = selectors.execucao_da_indicacao(ind)
    inicial = None
    if execucao is not None:
        # Os valores como a pessoa os digita (1.234,56), não como o Decimal os escreve.
        inicial = {c: formatar_brl(getattr(execucao, c), simbolo=False)
                   for c in ("utilizado", "empenhado", "liquidado", "pago")}
        inicial.update({c: getattr(execucao, c) for c in ("numero_empenho", "data_empenho", "data_pagamento")})
    form = RegistrarExecucaoForm(request.POST or None, indicacao=ind, initial=inicial)
    automatica = e_automatica(ind.forma_execucao)
    if request.method == "POST" and not automatica and form.is_valid():
        d = form.cleaned_data
        valores = form.valores()
        parcial = valores["utilizado"] < ind.valor and (execucao is None or execucao.impedido_em is None)
        if parcial and not revisao.confirmado(request) and d.get("categoria") and d.get("justificativa"):
            impedido = ind.valor - valores["utilizado"]
            return revisao.revisar(
                request, acao="Registrar impedimento de ordem técnica parcial", singular="indicação",
                plural="indicações", voltar=request.path, botao="registrar o impedimento parcial",
                itens=[revisao.Item(str(ind.numero), f"{ind.objeto[:120]} — utilizado {formatar_brl(valores['utilizado'])}"
                                    f" de {formatar_brl(ind.valor)}; voltam ao inciso", impedido)],
                aviso=(f"O impedimento parcial é irreversível: {formatar_brl(impedido)} voltam ao saldo do inciso e "
                       f"o valor utilizado fica em {formatar_brl(valores['utilizado'])}. A indicação continua "
                       "aprovada e o titular é avisado por e-mail."),
            )
        try:
            services.registrar_execucao(
                usuario=request.user, indicacao=ind, numero_empenho=d.get("numero_empenho") or "",
                categoria=d.get("categoria"), justificativa=d.get("justificativa") or "",
                data_empenho=d.get("data_empenho"), data_pagamento=d.get("data_pagamento"), **valores,
            )
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Execução da indicação nº {ind.numero} registrada.")
            return redirect("emendas:registrar_execucao", pk=ind.pk)
    return render(request, "emendas/execucao/registrar.html", {
        "ind": ind, "execucao": execucao, "form": form, "automatica": automatica,
        "historico": selectors.historico(execucao)[:50],
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def importar(request):
    """A planilha do controle de execução: envio → prévia (nada gravado) → confirmação (tudo ou nada)."""
    _exigir_perfil(request.user)
    if request.method == "POST" and "confirmar" in request.POST:
        try:
            _, resultado = confirmar_previa(usuario=request.user, id_previa=request.POST.get("previa", ""))
        except PreviaIndisponivel as exc:
            messages.error(request, str(exc))
            return redirect("emendas:importar_execucao")
        except ErroImportacao as exc:
            return render(request, "emendas/execucao/importar.html", {
                "form": ImportarExecucaoForm(), "erros": exc.erros, "cabecalho": CABECALHO_EXECUCAO})
        messages.success(request, "Importação do controle de execução concluída: " + resultado.resumo() + ".")
        return redirect(reverse("emendas:execucoes"))
    form = ImportarExecucaoForm(request.POST or None, request.FILES or None)
    contexto = {"form": form, "cabecalho": CABECALHO_EXECUCAO}
    if request.method == "POST" and form.is_valid():
        dados = form.cleaned_data
        conteudo = dados["arquivo"].read()
        tipo = ArquivoImportacao.Tipo.EXECUCAO
        try:
            resultado = executar_importacao(tipo=tipo, conteudo=conteudo, ano=dados["ano"], publicacao=None,
                                            simular=True, usuario=request.user)
        except ErroImportacao as exc:
            contexto["erros"] = exc.erros
        else:
            previa = guardar_previa(usuario=request.user, tipo=tipo, ano=dados["ano"], publicacao=None,
                                    nome_original=dados["arquivo"].name, conteudo=conteudo)
            contexto.update(resultado=resultado, previa=previa)
    return render(request, "emendas/execucao/importar.html", contexto)
