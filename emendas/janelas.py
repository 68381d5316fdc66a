"""Calendário do exercício e janelas de operação (DOMAIN.md §5.6): a leitura para as telas e a gravação pela SEGOV.

As regras de data (padrões, se uma janela está aberta num dia) são puras e ficam em ``emendas.prazos``; aqui só se
lê e grava o banco. ``salvar_calendario`` é reexportado em ``emendas.services``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from auditoria.services import diferencas, fotografia, registrar
from contas import perfis
from sigcon.transacoes import atomico

from . import prazos
from .models import Exercicio, JanelaOperacao

ORDEM_TRILHAS = list(prazos.Trilha.values)
ORDEM_TIPOS = list(prazos.TipoJanela.values)


def _chave(j) -> tuple:
    return ORDEM_TRILHAS.index(j.trilha), j.inicio, ORDEM_TIPOS.index(j.tipo)


def janelas_do_exercicio(exercicio) -> list[JanelaOperacao]:
    """As janelas do exercício por trilha, na ordem em que começam (uma consulta)."""
    return sorted(JanelaOperacao.objects.filter(exercicio=exercicio), key=_chave)


def janelas_na_linha_do_tempo(exercicio, dia: date) -> list[dict]:
    """As janelas com o que a linha do tempo diz de cada uma no *dia* (aberta, futura, encerrada), por trilha."""
    grupos = {}
    for j in janelas_do_exercicio(exercicio):
        grupos.setdefault(j.trilha, []).append({
            "rotulo": j.get_tipo_display(), "inicio": j.inicio, "fim": j.fim,
            **prazos.situacao_janela(j.inicio, j.fim, dia),
        })
    return [{"trilha": prazos.Trilha(t).label, "janelas": grupos[t]} for t in ORDEM_TRILHAS if t in grupos]


def _texto(intervalo) -> str:
    return f"{intervalo[0]:%d/%m/%Y} a {intervalo[1]:%d/%m/%Y}"


def _rotulo(trilha, tipo) -> str:
    return f"{prazos.Trilha(trilha).label} · {prazos.TipoJanela(tipo).label}"


@atomico
def salvar_calendario(*, usuario, exercicio, campos: dict, janelas: dict | None = None) -> Exercicio:
    """Grava os campos do calendário e das regras (*campos*) e as janelas de operação que a SEGOV mudou
    (*janelas*: {(trilha, tipo): (início, fim)}), com uma auditoria para cada parte que mudou.

    As janelas que não vieram e ainda estão no padrão acompanham uma mudança das datas do calendário
    (``JanelaOperacao.sincronizar``); a de indicação e cancelamento S/R é sempre a das quatro datas.
    """
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV edita o calendário do exercício.")
    # Trava o exercício (passo 1 da ordem global, emendas/travas.py): o "antes" da auditoria é o que está de fato
    # sendo substituído, mesmo com outra aba salvando ao mesmo tempo.
    atual = Exercicio.objects.select_for_update(no_key=True).get(pk=exercicio.pk)
    nomes = list(campos)
    antes = fotografia(atual, nomes)
    for nome, valor in campos.items():
        setattr(atual, nome, valor)
    erros = prazos.erros_calendario_por_campo(atual)
    if erros:
        raise ValidationError(erros)
    atual.save()
    antes, depois = diferencas(antes, fotografia(atual, nomes))
    if depois:
        registrar(acao="exercicio.editar", objeto=atual, usuario=usuario, antes=antes, depois=depois)
    _gravar_janelas(atual, janelas or {}, usuario)
    return atual


def _gravar_janelas(exercicio, janelas: dict, usuario) -> None:
    linhas = {(j.trilha, j.tipo): j for j in JanelaOperacao.objects.filter(exercicio=exercicio)}
    antes, depois, mudar, criar = {}, {}, [], []
    for (trilha, tipo), (inicio, fim) in janelas.items():
        if (trilha, tipo) == prazos.JANELA_DO_CALENDARIO:
            continue  # muda com as quatro datas, não por aqui
        erro = prazos.erros_janela(inicio, fim)
        if erro:
            raise ValidationError(f"{_rotulo(trilha, tipo)}: {erro}")
        linha = linhas.get((trilha, tipo))
        if linha is None:
            criar.append(JanelaOperacao(exercicio=exercicio, trilha=trilha, tipo=tipo, inicio=inicio, fim=fim))
            depois[_rotulo(trilha, tipo)] = _texto((inicio, fim))
        elif (linha.inicio, linha.fim) != (inicio, fim):
            antes[_rotulo(trilha, tipo)] = _texto((linha.inicio, linha.fim))
            depois[_rotulo(trilha, tipo)] = _texto((inicio, fim))
            linha.inicio, linha.fim = inicio, fim
            mudar.append(linha)
    if criar:
        JanelaOperacao.objects.bulk_create(criar)
    if mudar:
        JanelaOperacao.objects.bulk_update(mudar, ["inicio", "fim"])
    if depois:
        registrar(acao="exercicio.janelas", objeto=exercicio, usuario=usuario, antes=antes, depois=depois)
    exercicio.__dict__.pop("janelas", None)
