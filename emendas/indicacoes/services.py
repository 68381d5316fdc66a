"""Indicação de recursos: envio, análise do órgão e da SEGOV, ajuste, impedimento técnico, cancelamento.

Mesmo formato dos serviços de remanejamento: trava, confere, muda, registra, agenda e-mails.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from auditoria.services import montar as montar_auditoria, registrar_varios
from contas import perfis
from convenios.models import Convenente, PropostaPlanoTrabalho
from sigcon.dinheiro import formatar_brl
from sigcon.texto import texto_limitado
from sigcon.estados import Maquina
from sigcon.transacoes import atomico

from .. import prazos
from ..catalogo import services as catalogo
from ..models import CategoriaImpedimento, ExecucaoIndicacao, Indicacao, Inciso, RegistroIndicacao, SequenciaExercicio, UnidadeOrcamentaria
from ..regras import validar_valor
from ..selectors import pode_escrever_no_inciso, saldos_inciso
from ..visibilidade import titular_do_inciso
from ..travas import reservar_numeros, travar_incisos_do_titular
from . import regras
from .emails import email_parlamentar
from .priorizacao import renumerar_prioridades

Status = Indicacao.Status
Forma = Indicacao.FormaExecucao


def formas_permitidas(inciso: Inciso) -> list[str]:
    """Formas de execução que a programação do inciso admite (DOMAIN.md §7.1)."""
    if inciso.acao.destino_livre:
        return [Forma.TRANSFERENCIA_ESPECIAL]  # UO 1491 / ação 2090: só transferência especial
    formas = [Forma.CONVENIO, Forma.EXECUCAO_DIRETA, Forma.DOACAO_BENS, Forma.OUTROS_INSTRUMENTOS]
    secretaria = inciso.acao.uo.secretaria
    if secretaria == UnidadeOrcamentaria.Secretaria.EDUCACAO:
        formas.insert(2, Forma.CAIXA_ESCOLAR)
    if secretaria == UnidadeOrcamentaria.Secretaria.SAUDE:
        formas.insert(2, Forma.RESOLUCAO_SES)
    return formas


def _historico_indicacao(ind, anterior, novo, usuario, texto, em_nome_de=None) -> None:
    RegistroIndicacao.objects.create(
        indicacao=ind, usuario=usuario, status_anterior=anterior, status_novo=novo, justificativa=texto,
        em_nome_de_id=em_nome_de,
    )


# Transições permitidas, conferidas num só lugar (sigcon.estados); as telas oferecem os botões a partir daqui.
MAQUINA = Maquina(
    nome="indicacao",
    transicoes={
        Status.EM_ANALISE_ORGAO: {Status.EM_ANALISE_SEGOV, Status.AGUARDANDO_AJUSTE, Status.REPROVADA,
                                  Status.CANCELADA},
        # O órgão devolve para ajuste também da análise da SEGOV (DOMAIN.md §7.10, 2021+).
        Status.EM_ANALISE_SEGOV: {Status.APROVADA, Status.RETORNADO_SEGOV, Status.AGUARDANDO_AJUSTE, Status.CANCELADA},
        Status.RETORNADO_SEGOV: {Status.EM_ANALISE_SEGOV, Status.AGUARDANDO_AJUSTE, Status.REPROVADA,
                                 Status.CANCELADA},
        Status.AGUARDANDO_AJUSTE: {Status.EM_ANALISE_ORGAO, Status.REPROVADA, Status.CANCELADA},
        Status.APROVADA: {Status.REPROVADA, Status.AGUARDANDO_AJUSTE, Status.CANCELADA},
    },
    verbos={
        Status.EM_ANALISE_SEGOV: "aprovar_orgao", Status.APROVADA: "aprovar_segov",
        Status.RETORNADO_SEGOV: "retornar_ao_orgao", Status.AGUARDANDO_AJUSTE: "devolver_para_ajuste",
        Status.REPROVADA: "reprovar", Status.CANCELADA: "cancelar", Status.EM_ANALISE_ORGAO: "ajustar",
    },
    historico=_historico_indicacao,
    descrever=lambda ind: f"A indicação nº {ind.numero}",
    campo_texto="justificativa",
)


def _mudar(ind: Indicacao, novo: str, *, usuario, justificativa: str = "") -> None:
    MAQUINA.aplicar(ind, novo, usuario=usuario, texto=justificativa)


def _justificativa(texto) -> str:
    return texto_limitado(texto, obrigatorio="Informe a justificativa.", rotulo="A justificativa")


def _travar(indicacao) -> Indicacao:
    # Trava a indicação: duas decisões simultâneas (aprovar e reprovar, cancelar e aprovar) não podem ambas valer.
    # of=self: o select_related não pode travar também a linha do exercício (ver emendas/travas.py).
    return (Indicacao.objects.select_for_update(no_key=True, of=("self",)).select_related("exercicio")
            .get(pk=indicacao.pk))


def _inciso(ind: Indicacao) -> Inciso:
    return Inciso.objects.select_related("acao__uo", "emenda__parlamentar__usuario", "emenda__bloco__responsavel__usuario").get(
        pk=ind.inciso_id
    )


def exigir_sem_proposta(ind: Indicacao, acao: str) -> None:
    """O valor que uma proposta usa está comprometido (Decisões, "Money committed to a convênio").

    Chamada com a indicação travada: ``gerar_proposta`` trava as mesmas indicações antes de criar o uso.
    """
    usos = list(ind.usos.select_related("proposta").order_by("proposta_id"))
    if not usos:
        # A parte utilizada de uma execução já registrada nunca volta (Decisões): só o impedimento parcial do controle
        # de execução devolve a parte não utilizada.
        execucao = ExecucaoIndicacao.objects.filter(indicacao_id=ind.pk).first()
        if execucao is not None and (execucao.utilizado > 0 or execucao.valor_impedido > 0):
            raise ValidationError(
                f"A indicação nº {ind.numero} não pode ser {acao}: o controle de execução já registra "
                f"{formatar_brl(execucao.utilizado)} utilizados"
                + (f" e um impedimento parcial de {formatar_brl(execucao.valor_impedido)}" if execucao.valor_impedido
                   else "") + ". A parte utilizada não volta ao inciso."
            )
        return
    propostas = ", ".join(
        f"nº {u.proposta_id} ({u.proposta.get_status_display().lower()}, usa {formatar_brl(u.valor)})" for u in usos
    )
    if all(u.proposta.status in PropostaPlanoTrabalho.ANTES_DA_APROVACAO for u in usos):
        saida = ("Para soltá-la, o convenente ou o órgão concedente deve desvincular a indicação da proposta ou "
                 "cancelar a proposta; depois tente de novo.")
    else:
        saida = ("A proposta já foi aprovada: o valor está comprometido com o convênio e só a parte não utilizada pode "
                 "voltar ao inciso, pelo controle de execução da proposta.")
    if acao.startswith("reprovada") and any(u.proposta.status in PropostaPlanoTrabalho.ACEITA_IOT for u in usos):
        # Canal obrigatório para a indicação de convênio usada (DOMAIN.md §7.9): convenios.services.
        # reprovar_indicacao_na_proposta tira o uso e reprova numa transação só.
        saida = "Dê o impedimento de ordem técnica dentro da proposta (botão na página dela)."
    raise ValidationError(
        f"A indicação nº {ind.numero} não pode ser {acao}: está vinculada à proposta {propostas}. {saida}"
    )


def e_analista_da_uo(usuario, uo_id) -> bool:
    return perfis.tem_perfil(usuario, perfis.ORGAO) and usuario.uos_analisadas.filter(pk=uo_id).exists()


# Quem leva a indicação a cada situação (o órgão da UO, a SEGOV, o titular). Os serviços conferem com estas
# regras e as telas oferecem os botões com elas e a tabela de transições (transicoes_do_usuario).
_ANALISTA, _SEGOV, _TITULAR = "analista", "segov", "titular"
QUEM_PODE = {
    Status.EM_ANALISE_SEGOV: _ANALISTA, Status.AGUARDANDO_AJUSTE: _ANALISTA, Status.REPROVADA: _ANALISTA,
    Status.APROVADA: _SEGOV, Status.RETORNADO_SEGOV: _SEGOV,
    Status.CANCELADA: _TITULAR, Status.EM_ANALISE_ORGAO: _TITULAR,
}


def transicoes_do_usuario(*, usuario, indicacao) -> frozenset[str]:
    """Situações a que *usuario* pode levar a indicação agora: a tabela (MAQUINA) e a regra de quem pode."""
    inciso = indicacao.inciso
    papeis = {
        _ANALISTA: lambda: e_analista_da_uo(usuario, inciso.acao.uo_id),
        _SEGOV: lambda: perfis.e_segov(usuario),
        _TITULAR: lambda: pode_escrever_no_inciso(usuario, inciso),
    }
    return frozenset(novo for novo in MAQUINA.seguintes(indicacao.status) if papeis[QUEM_PODE[novo]]())


def _exigir_analista(usuario, inciso: Inciso) -> None:
    if not e_analista_da_uo(usuario, inciso.acao.uo_id):
        raise PermissionDenied(f"Somente o analista do órgão da UO {inciso.acao.uo.codigo} analisa esta indicação.")


def _exigir_segov(usuario) -> None:
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV faz a análise de segundo nível.")


def _exigir_titular(usuario, inciso: Inciso) -> None:
    if not pode_escrever_no_inciso(usuario, inciso):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) age sobre esta indicação.")


# ---------------------------------------------------------------------------
# Envio

def _conferir_forma_e_beneficiario(inciso, forma_execucao, tipo_beneficiario) -> None:
    if forma_execucao not in formas_permitidas(inciso):
        nomes = ", ".join(Forma(f).label for f in formas_permitidas(inciso))
        raise ValidationError(
            f"A forma “{Forma(forma_execucao).label if forma_execucao in Forma.values else forma_execucao}” não é "
            f"permitida para o inciso {inciso.numero} (UO {inciso.acao.uo.codigo}, ação {inciso.acao.codigo}). "
            f"Permitidas: {nomes}."
        )
    recusa = regras.conferir_beneficiario(forma_execucao, tipo_beneficiario)
    if recusa:
        raise ValidationError(recusa)


def _conferir_objeto_e_origem(*, inciso, objeto, origem_saldo, dia) -> tuple[str, str]:
    objeto = texto_limitado(objeto, obrigatorio="Descreva o objeto da indicação.", rotulo="O objeto")
    usos = prazos.conferir_janela(prazos.calendario_do_inciso(inciso.exercicio, inciso.tipo), dia, "indicacao")
    if len(usos) == 1:
        if origem_saldo and origem_saldo != usos[0]:
            raise ValidationError(f"Hoje a indicação só pode usar o saldo {prazos.OrigemSaldo(usos[0]).label.lower()}.")
        return objeto, usos[0]
    if origem_saldo not in usos:
        raise ValidationError(
            "Escolha o saldo a usar: com possibilidade de remanejamento ou sem possibilidade de remanejamento."
        )
    return objeto, origem_saldo


def _tipos_dos_beneficiarios(linhas) -> dict:
    """O tipo gravado no banco (uma consulta para todas as linhas), não o do objeto recebido (que pode ter sido
    alterado em memória)."""
    ids = {b.pk for b, _ in linhas if b is not None}
    return dict(Convenente.objects.filter(pk__in=ids).values_list("pk", "tipo")) if ids else {}


@atomico
def enviar_indicacao(*, usuario, inciso, forma_execucao, valor, beneficiario=None, objeto="", origem_saldo=None,
                     especificacao_atendimento=None, tipo_aplicacao=None) -> Indicacao:
    return _enviar(usuario=usuario, inciso=inciso, forma_execucao=forma_execucao, objeto=objeto,
                   linhas=[(beneficiario, valor)], origem_saldo=origem_saldo, dizer_a_linha=False,
                   tipo=(especificacao_atendimento, tipo_aplicacao))[0]


@atomico
def enviar_indicacoes(*, usuario, inciso, forma_execucao, objeto, linhas, origem_saldo=None,
                      especificacao_atendimento=None, tipo_aplicacao=None) -> list[Indicacao]:
    """Várias indicações (uma por beneficiário) validadas juntas: se uma falha, nenhuma é gravada.

    *linhas*: lista de (beneficiario, valor). O erro diz a linha. O tipo de atendimento (convênio) ou de aplicação
    (as outras formas) vale para todas e tem de ser do catálogo do grupo de despesa do inciso.
    """
    if not linhas:
        raise ValidationError("Inclua ao menos um beneficiário.")
    return _enviar(usuario=usuario, inciso=inciso, forma_execucao=forma_execucao, objeto=objeto, linhas=linhas,
                   origem_saldo=origem_saldo, dizer_a_linha=True, tipo=(especificacao_atendimento, tipo_aplicacao))


def _enviar(*, usuario, inciso, forma_execucao, objeto, linhas, origem_saldo, dizer_a_linha, tipo) -> list[Indicacao]:
    """Confere todas as linhas com os incisos travados e só então numera e grava (as consultas não crescem com o
    número de linhas, e a trava do contador, disputada por todo envio do exercício, fica só para a gravação)."""
    # Trava os incisos do titular (a indicação e o remanejamento disputam o mesmo saldo), uma vez para o envio todo.
    inciso = travar_incisos_do_titular(inciso)
    dia = timezone.localdate()
    _exigir_titular(usuario, inciso)
    tipos = _tipos_dos_beneficiarios(linhas)
    conferidas, comum, disponivel = [], None, None
    for n, (beneficiario, valor) in enumerate(linhas, start=1):
        try:
            valor = validar_valor(valor)
            _conferir_forma_e_beneficiario(inciso, forma_execucao, tipos.get(beneficiario.pk) if beneficiario else None)
            if comum is None:
                comum = _conferir_objeto_e_origem(inciso=inciso, objeto=objeto, origem_saldo=origem_saldo, dia=dia)
                tipo = catalogo.conferir_tipo(inciso=inciso, forma_execucao=forma_execucao,
                                              especificacao_atendimento=tipo[0], tipo_aplicacao=tipo[1])
                # Lido com os incisos travados: nenhum outro envio ou pedido do titular muda o saldo até o commit.
                disponivel = saldos_inciso(inciso, dia).saldo_do_balde(comum[1])
            if valor > disponivel:
                raise ValidationError(
                    f"Valor acima do saldo {prazos.OrigemSaldo(comum[1]).label.lower()} do inciso {inciso.numero}: "
                    f"pedido {formatar_brl(valor)}, disponível {formatar_brl(disponivel)}."
                )
        except ValidationError as exc:
            if not dizer_a_linha:
                raise
            raise ValidationError(f"Linha {n}: {' '.join(exc.messages)} Nenhuma indicação foi gravada.") from exc
        disponivel -= valor  # as linhas seguintes usam o que sobrou
        conferidas.append((beneficiario, valor))
    objeto, origem = comum
    titular = titular_do_inciso(inciso)  # por quem agiu: o próprio titular ou o assessor dele
    numeros = reservar_numeros(inciso.exercicio_id, SequenciaExercicio.Nome.INDICACAO, len(conferidas))
    criadas = Indicacao.objects.bulk_create([
        Indicacao(exercicio_id=inciso.exercicio_id, numero=numero, inciso=inciso, forma_execucao=forma_execucao,
                  beneficiario=beneficiario, objeto=objeto, valor=valor, origem_saldo=origem, enviada_por=usuario,
                  em_nome_de_id=titular, especificacao_atendimento=tipo[0], tipo_aplicacao=tipo[1])
        for numero, (beneficiario, valor) in zip(numeros, conferidas)
    ])
    texto = f"Enviada usando o saldo {prazos.OrigemSaldo(origem).label.lower()}."
    RegistroIndicacao.objects.bulk_create([
        RegistroIndicacao(indicacao=ind, usuario=usuario, status_novo=Status.EM_ANALISE_ORGAO, justificativa=texto,
                          em_nome_de_id=titular)
        for ind in criadas
    ])
    registrar_varios([montar_auditoria(acao="indicacao.enviar", objeto=ind, usuario=usuario, depois={
        "status": ind.status, "inciso": inciso.numero, "forma_execucao": forma_execucao, "valor": ind.valor,
        "beneficiario": ind.beneficiario, "objeto": objeto, "origem_saldo": origem, "em_nome_de": titular,
        "tipo": str(tipo[0] or tipo[1] or "")}) for ind in criadas])
    if origem != prazos.OrigemSaldo.NAO_IMPOSITIVO:
        # As novas entram no fim da ordem do titular (as de inciso P, no fim de tudo); os incisos já estão travados.
        prioridades = renumerar_prioridades(inciso)
        for ind in criadas:
            ind.prioridade = prioridades[ind.pk]
    return criadas


# ---------------------------------------------------------------------------
# Órgão

@atomico
def aprovar_indicacao_orgao(*, usuario, indicacao) -> Indicacao:
    ind = _travar(indicacao)
    _exigir_analista(usuario, _inciso(ind))
    _mudar(ind, Status.EM_ANALISE_SEGOV, usuario=usuario)
    ind.aprovada_orgao_por, ind.aprovada_orgao_em = usuario, timezone.now()
    ind.save(update_fields=["status", "aprovada_orgao_por", "aprovada_orgao_em"])
    return ind


@atomico
def devolver_para_ajuste(*, usuario, indicacao, justificativa) -> Indicacao:
    justificativa = _justificativa(justificativa)
    ind = _travar(indicacao)
    inciso = _inciso(ind)
    _exigir_analista(usuario, inciso)
    if ind.forma_execucao == Forma.TRANSFERENCIA_ESPECIAL:
        raise ValidationError(f"A indicação nº {ind.numero} é de transferência especial, que não tem ajuste.")
    exigir_sem_proposta(ind, "devolvida para ajuste")
    _mudar(ind, Status.AGUARDANDO_AJUSTE, usuario=usuario, justificativa=justificativa)
    ind.justificativa = justificativa
    ind.save(update_fields=["status", "justificativa"])
    email_parlamentar(ind, inciso, "emails/indicacao_ajuste.txt",
                       f"SIGCON Saída – indicação nº {ind.numero} devolvida para ajuste", usuario)
    return ind


@atomico
def reprovar_indicacao(*, usuario, indicacao, categoria, justificativa) -> Indicacao:
    """Impedimento de ordem técnica. O valor segue a tabela de devolução das Decisões."""
    justificativa = _justificativa(justificativa)
    # Trava os incisos do titular antes da indicação (ordem global): a reprovação fecha o buraco na priorização,
    # que só muda com esta trava.
    travar_incisos_do_titular(indicacao.inciso)
    ind = _travar(indicacao)
    inciso = _inciso(ind)
    _exigir_analista(usuario, inciso)
    if categoria is None or not CategoriaImpedimento.do_exercicio(ind.exercicio).filter(pk=categoria.pk).exists():
        raise ValidationError("Escolha uma categoria de impedimento de ordem técnica da lista do exercício.")
    exigir_sem_proposta(ind, "reprovada por impedimento técnico")
    _mudar(ind, Status.REPROVADA, usuario=usuario, justificativa=f"{categoria.nome}: {justificativa}")
    ind.saldo_devolucao = prazos.destino_devolucao_indicacao(
        prazos.calendario_do_inciso(ind.exercicio, inciso.tipo), timezone.localdate(), ind.origem_saldo,
        cancelamento=False,
    )
    ind.categoria_impedimento, ind.justificativa = categoria, justificativa
    ind.encerrada_por, ind.encerrada_em, ind.prioridade = usuario, timezone.now(), None
    ind.save(update_fields=["status", "saldo_devolucao", "categoria_impedimento", "justificativa",
                            "encerrada_por", "encerrada_em", "prioridade"])
    renumerar_prioridades(inciso)
    email_parlamentar(ind, inciso, "emails/indicacao_reprovada.txt",
                       f"SIGCON Saída – indicação nº {ind.numero} reprovada por impedimento técnico", usuario)
    return ind


# ---------------------------------------------------------------------------
# SEGOV

@atomico
def aprovar_indicacao_segov(*, usuario, indicacao) -> Indicacao:
    _exigir_segov(usuario)
    ind = _travar(indicacao)
    _mudar(ind, Status.APROVADA, usuario=usuario)
    ind.aprovada_segov_por, ind.aprovada_segov_em = usuario, timezone.now()
    ind.save(update_fields=["status", "aprovada_segov_por", "aprovada_segov_em"])
    return ind


@atomico
def retornar_ao_orgao(*, usuario, indicacao, justificativa) -> Indicacao:
    _exigir_segov(usuario)
    justificativa = _justificativa(justificativa)
    ind = _travar(indicacao)
    _mudar(ind, Status.RETORNADO_SEGOV, usuario=usuario, justificativa=justificativa)
    ind.justificativa = justificativa
    ind.save(update_fields=["status", "justificativa"])
    return ind


# ---------------------------------------------------------------------------
# Parlamentar: ajuste (o cancelamento está em cancelamento.py)

@atomico
def ajustar_indicacao(*, usuario, indicacao, objeto, especificacao_atendimento=None, tipo_aplicacao=None) -> Indicacao:
    """Depois da devolução do órgão: o objeto e o tipo de atendimento/aplicação mudam (o tipo dentro das janelas de
    ajuste do exercício e do catálogo do grupo do inciso; None mantém o atual); valor, beneficiário e inciso não.
    Volta para o órgão; ``enviada_em`` fica."""
    objeto = texto_limitado(objeto, obrigatorio="Descreva o objeto ajustado.", rotulo="O objeto")
    ind = _travar(indicacao)
    inciso = _inciso(ind)
    _exigir_titular(usuario, inciso)
    if ind.status != Status.AGUARDANDO_AJUSTE:
        raise ValidationError(f"A indicação nº {ind.numero} não está aguardando ajuste.")
    antes = ind.especificacao_atendimento or ind.tipo_aplicacao
    esp = especificacao_atendimento or (None if tipo_aplicacao else ind.especificacao_atendimento_id)
    apl = tipo_aplicacao or (None if especificacao_atendimento else ind.tipo_aplicacao_id)
    # O tipo que fica (o atual, mesmo inativo hoje) não é conferido de novo; o novo, sim, e dentro da janela.
    if (getattr(esp, "pk", esp), getattr(apl, "pk", apl)) != (ind.especificacao_atendimento_id, ind.tipo_aplicacao_id):
        esp, apl = catalogo.conferir_tipo(inciso=inciso, forma_execucao=ind.forma_execucao,
                                          especificacao_atendimento=esp, tipo_aplicacao=apl)
        catalogo.conferir_janela_do_ajuste(indicacao=ind, inciso=inciso, especificacao=esp, tipo_aplicacao=apl,
                                           dia=timezone.localdate())
        ind.especificacao_atendimento, ind.tipo_aplicacao = esp, apl
    depois = ind.especificacao_atendimento or ind.tipo_aplicacao
    texto = f"Objeto ajustado: {objeto[:500]}" + (f" Tipo: {antes or '—'} → {depois}." if depois != antes else "")
    MAQUINA.aplicar(ind, Status.EM_ANALISE_ORGAO, usuario=usuario, texto=texto, em_nome_de=titular_do_inciso(inciso))
    ind.objeto, ind.ajustada_em = objeto, timezone.now()
    ind.save(update_fields=["status", "objeto", "especificacao_atendimento", "tipo_aplicacao", "ajustada_em"])
    return ind
