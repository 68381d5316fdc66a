"""Telas de "Transferências Especiais" (DOMAIN.md §3.4): a lista com o cadastro das marcadas ("aplicar a todas"),
a página de cada uma (cadastro, "Enviar para o SIAFI" com revisão, encerrar) e o PDF da "Declaração"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from sigcon.texto import plural
from sigcon.views_util import destino_seguro, executar_acao, ids_selecionados, mensagens, paginar

from ..visibilidade import ids_das_uos_do_analista
from . import selectors, services
from .forms import CadastroTransferenciaForm, FiltroTransferenciasForm

Status = services.Status


def _exigir_quem_ve(usuario) -> None:
    if not perfis.ve_transferencias_especiais(usuario):
        raise PermissionDenied("As transferências especiais são do órgão da UO, da SEGOV e dos visualizadores.")


def _exigir_gestor(usuario, ind, verbo: str) -> None:
    if not services.pode_gerir(usuario, ind):
        raise PermissionDenied(f"Somente o analista do órgão da UO {ind.inciso.acao.uo.codigo} {verbo} esta "
                               "transferência especial.")


def _indicacao(request, pk: int):
    _exigir_quem_ve(request.user)
    return selectors.indicacao_para_usuario(request.user, pk)


@login_required
@require_GET
def lista(request):
    """"Transferências Especiais": as indicações aprovadas dessa forma, com filtros; quem gere marca e cadastra."""
    _exigir_quem_ve(request.user)
    filtro = FiltroTransferenciasForm(request.GET or None)
    pagina = paginar(request, selectors.para_a_lista(filtro.filtrar(selectors.indicacoes_visiveis(request.user))))
    linhas = [{"ind": ind, "te": getattr(ind, "transferencia_especial", None),
               "situacao": services.situacao_da_indicacao(ind)} for ind in pagina.object_list]
    # As UOs do analista numa consulta só (pode_gerir, linha a linha, faria uma por linha).
    uos = set(ids_das_uos_do_analista(request.user)) if perfis.pode_gerir_transferencia_especial(request.user) else ()
    for linha in linhas:
        linha["marcavel"] = linha["situacao"] in services.EDITAVEIS and linha["ind"].inciso.acao.uo_id in uos
    return render(request, "emendas/transferencia/lista.html", {
        "filtro": filtro, "pagina": pagina, "linhas": linhas, "rotulos": dict(Status.choices),
        "form": CadastroTransferenciaForm(), "algum_marcavel": any(l["marcavel"] for l in linhas),
        "querystring": request.GET.urlencode(), "todos": request.GET.get("todos") == "1",
    })


@login_required
@require_POST
@envio_unico
def cadastrar_marcadas(request):
    """O cadastro das marcadas na lista: os mesmos nº da resolução, data e dotação em todas (ou em nenhuma)."""
    _exigir_quem_ve(request.user)
    consulta = request.POST.get("querystring")
    voltar = reverse("emendas:transferencias") + (f"?{consulta}" if consulta else "")
    ids = ids_selecionados(request)
    if not ids:
        messages.error(request, "Marque ao menos uma indicação para cadastrar.")
        return redirect(voltar)
    marcadas = list(selectors.visiveis_por_ids(request.user, ids))
    if len(marcadas) != len(set(ids)):
        messages.error(request, "Uma das indicações marcadas não está mais disponível; atualize a página.")
        return redirect(voltar)
    form = CadastroTransferenciaForm(request.POST)
    if not form.is_valid():
        for campo, erros in form.errors.items():
            rotulo = form.fields[campo].label if campo in form.fields else ""
            messages.error(request, f"{rotulo}: {' '.join(erros)}" if rotulo else " ".join(erros))
        return redirect(voltar)
    try:
        feitas = services.cadastrar_transferencia_especial(usuario=request.user, indicacoes=marcadas,
                                                           **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        numeros = ", ".join(str(te.indicacao.numero) for te in feitas)
        messages.success(request, f"{plural(len(feitas), 'transferência especial cadastrada', 'transferências especiais cadastradas')}: "
                                  f"indicação nº {numeros}.")
    return redirect(voltar)


def _contexto(request, ind, form=None):
    te = getattr(ind, "transferencia_especial", None)
    situacao = services.situacao_da_indicacao(ind)
    gere = services.pode_gerir(request.user, ind)
    return {
        "ind": ind, "te": te, "situacao": situacao, "rotulo_situacao": Status(situacao).label,
        "historico": selectors.historico(te),
        "pode_cadastrar": gere and situacao in services.EDITAVEIS and ind.status == ind.Status.APROVADA,
        "pode_enviar": gere and services.pode_enviar(te) and not te.envio_em_andamento,
        "pode_encerrar": gere and te is not None and services.MAQUINA.permite(te.status, Status.ENCERRADO),
        "tem_declaracao": services.tem_declaracao(te),
        "form": form or CadastroTransferenciaForm.da_transferencia(te),
    }


@login_required
@require_GET
def detalhe(request, pk: int):
    ind = _indicacao(request, pk)
    return render(request, "emendas/transferencia/detalhe.html", _contexto(request, ind))


@login_required
@require_POST
@envio_unico
def cadastrar(request, pk: int):
    ind = _indicacao(request, pk)
    _exigir_gestor(request.user, ind, "cadastra")  # quem só vê (SEGOV, visualizador) não chega ao formulário
    form = CadastroTransferenciaForm(request.POST)
    if form.is_valid():
        try:
            services.cadastrar_transferencia_especial(usuario=request.user, indicacoes=[ind], **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Transferência especial da indicação nº {ind.numero} cadastrada.")
            return redirect("emendas:transferencia", pk=ind.pk)
    return render(request, "emendas/transferencia/detalhe.html", _contexto(request, ind, form))


def _te(ind):
    te = getattr(ind, "transferencia_especial", None)
    if te is None:
        raise Http404("Esta indicação ainda não tem transferência especial cadastrada.")
    return te


def _revisar_ou_agir(request, pk: int, *, verbo: str, botao: str, acao: str, aviso: str, agir):
    """O passo com revisão (enviar, encerrar): só o analista da UO; o primeiro POST mostra a revisão, o confirmado
    chama *agir(te)*, que devolve a resposta."""
    ind = _indicacao(request, pk)
    te = _te(ind)
    _exigir_gestor(request.user, ind, verbo)
    destino = reverse("emendas:transferencia", args=[ind.pk])
    if not revisao.confirmado(request):
        item = revisao.Item(str(ind.numero), f"{ind.beneficiario} – resolução {te.numero_resolucao or '—'}", ind.valor)
        return revisao.revisar(request, acao=acao, itens=[item], singular="transferência especial",
                               plural="transferências especiais", voltar=destino, aviso=aviso, botao=botao)
    return agir(ind, te, destino)


@login_required
@require_POST
@envio_unico
def enviar(request, pk: int):
    """"Enviar para o SIAFI": revisão, depois o envio (fora de transação); o resultado aparece na página."""
    def agir(ind, te, destino):
        try:
            te = services.enviar_transferencia_ao_siafi(usuario=request.user, transferencia=te)
        except ValidationError as exc:
            messages.error(request, mensagens(exc))
        else:
            if te.status == Status.REGISTRADO_SIAFI:
                messages.success(request, f"Transferência especial registrada no SIAFI-MG: registro nº "
                                          f"{te.numero_siafi}.")
            else:
                # O motivo fica na própria página (o quadro "Não enviada ao SIAFI-MG"), não só nesta mensagem.
                messages.warning(request, "O envio ao SIAFI-MG não foi concluído; o motivo está abaixo.")
        return redirect(destino)

    return _revisar_ou_agir(request, pk, verbo="envia", botao="enviar para o SIAFI", acao="Enviar para o SIAFI", agir=agir,
                            aviso="O registro no SIAFI-MG não se desfaz pelo SIGCON.")


@login_required
@require_POST
@envio_unico
def encerrar(request, pk: int):
    def agir(ind, te, destino):
        return executar_acao(
            request, lambda: services.encerrar_transferencia_especial(usuario=request.user, transferencia=te),
            sucesso=f"Transferência especial da indicação nº {ind.numero} encerrada.", destino=destino,
        )

    return _revisar_ou_agir(request, pk, verbo="encerra", botao="encerrar", acao="Encerrar a transferência especial", agir=agir,
                            aviso="Encerrada, a transferência não volta atrás.")


@login_required
@require_GET
def declaracao(request, pk: int):
    """O PDF da "Declaração" (WeasyPrint), só de transferência registrada no SIAFI ou encerrada."""
    from weasyprint import HTML  # import pesado: só quem pede PDF paga

    ind = _indicacao(request, pk)
    te = _te(ind)
    if not services.tem_declaracao(te):
        messages.error(request, "A declaração só existe depois do registro no SIAFI-MG.")
        return redirect(destino_seguro(request, reverse("emendas:transferencia", args=[ind.pk])))
    html = render_to_string("emendas/transferencia/declaracao_pdf.html", {
        "ind": ind, "te": te, "gerado_em": timezone.localtime(), "usuario": request.user,
    })
    resposta = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    resposta["Content-Disposition"] = (f'inline; filename="declaracao-transferencia-especial-'
                                       f'{ind.exercicio.ano}-{ind.numero}.pdf"')
    return resposta
