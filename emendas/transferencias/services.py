"""Transferência Especial (DOMAIN.md §3.4): cadastrar (uma ou várias, "aplicar a todas"), enviar ao SIAFI-MG (e
reenviar de "não enviado") e encerrar. Quem age é o analista do órgão da UO da indicação; a SEGOV e o visualizador
só veem. Reexportado em ``emendas.services``.

Não mexe em dinheiro: não trava incisos. Na ordem global (emendas/travas.py) entra no passo 3: a indicação, depois a
sua transferência. O envio ao SIAFI é em três passos, para a chamada de rede nunca segurar uma transação: (1) numa
transação curta, trava a transferência, confere e grava o pedido (``envio_iniciado_em``); (2) fora de transação,
chama o SIAFI-MG com o ``identificador`` da transferência como chave de idempotência; (3) noutra transação curta,
trava de novo e grava o resultado pela máquina de estados. Um segundo envio enquanto o primeiro está em andamento é
recusado; um pedido sem resultado há mais de ``ENVIO_PERDIDO`` (o processo morreu no meio) pode ser refeito, e o
SIAFI, pela chave, devolve o registro que talvez já tenha feito em vez de registrar de novo.
"""

import logging
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from integracoes import siafi
from integracoes.errors import IntegracaoIndisponivel
from integracoes.tipos import PedidoTransferenciaEspecial, RespostaRegistroTransferencia
from sigcon.dinheiro import ZERO
from sigcon.estados import Maquina
from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from ..execucao.services import registrar_execucao_automatica
from ..models import Indicacao, RegistroTransferenciaEspecial, TransferenciaEspecial

log = logging.getLogger(__name__)

Status = TransferenciaEspecial.Status
FORMA = Indicacao.FormaExecucao.TRANSFERENCIA_ESPECIAL
# Pior caso do cliente HTTP com os valores padrão: ~22,5 s (integracoes/cliente_http.py). Um pedido sem resultado
# bem depois disso é de um processo que morreu no meio.
ENVIO_PERDIDO = timedelta(minutes=2)
# Os dados da resolução só mudam antes do envio (DOMAIN.md §3.4).
EDITAVEIS = (Status.NAO_CADASTRADO, Status.CADASTRADO)
COM_DECLARACAO = (Status.REGISTRADO_SIAFI, Status.ENCERRADO)  # §10 nº 32: as duas


def _historico(te, anterior, novo, usuario, texto) -> None:
    RegistroTransferenciaEspecial.objects.create(transferencia=te, usuario=usuario, status_anterior=anterior,
                                                 status_novo=novo, observacao=texto)


MAQUINA = Maquina(
    nome="transferencia_especial",
    transicoes={
        Status.NAO_CADASTRADO: {Status.CADASTRADO},
        Status.CADASTRADO: {Status.REGISTRADO_SIAFI, Status.NAO_ENVIADO},
        # Um reenvio que falha de novo fica "não enviado", com o novo motivo no histórico.
        Status.NAO_ENVIADO: {Status.REGISTRADO_SIAFI, Status.NAO_ENVIADO},
        Status.REGISTRADO_SIAFI: {Status.ENCERRADO},
    },
    verbos={Status.CADASTRADO: "cadastrar", Status.REGISTRADO_SIAFI: "registrar_siafi",
            Status.NAO_ENVIADO: "nao_enviar", Status.ENCERRADO: "encerrar"},
    historico=_historico,
    descrever=lambda te: f"A transferência especial da indicação nº {te.indicacao.numero}",
    extra_auditoria=lambda te: {"indicacao": te.indicacao.numero, "numero_resolucao": te.numero_resolucao,
                                "numero_siafi": te.numero_siafi},
)


# ---------------------------------------------------------------------------
# Quem pode (as telas mostram os botões pelas mesmas perguntas)

def pode_gerir(usuario, indicacao) -> bool:
    """O analista do órgão (UO) da indicação."""
    return (perfis.pode_gerir_transferencia_especial(usuario)
            and perfis.e_analista_da_uo(usuario, indicacao.inciso.acao.uo_id))


def _exigir_gestor(usuario, indicacoes) -> None:
    alheias = [ind for ind in indicacoes if not pode_gerir(usuario, ind)]
    if alheias:
        numeros = ", ".join(f"nº {ind.numero} (UO {ind.inciso.acao.uo.codigo})" for ind in alheias)
        raise PermissionDenied(f"Somente o analista do órgão da UO da indicação gere a transferência especial da "
                               f"indicação {numeros}.")


