"""Ajuda: o glossário das emendas (baldes, janelas, situações, formas de execução), numa página com âncoras.

Os termos vêm do código (``prazos``, ``saldos``, as máquinas de estados e as formas de execução), para o rótulo da
ajuda ser o mesmo das telas; aqui fica só a explicação de cada um. As telas ligam os seus termos (CPR, SPR, tipo
de inciso...) a ``ancora(...)`` desta página: ``{% url 'ajuda' %}#<âncora>``.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from convenios.models import Liberacao, PropostaPlanoTrabalho
from emendas.models import Diligencia, Indicacao, Inciso, Remanejamento
from emendas.prazos import Fase, OrigemSaldo


@dataclass(frozen=True)
class Termo:
    ancora: str
    termo: str
    explicacao: str
    sigla: str = ""


def ancora(grupo: str, valor: str) -> str:
    """A âncora de um termo: ``balde-livre``, ``fase-restrita``, ``situacao-indicacao-aprovada``..."""
    return f"{grupo}-{valor}".lower().replace("_", "-")


BALDES = [
    Termo("valor-do-inciso", "Valor do inciso",
          "O valor inicial mais o que entrou e menos o que saiu por remanejamento aprovado. Cada centavo dele está "
          "em exatamente um dos baldes abaixo: solicitado + indicado + livre + CPR + SPR + não impositivo + "
          "reservado PL = valor do inciso."),
    Termo(ancora("balde", "solicitado"), "Remanejamento solicitado",
          "Valor de pedidos de remanejamento ainda não decididos pela SEGOV: fica reservado e não pode ser "
          "indicado nem pedido de novo."),
    Termo(ancora("balde", "indicado"), "Indicado",
          "Valor de indicações em andamento ou aprovadas (em análise no órgão ou na SEGOV, retornadas, aguardando "
          "ajuste, aprovadas)."),
    Termo(ancora("balde", OrigemSaldo.LIVRE), OrigemSaldo.LIVRE.label,
          "Saldo da janela livre: pode ser remanejado ou indicado. No fim da janela livre o que sobrar vira SPR."),
    Termo(ancora("balde", "cpr"), OrigemSaldo.COM_REMANEJAMENTO.label,
          "Na janela restrita, o saldo que ainda pode ser remanejado ou indicado (volta de indicações enviadas na "
          "janela livre e reprovadas por impedimento técnico, por exemplo). No fim da execução obrigatória vira "
          "não impositivo.", sigla="CPR"),
    Termo(ancora("balde", "spr"), OrigemSaldo.SEM_REMANEJAMENTO.label,
          "Na janela restrita, o saldo que só pode ser indicado, nunca remanejado (o livre que sobrou da janela "
          "livre, ou o que voltou de um cancelamento). No fim da execução obrigatória vira não impositivo.",
          sigla="SPR"),
    Termo(ancora("balde", OrigemSaldo.NAO_IMPOSITIVO), OrigemSaldo.NAO_IMPOSITIVO.label,
          "Depois do fim da execução obrigatória, o saldo sem obrigação de execução pelo Estado. Só pode ser usado se "
          "a SEGOV ligar o não impositivo no exercício (desligado por padrão)."),
    Termo(ancora("balde", OrigemSaldo.RESERVADO_PL), OrigemSaldo.RESERVADO_PL.label,
          "Valor de indicações reprovadas que fica reservado para o projeto de lei do remanejamento constitucional "
          "(de onde nascem os incisos P).", sigla="PL"),
]

FASES = {
    Fase.FECHADO: "Antes da data de liberação: o sistema está em atualização, os parlamentares só consultam os "
                  "incisos e a SEGOV carrega e corrige os dados.",
    Fase.LIVRE: "Da data de liberação até o fim da janela livre (inclusive): remanejamento e indicação usam o saldo "
                "livre.",
    Fase.RESTRITA: "Depois da janela livre até o fim da execução obrigatória (inclusive): remanejamento só com o "
                   "saldo CPR; indicação com CPR ou SPR, à escolha de quem indica.",
    Fase.ENCERRADA: "Depois do fim da execução obrigatória: só o saldo não impositivo, e só se a SEGOV o ligar no "
                    "exercício.",
}

TIPOS_DE_INCISO = {
    Inciso.Tipo.S: "Inciso previsto na LOA, carregado pela SEGOV.",
    Inciso.Tipo.R: "Inciso criado quando a SEGOV aprova um remanejamento: mesmo titular e emenda, UO, ação e grupo "
                   "de destino; numerado R1, R2... no exercício.",
    Inciso.Tipo.P: "Inciso do remanejamento constitucional (lei do PL, ou importado): nunca pode ser remanejado; "
                   "só leitura antes da janela de indicação dos incisos P, indicável dentro dela e não impositivo "
                   "depois.",
}

SITUACOES = [
    ("remanejamento", "Remanejamento", Remanejamento.Status, {
        "SOLICITADO": "Pedido feito; o valor está reservado até a SEGOV decidir. O parlamentar pode cancelar.",
        "APROVADO": "A SEGOV aprovou: o valor saiu do inciso de origem e nasceu um inciso R.",
        "REPROVADO": "A SEGOV reprovou (com justificativa): o valor voltou ao saldo do inciso.",
        "CANCELADO": "O parlamentar cancelou antes da decisão: o valor voltou ao saldo do inciso.",
    }),
    ("indicacao", "Indicação", Indicacao.Status, {
        "EM_ANALISE_ORGAO": "Enviada pelo parlamentar; o órgão da UO analisa.",
        "EM_ANALISE_SEGOV": "O órgão aprovou; a SEGOV analisa.",
        "RETORNADO_SEGOV": "A SEGOV devolveu ao órgão, que pode aprovar de novo, devolver para ajuste ou reprovar.",
        "AGUARDANDO_AJUSTE": "O órgão devolveu para o parlamentar ajustar.",
        "APROVADA": "Aprovada pela SEGOV; pode ser usada numa proposta de plano de trabalho (convênio).",
        "REPROVADA": "Reprovada pelo órgão por impedimento de ordem técnica (IOT), com categoria e justificativa; "
                     "o valor volta ao balde que a tabela de devolução manda.",
        "CANCELADA": "Cancelada pelo parlamentar, com justificativa; o valor volta ao saldo de origem.",
    }),
    ("proposta", "Proposta de plano de trabalho", PropostaPlanoTrabalho.Status, {
        "CADASTRAMENTO": "O convenente está preenchendo a proposta.",
        "ENVIADA": "Enviada ao órgão concedente.",
        "EM_ANALISE": "O concedente está analisando.",
        "DEVOLVIDA": "O concedente devolveu para o convenente adequar.",
        "APROVADA": "Aprovada pelo concedente; aguarda a autorização da SEGOV.",
        "PLANO_AUTORIZADO": "A SEGOV autorizou o plano e o instrumento recebeu o número; o representante legal do "
                            "convenente assina, com uma testemunha.",
        "ASSINADA": "Assinada pelo convenente; falta o concedente.",
        "EM_PUBLICACAO": "Assinada pelos dois; aguarda a publicação no Diário Oficial (data e extrato). Daqui em "
                         "diante não cabe impedimento de ordem técnica.",
        "VIGENTE": "Publicado: o convênio está vigente e a liberação de recursos pode ser pedida.",
        "CANCELADA": "Cancelada antes da aprovação (ou sem indicações, depois de um impedimento de ordem técnica "
                     "na proposta); as indicações usadas ficaram livres de novo.",
    }),
    ("diligencia", "Diligência", Diligencia.Status, {
        "ABERTA": "O órgão pediu esclarecimento ou documento sobre a indicação (ou sobre a proposta que a usa); o "
                  "titular responde em Gerenciar Diligências, com texto e anexos. O número aparece na linha da "
                  "indicação.",
        "FECHADA": "O órgão fechou a diligência: ela não recebe mais respostas.",
    }),
    ("liberacao", "Liberação de recursos", Liberacao.Status, {
        "SOLICITADA": "O concedente pediu a liberação de uma parcela; a SEGOV autoriza.",
        "AUTORIZADA": "A SEGOV autorizou (com a consulta ao SIAFI).",
    }),
]

FORMAS = {
    Indicacao.FormaExecucao.CONVENIO: "Convênio de saída, termo de fomento ou de colaboração com o beneficiário; "
                                      "vira proposta de plano de trabalho no sistema.",
    Indicacao.FormaExecucao.EXECUCAO_DIRETA: "O próprio órgão executa (compra e guarda ou distribui); sem convenente "
                                             "beneficiário.",
    Indicacao.FormaExecucao.CAIXA_ESCOLAR: "Repasse à caixa escolar de uma escola estadual; só em incisos da "
                                           "Secretaria de Educação.",
    Indicacao.FormaExecucao.DOACAO_BENS: "O órgão compra bens e os doa ao beneficiário (nunca a órgão ou entidade do "
                                         "Estado).",
    Indicacao.FormaExecucao.RESOLUCAO_SES: "Transferência fundo a fundo ao fundo municipal de saúde, pela Resolução "
                                           "SES; só em incisos da Secretaria de Saúde.",
    Indicacao.FormaExecucao.TRANSFERENCIA_ESPECIAL: "Transferência direta ao município, sem convênio (EC 101/2019).",
    Indicacao.FormaExecucao.OUTROS_INSTRUMENTOS: "Outros instrumentos jurídicos (contrato de gestão, termo de "
                                                 "outorga, termo de parceria...); só a indicação fica no sistema.",
}


def secoes() -> list[tuple[str, str, list[Termo]]]:
    """As seções do glossário: (âncora, título, termos)."""
    situacoes = [
        (f"situacoes-{chave}", f"Situações: {titulo}",
         [Termo(ancora(f"situacao-{chave}", valor), rotulo, explicacoes[valor]) for valor, rotulo in choices.choices])
        for chave, titulo, choices, explicacoes in SITUACOES
    ]
    return [
        ("baldes", "Baldes de saldo de um inciso", BALDES),
        ("janelas", "Janelas (fases do exercício)",
         [Termo(ancora("fase", f.value), f.rotulo, texto) for f, texto in FASES.items()]),
        ("incisos", "Tipos de inciso",
         [Termo(ancora("inciso", t.value), t.label, texto) for t, texto in TIPOS_DE_INCISO.items()]),
        *situacoes,
        ("formas", "Formas de execução da indicação",
         [Termo(ancora("forma", f.value), f.label, texto) for f, texto in FORMAS.items()]),
    ]


@login_required
@require_GET
def ajuda(request):
    return render(request, "ajuda.html", {"secoes": secoes()})
