from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from envios.unico import envio_unico

from contas import perfis

from . import janelas, pagina_inciso, paineis, prazos, selectors
from .arquivos_importacao import PreviaIndisponivel, confirmar_previa, executar_importacao, guardar_previa
from .forms import ExercicioForm, ImportacaoForm, JanelasForm
from .janelas import salvar_calendario
from .importacao import ErroImportacao
from .models import Exercicio
from sigcon.views_util import ano_pedido, pagina_ou_trecho


def _exigir_segov(usuario):
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV acessa esta tela.")


def _exigir_carga_de_dados(usuario):
    # contas/papeis.py › NO_SISTEMA["carregar_dados"]: SEGOV e o administrador de TI carregam a LOA.
    if not perfis.pode_carregar_dados(usuario):
        raise PermissionDenied("Somente a SEGOV e os administradores importam dados.")


@login_required
@require_GET
def inicio(request):
    usuario = request.user
    if perfis.e_segov(usuario):
        return painel_segov(request)
    if perfis.age_como_parlamentar(usuario):
        return painel_parlamentar(request)
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        return painel_orgao(request)
    if perfis.tem_perfil(usuario, perfis.CONVENENTE):
        return redirect("convenios:painel")
    if perfis.tem_perfil(usuario, perfis.VISUALIZADOR):
        return redirect("relatorio_saldos")
    return render(request, "emendas/inicio_generico.html")


def _contexto_exercicio(request):
    exercicio = selectors.exercicio_atual(ano_pedido(request))
    anos = selectors.anos_dos_exercicios()
    hoje = timezone.localdate()
    contexto = {"exercicio": exercicio, "anos": anos, "hoje": hoje, "linha_do_tempo": True}
    if exercicio:
        contexto["janela"] = prazos.janela(exercicio, hoje)
        contexto["janelas_operacao"] = janelas.janelas_na_linha_do_tempo(exercicio, hoje)
    return contexto


def painel_parlamentar(request):
    contexto = _contexto_exercicio(request)
    exercicio = contexto["exercicio"]
    if exercicio:
        painel = paineis.painel_parlamentar(request.user, exercicio, contexto["hoje"])
        contexto.update(grupos=painel.grupos, titulares=painel.titulares, baldes=painel.baldes, total=painel.total,
                        omitidos=painel.omitidos)
    return render(request, "emendas/painel_parlamentar.html", contexto)


def painel_segov(request):
    contexto = _contexto_exercicio(request)
    exercicio = contexto["exercicio"]
    if exercicio:
        linhas, total = selectors.totais_por_titular(exercicio, contexto["hoje"])
        contexto.update(linhas=linhas, total=total, montante_s=selectors.montante_total(exercicio),
                        tramitacao=paineis.totais_da_tramitacao(exercicio))
    return render(request, "emendas/painel_segov.html", contexto)


def painel_orgao(request):
    contexto = _contexto_exercicio(request)
    contexto["uos"] = selectors.uos_do_analista(request.user)
    return render(request, "emendas/painel_orgao.html", contexto)


@login_required
@require_GET
def inciso_detalhe(request, pk: int):
    """O centro do inciso: baldes e ações de hoje; indicações, remanejamentos e histórico vêm depois, pelo htmx."""
    inciso = selectors.inciso_para_usuario(request.user, pk)
    hoje = timezone.localdate()
    saldos = selectors.saldos_inciso(inciso, hoje)
    pode_escrever = selectors.pode_escrever_no_inciso(request.user, inciso)
    return render(
        request,
        "emendas/inciso_detalhe.html",
        {
            "inciso": inciso,
            "saldos": saldos,
            "janela": prazos.janela(prazos.calendario_do_inciso(inciso.exercicio, inciso.tipo), hoje),
            "hoje": hoje,
            "pode_escrever": pode_escrever,
            "acoes": pagina_inciso.acoes_do_inciso(inciso=inciso, saldos=saldos, pode_escrever=pode_escrever, dia=hoje),
        },
    )


