"""Escritas do controle de execução: o registro do órgão (com o impedimento parcial) e o automático.

Mesmo formato dos outros serviços: trava, confere, muda, registra (histórico e auditoria), agenda e-mails.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from auditoria.services import registrar
from convenios.models import Liberacao, UsoIndicacao
from contas import perfis
from sigcon.dinheiro import VALOR_MAXIMO, ZERO, formatar_brl, quantizar
from sigcon.texto import texto_limitado
from sigcon.transacoes import atomico

from .. import prazos
from ..indicacoes.emails import email_parlamentar
from ..indicacoes.services import e_analista_da_uo
from ..models import CategoriaImpedimento, ExecucaoIndicacao, Indicacao, Inciso, RegistroExecucao
from ..travas import travar_incisos_do_titular
from .regras import e_automatica, erros_dos_valores

Status = Indicacao.Status
Forma = Indicacao.FormaExecucao
Fonte = RegistroExecucao.Fonte
CAMPOS_VALORES = ("utilizado", "empenhado", "liquidado", "pago")


def pode_registrar(usuario, indicacao) -> bool:
    """O analista do órgão da UO da indicação ou a SEGOV (a mesma regra para o botão e para o serviço)."""
    return perfis.e_segov(usuario) or e_analista_da_uo(usuario, indicacao.inciso.acao.uo_id)


def _valor(nome, valor) -> Decimal:
    if not isinstance(valor, Decimal) or not valor.is_finite():
        raise ValidationError(f"O valor {nome} deve ser um número decimal.")
    if valor != quantizar(valor):
        raise ValidationError(f"O valor {nome} deve ter no máximo duas casas decimais (centavos).")
    if valor > VALOR_MAXIMO:
        raise ValidationError(f"O valor {nome} é maior que o máximo aceito.")
    return quantizar(valor)


def _conferir_valores(ind, valores, numero_empenho) -> dict:
    valores = {nome: _valor(nome, valores[nome]) for nome in CAMPOS_VALORES}
    erros = erros_dos_valores(indicado=ind.valor, numero_empenho=numero_empenho, **valores)
    if erros:
        raise ValidationError(erros)
    return valores


def _conferir_datas(datas) -> dict:
    empenho, pagamento = datas.get("data_empenho"), datas.get("data_pagamento")
    hoje = timezone.localdate()
    for rotulo, dia in (("do empenho", empenho), ("do pagamento", pagamento)):
        if dia is not None and dia > hoje:
            raise ValidationError(f"A data {rotulo} ({dia:%d/%m/%Y}) não pode estar no futuro.")
    if empenho and pagamento and pagamento < empenho:
        raise ValidationError(f"A data do pagamento ({pagamento:%d/%m/%Y}) não pode ser anterior à do empenho "
                              f"({empenho:%d/%m/%Y}).")
    return {"data_empenho": empenho, "data_pagamento": pagamento}


def _travar_indicacao(indicacao) -> Indicacao:
    # Trava a indicação: dois registros simultâneos da execução (ou um registro e uma reprovação) não podem ambos
    # valer; sem ela, dois impedimentos parciais da mesma indicação devolveriam o valor duas vezes.
    return (Indicacao.objects.select_for_update(no_key=True, of=("self",)).select_related("exercicio")
            .get(pk=indicacao.pk))


def _execucao_travada(ind, *, automatica: bool) -> ExecucaoIndicacao:
    """A execução da indicação, travada (depois da indicação ou da proposta, por último); nova (ainda não gravada)
    se não existe.

    Manual: quem chama já travou a indicação, então ninguém mais a cria ao mesmo tempo. Automática (convênio,
    chamada com a proposta travada, sem a indicação): INSERT ... ON CONFLICT DO NOTHING e depois a trava, para que
    duas liberações de propostas diferentes que usam a mesma indicação não deem erro de chave única (a segunda
    espera a primeira e relê os valores).
    """
    if automatica:
        ExecucaoIndicacao.objects.bulk_create([ExecucaoIndicacao(
            indicacao_id=ind.pk, valor_indicado=ind.valor, utilizado=ZERO, empenhado=ZERO, liquidado=ZERO, pago=ZERO,
            automatica=True, valor_impedido=ZERO,
        )], ignore_conflicts=True)
    existente = (ExecucaoIndicacao.objects.select_for_update(no_key=True, of=("self",))
                 .filter(indicacao_id=ind.pk).first())
    if existente is not None:
        return existente
    return ExecucaoIndicacao(indicacao=ind, valor_indicado=ind.valor, utilizado=ZERO, empenhado=ZERO,
                             liquidado=ZERO, pago=ZERO, automatica=automatica, valor_impedido=ZERO)


def _gravar(execucao, *, usuario, fonte, valores, numero_empenho, observacao="") -> ExecucaoIndicacao:
    antes = {c: getattr(execucao, c) for c in (*CAMPOS_VALORES, "numero_empenho", "valor_impedido")}
    for nome, valor in valores.items():
        setattr(execucao, nome, valor)
    execucao.numero_empenho = numero_empenho
    execucao.atualizada_em, execucao.atualizada_por = timezone.now(), usuario
    if execucao.pk is None:
        execucao.save(force_insert=True)
    else:
        execucao.save(update_fields=[*CAMPOS_VALORES, "numero_empenho", "atualizada_em", "atualizada_por",
                                     "data_empenho", "data_pagamento",
                                     "valor_impedido", "saldo_devolucao", "impedido_em", "impedido_por",
                                     "categoria_impedimento", "justificativa_impedimento", "automatica"])
    RegistroExecucao.objects.create(
        execucao=execucao, usuario=usuario, fonte=fonte, numero_empenho=numero_empenho,
        valor_impedido=execucao.valor_impedido, observacao=observacao, **valores,
    )
    registrar(acao="indicacao.execucao", objeto=execucao.indicacao, usuario=usuario, antes=antes, depois={
        **valores, "numero_empenho": numero_empenho, "valor_impedido": execucao.valor_impedido,
        "saldo_devolucao": execucao.saldo_devolucao, "fonte": fonte,
    })
    return execucao


@atomico
def registrar_execucao(*, usuario, indicacao, utilizado, empenhado, liquidado, pago, numero_empenho="",
                       categoria=None, justificativa="", data_empenho=None, data_pagamento=None) -> ExecucaoIndicacao:
    """O órgão (ou a SEGOV) registra a execução de uma indicação aprovada de execução manual.

    Utilizado menor que o indicado é impedimento de ordem técnica parcial (categoria e justificativa obrigatórias):
    a indicação continua aprovada e só ``indicado − utilizado`` volta ao inciso, para o balde que a tabela de
    devolução dá a um IOT no dia. Irreversível: depois dele o utilizado não muda mais.
    """
    return registrar_execucao_sem_transacao(
        usuario=usuario, indicacao=indicacao, valores={"utilizado": utilizado, "empenhado": empenhado,
                                                       "liquidado": liquidado, "pago": pago},
        numero_empenho=numero_empenho, categoria=categoria, justificativa=justificativa, fonte=Fonte.ORGAO,
        datas={"data_empenho": data_empenho, "data_pagamento": data_pagamento},
    )


def registrar_execucao_sem_transacao(*, usuario, indicacao, valores, numero_empenho="", categoria=None,
                                     justificativa="", fonte=Fonte.ORGAO, datas=None) -> ExecucaoIndicacao:
    """``registrar_execucao`` dentro da transação de quem chama (a importação grava todas as linhas numa só)."""
    numero_empenho = texto_limitado(numero_empenho or "", rotulo="O número do empenho", maximo=40)
    datas = _conferir_datas(datas or {})
    # O impedimento parcial muda o saldo do inciso: os incisos do titular primeiro (passo 2 da ordem global,
    # emendas/travas.py), como toda escrita que move dinheiro; depois a indicação (passo 3) e a execução dela.
    inciso = travar_incisos_do_titular(Inciso.objects.select_related("emenda").get(pk=indicacao.inciso_id))
    ind = _travar_indicacao(indicacao)
    if not (perfis.e_segov(usuario) or e_analista_da_uo(usuario, inciso.acao.uo_id)):
        raise PermissionDenied(
            f"Somente o analista do órgão da UO {inciso.acao.uo.codigo} ou a SEGOV registra a execução desta indicação."
        )
    if e_automatica(ind.forma_execucao):
        raise ValidationError(
            f"A execução da indicação nº {ind.numero} ({ind.get_forma_execucao_display().lower()}) é registrada "
            "automaticamente a partir do instrumento; o órgão não a informa."
        )
    if ind.status != Status.APROVADA:
        raise ValidationError(
            f"A indicação nº {ind.numero} está “{ind.get_status_display().lower()}”: só a indicação aprovada tem "
            "controle de execução."
        )
    valores = _conferir_valores(ind, valores, numero_empenho)
    execucao = _execucao_travada(ind, automatica=False)
    utilizado = valores["utilizado"]
    observacao = ""
    if execucao.impedido_em is not None:
        if utilizado != execucao.utilizado:
            raise ValidationError(
                f"O impedimento parcial da indicação nº {ind.numero} ({formatar_brl(execucao.valor_impedido)}) é "
                f"irreversível: o valor utilizado fica em {formatar_brl(execucao.utilizado)}."
            )
    elif utilizado < ind.valor:
        observacao = _impedir_em_parte(ind, inciso, execucao, usuario=usuario, utilizado=utilizado,
                                       categoria=categoria, justificativa=justificativa)
    execucao.data_empenho, execucao.data_pagamento = datas["data_empenho"], datas["data_pagamento"]
    _gravar(execucao, usuario=usuario, fonte=fonte, valores=valores, numero_empenho=numero_empenho,
            observacao=observacao)
    if observacao:
        email_parlamentar(ind, inciso, "emails/indicacao_impedimento_parcial.txt",
                          f"SIGCON Saída – impedimento de ordem técnica parcial na indicação nº {ind.numero}", usuario)
    return execucao


def _impedir_em_parte(ind, inciso, execucao, *, usuario, utilizado, categoria, justificativa) -> str:
    if utilizado == ZERO:
        raise ValidationError(
            f"Nada da indicação nº {ind.numero} foi utilizado: reprove-a por impedimento de ordem técnica na "
            "análise do órgão, em vez de registrar a execução."
        )
    justificativa = texto_limitado(
        justificativa, rotulo="A justificativa",
        obrigatorio=f"O valor utilizado é menor que o indicado ({formatar_brl(ind.valor)}): informe a justificativa "
                    "do impedimento de ordem técnica parcial.",
    )
    if categoria is None or not CategoriaImpedimento.do_exercicio(ind.exercicio).filter(pk=categoria.pk).exists():
        raise ValidationError("O valor utilizado é menor que o indicado: escolha a categoria do impedimento de ordem "
                              "técnica parcial na lista do exercício.")
    hoje = timezone.localdate()
    trilha = prazos.trilha_do_inciso(inciso.tipo)
    if not prazos.janela_aberta(ind.exercicio, trilha, prazos.TipoJanela.VALOR_UTILIZADO, hoje):
        intervalo = prazos.intervalo_janela(ind.exercicio, trilha, prazos.TipoJanela.VALOR_UTILIZADO)
        quando = (f" (de {intervalo[0]:%d/%m/%Y} a {intervalo[1]:%d/%m/%Y})" if intervalo else "")
        raise ValidationError(f"A janela “{prazos.TipoJanela.VALOR_UTILIZADO.label}” não está aberta hoje{quando}: "
                              "o impedimento parcial não pode ser registrado.")
    execucao.valor_impedido = ind.valor - utilizado
    execucao.saldo_devolucao = prazos.destino_devolucao_indicacao(ind.exercicio, hoje, ind.origem_saldo,
                                                                  cancelamento=False)
    execucao.impedido_em, execucao.impedido_por = timezone.now(), usuario
    execucao.categoria_impedimento, execucao.justificativa_impedimento = categoria, justificativa
    destino = prazos.OrigemSaldo(execucao.saldo_devolucao).label.lower()
    return (f"Impedimento de ordem técnica parcial ({categoria.nome}): {formatar_brl(execucao.valor_impedido)} "
            f"voltaram ao saldo {destino}. {justificativa}")


# ---------------------------------------------------------------------------
# Automática

@atomico
def registrar_execucao_automatica(*, indicacao, usuario=None, utilizado=None, empenhado=None, liquidado=None,
                                  pago=None, numero_empenho="", observacao="") -> ExecucaoIndicacao:
    """A execução que vem do instrumento, nunca do órgão.

    Convênio: recalculada da proposta (utilizado = o que as propostas não canceladas usam da indicação) e das
    liberações autorizadas (empenhado = liquidado = pago = o liberado, repartido entre as indicações da proposta na
    ordem do número); os valores não são aceitos de fora. Resolução SES, Caixa Escolar e Transferência Especial: os
    valores do registro do instrumento, obrigatórios. Nunca há impedimento parcial automático: no convênio ele é
    dado dentro da proposta. Idempotente.
    """
    forma = Indicacao.objects.values_list("forma_execucao", flat=True).get(pk=indicacao.pk)
    if not e_automatica(forma):
        raise ValidationError(f"A execução da indicação nº {indicacao.numero} é registrada pelo órgão, não "
                              "automaticamente.")
    informados = {"utilizado": utilizado, "empenhado": empenhado, "liquidado": liquidado, "pago": pago}
    if forma == Forma.CONVENIO:
        if any(v is not None for v in informados.values()):
            raise ValidationError("A execução de um convênio vem da proposta e das liberações: não informe valores.")
        # Chamada também de dentro dos passos da proposta (com a proposta travada, passo 4): a indicação não é
        # travada aqui (seria voltar ao passo 3); só a execução, por último. Os valores são relidos depois da trava.
        ind = Indicacao.objects.select_related("exercicio").get(pk=indicacao.pk)
        execucao = _execucao_travada(ind, automatica=True)
        valores, numero_empenho = valores_do_convenio(ind), ""
    else:
        if any(v is None for v in informados.values()):
            raise ValidationError("Informe os valores utilizado, empenhado, liquidado e pago do instrumento.")
        ind = _travar_indicacao(indicacao)
        numero_empenho = texto_limitado(numero_empenho or "", rotulo="O número do empenho", maximo=40)
        valores = _conferir_valores(ind, informados, numero_empenho)
        execucao = _execucao_travada(ind, automatica=True)
    if ind.status != Status.APROVADA:
        raise ValidationError(f"A indicação nº {ind.numero} não está aprovada: não há execução a registrar.")
    atuais = {c: getattr(execucao, c) for c in CAMPOS_VALORES}
    if execucao.automatica and atuais == valores and execucao.numero_empenho == numero_empenho \
            and execucao.registros.exists():
        return execucao  # nada mudou: sem histórico nem auditoria repetidos
    execucao.automatica = True
    return _gravar(execucao, usuario=usuario, fonte=Fonte.AUTOMATICA, valores=valores, numero_empenho=numero_empenho,
                   observacao=observacao)


def valores_do_convenio(ind) -> dict:
    """Utilizado e liberado de uma indicação de convênio, das propostas que a usam (pura leitura)."""
    usos = list(UsoIndicacao.objects.filter(indicacao=ind).exclude(proposta__status="CANCELADA")
                .values_list("proposta_id", "valor"))
    utilizado = sum((v for _, v in usos), ZERO)
    liberado = ZERO
    for proposta_id, _ in usos:
        total = (Liberacao.objects.filter(proposta_id=proposta_id, status=Liberacao.Status.AUTORIZADA)
                 .aggregate(t=Sum("valor"))["t"] or ZERO)
        # O liberado da proposta enche as indicações dela na ordem do número (nunca passa do uso de cada uma).
        for numero_ind, valor in (UsoIndicacao.objects.filter(proposta_id=proposta_id)
                                  .order_by("indicacao__numero").values_list("indicacao_id", "valor")):
            parte = min(total, valor)
            total -= parte
            if numero_ind == ind.pk:
                liberado += parte
                break
    return {"utilizado": utilizado, "empenhado": liberado, "liquidado": liberado, "pago": liberado}


def atualizar_execucao_da_proposta(*, proposta) -> list[ExecucaoIndicacao]:
    """A execução automática de cada indicação que a proposta usa (chamada pelos passos de ``convenios``)."""
    return [registrar_execucao_automatica(indicacao=ind) for ind in
            Indicacao.objects.filter(usos__proposta=proposta, status=Status.APROVADA).order_by("pk")]
