"""Telas e arquivos do calendário: o .ics privado, a API pública, "Meu calendário" e os prazos da SEGOV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from envios.unico import envio_unico
from sigcon.views_util import executar_acao

from ..models import Exercicio
from . import agenda, lembretes, selectors, services
from .forms import PreferenciasForm, ProrrogacaoForm
from .ics import calendario_ics


@require_GET
@cache_control(private=True, max_age=300)
def ics(request, token: str):
    """O calendário do dono do token, só com os prazos que interessam aos perfis dele. Sem login (o aplicativo de
    calendário não entra no sistema): o token é a credencial; errado, revogado ou de conta inativa, 404."""
    usuario = services.usuario_do_token(token)
    if usuario is None:
        raise Http404("Calendário não encontrado.")
    conteudo = calendario_ics(nome=f"SIGCON Saída – prazos de {usuario.get_short_name()}",
                              exercicios=selectors.prazos_do_usuario(usuario), gerado_em=timezone.now())
    resposta = HttpResponse(conteudo, content_type="text/calendar; charset=utf-8")
    resposta["Content-Disposition"] = 'inline; filename="sigcon-prazos.ics"'
    resposta["X-Robots-Tag"] = "noindex"
    return resposta


@require_GET
@cache_control(public=True, max_age=300)
def api_ano(request, ano: int):
    """Todos os prazos do exercício *ano*, públicos (dados abertos): as quatro datas e cada janela de cada trilha."""
    exercicio = get_object_or_404(Exercicio, ano=ano)
    ((_, prazos),) = selectors.prazos_dos_exercicios([exercicio])
    return JsonResponse({
        "ano": exercicio.ano,
        "datas": {
            "data_publicacao_loa": exercicio.data_publicacao_loa.isoformat(),
            "data_liberacao": exercicio.data_liberacao.isoformat(),
            "fim_janela_livre": exercicio.fim_janela_livre.isoformat(),
            "fim_janela_obrigatoria": exercicio.fim_janela_obrigatoria.isoformat(),
        },
        "fuso_horario": "America/Sao_Paulo",
        "fim_inclusivo": True,
        "prazos": [agenda.como_dict(p) for p in prazos],
    }, json_dumps_params={"ensure_ascii": False})


def _contexto_meu(request, *, url_nova=None):
    usuario = request.user
    campos = lembretes.lembretes_do_perfil(usuario)
    hoje = timezone.localdate()
    proximos = [(e, [p for p in ps if p.fim >= hoje]) for e, ps in selectors.prazos_do_usuario(usuario)]
    return {
        "link": selectors.link_ativo(usuario), "url_nova": url_nova,
        "form": PreferenciasForm(instance=services.preferencias_de(usuario), campos=campos),
        "tem_lembretes": bool(campos), "proximos": [(e, ps) for e, ps in proximos if ps], "hoje": hoje,
        "dias_antes": lembretes.antecedencias(),
    }


@login_required
@require_GET
def meu_calendario(request):
    return render(request, "emendas/calendario/meu.html", _contexto_meu(request))


@login_required
@require_POST
@envio_unico
def gerar_link(request):
    """Gera o link e o mostra nesta resposta, uma vez só: o token não vai para mensagem, sessão nem redirecionamento
    (tudo isso é gravado); um reenvio do formulário gera outro link e desliga este."""
    token = services.gerar_link_calendario(usuario=request.user)
    url = request.build_absolute_uri(reverse("calendario:ics", kwargs={"token": token}))
    resposta = render(request, "emendas/calendario/meu.html", _contexto_meu(request, url_nova=url))
    resposta["Cache-Control"] = "no-store"
    return resposta


@login_required
@require_POST
@envio_unico
def revogar_link(request):
    n = services.revogar_link_calendario(usuario=request.user)
    messages.success(request, "Link revogado: o endereço antigo não abre mais." if n else "Não havia link ativo.")
    return redirect("calendario:meu")


@login_required
@require_POST
@envio_unico
def preferencias(request):
    campos = lembretes.lembretes_do_perfil(request.user)
    form = PreferenciasForm(request.POST, campos=campos)
    form.is_valid()  # só caixas de marcar: nada é inválido; a ausência é "desligado"
    escolhas = {c: form.cleaned_data.get(c, False) for c in campos}
    services.salvar_preferencias_lembretes(usuario=request.user, escolhas=escolhas)
    messages.success(request, "Escolhas de lembretes salvas.")
    return redirect("calendario:meu")


def _exigir_segov(usuario):
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV acessa esta tela.")


@login_required
@require_GET
def prazos_segov_atual(request):
    """O item do menu da SEGOV: os prazos do exercício mais recente."""
    _exigir_segov(request.user)
    exercicio = Exercicio.objects.order_by("-ano").first()
    if exercicio is None:
        messages.info(request, "Nenhum exercício cadastrado ainda.")
        return redirect("inicio")
    return redirect("calendario:segov", ano=exercicio.ano)


@login_required
@require_GET
def prazos_segov(request, ano: int):
    """Os prazos do exercício com os minutos de queda nos últimos dias de cada um e as prorrogações já feitas."""
    _exigir_segov(request.user)
    exercicio = get_object_or_404(Exercicio, ano=ano)
    hoje = timezone.localdate()
    return render(request, "emendas/calendario/segov.html", {
        "exercicio": exercicio, "linhas": selectors.prazos_com_quedas(exercicio, hoje), "hoje": hoje,
        "prorrogacoes": selectors.prorrogacoes(exercicio),
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def prorrogar(request, ano: int):
    _exigir_segov(request.user)
    exercicio = get_object_or_404(Exercicio, ano=ano)
    chave = request.POST.get("chave") or request.GET.get("chave", "")
    prazo = next((p for p in services.prazos_do_exercicio(exercicio) if p.chave == chave), None)
    if prazo is None:
        raise Http404("Prazo não encontrado.")
    form = ProrrogacaoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dados = form.cleaned_data
        return executar_acao(
            request,
            lambda: services.prorrogar_janela(usuario=request.user, exercicio=exercicio, chave=chave,
                                              novo_fim=dados["novo_fim"], justificativa=dados["justificativa"]),
            sucesso=lambda p: f"{p.rotulo}: prorrogada até {p.fim_novo:%d/%m/%Y}.",
            destino=reverse("calendario:segov", kwargs={"ano": ano}),
        )
    return render(request, "emendas/calendario/prorrogar.html", {"exercicio": exercicio, "prazo": prazo, "form": form})
