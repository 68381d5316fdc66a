"""O selo de situação: a mesma cor para a mesma situação em todas as telas, e sempre com o texto.

Um lugar só para a cor de cada situação (indicação, remanejamento, proposta, liberação, CAGEC): antes cada template
escolhia a sua e quase todas saíam cinza. Dentro de um mesmo fluxo cada situação tem um tom diferente; a cor só
ajuda quem vê, o texto do selo diz a situação (WCAG 1.4.1: nada dito só pela cor). Os tons são classes
``situacao-<tom>`` do ``static/css/sigcon.css``, todas com contraste AA.
"""

from django.utils.html import format_html

TOM_DA_SITUACAO = {
    # Indicação
    "EM_ANALISE_ORGAO": "azul", "EM_ANALISE_SEGOV": "anil", "RETORNADO_SEGOV": "laranja",
    "AGUARDANDO_AJUSTE": "amarelo", "APROVADA": "verde", "REPROVADA": "vermelho", "CANCELADA": "cinza",
    # Remanejamento
    "SOLICITADO": "azul", "APROVADO": "verde", "REPROVADO": "vermelho", "CANCELADO": "cinza",
    # Proposta de plano de trabalho (APROVADA e CANCELADA como na indicação)
    "CADASTRAMENTO": "petroleo", "ENVIADA": "azul", "EM_ANALISE": "anil", "DEVOLVIDA": "amarelo",
    "PLANO_AUTORIZADO": "oliva", "ASSINADA": "roxo", "EM_PUBLICACAO": "marrom", "VIGENTE": "verde-escuro",
    # Liberação de recursos
    "SOLICITADA": "azul", "AUTORIZADA": "verde",
    # Diligência (o selo também marca, nas listas, a indicação com diligência aberta)
    "ABERTA": "laranja", "FECHADA": "cinza",
    # Transferência especial
    "NAO_CADASTRADO": "cinza", "CADASTRADO": "azul", "REGISTRADO_SIAFI": "verde", "NAO_ENVIADO": "vermelho",
    "ENCERRADO": "verde-escuro",
    # Situação no CAGEC
    "REGULAR": "verde", "IRREGULAR": "vermelho",
}
TOM_DESCONHECIDO = "cinza"


def tom(valor: str) -> str:
    return TOM_DA_SITUACAO.get(valor, TOM_DESCONHECIDO)


def selo(valor: str, rotulo) -> str:
    """``<span class="badge situacao-verde">Aprovada</span>``: o selo da situação *valor* com o texto *rotulo*."""
    return format_html('<span class="badge situacao situacao-{}" data-situacao="{}">{}</span>', tom(valor), valor,
                       rotulo)