def situacao_da_indicacao(ind) -> str:
    te = getattr(ind, "transferencia_especial", None)
    return te.status if te is not None else Status.NAO_CADASTRADO


def pode_enviar(te) -> bool:
    return te is not None and MAQUINA.permite(te.status, Status.REGISTRADO_SIAFI)


def tem_declaracao(te) -> bool:
    return te is not None and te.status in COM_DECLARACAO


# ---------------------------------------------------------------------------
# Cadastrar

def _dados(numero_resolucao, data_publicacao, dotacao) -> tuple[str, date, str]:
    numero = texto_limitado(numero_resolucao, obrigatorio="Informe o nº da resolução.", rotulo="O nº da resolução",
                            maximo=40)
    if not isinstance(data_publicacao, date):
        raise ValidationError("Informe a data de publicação da resolução.")
    if data_publicacao > timezone.localdate():
        raise ValidationError(f"A data de publicação ({data_publicacao:%d/%m/%Y}) é posterior a hoje: informe a data "
                              "em que a resolução foi publicada.")
    return numero, data_publicacao, texto_limitado(dotacao, rotulo="A dotação", maximo=80)


def _travar_indicacoes(ids) -> list[Indicacao]:
    # Trava as indicações (passo 3, em ordem de id): uma reprovação ou um cancelamento simultâneo não deixa cadastrar
    # a transferência de uma indicação que acabou de sair de "aprovada", e dois cadastros da mesma indicação sem
    # transferência ainda não criam duas. of=self: não trava o inciso nem a UO lidos junto.
    travadas = list(Indicacao.objects.select_for_update(no_key=True, of=("self",))
                    .select_related("exercicio", "inciso__acao__uo").filter(pk__in=ids).order_by("pk"))
    # As transferências numa consulta à parte, depois da trava: no PostgreSQL, quem esperou a trava de uma indicação
    # relê a linha dela, mas não a de uma junção; a transferência criada por quem segurava a trava só aparece numa
    # consulta nova. Travadas também: um envio ao SIAFI (que trava só a transferência) não lê dados pela metade.
    existentes = {te.indicacao_id: te for te in TransferenciaEspecial.objects.select_for_update(no_key=True)
                  .filter(indicacao_id__in=ids).order_by("pk")}
    for ind in travadas:
        ind.transferencia_especial = existentes.get(ind.pk)
    return travadas


def _recusa_de_cadastro(ind) -> str | None:
    if ind.forma_execucao != FORMA:
        return f"A indicação nº {ind.numero} não é de transferência especial."
    if ind.status != Indicacao.Status.APROVADA:
        return (f"A indicação nº {ind.numero} está “{ind.get_status_display().lower()}”: só a indicação aprovada "
                "tem transferência especial.")
    te = getattr(ind, "transferencia_especial", None)
    if te is not None and te.status not in EDITAVEIS:
        return (f"A transferência especial da indicação nº {ind.numero} está “{te.get_status_display().lower()}”: "
                "os dados da resolução só mudam antes do envio ao SIAFI.")
    return None


