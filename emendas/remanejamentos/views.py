"""Telas de remanejamento: solicitação (parlamentar), análise (SEGOV) e relatório."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from sigcon.views_util import (
    ano_pedido, decidir_em_lote, destino_seguro, executar_acao, ids_selecionados, mensagens, pagina_ou_trecho,
    voltar_com_filtros,
)

from .. import paineis, prazos, selectors
from ..models import Inciso, Remanejamento
from . import selectors as consultas, services
from .forms import ConfirmacaoForm, RemanejamentoForm, ReprovacaoForm, filtro_da_fila

Status = Remanejamento.Status


def _inciso_remanejavel(usuario, pk: int) -> Inciso:
    """Inciso que o usuário pode remanejar; 404 para quem nem o vê, 403 para quem só lê (membro de bloco)."""
    inciso = selectors.inciso_para_usuario(usuario, pk)
    if not selectors.pode_escrever_no_inciso(usuario, inciso):
        raise PermissionDenied("Você só pode consultar este inciso.")
    return inciso


@login_required
@require_GET
def solicitacao(request):
    """Passo 1 e 2: UO → incisos da UO (htmx), com a lista de pedidos embaixo."""
    if not perfis.age_como_parlamentar(request.user):
        raise PermissionDenied("Somente parlamentares pedem remanejamentos.")
    exercicio = selectors.exercicio_atual(ano_pedido(request))
    contexto = {"exercicio": exercicio, "hoje": timezone.localdate()}
    if exercicio:
        incisos = consultas.incisos_remanejaveis(request.user, exercicio)
        uo_escolhida = request.GET.get("uo", "")
        # Os saldos de todos os incisos numa vez: o resumo do titular e as linhas da UO escolhida.
        saldos = selectors.saldos_das_linhas(incisos, exercicio, contexto["hoje"])
        contexto.update(
            janela=prazos.janela(exercicio, contexto["hoje"]),
            uos=consultas.uos_das_linhas(incisos),
            uo_escolhida=uo_escolhida,
            linhas=[{"inciso": i, "saldos": saldos[i["pk"]]} for i in incisos if str(i["uo_id"]) == uo_escolhida],
            pagina=consultas.pedidos_dos_incisos(incisos, request.GET.get("pagina")),
            resumo=paineis.somar(saldos.values()),
        )
    trecho = bool(request.htmx) and request.GET.get("uo") is not None and request.htmx.target == "incisos-da-uo"
    return pagina_ou_trecho(request, "emendas/remanejamento/solicitacao.html",
                            "emendas/remanejamento/_incisos_da_uo.html", contexto, trecho_pedido=trecho)


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def novo(request, pk: int):
    """Passo 3: destino e valor → "Salvar" → confirmação com detalhamento → confirmar."""
    inciso = _inciso_remanejavel(request.user, pk)
    hoje = timezone.localdate()
    contexto = {"inciso": inciso, "saldos": selectors.saldos_inciso(inciso, hoje), "hoje": hoje,
                "janela": prazos.janela(inciso.exercicio, hoje), "exercicio": inciso.exercicio}
    contexto["pode_salvar"] = bool(contexto["janela"]["usos"]["remanejamento"]) and inciso.remanejavel
    if request.method == "POST" and "corrigir" in request.POST:
        # Volta da confirmação para o formulário com o que foi digitado, sem mostrar erros.
        contexto["form"] = RemanejamentoForm(initial=request.POST.dict(), inciso=inciso)
        return render(request, "emendas/remanejamento/novo.html", contexto)
    confirmando = request.method == "POST" and "confirmar" in request.POST
    form_cls = ConfirmacaoForm if confirmando else RemanejamentoForm
    form = form_cls(request.POST or None, inciso=inciso)
    contexto["form"] = form
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if confirmando:
                rem = services.solicitar_remanejamento(
                    usuario=request.user, inciso=inciso, acao=d["acao"], grupo_despesa=d["grupo_despesa"],
                    valor=d["valor"], detalhamento=d.get("detalhamento", ""),
                )
                rem.refresh_from_db()
                if rem.status == Status.APROVADO:
                    messages.success(request, f"Remanejamento aprovado automaticamente: novo inciso {rem.inciso_gerado.numero}.")
                else:
                    messages.success(request, f"Remanejamento nº {rem.pk} solicitado. O valor já foi reservado; a SEGOV foi avisada.")
                return redirect(f"{reverse('emendas:remanejamentos')}?uo={inciso.acao.uo_id}&ano={inciso.exercicio.ano}")
            services.conferir_pedido(usuario=request.user, inciso=inciso, acao=d["acao"],
                                     grupo_despesa=d["grupo_despesa"], valor=d["valor"])
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            contexto["confirmacao"] = ConfirmacaoForm(initial={**d, "valor": request.POST.get("valor")}, inciso=inciso)
            contexto["dados"] = d
            return render(request, "emendas/remanejamento/confirmar.html", contexto)
    return render(request, "emendas/remanejamento/novo.html", contexto)


@login_required
@require_GET
def grupos(request, pk: int):
    """htmx: grupos de despesa da ação escolhida."""
    inciso = _inciso_remanejavel(request.user, pk)
    form = RemanejamentoForm(initial={"acao": request.GET.get("acao", "")}, inciso=inciso)
    return render(request, "emendas/remanejamento/_grupos.html", {"form": form})


@login_required
@require_GET
def visualizar(request, pk: int):
    rem = selectors.remanejamento_para_usuario(request.user, pk)
    # Os botões saem da tabela de transições e da regra de quem pode (services.transicoes_do_usuario).
    possiveis = services.transicoes_do_usuario(usuario=request.user, remanejamento=rem)
    return render(request, "emendas/remanejamento/visualizar.html", {
        "rem": rem,
        "registros": consultas.historico(rem),
        "saldos": selectors.saldos_inciso(rem.inciso_origem),
        "pode_cancelar": Status.CANCELADO in possiveis,
        "pode_decidir": Status.APROVADO in possiveis,
        "form_reprovar": ReprovacaoForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def cancelar(request, pk: int):
    rem = selectors.remanejamento_para_usuario(request.user, pk)
    if request.method == "POST":
        return executar_acao(
            request, lambda: services.cancelar_remanejamento(usuario=request.user, remanejamento=rem),
            sucesso=f"Remanejamento nº {rem.pk} cancelado; o valor voltou ao saldo do inciso.",
            destino=reverse("emendas:remanejamento", args=[rem.pk]),
        )
    if not selectors.pode_escrever_no_inciso(request.user, rem.inciso_origem):
        raise PermissionDenied("Somente quem pode remanejar o inciso pode cancelar o pedido.")
    return render(request, "emendas/remanejamento/cancelar.html", {"rem": rem})


def _exigir_segov(request):
    if not perfis.e_segov(request.user):
        raise PermissionDenied("Somente a SEGOV analisa remanejamentos.")


@login_required
@require_POST
@envio_unico
def aprovar(request, pk: int):
    _exigir_segov(request)
    rem = selectors.remanejamento_para_usuario(request.user, pk)
    destino = destino_seguro(request, reverse("emendas:remanejamento", args=[rem.pk]))
    if not revisao.confirmado(request) and rem.status == Status.SOLICITADO:
        return _revisar_um(request, rem, "Aprovar", destino, aviso="Será criado um novo inciso R no destino.")
    return executar_acao(
        request, lambda: services.aprovar_remanejamento(usuario=request.user, remanejamento=rem),
        sucesso=lambda novo_inciso: f"Remanejamento nº {rem.pk} aprovado: criado o inciso {novo_inciso.numero}.",
        destino=destino,
    )


def _item(rem) -> revisao.Item:
    """O pedido na página de revisão (o isolado e o lote da fila dizem o mesmo)."""
    return revisao.Item(str(rem.pk), f"{rem.inciso_origem.emenda.titular} – inciso {rem.inciso_origem.numero} → "
                        f"{rem.acao.codigo} / GD {rem.grupo_despesa.codigo}", rem.valor)


def _revisar_um(request, rem, verbo: str, voltar: str, aviso: str):
    return revisao.revisar(request, acao=f"{verbo} o remanejamento nº {rem.pk}", itens=[_item(rem)],
                           singular="pedido", plural="pedidos", voltar=voltar, aviso=aviso,
                           botao=f"{verbo} o remanejamento")


@login_required
@require_POST
@envio_unico
def reprovar(request, pk: int):
    _exigir_segov(request)
    rem = selectors.remanejamento_para_usuario(request.user, pk)
    form = ReprovacaoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Informe a justificativa da reprovação.")
        return redirect("emendas:remanejamento", pk=rem.pk)
    destino = destino_seguro(request, reverse("emendas:remanejamento", args=[rem.pk]))
    if not revisao.confirmado(request) and rem.status == Status.SOLICITADO:
        volta = prazos.OrigemSaldo(prazos.destino_devolucao_remanejamento(
            rem.inciso_origem.exercicio, timezone.localdate(), rem.saldo_origem)).label
        return _revisar_um(request, rem, "Reprovar", destino,
                           aviso=f"O valor volta ao inciso de origem, como {volta}. "
                                 f"Justificativa: {form.cleaned_data['justificativa']}")
    return executar_acao(
        request, lambda: services.reprovar_remanejamento(usuario=request.user, remanejamento=rem,
                                                         justificativa=form.cleaned_data["justificativa"]),
        sucesso=f"Remanejamento nº {rem.pk} reprovado; o valor voltou ao inciso de origem.",
        destino=destino,
    )


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def analise(request):
    """Fila da SEGOV com filtros e decisão em lote."""
    _exigir_segov(request)
    if request.method == "POST":
        return _decidir_em_lote(request)
    filtro = filtro_da_fila(request.GET)
    qs = filtro.filtrar(consultas.fila_da_segov(request.user)).order_by("solicitado_em", "pk")
    pagina = Paginator(qs, 50).get_page(request.GET.get("pagina"))
    # O COUNT do Paginator sem as junções dos rótulos; só a página de 50 as leva.
    pagina.object_list = list(consultas.pedidos_rotulados(pagina.object_list))
    linhas = consultas.linhas_da_fila(pagina.object_list)
    return render(request, "emendas/remanejamento/analise.html", {
        "filtro": filtro, "pagina": pagina, "linhas": linhas, "form_reprovar": ReprovacaoForm(),
        "querystring": request.GET.urlencode(),
    })


def _decidir_em_lote(request):
    ids = ids_selecionados(request)
    acao = request.POST.get("acao_lote")
    voltar = voltar_com_filtros(request)
    if not ids or acao not in ("aprovar", "reprovar"):
        messages.error(request, "Selecione ao menos um pedido e a ação (aprovar ou reprovar).")
        return redirect(voltar)
    justificativa = request.POST.get("justificativa", "").strip()
    if acao == "reprovar" and not justificativa:
        messages.error(request, "Para reprovar em lote, informe a justificativa.")
        return redirect(voltar)
    if acao == "reprovar" and not (form := ReprovacaoForm(request.POST)).is_valid():
        messages.error(request, mensagens(ValidationError(form.errors["justificativa"])))
        return redirect(voltar)
    pedidos = list(consultas.remanejamentos_por_ids(ids))
    if not pedidos:
        messages.error(request, "Nenhum dos pedidos selecionados existe mais; atualize a fila.")
        return redirect(voltar)
    if not revisao.confirmado(request):
        return revisao.revisar(
            request, acao=f"{'Aprovar' if acao == 'aprovar' else 'Reprovar'} remanejamentos",
            itens=[_item(r) for r in pedidos],
            singular="pedido", plural="pedidos", voltar=voltar,
            aviso="" if acao == "aprovar" else f"Justificativa: {justificativa}",
        )

    def executar(rem):
        if acao == "aprovar":
            services.aprovar_remanejamento(usuario=request.user, remanejamento=rem)
        else:
            services.reprovar_remanejamento(usuario=request.user, remanejamento=rem, justificativa=justificativa)

    decidir_em_lote(request, pedidos, executar, numero=lambda rem: rem.pk, falha="Não processado",
                    valor=lambda rem: rem.valor,
                    feitos_em=(("pedido aprovado", "pedidos aprovados") if acao == "aprovar"
                               else ("pedido reprovado", "pedidos reprovados")))
    return redirect(voltar)
