"""Telas de indicação: parlamentar (indicar, ajustar, cancelar, visualizar), órgão e SEGOV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from sigcon.dinheiro import ZERO
from sigcon.views_util import (
    acao_conhecida, ano_pedido, decidir_em_lote, destino_seguro, executar_acao, ids_selecionados, mensagens,
    pagina_ou_trecho, voltar_com_filtros,
)

from .. import paineis, preflight, prazos, selectors
from ..catalogo.forms import tipo_postado
from ..catalogo.selectors import catalogo_valido_para
from ..models import Indicacao
from ..visibilidade import parlamentar_do_usuario
from . import cancelamento, regras, selectors as consultas, services, views_preflight
from .forms import (
    LIMITE_LINHAS, FiltroIndicacoesForm, IndicacaoForm, JustificativaForm, ReprovacaoEmLoteForm,
    ReprovacaoIndicacaoForm, editar_linhas, filtro_da_fila,
)

Status = Indicacao.Status


@login_required
@require_GET
def indicacao_de_recursos(request):
    """Incisos do titular com o disponível para indicação; busca por inciso ou nº de indicação."""
    if not perfis.age_como_parlamentar(request.user):
        raise PermissionDenied("Somente parlamentares indicam recursos.")
    exercicio = selectors.exercicio_atual(ano_pedido(request))
    hoje = timezone.localdate()
    contexto = {"exercicio": exercicio, "hoje": hoje, "busca": request.GET.get("busca", "").strip()}
    if exercicio:
        busca = contexto["busca"].upper()
        incisos = consultas.incisos_para_indicar(request.user, exercicio, busca)
        saldos = selectors.saldos_das_linhas(incisos, exercicio, hoje)
        por_inciso = consultas.linhas_das_indicacoes([i["pk"] for i in incisos])
        parlamentar = parlamentar_do_usuario(request.user)
        contexto.update(
            janela=prazos.janela(exercicio, hoje),
            linhas=[{
                "inciso": i, "saldos": saldos[i["pk"]], "indicacoes": por_inciso.get(i["pk"], []),
                "pode_indicar": paineis.pode_escrever_na_linha(parlamentar, i),
                "expandido": bool(busca) or request.GET.get("expandir") == str(i["pk"]),
            } for i in incisos],
            parlamentar=parlamentar,
        )
        contexto["pode_cancelar_varias"] = any(l["pode_indicar"] and l["indicacoes"] for l in contexto["linhas"])
    return render(request, "emendas/indicacao/lista_incisos.html", contexto)


@login_required
@require_GET
def do_inciso(request, pk: int):
    """As indicações de um inciso: o trecho que a página do inciso carrega pelo htmx quando a seção aparece na tela
    (a página abre sem esperar por elas) e, sem JavaScript, uma página própria, para onde leva o link da seção."""
    inciso = selectors.inciso_para_usuario(request.user, pk)
    return pagina_ou_trecho(request, "emendas/indicacao/do_inciso.html", "emendas/indicacao/_do_inciso.html", {
        "inciso": inciso, "indicacoes": consultas.indicacoes_do_inciso(inciso),
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def nova(request, pk: int):
    """Formulário → revisão → envio. "Adicionar linha", "Remover" e "Corrigir" reenviam o formulário e voltam a ele
    com o que foi digitado (sem JavaScript a página inteira; com htmx só o formulário); "Revisar" mostra o que vai
    ser enviado (beneficiários, quantidade, total, inciso, saldo) e só "Confirmar e enviar" grava."""
    inciso = selectors.inciso_para_usuario(request.user, pk)
    if not selectors.pode_escrever_no_inciso(request.user, inciso):
        raise PermissionDenied("Você só pode consultar este inciso.")
    hoje = timezone.localdate()
    janela = prazos.janela(prazos.calendario_do_inciso(inciso.exercicio, inciso.tipo), hoje)  # P: a janela P
    usos = janela["usos"]["indicacao"]
    # Lidos só se a tela for desenhada (ou o total conferido): o POST que envia não paga por eles; o serviço lê o
    # saldo de novo com o inciso travado.
    saldos = SimpleLazyObject(lambda: selectors.saldos_inciso(inciso, hoje))
    opcoes = {"formas": services.formas_permitidas(inciso), "pede_origem": len(usos) > 1,
              "disponiveis": SimpleLazyObject(lambda: {u: saldos.saldo_do_balde(u) for u in usos}), "inciso": inciso}

    def com_catalogo(**extra):
        return IndicacaoForm(request.POST, **opcoes, catalogo=catalogo_valido_para(inciso.grupo_despesa_id), **extra)

    acao = request.POST.get("acao") or ("remover" if "remover_linha" in request.POST else "revisar")
    verificado = None
    if request.method == "GET" or acao in ("adicionar", "remover", "corrigir", "opcoes"):
        form = _formulario_editado(request, acao, {**opcoes, "catalogo": catalogo_valido_para(inciso.grupo_despesa_id)})
    elif acao == "verificar":
        # "Vai passar?": avalia o que foi digitado sem gravar nada; com htmx só a lista volta, sem JS a página toda.
        form = com_catalogo(conferir_total=False)
        verificado = views_preflight.do_formulario(request.user, inciso, form, hoje)
        if request.htmx:
            return render(request, "emendas/indicacao/_preflight.html", {"preflight": verificado})
    elif acao != "confirmar":
        form = com_catalogo()
        if form.is_valid():
            return views_preflight.revisao(request, inciso, form, janela)
    else:
        # Na confirmação o tipo vai direto ao serviço, que confere só o escolhido contra o grupo (uma consulta; a
        # revisão já o conferiu contra o catálogo); o catálogo inteiro só é lido se a tela voltar a ser desenhada.
        form = IndicacaoForm(request.POST, conferir_total=False, **opcoes)
        if not form.is_valid():
            form = com_catalogo(conferir_total=False)
        else:
            d = form.cleaned_data
            try:
                criadas = services.enviar_indicacoes(
                    usuario=request.user, inciso=inciso, forma_execucao=d["forma_execucao"], objeto=d["objeto"],
                    linhas=d["linhas"], origem_saldo=d.get("origem_saldo") or None,
                    **tipo_postado(request.POST, d["forma_execucao"]),
                )
            except ValidationError as exc:
                form = com_catalogo(conferir_total=False)
                form.is_valid()
                form.erro_do_servico(exc)
            else:
                numeros = ", ".join(str(i.numero) for i in criadas)
                messages.success(request, f"{len(criadas)} indicação(ões) enviada(s) ao órgão: nº {numeros}.")
                return redirect(f"{reverse('emendas:indicacoes')}?expandir={inciso.pk}&ano={inciso.exercicio.ano}")
    formas = form.fields["forma_execucao"].choices
    forma_atual = form["forma_execucao"].value()
    if forma_atual not in dict(formas):
        forma_atual = formas[0][0] if formas else ""
    contexto = {
        "inciso": inciso, "form": form, "janela": janela, "hoje": hoje, "exercicio": inciso.exercicio,
        "saldos": saldos, "pode_enviar": bool(usos), "formas": formas, "forma_atual": forma_atual,
        "limite_linhas": LIMITE_LINHAS, "preflight": verificado,
        "beneficiarios_por_forma": [
            (rotulo, regras.nomes_dos_tipos(f) or "sem beneficiário convenente") for f, rotulo in formas
        ],
    }
    # Com htmx ("Adicionar linha", "Remover") só o formulário volta; o resto da página fica como está.
    if request.htmx and request.htmx.target == "form-indicacao":
        return render(request, "emendas/indicacao/_formulario.html", contexto)
    return render(request, "emendas/indicacao/nova.html", contexto)


def _formulario_editado(request, acao, opcoes) -> IndicacaoForm:
    """O formulário sem validar: vazio (GET), ou com o que foi digitado e uma linha a mais, uma a menos ou igual."""
    if request.method == "GET":
        return IndicacaoForm(**opcoes)
    remover = request.POST.get("remover") or request.POST.get("remover_linha") or ""
    # Só algarismos de 0 a 9 e poucos (um número forjado não derruba a tela: a linha é ignorada).
    linha = int(remover) if acao == "remover" and remover.isascii() and remover.isdigit() and len(remover) <= 3 else None
    dados, n = editar_linhas(request.POST, adicionar=acao == "adicionar", remover=linha)
    form = IndicacaoForm(initial=dados, n_linhas=n, **opcoes)
    # O foco vai para onde a pessoa continua: a linha nova, ou a que subiu para o lugar da removida.
    if acao == "adicionar":
        form.focar(f"cnpj_{n}")
    elif acao == "remover":
        form.focar(f"cnpj_{min(linha or 1, n)}")
    elif acao == "opcoes":
        form.focar("especificacao_atendimento")
    else:
        form.focar("cnpj_1")
    return form


def _contexto_detalhe(request, ind):
    usos = consultas.usos_da_indicacao(ind)
    # Os botões saem da tabela de transições e da regra de quem pode (services.transicoes_do_usuario).
    possiveis = services.transicoes_do_usuario(usuario=request.user, indicacao=ind)
    return {
        "ind": ind,
        "usos": usos,
        "valor_utilizado": sum((u.valor for u in usos), ZERO),
        "liberacoes": consultas.liberacoes_da_indicacao(ind),
        "registros": consultas.historico(ind),
        "preflight": views_preflight.da_indicacao(request.user, ind, timezone.localdate()),
        "pode_aprovar_orgao": Status.EM_ANALISE_SEGOV in possiveis,
        "pode_devolver": Status.AGUARDANDO_AJUSTE in possiveis,
        "pode_reprovar": Status.REPROVADA in possiveis,
        "pode_segov": Status.APROVADA in possiveis,
        "pode_cancelar": Status.CANCELADA in possiveis,
        "pode_ajustar": Status.EM_ANALISE_ORGAO in possiveis,
        "pode_priorizar": ind.prioridade is not None and Status.CANCELADA in possiveis,  # o titular, ativa
        # ids distintos: a página tem dois formulários com o campo "justificativa".
        "form_justificativa": JustificativaForm(auto_id="justificar_%s"),
        "form_reprovar": ReprovacaoIndicacaoForm(exercicio=ind.exercicio, auto_id="reprovar_%s"),
    }


@login_required
@require_GET
def detalhe(request, pk: int):
    ind = selectors.indicacao_para_usuario(request.user, pk)
    return render(request, "emendas/indicacao/detalhe.html", _contexto_detalhe(request, ind))


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def cancelar(request, pk: int):
    ind = selectors.indicacao_para_usuario(request.user, pk)
    if not selectors.pode_escrever_no_inciso(request.user, ind.inciso):
        raise PermissionDenied("Somente o titular cancela a indicação.")
    form = JustificativaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelamento.cancelar_indicacao(usuario=request.user, indicacao=ind, justificativa=form.cleaned_data["justificativa"])
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Indicação nº {ind.numero} cancelada; o valor voltou ao saldo do inciso.")
            return redirect("emendas:indicacao", pk=ind.pk)
    destino = recusa = None
    try:
        # Mostra já na abertura por que não dá (e a saída), antes de a pessoa escrever a justificativa.
        services.exigir_sem_proposta(ind, "cancelada")
        destino = prazos.OrigemSaldo(prazos.destino_devolucao_indicacao(
            prazos.calendario_do_inciso(ind.exercicio, ind.inciso.tipo), timezone.localdate(), ind.origem_saldo,
            cancelamento=True)).label
    except prazos.CancelamentoRecusado as exc:
        recusa = str(exc)
    except ValidationError as exc:
        recusa = mensagens(exc)
    return render(request, "emendas/indicacao/cancelar.html",
                  {"ind": ind, "form": form, "destino": destino, "recusa": recusa})


ACOES = {
    "aprovar_orgao": ("aprovada e enviada à SEGOV", lambda u, i, p: services.aprovar_indicacao_orgao(usuario=u, indicacao=i)),
    "devolver": ("devolvida ao parlamentar para ajuste",
                 lambda u, i, p: services.devolver_para_ajuste(usuario=u, indicacao=i, justificativa=p.get("justificativa"))),
    "reprovar": ("reprovada por impedimento de ordem técnica", None),
    "aprovar_segov": ("aprovada", lambda u, i, p: services.aprovar_indicacao_segov(usuario=u, indicacao=i)),
    "retornar": ("retornada ao órgão",
                 lambda u, i, p: services.retornar_ao_orgao(usuario=u, indicacao=i, justificativa=p.get("justificativa"))),
}

# O que ACOES diz de uma indicação, dito de várias (mensagem do lote: "3 indicações aprovadas").
FEITOS_NO_PLURAL = {
    "aprovar_orgao": "aprovadas e enviadas à SEGOV", "devolver": "devolvidas ao parlamentar para ajuste",
    "reprovar": "reprovadas por impedimento de ordem técnica", "aprovar_segov": "aprovadas",
    "retornar": "retornadas ao órgão",
}


def _executar(usuario, ind, acao, dados):
    if acao == "reprovar":
        form = ReprovacaoIndicacaoForm(dados, exercicio=ind.exercicio)
        if not form.is_valid():
            if dados.get("categoria") and "categoria" in form.errors:
                raise ValidationError(
                    f"A categoria escolhida não é da lista de impedimentos do exercício {ind.exercicio.ano} "
                    "(o desta indicação): escolha uma categoria desse exercício."
                )
            if dados.get("justificativa") and "justificativa" in form.errors:
                raise ValidationError(form.errors["justificativa"])
            raise ValidationError("Escolha a categoria do impedimento e escreva a justificativa.")
        return services.reprovar_indicacao(usuario=usuario, indicacao=ind, categoria=form.cleaned_data["categoria"],
                                           justificativa=form.cleaned_data["justificativa"])
    return ACOES[acao][1](usuario, ind, dados)


@login_required
@require_POST
@envio_unico
def agir(request, pk: int, acao: str):
    feito, _ = acao_conhecida(acao, ACOES)
    ind = selectors.indicacao_para_usuario(request.user, pk)
    destino = destino_seguro(request, reverse("emendas:indicacao", args=[ind.pk]))
    if acao == "reprovar" and not revisao.confirmado(request):
        form = ReprovacaoIndicacaoForm(request.POST, exercicio=ind.exercicio)
        # Só o que pode mesmo ser reprovado passa pela revisão; o resto (inclusive a indicação presa a uma proposta)
        # cai no serviço, que diz o porquê.
        if (form.is_valid() and Status.REPROVADA in services.transicoes_do_usuario(usuario=request.user, indicacao=ind)
                and not ind.usos.exists()):
            volta = prazos.OrigemSaldo(prazos.destino_devolucao_indicacao(
                prazos.calendario_do_inciso(ind.exercicio, ind.inciso.tipo), timezone.localdate(), ind.origem_saldo,
                cancelamento=False)).label
            d = form.cleaned_data
            return revisao.revisar(
                request, acao=f"Reprovar a indicação nº {ind.numero} (impedimento de ordem técnica)",
                itens=[_item(ind)], singular="indicação", plural="indicações", voltar=destino, botao="Reprovar",
                aviso=f"A reprovação não pode ser desfeita; o valor volta para {volta}. "
                      f"Categoria: {d['categoria']}. Justificativa: {d['justificativa']}",
            )
    return executar_acao(
        request, lambda: _executar(request.user, ind, acao, request.POST),
        sucesso=f"Indicação nº {ind.numero} {feito}.", destino=destino,
    )


def _item(ind) -> revisao.Item:
    """A indicação na página de revisão (a isolada e o lote da fila dizem o mesmo)."""
    return revisao.Item(str(ind.numero), f"{ind.inciso.emenda.titular} – inciso {ind.inciso.numero} – "
                        f"{ind.beneficiario or ind.get_forma_execucao_display()}", ind.valor)


@login_required
@require_GET
def visualizar(request):
    """"Visualizar Indicações": filtros e link para o histórico de cada uma."""
    filtro = FiltroIndicacoesForm(request.GET or None)
    qs = consultas.indicacoes_visiveis(request.user)
    if request.GET:
        qs = filtro.filtrar(qs)
    # O número repete-se entre exercícios: o id desempata, para a paginação não trocar linhas de página.
    pagina = Paginator(qs.order_by("-numero", "-pk"), 50).get_page(request.GET.get("pagina"))
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    return render(request, "emendas/indicacao/visualizar.html", {
        "filtro": filtro, "pagina": pagina, "querystring": consulta.urlencode(),
    })


def _fila(request, *, titulo, qs, padrao, acoes, exportar, modelo="emendas/indicacao/fila.html"):
    if request.method == "POST":
        return _lote(request, acoes)
    filtro = filtro_da_fila(request.GET, padrao)
    qs = filtro.filtrar(qs).order_by("enviada_em", "pk")
    pagina = Paginator(qs, 50).get_page(request.GET.get("pagina"))
    form_reprovar = None
    if "reprovar" in acoes:
        # As categorias de cada exercício da página (cada linha é conferida depois contra o seu).
        exercicios = {ind.exercicio for ind in pagina.object_list} or {selectors.exercicio_atual()} - {None}
        form_reprovar = ReprovacaoEmLoteForm(exercicios=exercicios)
    return render(request, modelo, {
        "titulo": titulo, "filtro": filtro, "pagina": pagina, "acoes": acoes, "querystring": request.GET.urlencode(),
        "form_reprovar": form_reprovar, "exportar": exportar, "sinais": preflight.sinais_da_fila(pagina.object_list),
    })


def _lote(request, acoes):
    ids = ids_selecionados(request)
    acao = request.POST.get("acao_lote")
    voltar = voltar_com_filtros(request)
    if not ids or acao not in acoes:
        messages.error(request, "Selecione ao menos uma indicação e a ação.")
        return redirect(voltar)
    if acao in ("devolver", "retornar", "reprovar") and not request.POST.get("justificativa", "").strip():
        messages.error(request, f"Informe a justificativa: ela é obrigatória para “{acoes[acao]}”.")
        return redirect(voltar)
    # Só as que o usuário vê: ids forjados de outras UOs são ignorados.
    marcadas = list(consultas.visiveis_por_ids(request.user, ids))
    if not marcadas:
        messages.error(request, "Nenhuma das indicações selecionadas está nesta fila; atualize a página.")
        return redirect(voltar)
    if not revisao.confirmado(request):
        justificativa = request.POST.get("justificativa", "").strip()
        return revisao.revisar(
            request, acao=f"{acoes[acao]} indicações",
            itens=[_item(i) for i in marcadas],
            singular="indicação", plural="indicações", voltar=voltar,
            aviso=f"Justificativa: {justificativa}" if justificativa else "",
        )
    decidir_em_lote(request, marcadas, lambda ind: _executar(request.user, ind, acao, request.POST),
                    numero=lambda ind: ind.numero, feitos_em=(f"indicação {ACOES[acao][0]}", f"indicações {FEITOS_NO_PLURAL[acao]}"),
                    falha="Não processada", valor=lambda ind: ind.valor)
    return redirect(voltar)


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def analise_orgao(request):
    qs = consultas.fila_do_orgao(request.user)
    return _fila(request, titulo="Aprovação de Indicações – Órgão", qs=qs, padrao=Status.EM_ANALISE_ORGAO,
                 exportar="relatorio_fila_indicacoes_orgao_csv",
                 acoes={"aprovar_orgao": "Aprovar", "devolver": "Devolver para ajuste",
                        "reprovar": "Reprovar (impedimento técnico)"})


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def analise_segov(request):
    return _fila(request, titulo="Aprovação de Indicações – SEGOV", qs=consultas.fila_da_segov(request.user),
                 exportar="relatorio_fila_indicacoes_segov_csv",
                 padrao=Status.EM_ANALISE_SEGOV, acoes={"aprovar_segov": "Aprovar", "retornar": "Retornar ao órgão"})
