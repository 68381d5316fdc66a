"""Diligência: abrir (órgão), responder (titular, com anexos) e fechar (órgão).

Mesma forma dos outros serviços: trava, confere quem e a situação, grava, audita e põe o e-mail na caixa de saída.
A diligência não mexe em dinheiro: não trava incisos. Na ordem global (emendas/travas.py) ela vem com as
indicações (abrir trava a indicação e, se houver, a proposta; a numeração por último) e responder/fechar travam só
a própria diligência.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from convenios.models import PropostaPlanoTrabalho
from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from ..models import AnexoDiligencia, Diligencia, Indicacao, RespostaDiligencia, SequenciaExercicio
from ..selectors import pode_escrever_no_inciso
from ..visibilidade import titular_do_inciso
from ..travas import reservar_numeros
from .anexos import conferir_anexos
from .emails import email_da_diligencia

Status = Diligencia.Status
Proposta = PropostaPlanoTrabalho.Status

# Até o processo de assinatura (DOMAIN.md §3.3 e §3.5: nunca em publicação nem vigente): a proposta aprovada espera
# as assinaturas, a assinada pelo convenente espera a do concedente; a vigente já foi assinada e publicada.
PROPOSTA_ACEITA_DILIGENCIA = (*PropostaPlanoTrabalho.ANTES_DA_APROVACAO, Proposta.APROVADA, Proposta.ASSINADA)


# ---------------------------------------------------------------------------
# Quem pode (as telas mostram os botões pelas mesmas perguntas)

def pode_abrir(usuario, indicacao) -> bool:
    """O analista do órgão (UO) da indicação."""
    return (perfis.pode_informar_diligencia(usuario)
            and perfis.e_analista_da_uo(usuario, indicacao.inciso.acao.uo_id))


def pode_fechar(usuario, diligencia) -> bool:
    """O analista do órgão que abriu a diligência, enquanto ela está aberta."""
    return (diligencia.status == Status.ABERTA and perfis.pode_informar_diligencia(usuario)
            and perfis.e_analista_da_uo(usuario, diligencia.orgao_id))


def pode_responder(usuario, diligencia) -> bool:
    """O titular da indicação (num bloco, o responsável; os membros só leem), enquanto a diligência está aberta."""
    return (diligencia.status == Status.ABERTA and perfis.pode_responder_diligencia(usuario)
            and pode_escrever_no_inciso(usuario, diligencia.indicacao.inciso))


def _texto(texto, rotulo: str) -> str:
    return texto_limitado(texto, obrigatorio=f"Escreva {rotulo.lower()}.", rotulo=rotulo)


def _travar_diligencia(diligencia) -> Diligencia:
    # Trava a diligência: fechar e responder ao mesmo tempo não podem ambos valer (uma resposta gravada numa
    # diligência que acabou de ser fechada ficaria sem ninguém para lê-la), nem fechar duas vezes (dois e-mails).
    # of=self: as linhas da indicação e do inciso lidas junto não são travadas.
    return (Diligencia.objects.select_for_update(no_key=True, of=("self",))
            .select_related("indicacao__inciso__acao__uo", "indicacao__inciso__emenda__parlamentar__usuario",
                            "indicacao__inciso__emenda__bloco__responsavel__usuario", "orgao", "responsavel")
            .get(pk=diligencia.pk))


# ---------------------------------------------------------------------------
# Abrir

@atomico
def abrir_diligencia(*, usuario, indicacao, texto, proposta=None) -> Diligencia:
    """O órgão da indicação abre uma diligência nela (e, com *proposta*, na proposta que a usa, até as assinaturas)."""
    texto = _texto(texto, "O texto da diligência")
    # Trava a indicação (passo 3 da ordem global): uma reprovação ou um cancelamento simultâneo não deixa nascer
    # diligência numa indicação que acabou de ser encerrada.
    ind = (Indicacao.objects.select_for_update(no_key=True, of=("self",))
           .select_related("inciso__acao__uo", "inciso__emenda__parlamentar__usuario",
                           "inciso__emenda__bloco__responsavel__usuario")
           .get(pk=indicacao.pk))
    if not pode_abrir(usuario, ind):
        raise PermissionDenied(f"Somente o analista do órgão da UO {ind.inciso.acao.uo.codigo} abre diligência "
                               "nesta indicação.")
    if not ind.ativa:
        raise ValidationError(f"A indicação nº {ind.numero} está “{ind.get_status_display().lower()}”: não cabe "
                              "diligência numa indicação encerrada.")
    if proposta is not None:
        # Trava a proposta (passo 4, depois da indicação): uma assinatura simultânea do concedente não a leva a
        # vigente enquanto a diligência é aberta.
        proposta = PropostaPlanoTrabalho.objects.select_for_update(no_key=True).get(pk=proposta.pk)
        if not proposta.usos.filter(indicacao=ind).exists():
            raise ValidationError(f"A proposta nº {proposta.pk} não usa a indicação nº {ind.numero}: escolha uma "
                                  "proposta que a usa.")
        if proposta.status not in PROPOSTA_ACEITA_DILIGENCIA:
            raise ValidationError(
                f"A proposta nº {proposta.pk} está “{proposta.get_status_display().lower()}”: a diligência numa "
                "proposta só cabe até o processo de assinatura."
            )
    numero = reservar_numeros(ind.exercicio_id, SequenciaExercicio.Nome.DILIGENCIA)[0]
    dil = Diligencia.objects.create(exercicio_id=ind.exercicio_id, numero=numero, indicacao=ind, proposta=proposta,
                                    orgao=ind.inciso.acao.uo, responsavel=usuario, texto=texto)
    registrar(acao="diligencia.abrir", objeto=dil, usuario=usuario, depois={
        "status": dil.status, "numero": numero, "indicacao": ind.numero, "proposta": proposta.pk if proposta else None,
        "orgao": dil.orgao.codigo, "texto": texto})
    email_da_diligencia(dil, "aberta", usuario=usuario)
    return dil


# ---------------------------------------------------------------------------
# Responder

def responder_diligencia(*, usuario, diligencia, texto, anexos=()) -> RespostaDiligencia:
    """O titular responde com um texto e até ``anexos.MAXIMO_DE_ANEXOS`` arquivos (tipo e tamanho conferidos).

    Os arquivos vão ao armazenamento antes da transação (num armazenamento remoto, como o S3, gravar é uma chamada
    de rede: não pode segurar a trava da diligência); se a resposta for recusada, eles são apagados.
    """
    texto = _texto(texto, "A resposta")
    conferidos = conferir_anexos(anexos)
    # Recusa cedo quem não pode (sem gravar arquivo nenhum); a transação confere de novo com a diligência travada.
    dil = Diligencia.objects.select_related("indicacao__inciso__emenda__parlamentar",
                                            "indicacao__inciso__emenda__bloco").get(pk=diligencia.pk)
    exigir_titular(usuario, dil)
    guardados = []
    try:
        for a in conferidos:
            anexo = AnexoDiligencia(nome=a.nome, tamanho=a.tamanho, tipo=a.tipo, sha256=a.sha256)
            anexo.arquivo.save(a.nome, a.arquivo, save=False)  # no armazenamento, com nome aleatório
            guardados.append(anexo)
        return _gravar_resposta(usuario=usuario, diligencia=dil, texto=texto, anexos=guardados)
    except BaseException:
        for anexo in guardados:
            anexo.arquivo.delete(save=False)
        raise


def exigir_titular(usuario, dil) -> None:
    """Recusa (403) quem não é o titular da indicação da diligência (a tela confere antes de ler o formulário)."""
    if not (perfis.pode_responder_diligencia(usuario) and pode_escrever_no_inciso(usuario, dil.indicacao.inciso)):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) responde a esta diligência.")


@atomico
def _gravar_resposta(*, usuario, diligencia, texto, anexos) -> RespostaDiligencia:
    dil = _travar_diligencia(diligencia)
    exigir_titular(usuario, dil)
    if dil.status != Status.ABERTA:
        raise ValidationError(f"A diligência nº {dil.numero} já foi fechada pelo órgão: não recebe mais respostas.")
    resposta = RespostaDiligencia.objects.create(diligencia=dil, usuario=usuario, texto=texto)
    for anexo in anexos:
        # pk=None: numa nova tentativa depois de um deadlock (sigcon.transacoes.atomico) a linha é inserida de novo.
        anexo.pk, anexo.resposta = None, resposta
    AnexoDiligencia.objects.bulk_create(anexos)
    registrar(acao="diligencia.responder", objeto=dil, usuario=usuario, depois={
        "resposta": resposta.pk, "texto": texto, "em_nome_de": titular_do_inciso(dil.indicacao.inciso),
        "anexos": [{"nome": a.nome, "tamanho": a.tamanho, "sha256": a.sha256} for a in anexos]})
    email_da_diligencia(dil, "respondida", usuario=usuario, resposta=resposta)
    return resposta


# ---------------------------------------------------------------------------
# Fechar

@atomico
def fechar_diligencia(*, usuario, diligencia) -> Diligencia:
    dil = _travar_diligencia(diligencia)
    if not (perfis.pode_informar_diligencia(usuario) and perfis.e_analista_da_uo(usuario, dil.orgao_id)):
        raise PermissionDenied(f"Somente o analista do órgão da UO {dil.orgao.codigo} fecha esta diligência.")
    if dil.status != Status.ABERTA:
        raise ValidationError(f"A diligência nº {dil.numero} já está fechada.")
    dil.status, dil.fechada_por, dil.fechada_em = Status.FECHADA, usuario, timezone.now()
    dil.save(update_fields=["status", "fechada_por", "fechada_em"])
    registrar(acao="diligencia.fechar", objeto=dil, usuario=usuario, antes={"status": Status.ABERTA},
              depois={"status": dil.status})
    email_da_diligencia(dil, "fechada", usuario=usuario)
    return dil
