"""Telas do segundo ciclo: "Escolha Saneamento ou Remanejamento Constitucional" (por inciso), o remanejamento
constitucional com as quatro figuras (titular) e o registro da lei pela SEGOV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from sigcon.dinheiro import ZERO
from sigcon.views_util import ano_pedido, executar_acao, mensagens

from .. import prazos
from .. import selectors as nucleo
from ..models import Bloco, Indicacao, LinhaRemanejamentoConstitucional, Parlamentar
from . import constitucional, selectors, services
from .forms import LeiForm, LinhaConstitucionalForm, ReservaForm, SanearForm


def _titulares(usuario) -> list:
    """Os titulares em nome de quem o usuário age: o seu parlamentar e os blocos de que é responsável."""
    titulares = list(Parlamentar.objects.filter(usuario=usuario))
    titulares += list(Bloco.objects.filter(responsavel__usuario=usuario).select_related("responsavel").order_by("nome"))
    return titulares


def _chave(titular) -> str:
    return f"{'b' if isinstance(titular, Bloco) else 'p'}{titular.pk}"


def _titular_pedido(request):
    titulares = _titulares(request.user)
    if not titulares:
        raise PermissionDenied("O saneamento e o remanejamento constitucional são do titular da emenda (parlamentar "
                               "ou responsável pelo bloco).")
    pedido = request.POST.get("titular") or request.GET.get("titular", "")
    return next((t for t in titulares if _chave(t) == pedido), titulares[0]), titulares


def _exercicio(request):
    exercicio = nucleo.exercicio_atual(ano_pedido(request))
    if exercicio is None:
        raise PermissionDenied("Nenhum exercício carregado.")
    return exercicio


def _id_do_post(request, campo) -> int | None:
    texto = request.POST.get(campo, "")
    return int(texto) if texto.isascii() and texto.isdigit() and len(texto) <= 18 else None


def _janela(exercicio, trilha, tipo, hoje):
    intervalo = prazos.intervalo_janela(exercicio, trilha, tipo)
    return {"intervalo": intervalo, "aberta": prazos.janela_aberta(exercicio, trilha, tipo, hoje)}


@login_required
@require_GET
def painel(request):
    """"Escolha Saneamento ou Remanejamento Constitucional > Saneamento": o saldo com impedimento por inciso."""
    titular, titulares = _titular_pedido(request)
    exercicio = _exercicio(request)
    hoje = timezone.localdate()
    todas = selectors.painel_saneamento(titular, exercicio, hoje)
    linhas = [l for l in todas if l.tem_escolha]
    return render(request, "emendas/saneamento/painel.html", {
        "adequacao": selectors.adequacao(titular, exercicio, todas),
        "titular": titular, "titulares": [(_chave(t), t) for t in titulares], "chave": _chave(titular),
        "exercicio": exercicio, "linhas": linhas, "total_iot": sum((l.saldo_iot for l in linhas), ZERO),
        "janela": _janela(exercicio, prazos.Trilha.SR, prazos.TipoJanela.ESCOLHA_SANEAMENTO, hoje),
        "todos_concluidos": all(l.concluido for l in linhas),
    })


def _inciso_do_titular(request, pk):
    inciso = nucleo.inciso_para_usuario(request.user, pk)
    if not selectors.pode_agir(request.user, selectors.titular_do_inciso(inciso)):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) faz o saneamento.")
    return inciso


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def inciso(request, pk: int):
    """O saneamento de um inciso: por indicação reprovada, o valor a sanear e a proposta; o guardado para o
    remanejamento constitucional."""
    inc = _inciso_do_titular(request, pk)
    if request.method == "POST":
        destino = reverse("emendas:saneamento_inciso", args=[inc.pk])
        if request.POST.get("acao") == "reservar":
            form = ReservaForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(e for erros in form.errors.values() for e in erros))
                return redirect(destino)
            return executar_acao(request, lambda: services.reservar_remanejamento_constitucional(
                usuario=request.user, inciso=inc, valor=form.cleaned_data["valor"] or ZERO),
                sucesso="Valor do remanejamento constitucional salvo.", destino=destino)
        ind_pk = _id_do_post(request, "indicacao")
        ind = Indicacao.objects.filter(inciso=inc, pk=ind_pk).first() if ind_pk else None
        form = SanearForm(request.POST)
        if ind is None or not form.is_valid():
            messages.error(request, "Escolha a indicação e informe um valor válido." if form.is_valid() else
                           " ".join(e for erros in form.errors.values() for e in erros))
            return redirect(destino)
        return executar_acao(request, lambda: services.sanear_indicacao(
            usuario=request.user, indicacao=ind, valor=form.cleaned_data["valor"] or ZERO,
            proposta_saneadora=form.cleaned_data["proposta_saneadora"]),
            sucesso=f"Saneamento da indicação nº {ind.numero} salvo.", destino=destino)
    titular = selectors.titular_do_inciso(inc)
    hoje = timezone.localdate()
    linha = next(l for l in selectors.painel_saneamento(titular, inc.exercicio, hoje) if l.inciso.pk == inc.pk)
    return render(request, "emendas/saneamento/inciso.html", {
        "inciso": inc, "linha": linha, "reserva_form": ReservaForm(initial={"valor": linha.valor_reserva}),
        "janela": _janela(inc.exercicio, prazos.Trilha.SR, prazos.TipoJanela.ESCOLHA_SANEAMENTO, hoje),
        "chave": _chave(titular),
    })


@login_required
@require_POST
@envio_unico
def concluir(request, pk: int):
    """"Concluir Saneamento": irreversível fora da janela, passa pela revisão."""
    inc = _inciso_do_titular(request, pk)
    destino = reverse("emendas:saneamento_inciso", args=[inc.pk])
    if not revisao.confirmado(request):
        titular = selectors.titular_do_inciso(inc)
        linha = next(l for l in selectors.painel_saneamento(titular, inc.exercicio) if l.inciso.pk == inc.pk)
        itens = [revisao.Item(f"{l.indicacao.numero}", "Valor sanado", l.sanado.valor)
                 for l in linha.indicacoes if l.sanado]
        itens.append(revisao.Item(inc.numero, "Guardado para o remanejamento constitucional", linha.valor_reserva))
        itens.append(revisao.Item(inc.numero, "Perde a impositividade no fim da escolha", linha.a_escolher))
        return revisao.revisar(request, acao=f"Concluir o saneamento do inciso {inc.numero}", itens=itens,
                               singular="item", plural="itens", voltar=destino,
                               aviso="Depois de concluir, a escolha fica só para leitura (só “Refazer escolha” a "
                                     "reabre, enquanto a janela estiver aberta).")
    return executar_acao(request, lambda: services.concluir_saneamento(usuario=request.user, inciso=inc),
                         sucesso=f"Saneamento do inciso {inc.numero} concluído.",
                         destino=reverse("emendas:saneamento") + f"?titular={_chave(selectors.titular_do_inciso(inc))}")


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def remanejamento_constitucional(request):
    """"Remanejamento Constitucional": as quatro figuras, as linhas programadas e a programação de uma nova."""
    titular, titulares = _titular_pedido(request)
    exercicio = _exercicio(request)
    hoje = timezone.localdate()
    figuras = selectors.figuras_remanejamento_constitucional(titular, exercicio, hoje)
    destinos = list(selectors.destinos_constitucionais(exercicio, figuras))
    form = LinhaConstitucionalForm(request.POST if request.POST.get("acao") == "programar" else None,
                                   destinos=destinos)
    aqui = reverse("emendas:remanejamento_constitucional") + f"?titular={_chave(titular)}"
    if request.method == "POST":
        acao = request.POST.get("acao")
        if acao == "programar":
            if form.is_valid():
                acao_destino, grupo = form.destino()
                try:
                    constitucional.programar_remanejamento_constitucional(
                        usuario=request.user, titular=titular, acao=acao_destino, grupo_despesa=grupo,
                        valor=form.cleaned_data["valor"], exercicio=exercicio)
                except ValidationError as exc:
                    form.add_error(None, mensagens(exc))
                else:
                    messages.success(request, "Linha do remanejamento constitucional salva.")
                    return redirect(aqui)
        elif acao == "excluir":
            linha = get_object_or_404(LinhaRemanejamentoConstitucional, pk=_id_do_post(request, "linha") or 0,
                                      exercicio=exercicio, **selectors.filtro_do_titular(titular))
            return executar_acao(request, lambda: constitucional.excluir_linha_remanejamento_constitucional(
                usuario=request.user, linha=linha), sucesso="Linha excluída.", destino=aqui)
        elif acao in ("refazer", "concluir"):
            if not revisao.confirmado(request):
                itens = [revisao.Item(f"UO {l.acao.uo.codigo}", f"{l.acao.codigo} – {l.acao.nome} · "
                                      f"{l.grupo_despesa.nome}", l.valor) for l in figuras.linhas]
                textos = {
                    "refazer": ("Refazer a escolha", "Apaga todas as linhas programadas e reabre o saneamento dos "
                                                     "incisos (enquanto a janela de escolha estiver aberta)."),
                    "concluir": ("Concluir o remanejamento constitucional",
                                 f"O que não foi programado ({figuras.disponivel:.2f}) perde a impositividade na lei."),
                }
                return revisao.revisar(request, acao=textos[acao][0], itens=itens, singular="linha", plural="linhas",
                                       voltar=aqui, aviso=textos[acao][1])
            servico = (constitucional.refazer_escolha if acao == "refazer"
                       else constitucional.concluir_remanejamento_constitucional)
            destino = (reverse("emendas:saneamento") + f"?titular={_chave(titular)}" if acao == "refazer" else aqui)
            return executar_acao(request, lambda: servico(usuario=request.user, titular=titular, exercicio=exercicio),
                                 sucesso="Escolha refeita." if acao == "refazer" else
                                 "Remanejamento constitucional concluído.", destino=destino)
        else:
            messages.error(request, "Escolha o que fazer.")
            return redirect(aqui)
    return render(request, "emendas/saneamento/constitucional.html", {
        "titular": titular, "titulares": [(_chave(t), t) for t in titulares], "chave": _chave(titular),
        "exercicio": exercicio, "figuras": figuras, "form": form,
        "janela": _janela(exercicio, prazos.Trilha.SR, prazos.TipoJanela.REMANEJAMENTO_CONSTITUCIONAL, hoje),
        "lei": selectors.lei_registrada(exercicio),
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def lei(request):
    """SEGOV: registrar a lei do remanejamento constitucional sancionada (cria os incisos P)."""
    if not perfis.e_segov(request.user):
        raise PermissionDenied("Somente a SEGOV registra a lei do remanejamento constitucional.")
    exercicio = _exercicio(request)
    pendentes = list(selectors.linhas_pendentes_da_lei(exercicio))
    form = LeiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if not revisao.confirmado(request):
            itens = [revisao.Item(f"UO {l.acao.uo.codigo}", f"{l.bloco or l.parlamentar} · {l.acao.codigo} – "
                                  f"{l.acao.nome} · {l.grupo_despesa.nome}", l.valor) for l in pendentes]
            return revisao.revisar(request, acao=f"Registrar a lei nº {d['numero_lei']}", itens=itens,
                                   singular="inciso P", plural="incisos P", voltar=reverse("emendas:lei_remanejamento"),
                                   aviso="Cada linha vira um inciso P; o guardado não programado perde a "
                                         "impositividade. Não há como desfazer.")
        try:
            criados = constitucional.registrar_lei_remanejamento(usuario=request.user, exercicio=exercicio,
                                                                 numero_lei=d["numero_lei"], data=d["data"])
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Lei nº {d['numero_lei']} registrada: {len(criados)} inciso(s) P criado(s)"
                             + (f" ({', '.join(i.numero for i in criados)})." if criados else "."))
            return redirect("emendas:lei_remanejamento")
    return render(request, "emendas/saneamento/lei.html", {
        "exercicio": exercicio, "pendentes": pendentes, "form": form,
        "total": sum((l.valor for l in pendentes), ZERO),
        "leis": exercicio.leis_remanejamento.select_related("registrada_por").prefetch_related("linhas__inciso_gerado"),
    })
