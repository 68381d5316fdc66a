"""Telas de convênios: convenente (gerar e enviar proposta, assinar), concedente (análise, assinatura,
liberação) e SEGOV (autorizar liberação, exceções).

Finas: leem por ``convenios.selectors``, mudam por um serviço de ``convenios.services`` e respondem do jeito único
de ``sigcon.views_util`` (erro de regra vira mensagem, todo POST termina num redirecionamento). A exceção é o passo
barrado pelo CAGEC / SIAFI-MG (``ErroRegularidade``): a página da proposta volta com as pendências e o botão de
repetir o passo, que uma mensagem não teria como mostrar. Nenhuma destas URLs serve fragmento htmx.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contas import perfis
from envios import revisao
from envios.unico import envio_unico
from integracoes.consultas import ultimas
from integracoes.errors import IntegracaoIndisponivel
from sigcon.dinheiro import formatar_brl
from sigcon.views_util import acao_conhecida, destino_seguro, executar_acao, mensagens, paginar

from . import permissoes, regularidade, selectors, services
from .forms import (
    AssinaturaConvenenteForm, ExcecaoForm, GerarPropostaForm, ImpedimentoNaPropostaForm, JustificativaForm,
    LiberacaoForm, PublicacaoForm,
)
from .models import Convenente, Liberacao, PropostaPlanoTrabalho as Proposta


# ---------------------------------------------------------------------------
# Um objeto para o usuário atual (404 para quem não o vê, 403 para quem só o lê)

def _proposta_do_usuario(request, pk, *, para_agir: bool = False) -> Proposta:
    proposta = selectors.proposta_visivel(request.user, pk)
    if proposta is None:
        raise Http404("Proposta não encontrada.")
    if para_agir and not permissoes.e_parte_ou_segov(request.user, proposta):
        raise PermissionDenied("Você só pode consultar esta proposta.")
    return proposta


def _convenente_do_usuario(request, pk) -> Convenente:
    convenente = selectors.convenente_do_usuario(request.user, pk)
    if convenente is None:
        raise Http404("Convenente não encontrado.")
    return convenente


def _liberacao_para_autorizar(request, pk) -> Liberacao:
    if not perfis.e_segov(request.user):
        raise PermissionDenied("Somente a SEGOV autoriza liberações.")
    liberacao = selectors.liberacao(pk)
    if liberacao is None:
        raise Http404("Liberação não encontrada.")
    return liberacao


def _na_proposta(proposta) -> str:
    return reverse("convenios:proposta", args=[proposta.pk])


# ---------------------------------------------------------------------------
# Respostas

class _PassoBarrado(Exception):
    """Leva o ``ErroRegularidade`` por fora do ``executar_acao`` (que o trataria como um ValidationError comum)."""

    def __init__(self, erro: regularidade.ErroRegularidade):
        super().__init__(erro)
        self.erro = erro


def _barrar_por_regularidade(servico):
    def executar():
        try:
            servico()
        except regularidade.ErroRegularidade as exc:
            raise _PassoBarrado(exc) from exc
    return executar


def _executar_passo(request, proposta, servico, *, sucesso, destino, acao_bloqueada, recarregar=False, **extra):
    """Um passo que consulta o CAGEC / SIAFI-MG: como ``executar_acao``, mas o passo barrado mostra a proposta com
    as pendências e o botão de repetir (200, sem redirecionar: nada mudou e as pendências não cabem numa mensagem)."""
    try:
        return executar_acao(request, _barrar_por_regularidade(servico), sucesso=sucesso, destino=destino)
    except _PassoBarrado as barrado:
        if recarregar:
            proposta.refresh_from_db()
        return render(request, "convenios/proposta.html",
                      _contexto(request, proposta, bloqueio=barrado.erro, acao_bloqueada=acao_bloqueada, **extra))


def _formulario_valido(form, mensagem: str | None = None):
    """Os dados limpos do formulário, ou ValidationError com a mensagem (vira mensagem na tela)."""
    if not form.is_valid():
        raise ValidationError(mensagem or " ".join(e for erros in form.errors.values() for e in erros))
    return form.cleaned_data


# ---------------------------------------------------------------------------
# Telas

@login_required
@require_GET
def painel(request):
    if not perfis.tem_perfil(request.user, perfis.CONVENENTE):
        raise PermissionDenied("Tela dos convenentes.")
    contexto = selectors.painel_do_convenente(request.user)
    contexto["pagina"] = paginar(request, contexto.pop("propostas"))
    return render(request, "convenios/painel.html", contexto)


@login_required
@require_http_methods(["GET", "POST"])
@envio_unico
def gerar(request, convenente_pk: int):
    convenente = _convenente_do_usuario(request, convenente_pk)
    indicacoes = selectors.indicacoes_disponiveis(convenente)
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
            # Formulário com o que foi digitado: o erro vai para ele, não para uma mensagem solta.
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
    # Os mesmos (sistema, momento) que services.registrar_excecao aceitaria agora.
    excecoes = [
        {"sistema": regularidade.NOME_SISTEMA[sistema], "momento": services.MOMENTOS[momento],
         "form": ExcecaoForm(initial={"sistema": sistema, "momento": momento},
                             auto_id=f"id_excecao_{sistema}_{momento}_%s")}
        for sistema, momento in services.excecoes_registraveis(usuario=u, proposta=proposta)
    ]
    # Os botões: a tabela de transições e as regras de quem age, as mesmas que os serviços conferem.
    acoes = permissoes.acoes_na_proposta(u, proposta) | ({"excecao"} if excecoes else set())
    return {
        "proposta": proposta,
        **selectors.detalhe_da_proposta(proposta),
        "consultas": ultimas(proposta.convenente.cnpj),
        "acoes": acoes,
        "excecoes": excecoes,
        "form_justificativa": JustificativaForm(),
        "form_liberacao": LiberacaoForm(),
        "form_assinatura": AssinaturaConvenenteForm(),
        "form_publicacao": PublicacaoForm(initial={"data_publicacao": timezone.localdate()}),
        "form_iot": ImpedimentoNaPropostaForm(proposta=proposta, auto_id="id_iot_%s") if "iot" in acoes else None,
        "momentos": services.MOMENTOS,
        **extra,
    }


@login_required
@require_GET
def proposta(request, pk: int):
    p = _proposta_do_usuario(request, pk)
    return render(request, "convenios/proposta.html", _contexto(request, p))


# Os passos da tabela de transições (convenios.maquina.MAQUINA: o verbo de cada situação de chegada), pedidos por
# convenios:agir → (serviço, como a mensagem de sucesso termina).
def _dados(form_classe, dados, **kw):
    return _formulario_valido(form_classe(dados, **kw))


ACOES = {
    "enviar": (lambda u, p, d: services.enviar_proposta(usuario=u, proposta=p), "enviada ao concedente"),
    "receber": (lambda u, p, d: services.receber_proposta(usuario=u, proposta=p), "recebida para análise"),
    "aprovar": (lambda u, p, d: services.aprovar_proposta(usuario=u, proposta=p), "aprovada"),
    "devolver": (lambda u, p, d: services.devolver_proposta(usuario=u, proposta=p, justificativa=d.get("justificativa")),
                 "devolvida ao convenente para adequação"),
    "autorizar_plano": (lambda u, p, d: services.autorizar_plano(usuario=u, proposta=p),
                        "autorizada pela SEGOV: o instrumento tem número"),
    "assinar_convenente": (lambda u, p, d: services.assinar_convenente(usuario=u, proposta=p,
                                                                       **_dados(AssinaturaConvenenteForm, d)),
                           "assinada pelo convenente"),
    "assinar_concedente": (lambda u, p, d: services.assinar_concedente(usuario=u, proposta=p),
                           "assinada pelo concedente; aguarda a publicação"),
    "publicar": (lambda u, p, d: services.publicar(usuario=u, proposta=p, **_dados(PublicacaoForm, d)),
                 "publicada: o instrumento está vigente"),
}


# Os passos que comprometem ou movem dinheiro, ou não têm volta, passam antes pela revisão (envios.revisao).
REVISAR = {"enviar": "Enviar ao concedente", "aprovar": "Aprovar a proposta",
           "autorizar_plano": "Autorizar o plano e numerar o instrumento",
           "assinar_convenente": "Assinar (representante legal do convenente)",
           "assinar_concedente": "Assinar (concedente)", "publicar": "Registrar a publicação"}


def _aviso_da_revisao(acao, dados) -> str:
    if acao == "autorizar_plano":
        return "O instrumento recebe o próximo número do exercício; a autorização não pode ser desfeita."
    if acao == "assinar_convenente":
        return f"Testemunha: {dados.get('testemunha_nome', '')} (CPF {dados.get('testemunha_cpf', '')})."
    if acao == "publicar":
        return (f"Publicação em {dados.get('data_publicacao', '')}: o instrumento fica vigente e não cabe mais "
                "impedimento de ordem técnica nas indicações.")
    if acao == "assinar_concedente":
        return "Depois desta assinatura não cabe mais impedimento de ordem técnica nas indicações da proposta."
    return ""


def _itens_da_proposta(p) -> list:
    return [revisao.Item(str(u.indicacao.numero), f"Indicação de {u.indicacao.inciso.emenda.titular} "
                         f"(inciso {u.indicacao.inciso.numero})", u.valor)
            for u in selectors.detalhe_da_proposta(p)["usos"]]


@login_required
@require_POST
@envio_unico
def agir(request, pk: int, acao: str):
    p = _proposta_do_usuario(request, pk, para_agir=True)
    servico, feito = acao_conhecida(acao, ACOES)
    if acao in REVISAR and not revisao.confirmado(request) and acao in permissoes.acoes_na_proposta(request.user, p):
        return revisao.revisar(request, acao=f"{REVISAR[acao]} nº {p.pk} ({p.convenente.razao_social})",
                               itens=_itens_da_proposta(p), singular="indicação", plural="indicações",
                               voltar=_na_proposta(p), botao=REVISAR[acao],
                               aviso=_aviso_da_revisao(acao, request.POST))
    return _executar_passo(request, p, lambda: servico(request.user, p, request.POST),
                           sucesso=f"Proposta nº {p.pk} {feito}.", destino=_na_proposta(p), acao_bloqueada=acao,
                           recarregar=True)


@login_required
@require_POST
@envio_unico
def liberar(request, pk: int):
    p = _proposta_do_usuario(request, pk, para_agir=True)
    form = LiberacaoForm(request.POST)
    pedida = []

    def solicitar():
        valor = _formulario_valido(form)["valor"]
        pedida.append(services.solicitar_liberacao(usuario=request.user, proposta=p, valor=valor))

    # O número da parcela só existe depois do serviço: a mensagem é montada quando for mostrada (como um texto
    # traduzível preguiçoso), e ela só é gravada depois que o serviço aceitou o pedido.
    sucesso = lazy(lambda: f"Parcela {pedida[0].parcela} solicitada; aguarda autorização da SEGOV.", str)()
    if form.is_valid() and not revisao.confirmado(request) and "liberar" in permissoes.acoes_na_proposta(request.user, p):
        valor, resta = form.cleaned_data["valor"], selectors.detalhe_da_proposta(p)["a_liberar"]
        return revisao.revisar(
            request, acao=f"Solicitar liberação da proposta nº {p.pk}", botao="Solicitar liberação",
            itens=[revisao.Item("nova parcela", f"Liberação para {p.convenente.razao_social}", valor)],
            singular="parcela", plural="parcelas", voltar=_na_proposta(p),
            aviso=f"Resta liberar {formatar_brl(resta)}; depois deste pedido, {formatar_brl(resta - valor)}.",
        )
    # Barrado pelo SIAFI-MG: o valor digitado continua no formulário para a nova tentativa.
    return _executar_passo(request, p, solicitar, sucesso=sucesso, destino=_na_proposta(p), acao_bloqueada="liberar",
                           form_liberacao=form)


@login_required
@require_POST
@envio_unico
def autorizar(request, pk: int):
    lib = _liberacao_para_autorizar(request, pk)
    voltar = destino_seguro(request, reverse("convenios:proposta", args=[lib.proposta_id]))
    if not revisao.confirmado(request) and lib.status == Liberacao.Status.SOLICITADA:
        return revisao.revisar(
            request, acao=f"Autorizar a liberação da parcela {lib.parcela} da proposta nº {lib.proposta_id}",
            itens=[revisao.Item(f"parcela {lib.parcela}", f"Proposta nº {lib.proposta_id} – "
                                f"{lib.proposta.convenente.razao_social}", lib.valor)],
            singular="parcela", plural="parcelas", voltar=voltar, botao="Autorizar a liberação",
        )
    return _executar_passo(
        request, lib.proposta, lambda: services.autorizar_liberacao(usuario=request.user, liberacao=lib),
        sucesso=f"Parcela {lib.parcela} da proposta nº {lib.proposta_id} autorizada.",
        destino=voltar, acao_bloqueada="autorizar", liberacao_bloqueada=lib,
    )


@login_required
@require_POST
@envio_unico
def excecao(request, pk: int):
    p = _proposta_do_usuario(request, pk, para_agir=True)
    form = ExcecaoForm(request.POST)
    return executar_acao(
        request, lambda: services.registrar_excecao(usuario=request.user, proposta=p, **_formulario_valido(form)),
        sucesso="Exceção registrada: a próxima tentativa deste passo segue sem a consulta.", destino=_na_proposta(p),
    )


@login_required
@require_POST
@envio_unico
def desvincular(request, pk: int, indicacao_pk: int):
    p = _proposta_do_usuario(request, pk, para_agir=True)
    uso = p.usos.select_related("indicacao").filter(indicacao_id=indicacao_pk).first()
    if uso is None:
        raise Http404("Indicação não vinculada a esta proposta.")
    return executar_acao(
        request, lambda: services.desvincular_indicacao(usuario=request.user, proposta=p, indicacao=uso.indicacao),
        sucesso=f"Indicação nº {uso.indicacao.numero} desvinculada da proposta nº {p.pk}.", destino=_na_proposta(p),
    )


@login_required
@require_POST
@envio_unico
def cancelar(request, pk: int):
    p = _proposta_do_usuario(request, pk, para_agir=True)
    form = JustificativaForm(request.POST)

    if form.is_valid() and not revisao.confirmado(request) and "cancelar" in permissoes.acoes_na_proposta(request.user, p):
        return revisao.revisar(
            request, acao=f"Cancelar a proposta nº {p.pk} ({p.convenente.razao_social})", botao="Cancelar a proposta",
            itens=_itens_da_proposta(p), singular="indicação", plural="indicações", voltar=_na_proposta(p),
            aviso=f"O cancelamento não pode ser desfeito; as indicações ficam livres de novo. "
                  f"Justificativa: {form.cleaned_data['justificativa']}",
        )

    def cancelar_proposta():
        dados = _formulario_valido(form, "Informe a justificativa do cancelamento (até 4.000 caracteres).")
        services.cancelar_proposta(usuario=request.user, proposta=p, justificativa=dados["justificativa"])

    return executar_acao(request, cancelar_proposta, destino=_na_proposta(p),
                         sucesso=f"Proposta nº {p.pk} cancelada; as indicações que ela usava estão livres de novo.")


@login_required
@require_POST
@envio_unico
def atualizar_cagec(request, pk: int):
    p = _proposta_do_usuario(request, pk, para_agir=True)

    def atualizar():
        try:
            services.atualizar_do_cagec(usuario=request.user, convenente=p.convenente)
        except IntegracaoIndisponivel as exc:
            raise ValidationError("O CAGEC não respondeu; tente novamente em instantes.") from exc

    return executar_acao(request, atualizar, sucesso="Dados do convenente atualizados a partir do CAGEC.",
                         destino=_na_proposta(p))


@login_required
@require_GET
def propostas(request):
    if not perfis.tem_perfil(request.user, perfis.CONVENENTE, perfis.ORGAO, perfis.SEGOV, perfis.ADMINISTRADOR):
        raise PermissionDenied
    status = request.GET.get("status", "")
    return render(request, "convenios/propostas.html", {
        "pagina": paginar(request, selectors.lista_de_propostas(request.user, status=status)), "status": status,
        "opcoes": Proposta.Status.choices,
    })


@login_required
@require_GET
def liberacoes(request):
    fila = selectors.fila_de_liberacoes(request.user)
    return render(request, "convenios/liberacoes.html", {"pagina": paginar(request, fila)})