@atomico
def cadastrar_transferencia_especial(*, usuario, indicacoes, numero_resolucao, data_publicacao, dotacao
                                     ) -> list[TransferenciaEspecial]:
    """Grava nº da resolução, data de publicação e dotação em todas as *indicacoes* ("aplicar a todas"), ou em
    nenhuma: se uma não pode, a recusa diz qual e por quê (todas de uma vez) e nada muda. A que ainda não tinha
    cadastro passa a "cadastrado"; a já cadastrada tem os dados trocados (com auditoria)."""
    numero, data, dotacao = _dados(numero_resolucao, data_publicacao, dotacao)
    ids = sorted({ind.pk for ind in indicacoes})
    if not ids:
        raise ValidationError("Selecione ao menos uma indicação de transferência especial.")
    travadas = _travar_indicacoes(ids)
    if len(travadas) != len(ids):
        raise ValidationError("Uma das indicações selecionadas não existe mais; atualize a página. Nada foi gravado.")
    _exigir_gestor(usuario, travadas)
    recusas = [r for r in map(_recusa_de_cadastro, travadas) if r]
    if recusas:
        raise ValidationError(["Nenhuma transferência especial foi cadastrada.", *recusas])
    agora, feitas = timezone.now(), []
    for ind in travadas:
        te = getattr(ind, "transferencia_especial", None) or TransferenciaEspecial.objects.create(indicacao=ind)
        te.indicacao = ind
        antes = {"numero_resolucao": te.numero_resolucao, "data_publicacao": te.data_publicacao,
                 "dotacao": te.dotacao}
        te.numero_resolucao, te.data_publicacao, te.dotacao = numero, data, dotacao
        te.cadastrada_por, te.cadastrada_em = usuario, agora
        if te.status == Status.NAO_CADASTRADO:
            MAQUINA.aplicar(te, Status.CADASTRADO, usuario=usuario,
                            texto=f"Nº da resolução: {numero}, publicada em {data:%d/%m/%Y}")
        else:
            registrar(acao="transferencia_especial.alterar", objeto=te, usuario=usuario, antes=antes, depois={
                "numero_resolucao": numero, "data_publicacao": data, "dotacao": dotacao})
        te.save(update_fields=["status", "numero_resolucao", "data_publicacao", "dotacao", "cadastrada_por",
                               "cadastrada_em"])
        feitas.append(te)
    return feitas


# ---------------------------------------------------------------------------
# Enviar ao SIAFI-MG

def _travar(transferencia) -> TransferenciaEspecial:
    # Trava a transferência: dois envios simultâneos (duplo clique, duas abas) não chamam o SIAFI os dois, e o
    # resultado de um envio não é gravado por cima do de outro. of=self: a indicação e o inciso lidos junto não.
    return (TransferenciaEspecial.objects.select_for_update(no_key=True, of=("self",))
            .select_related("indicacao__exercicio", "indicacao__beneficiario", "indicacao__inciso__acao__uo")
            .get(pk=transferencia.pk))


def _travar_indicacao_da(transferencia) -> None:
    # Trava a indicação da transferência (passo 3 da ordem de emendas/travas.py, antes da transferência).
    list(Indicacao.objects.select_for_update(no_key=True).filter(
        pk__in=TransferenciaEspecial.objects.filter(pk=transferencia.pk).values("indicacao_id")).values_list("pk"))


@atomico
def _reservar_envio(*, usuario, transferencia) -> tuple[PedidoTransferenciaEspecial, object]:
    te = _travar(transferencia)
    ind = te.indicacao
    _exigir_gestor(usuario, [ind])
    if ind.status != Indicacao.Status.APROVADA:
        raise ValidationError(f"A indicação nº {ind.numero} está “{ind.get_status_display().lower()}”: a "
                              "transferência especial não pode ser enviada ao SIAFI.")
    MAQUINA.conferir(te, Status.REGISTRADO_SIAFI)
    agora = timezone.now()
    if te.envio_iniciado_em is not None and agora - te.envio_iniciado_em < ENVIO_PERDIDO:
        raise ValidationError(f"A transferência especial da indicação nº {ind.numero} já está sendo enviada ao "
                              "SIAFI-MG; aguarde o resultado e atualize a página.")
    if ind.beneficiario_id is None:
        raise ValidationError(f"A indicação nº {ind.numero} não tem o município beneficiário.")
    te.envio_iniciado_em, te.ultimo_envio_em, te.enviada_por = agora, agora, usuario
    te.tentativas += 1
    te.save(update_fields=["envio_iniciado_em", "ultimo_envio_em", "enviada_por", "tentativas"])
    pedido = PedidoTransferenciaEspecial(
        identificador=str(te.identificador), cnpj=ind.beneficiario.cnpj, exercicio=ind.exercicio.ano,
        indicacao=ind.numero, numero_resolucao=te.numero_resolucao, data_publicacao=te.data_publicacao,
        dotacao=te.dotacao, valor=ind.valor,
    )
    registrar(acao="transferencia_especial.pedir_siafi", objeto=te, usuario=usuario,
              antes={"status": te.status}, depois={"pedido": pedido.como_dict(), "tentativa": te.tentativas})
    return pedido, agora


