"""Telas de convênios: convenente (gerar e enviar proposta, assinar), concedente (análise, assinatura,
liberação) e SEGOV (autorizar liberação, exceções)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from integracoes.consultas import ultimas
from integracoes.errors import IntegracaoIndisponivel

from . import regularidade, services
from .forms import ExcecaoForm, GerarPropostaForm, JustificativaForm, LiberacaoForm
from .models import Convenente, Liberacao, PropostaPlanoTrabalho as Proposta
from sigcon.views_util import destino_seguro, mensagens


def propostas_visiveis(usuario):
    qs = Proposta.objects.select_related("convenente", "concedente")
    if perfis.e_segov(usuario):
        return qs
    filtro = Q(pk__in=[])
    if perfis.tem_perfil(usuario, perfis.CONVENENTE):
        filtro |= Q(convenente__usuarios=usuario)
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        filtro |= Q(concedente__in=usuario.uos_analisadas.values("pk"))
    return qs.filter(filtro).distinct()


def proposta_para_usuario(usuario, pk) -> Proposta:
    proposta = propostas_visiveis(usuario).filter(pk=pk).first()
    if proposta is None:
        raise Http404("Proposta não encontrada.")
    return proposta


@login_required
@require_GET
def painel(request):
    if not perfis.tem_perfil(request.user, perfis.CONVENENTE):
        raise PermissionDenied("Tela dos convenentes.")
    convenentes = list(Convenente.objects.filter(usuarios=request.user))
    blocos = [{"convenente": c, "indicacoes": services.indicacoes_disponiveis(c)} for c in convenentes]
    return render(request, "convenios/painel.html", {
        "blocos": blocos, "propostas": propostas_visiveis(request.user)[:100],
    })


def _convenente_do_usuario(request, pk) -> Convenente:
    convenente = Convenente.objects.filter(pk=pk, usuarios=request.user).first()
    if convenente is None:
        raise Http404("Convenente não encontrado.")
    return convenente


@login_required
@require_http_methods(["GET", "POST"])
def gerar(request, convenente_pk: int):
    convenente = _convenente_do_usuario(request, convenente_pk)
    indicacoes = services.indicacoes_disponiveis(convenente)
    form = GerarPropostaForm(request.POST or None, indicacoes=indicacoes)
    bloqueio = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            proposta = services.gerar_proposta(
                usuario=request.user, convenente=convenente, indicacoes=d["usos"], objeto=d["objeto"],
                natureza_especial=d["natureza_especial"] or "",
                tipo_instrumento=d["tipo_instrumento"], vigencia_inicio=d["vigencia_inicio"],
                vigencia_fim=d["vigencia_fim"],
            )
        except services.ErroRegularidade as exc:
            bloqueio = exc
        except ValidationError as exc:
            form.add_error(None, mensagens(exc))
        else:
            messages.success(request, f"Proposta nº {proposta.pk} gerada. Confira e envie ao concedente.")
            return redirect("convenios:proposta", pk=proposta.pk)
    # O regime do CAGEC não é escolha do convenente: a tela mostra o de cada exercício (definido pela SEGOV).
    exercicios = sorted({i.exercicio for i in indicacoes}, key=lambda e: e.ano)
    return render(request, "convenios/gerar.html", {
        "convenente": convenente, "form": form, "bloqueio": bloqueio, "consultas": ultimas(convenente.cnpj),
        "exercicios": exercicios,
    })


def _contexto(request, proposta, **extra):
    u = request.user
    e_conv = services.e_usuario_do_convenente(u, proposta.convenente)
    from emendas.services_indicacao import e_analista_da_uo

    e_conc = e_analista_da_uo(u, proposta.concedente_id)
    S = Proposta.Status
    # Os mesmos (sistema, momento) que services.registrar_excecao aceitaria agora.
    excecoes = [
        {"sistema": regularidade.NOME_SISTEMA[sistema], "momento": services.MOMENTOS[momento],
         "form": ExcecaoForm(initial={"sistema": sistema, "momento": momento},
                             auto_id=f"id_excecao_{sistema}_{momento}_%s")}
        for sistema, momento in services.excecoes_registraveis(usuario=u, proposta=proposta)
    ]
    return {
        "proposta": proposta,
        "usos": proposta.usos.select_related("indicacao__inciso__emenda__parlamentar", "indicacao__inciso__emenda__bloco"),
        "eventos": proposta.eventos.select_related("usuario"),
        "verificacoes": proposta.verificacoes.select_related("usuario")[:30],
        "liberacoes": proposta.liberacoes.select_related("solicitada_por", "autorizada_por"),
        "consultas": ultimas(proposta.convenente.cnpj),
        "total": services.valor_total(proposta),
        "a_liberar": services.valor_a_liberar(proposta),
        "acoes": {
            "enviar": e_conv and proposta.status in (S.CADASTRAMENTO, S.DEVOLVIDA),
            "receber": e_conc and proposta.status == S.ENVIADA,
            "analisar": e_conc and proposta.status == S.EM_ANALISE,
            "assinar_convenente": e_conv and proposta.status == S.APROVADA,
            "assinar_concedente": e_conc and proposta.status == S.ASSINADA,
            "liberar": e_conc and proposta.status == S.VIGENTE,
            "autorizar": perfis.e_segov(u),
            "excecao": bool(excecoes),
            "atualizar_cagec": e_conv or e_conc or perfis.e_segov(u),
            "desvincular": services.pode_desvincular(u, proposta) and proposta.usos.count() > 1,
            "cancelar": services.pode_cancelar(u, proposta),
        },
        "excecoes": excecoes,
        "form_justificativa": JustificativaForm(),
        "form_liberacao": LiberacaoForm(),
        "momentos": services.MOMENTOS,
        **extra,
    }


@login_required
@require_GET
def proposta(request, pk: int):
    p = proposta_para_usuario(request.user, pk)
    return render(request, "convenios/proposta.html", _contexto(request, p))


ACOES = {
    "enviar": (lambda u, p, d: services.enviar_proposta(usuario=u, proposta=p), "enviada ao concedente"),
    "receber": (lambda u, p, d: services.receber_proposta(usuario=u, proposta=p), "recebida para análise"),
    "aprovar": (lambda u, p, d: services.aprovar_proposta(usuario=u, proposta=p), "aprovada"),
    "devolver": (lambda u, p, d: services.devolver_proposta(usuario=u, proposta=p, justificativa=d.get("justificativa")),
                 "devolvida ao convenente"),
    "assinar_convenente": (lambda u, p, d: services.assinar_convenente(usuario=u, proposta=p), "assinada pelo convenente"),
    "assinar_concedente": (lambda u, p, d: services.assinar_concedente(usuario=u, proposta=p), "assinada e vigente"),
}


@login_required
@require_POST
def agir(request, pk: int, acao: str):
    p = proposta_para_usuario(request.user, pk)
    if acao not in ACOES:
        raise PermissionDenied
    try:
        ACOES[acao][0](request.user, p, request.POST)
    except services.ErroRegularidade as exc:
        p.refresh_from_db()
        return render(request, "convenios/proposta.html", _contexto(request, p, bloqueio=exc, acao_bloqueada=acao),
                      status=200)
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        messages.success(request, f"Proposta nº {p.pk} {ACOES[acao][1]}.")
    return redirect("convenios:proposta", pk=p.pk)


@login_required
@require_POST
def liberar(request, pk: int):
    p = proposta_para_usuario(request.user, pk)
    form = LiberacaoForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for erros in form.errors.values() for e in erros))
        return redirect("convenios:proposta", pk=p.pk)
    try:
        lib = services.solicitar_liberacao(usuario=request.user, proposta=p, valor=form.cleaned_data["valor"])
    except services.ErroRegularidade as exc:
        # O valor digitado continua no formulário para a nova tentativa.
        return render(request, "convenios/proposta.html",
                      _contexto(request, p, bloqueio=exc, acao_bloqueada="liberar", form_liberacao=form))
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        messages.success(request, f"Parcela {lib.parcela} solicitada; aguarda autorização da SEGOV.")
    return redirect("convenios:proposta", pk=p.pk)


@login_required
@require_POST
def autorizar(request, pk: int):
    if not perfis.e_segov(request.user):
        raise PermissionDenied("Somente a SEGOV autoriza liberações.")
    lib = Liberacao.objects.select_related("proposta__convenente").filter(pk=pk).first()
    if lib is None:
        raise Http404
    try:
        services.autorizar_liberacao(usuario=request.user, liberacao=lib)
    except services.ErroRegularidade as exc:
        return render(request, "convenios/proposta.html",
                      _contexto(request, lib.proposta, bloqueio=exc, acao_bloqueada="autorizar", liberacao_bloqueada=lib))
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        messages.success(request, f"Parcela {lib.parcela} da proposta nº {lib.proposta_id} autorizada.")
    return redirect(destino_seguro(request, reverse("convenios:proposta", args=[lib.proposta_id])))


@login_required
@require_POST
def excecao(request, pk: int):
    p = proposta_para_usuario(request.user, pk)
    form = ExcecaoForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for erros in form.errors.values() for e in erros))
        return redirect("convenios:proposta", pk=p.pk)
    return _aplicar(request, p, lambda: services.registrar_excecao(usuario=request.user, proposta=p, **form.cleaned_data),
                    "Exceção registrada: a próxima tentativa deste passo segue sem a consulta.")


def _aplicar(request, proposta, acao, sucesso: str):
    """Roda *acao* (um serviço); recusa vira mensagem de erro, sucesso vira mensagem; volta à proposta."""
    try:
        acao()
    except ValidationError as exc:
        messages.error(request, mensagens(exc))
    else:
        messages.success(request, sucesso)
    return redirect("convenios:proposta", pk=proposta.pk)


@login_required
@require_POST
def desvincular(request, pk: int, indicacao_pk: int):
    p = proposta_para_usuario(request.user, pk)
    uso = p.usos.select_related("indicacao").filter(indicacao_id=indicacao_pk).first()
    if uso is None:
        raise Http404("Indicação não vinculada a esta proposta.")
    return _aplicar(request, p, lambda: services.desvincular_indicacao(usuario=request.user, proposta=p,
                                                                       indicacao=uso.indicacao),
                    f"Indicação nº {uso.indicacao.numero} desvinculada da proposta nº {p.pk}.")


@login_required
@require_POST
def cancelar(request, pk: int):
    p = proposta_para_usuario(request.user, pk)
    form = JustificativaForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Informe a justificativa do cancelamento (até 4.000 caracteres).")
        return redirect("convenios:proposta", pk=p.pk)
    return _aplicar(request, p, lambda: services.cancelar_proposta(usuario=request.user, proposta=p,
                                                                   justificativa=form.cleaned_data["justificativa"]),
                    f"Proposta nº {p.pk} cancelada; as indicações que ela usava estão livres de novo.")


@login_required
@require_POST
def atualizar_cagec(request, pk: int):
    p = proposta_para_usuario(request.user, pk)
    try:
        services.atualizar_do_cagec(usuario=request.user, convenente=p.convenente)
    except IntegracaoIndisponivel:
        messages.error(request, "O CAGEC não respondeu; tente novamente em instantes.")
    else:
        messages.success(request, "Dados do convenente atualizados a partir do CAGEC.")
    return redirect("convenios:proposta", pk=p.pk)


@login_required
@require_GET
def propostas(request):
    if not perfis.tem_perfil(request.user, perfis.CONVENENTE, perfis.ORGAO, perfis.SEGOV, perfis.ADMINISTRADOR):
        raise PermissionDenied
    status = request.GET.get("status", "")
    qs = propostas_visiveis(request.user)
    if status:
        qs = qs.filter(status=status)
    return render(request, "convenios/propostas.html", {"propostas": qs[:300], "status": status,
                                                        "opcoes": Proposta.Status.choices})


@login_required
@require_GET
def liberacoes(request):
    if not perfis.e_segov(request.user):
        raise PermissionDenied("Somente a SEGOV autoriza liberações.")
    pendentes = Liberacao.objects.filter(status=Liberacao.Status.SOLICITADA).select_related(
        "proposta__convenente", "proposta__concedente", "solicitada_por")
    return render(request, "convenios/liberacoes.html", {"pendentes": pendentes})