@login_required
@require_GET
def remanejamentos_do_inciso(request, pk: int):
    """Os remanejamentos pedidos a partir do inciso: trecho do htmx na página do inciso e, sem JavaScript, uma página
    própria."""
    inciso = selectors.inciso_para_usuario(request.user, pk)
    remanejamentos, mais = pagina_inciso.remanejamentos_do_inciso(inciso)
    return _secao_do_inciso(request, inciso, "Remanejamentos", "emendas/_inciso_remanejamentos.html",
                            {"remanejamentos": remanejamentos, "mais_remanejamentos": mais})


def _secao_do_inciso(request, inciso, secao: str, trecho: str, contexto: dict):
    """O trecho de uma seção da página do inciso (htmx) ou, sem JavaScript, a mesma seção numa página própria."""
    return pagina_ou_trecho(request, "emendas/inciso_secao.html", trecho,
                            {"inciso": inciso, "secao": secao, "trecho": trecho, **contexto})


@login_required
@require_GET
def historico_do_inciso(request, pk: int):
    """O histórico do inciso: trecho do htmx na página do inciso e, sem JavaScript, uma página própria."""
    inciso = selectors.inciso_para_usuario(request.user, pk)
    eventos = pagina_inciso.historico_do_inciso(inciso)
    return _secao_do_inciso(request, inciso, "Histórico", "emendas/_inciso_historico.html",
                            {"eventos": eventos, "limite": pagina_inciso.LIMITE_HISTORICO})


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def exercicio_editar(request, ano: int):
    """Calendário do exercício: as quatro datas, as regras e as janelas de operação (§5.6), num formulário só."""
    _exigir_segov(request.user)
    exercicio = get_object_or_404(Exercicio, ano=ano)
    form = ExercicioForm(request.POST or None, instance=exercicio)
    form_janelas = JanelasForm(request.POST or None, janelas=janelas.janelas_do_exercicio(exercicio), prefix="janela")
    if request.method == "POST" and form.is_valid() and form_janelas.is_valid():
        campos = {nome: form.cleaned_data[nome] for nome in ExercicioForm.Meta.fields}
        try:
            salvar_calendario(usuario=request.user, exercicio=exercicio, campos=campos,
                              janelas=form_janelas.alteradas())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Calendário, janelas e regras do exercício {ano} salvos.")
            return redirect(f"/?ano={ano}")
    return render(request, "emendas/exercicio_form.html", {
        "form": form, "form_janelas": form_janelas, "exercicio": exercicio,
        "janela_do_calendario": (exercicio.data_liberacao, exercicio.fim_janela_obrigatoria),
    })


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def importar(request):
    """Carga de arquivos pela SEGOV (ou administrador): envio → prévia (nada gravado) → confirmação."""
    _exigir_carga_de_dados(request.user)
    if request.method == "POST" and "confirmar" in request.POST:
        return _confirmar_importacao(request)
    form = ImportacaoForm(request.POST or None, request.FILES or None)
    contexto = {"form": form}
    if request.method == "POST" and form.is_valid():
        dados = form.cleaned_data
        conteudo = dados["arquivo"].read()
        try:
            resultado = executar_importacao(tipo=dados["tipo"], conteudo=conteudo, ano=dados["ano"],
                                            publicacao=dados["publicacao"], simular=True)
        except ErroImportacao as exc:
            contexto["erros"] = exc.erros
        else:
            # Só a prévia aceita fica guardada: um arquivo recusado não tem o que confirmar.
            previa = guardar_previa(usuario=request.user, tipo=dados["tipo"], ano=dados["ano"],
                                    publicacao=dados["publicacao"], nome_original=dados["arquivo"].name,
                                    conteudo=conteudo)
            contexto.update(resultado=resultado, previa=previa)
    return render(request, "emendas/importar.html", contexto)


def _confirmar_importacao(request):
    # Do formulário só vem o id da prévia; tipo, ano, publicação e conteúdo são os guardados no servidor.
    try:
        previa, resultado = confirmar_previa(usuario=request.user, id_previa=request.POST.get("previa", ""))
    except PreviaIndisponivel as exc:
        messages.error(request, str(exc))
        return redirect("emendas:importar")
    except ErroImportacao as exc:
        return render(request, "emendas/importar.html", {"form": ImportacaoForm(), "erros": exc.erros})
    messages.success(request, "Importação concluída: " + resultado.resumo() + ".")
    return redirect(f"/?ano={previa.ano}")