@atomico
def _gravar_resultado(*, usuario, transferencia, marca, resposta: RespostaRegistroTransferencia | None,
                      erro: str = "") -> TransferenciaEspecial:
    # A indicação antes da transferência (a ordem do controle de execução, que a trava de novo ao registrar a
    # execução automática): a reprovação ou o cancelamento simultâneo espera, e depois vê a execução registrada.
    _travar_indicacao_da(transferencia)
    te = _travar(transferencia)
    if te.envio_iniciado_em != marca:
        # Este pedido foi dado por perdido e outro envio o substituiu: o resultado que vale é o do outro.
        log.warning("resultado do SIAFI para a transferência %s chegou depois de outro envio; ignorado", te.pk)
        return te
    te.envio_iniciado_em = None
    if resposta is not None and resposta.registrado:
        te.numero_siafi, te.registrada_em, te.erro_siafi = resposta.numero_registro, timezone.now(), ""
        MAQUINA.aplicar(te, Status.REGISTRADO_SIAFI, usuario=usuario,
                        texto=f"Registro nº {resposta.numero_registro} no SIAFI-MG")
        # Registrada no SIAFI-MG: o valor está empenhado para o município (controle de execução automático, §7.15);
        # a parte utilizada nunca mais volta ao inciso (a indicação não pode mais ser reprovada nem cancelada).
        if te.indicacao.status == Indicacao.Status.APROVADA:
            valor = te.indicacao.valor
            registrar_execucao_automatica(indicacao=te.indicacao, usuario=usuario, utilizado=valor, empenhado=valor,
                                          liquidado=ZERO, pago=ZERO, numero_empenho=resposta.numero_registro[:40],
                                          observacao="Transferência especial registrada no SIAFI-MG.")
    else:
        te.erro_siafi = (resposta.motivo if resposta is not None else erro) or "O SIAFI-MG não registrou."
        MAQUINA.aplicar(te, Status.NAO_ENVIADO, usuario=usuario, texto=te.erro_siafi)
    te.save(update_fields=["envio_iniciado_em", "numero_siafi", "registrada_em", "erro_siafi", "status"])
    return te


def enviar_transferencia_ao_siafi(*, usuario, transferencia) -> TransferenciaEspecial:
    """"Enviar para o SIAFI" (de "cadastrado", ou o reenvio de "não enviado"). Devolve a transferência como ficou:
    "registrado no SIAFI" com o número do registro, ou "não enviado" com o motivo (o SIAFI-MG fora do ar ou a recusa
    dele), de onde pode ser reenviada. Nunca dentro de uma transação aberta: a chamada de rede não pode segurar
    travas (e o pedido gravado precisa valer antes dela)."""
    pedido, marca = _reservar_envio(usuario=usuario, transferencia=transferencia)
    try:
        resposta = siafi.registrar_transferencia_especial(pedido, usuario=usuario)
    except IntegracaoIndisponivel as exc:
        return _gravar_resultado(usuario=usuario, transferencia=transferencia, marca=marca, resposta=None,
                                 erro=exc.mensagem)
    except Exception:
        _gravar_resultado(usuario=usuario, transferencia=transferencia, marca=marca, resposta=None,
                          erro="Erro inesperado no envio ao SIAFI-MG; tente de novo ou avise o suporte.")
        raise
    return _gravar_resultado(usuario=usuario, transferencia=transferencia, marca=marca, resposta=resposta)


# ---------------------------------------------------------------------------
# Encerrar

@atomico
def encerrar_transferencia_especial(*, usuario, transferencia) -> TransferenciaEspecial:
    """O órgão encerra a transferência registrada no SIAFI (fim do fluxo; a declaração continua disponível)."""
    _travar_indicacao_da(transferencia)  # a mesma ordem do envio: indicação, transferência, execução
    te = _travar(transferencia)
    _exigir_gestor(usuario, [te.indicacao])
    MAQUINA.conferir(te, Status.ENCERRADO)
    te.encerrada_por, te.encerrada_em = usuario, timezone.now()
    MAQUINA.aplicar(te, Status.ENCERRADO, usuario=usuario)
    te.save(update_fields=["status", "encerrada_por", "encerrada_em"])
    # Encerrada: o repasse fundo a fundo foi feito por inteiro (liquidado e pago = o valor transferido).
    if te.indicacao.status == Indicacao.Status.APROVADA:
        valor = te.indicacao.valor
        registrar_execucao_automatica(indicacao=te.indicacao, usuario=usuario, utilizado=valor, empenhado=valor,
                                      liquidado=valor, pago=valor, numero_empenho=(te.numero_siafi or "")[:40],
                                      observacao="Transferência especial encerrada.")
    return te
