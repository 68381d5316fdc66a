"""Como um passo da proposta é dado: reler, conferir, consultar o CAGEC fora da transação, travar e mudar.

Usado pelos serviços de ``convenios.services`` (envio, análise) e ``convenios.formalizacao`` (autorização,
assinaturas, publicação), para que todos os passos da tabela de transições tenham a mesma forma.
"""

from django.db import transaction

from emendas.execucao.services import atualizar_execucao_da_proposta
from emendas.models import Indicacao

from .maquina import MAQUINA
from .models import PropostaPlanoTrabalho as Proposta
from .permissoes import exigir_passo
from .regularidade import MOMENTOS_CAGEC, checar_cagec, gravar_verificacoes


def proposta_atual(proposta) -> Proposta:
    """Relê a proposta: o objeto recebido pode estar desatualizado (outra aba, outro usuário)."""
    return Proposta.objects.select_related("convenente").get(pk=proposta.pk)


def travar_proposta(proposta) -> Proposta:
    # Passo 4 da ordem global (emendas/travas.py): duas ações simultâneas sobre a proposta não podem ambas valer.
    return (Proposta.objects.select_for_update(no_key=True, of=("self",)).select_related("convenente")
            .get(pk=proposta.pk))


def indicacoes_da_proposta(proposta) -> list:
    return list(Indicacao.objects.filter(usos__proposta=proposta).select_related("exercicio").order_by("pk"))


def consultas_do_passo(*, usuario, proposta, novo, momento) -> list[tuple]:
    """Confere o passo e, se o regime da proposta consulta o CAGEC neste *momento*, consulta (fora de transação).

    Conferir antes: um passo inválido não gasta consulta externa. *momento* ``None``: passo sem consulta em
    regime nenhum (a autorização da SEGOV, a publicação)."""
    exigir_passo(usuario, proposta, novo)
    MAQUINA.conferir(proposta, novo)
    if momento is None or momento not in MOMENTOS_CAGEC[proposta.regime]:
        return []
    return checar_cagec(usuario=usuario, convenente=proposta.convenente, momento=momento, proposta=proposta,
                        natureza_especial=proposta.natureza_especial,
                        indicacoes=indicacoes_da_proposta(proposta))


def mudar(p, novo, *, usuario, observacao="", campos=(), verificacoes=()) -> Proposta:
    """Dentro da transação de quem chamou, com *p* travada: confere de novo, aplica, salva e grava as consultas."""
    # A mesma regra que decide os botões da tela (permissoes.acoes_na_proposta), conferida de novo aqui.
    exigir_passo(usuario, p, novo)
    MAQUINA.aplicar(p, novo, usuario=usuario, texto=observacao)
    p.save(update_fields=["status", *campos])
    gravar_verificacoes(p, verificacoes, usuario)
    if novo == Proposta.Status.VIGENTE:
        # Assinada e publicada: o uso das indicações passa a ser a execução delas (controle de execução).
        atualizar_execucao_da_proposta(proposta=p)
    return p


def transicao(proposta, novo, *, usuario, verificacoes=(), observacao="", justificativa=None) -> Proposta:
    with transaction.atomic():
        p = travar_proposta(proposta)
        campos = []
        if justificativa is not None:
            p.justificativa = justificativa
            campos.append("justificativa")
        return mudar(p, novo, usuario=usuario, observacao=observacao, campos=campos, verificacoes=verificacoes)


def passo_com_cagec(*, usuario, proposta, novo, momento, observacao="") -> Proposta:
    """Passo que, conforme o regime da proposta, checa a regularidade no CAGEC."""
    atual = proposta_atual(proposta)
    verificacoes = consultas_do_passo(usuario=usuario, proposta=atual, novo=novo, momento=momento)
    return transicao(atual, novo, usuario=usuario, verificacoes=verificacoes, observacao=observacao)
