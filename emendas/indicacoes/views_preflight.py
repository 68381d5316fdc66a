"""O “Vai passar?” nas telas de indicação (do formulário digitado, da revisão e da indicação recebida pelo analista)
e a própria tela de revisão antes do envio.

A avaliação é de ``emendas.preflight``; aqui só se montam as linhas a partir do formulário e o que o modelo
``emendas/indicacao/_preflight.html`` mostra (a linha numerada como na tela).
"""

import re

from django.shortcuts import render
from django.utils import timezone

from contas import perfis
from sigcon.dinheiro import ZERO

from .. import prazos, preflight
from ..catalogo.forms import tipo_postado
from ..models import Indicacao
from .services import e_analista_da_uo

Status = Indicacao.Status
# Onde a indicação ainda espera uma decisão do órgão ou da SEGOV: o analista vê a lista ao decidir.
_CAMPO_DA_LINHA = re.compile(r"(cnpj|valor)_(\d+)")
EM_ANALISE = (Status.EM_ANALISE_ORGAO, Status.EM_ANALISE_SEGOV, Status.RETORNADO_SEGOV, Status.AGUARDANDO_AJUSTE)


def linhas_digitadas(form) -> tuple[list, list[int]]:
    """As linhas que o formulário leu (beneficiário, valor) e o número de cada uma na tela."""
    preenchidas = form.preenchidas()
    return [(b, v) for _, b, v in preenchidas], [n for n, _, _ in preenchidas]


def contexto(checagens, numeros=None, *, erros_do_formulario=()) -> dict:
    """O que o modelo mostra: as do envio todo primeiro, depois as de cada linha, na ordem da tela."""
    numeros = numeros or []

    def numero(c):
        if c.linha is None:
            return None
        return numeros[c.linha] if c.linha < len(numeros) else c.numero_da_linha

    itens = [{"resultado": c.resultado.value, "rotulo": c.resultado.rotulo, "regra": c.regra, "mensagem": c.mensagem,
              "correcao": c.correcao, "linha": numero(c)} for c in checagens]
    itens += [{"resultado": preflight.Resultado.BLOQUEIO.value, "rotulo": preflight.Resultado.BLOQUEIO.rotulo,
               "regra": "formulario", "mensagem": erro, "correcao": "Corrija o campo no formulário.", "linha": linha}
              for linha, erro in erros_do_formulario]
    gerais = [i for i in itens if i["linha"] is None]
    por_linha = sorted((i for i in itens if i["linha"] is not None), key=lambda i: i["linha"])
    resumo = preflight.resumo(checagens)
    if erros_do_formulario:
        resumo.update(bloqueios=resumo["bloqueios"] + len(erros_do_formulario), passa=False)
    return {"gerais": gerais, "por_linha": por_linha, "resumo": resumo}


def do_formulario(usuario, inciso, form, dia) -> dict:
    """Avalia o que foi digitado, mesmo com erros no formulário (os erros entram como "não passa")."""
    form.is_valid()
    linhas, numeros = linhas_digitadas(form)
    dados = getattr(form, "cleaned_data", {})
    forma = dados.get("forma_execucao") or form.data.get("forma_execucao", "")
    checagens = preflight.avaliar(usuario=usuario, inciso=inciso, forma_execucao=forma, linhas=linhas,
                                  origem_saldo=dados.get("origem_saldo") or form.origem_escolhida(), dia=dia,
                                  **tipo_postado(form.data, forma))
    return contexto(checagens, numeros, erros_do_formulario=erros_por_linha(form))


def erros_por_linha(form) -> list[tuple[int | None, str]]:
    """Os erros do formulário como (linha da tela ou None, mensagem): os de CNPJ e valor vão para a sua linha."""
    erros = []
    for nome, mensagens in form.errors.items():
        casou = _CAMPO_DA_LINHA.fullmatch(nome)
        campo = form.fields.get(nome)
        for mensagem in mensagens:
            if casou:
                erros.append((int(casou.group(2)), f"{'CNPJ' if casou.group(1) == 'cnpj' else 'Valor'}: {mensagem}"))
            else:
                erros.append((None, f"{campo.label}: {mensagem}" if campo else mensagem))
    return erros


def da_revisao(usuario, inciso, form, dia) -> dict:
    """Na revisão o formulário já passou: a lista completa, e a confirmação fica desligada se algo não passa."""
    linhas, numeros = linhas_digitadas(form)
    d = form.cleaned_data
    checagens = preflight.avaliar(usuario=usuario, inciso=inciso, forma_execucao=d["forma_execucao"], linhas=linhas,
                                  origem_saldo=d.get("origem_saldo") or form.origem_escolhida(), dia=dia,
                                  **tipo_postado(form.data, d["forma_execucao"]))
    return contexto(checagens, numeros)


def da_indicacao(usuario, indicacao, dia) -> dict | None:
    """Para o analista da UO e a SEGOV, enquanto a indicação está em análise; None para os outros."""
    if indicacao.status not in EM_ANALISE:
        return None
    if not (perfis.e_segov(usuario) or e_analista_da_uo(usuario, indicacao.inciso.acao.uo_id)):
        return None
    return contexto(preflight.avaliar_indicacao(indicacao, dia))


def revisao(request, inciso, form, janela):
    """A revisão antes do envio: o que vai para o órgão (beneficiários, total, saldo, tipo) e o "Vai passar?"."""
    d = form.cleaned_data
    origem = d.get("origem_saldo") or form.origem_escolhida()
    linhas = d["linhas"]
    total, disponivel = sum((v for _, v in linhas), ZERO), form.disponivel()
    return render(request, "emendas/indicacao/revisar.html", {
        "inciso": inciso, "exercicio": inciso.exercicio, "form": form, "janela": janela, "linhas": linhas,
        "total": total, "quantidade": len(linhas), "restante": disponivel - total if disponivel is not None else None,
        "forma": Indicacao.FormaExecucao(d["forma_execucao"]).label, "objeto": d["objeto"],
        "origem": prazos.OrigemSaldo(origem).label if origem else "", "disponivel": disponivel,
        "preflight": da_revisao(request.user, inciso, form, timezone.localdate()),
        "tipo": d.get("especificacao_atendimento") or d.get("tipo_aplicacao"),
        "tipo_rotulo": "Tipo de atendimento" if d.get("especificacao_atendimento") else "Tipo de aplicação",
    })
