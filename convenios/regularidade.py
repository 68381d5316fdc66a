"""Regularidade do convenente no CAGEC e no SIAFI-MG nos passos da proposta, e as exceções da SEGOV.

As consultas acontecem FORA de transação (HTTP nunca dentro de uma transação do banco) e ficam registradas
mesmo quando o passo é recusado. Quem chama confere permissão e situação ANTES de consultar (um passo inválido
não gasta consulta externa) e, dentro da transação do passo, chama ``gravar_verificacoes``: é ali que a exceção
da SEGOV é consumida, de modo que um passo que falha não a gasta.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from emendas.prazos import OrigemSaldo
from integracoes import cagec, siafi
from integracoes.errors import IntegracaoIndisponivel

from .models import Convenente, Liberacao, PropostaPlanoTrabalho as Proposta, VerificacaoRegularidade

Status = Proposta.Status
Resultado = VerificacaoRegularidade.Resultado

MOMENTOS = dict(VerificacaoRegularidade._meta.get_field("momento").choices)
# Momentos em que cada regime consulta o CAGEC (DOMAIN.md §8.3 e Decisões). O quadro das Decisões, que vale sobre
# o corpo, fixa os do regime legado no cadastro e no envio; a autorização da SEGOV e a publicação não consultam em
# regime nenhum, e no Decreto 48.745/2023 só as duas assinaturas da formalização consultam.
MOMENTOS_CAGEC = {
    Proposta.Regime.LEGADO: {"GERAR", "ENVIAR"},
    Proposta.Regime.DEC_48745: {"ASSINATURA_CONVENENTE", "ASSINATURA_CONCEDENTE"},
}
MOMENTOS_SIAFI = {"SOLICITAR_LIBERACAO", "AUTORIZAR_LIBERACAO"}
# De que situação parte o passo de cada momento: a exceção só vale para um passo que ainda pode ser dado.
# "GERAR" não aparece: antes de gerar não há proposta onde registrar a exceção.
SITUACOES_DO_PASSO = {
    "ENVIAR": {Status.CADASTRAMENTO, Status.DEVOLVIDA},
    "ASSINATURA_CONVENENTE": {Status.PLANO_AUTORIZADO},
    "ASSINATURA_CONCEDENTE": {Status.ASSINADA},
    "SOLICITAR_LIBERACAO": {Status.VIGENTE},
    "AUTORIZAR_LIBERACAO": {Status.VIGENTE},
}
PONTOS_DE_EXCECAO = [("CAGEC", m) for m in ("ENVIAR", "ASSINATURA_CONVENENTE", "ASSINATURA_CONCEDENTE")] + [
    ("SIAFI", m) for m in ("SOLICITAR_LIBERACAO", "AUTORIZAR_LIBERACAO")
]
NOME_SISTEMA = {"CAGEC": "CAGEC", "SIAFI": "SIAFI-MG"}


class ErroRegularidade(ValidationError):
    """Passo bloqueado por irregularidade no CAGEC ou bloqueio no SIAFI-MG; leva as pendências."""

    def __init__(self, mensagem, *, sistema, pendencias=()):
        super().__init__(mensagem)
        self.sistema = sistema
        self.pendencias = list(pendencias)


# ---------------------------------------------------------------------------
# Regras

def motivo_isencao_cagec(*, tipo_convenente: str, natureza_especial: str, usa_emenda_impositiva: bool) -> str:
    """Predicado único de isenção da regularidade (DOMAIN.md §8.3). Vazio quando a regularidade é exigida."""
    publicos = {Convenente.Tipo.ADM_MUNICIPAL, Convenente.Tipo.CONSORCIO_PUBLICO, Convenente.Tipo.ENTIDADE_PUBLICA}
    if tipo_convenente in publicos and natureza_especial:
        natureza = Proposta.Natureza(natureza_especial).label.lower()
        return f"Isento: ente público com repasse de natureza especial ({natureza})."
    if tipo_convenente in {Convenente.Tipo.ADM_MUNICIPAL, Convenente.Tipo.CONSORCIO_PUBLICO} and usa_emenda_impositiva:
        return "Isento: município ou consórcio público recebendo emenda parlamentar impositiva."
    return ""


def _usa_impositiva(indicacoes) -> bool:
    return any(i.origem_saldo != OrigemSaldo.NAO_IMPOSITIVO for i in indicacoes)


def _consulta_no_passo(proposta, sistema: str, momento: str) -> bool:
    if sistema == "CAGEC":
        return momento in MOMENTOS_CAGEC[proposta.regime]
    return sistema == "SIAFI" and momento in MOMENTOS_SIAFI


def motivo_recusa_excecao(*, usuario, proposta, sistema: str, momento: str) -> str:
    """Por que a SEGOV não pode registrar exceção neste passo agora; vazio quando pode.

    Regra única: usada por ``services.registrar_excecao`` (com a proposta travada) e pela tela da proposta,
    que só mostra o botão quando o serviço aceitaria.
    """
    if not perfis.e_segov(usuario):
        return "Somente a SEGOV registra exceção à consulta."
    if momento not in SITUACOES_DO_PASSO or not _consulta_no_passo(proposta, sistema, momento):
        return f"O passo “{MOMENTOS.get(momento, momento)}” desta proposta não consulta o {NOME_SISTEMA.get(sistema, sistema)}."
    if proposta.status not in SITUACOES_DO_PASSO[momento]:
        return (f"O passo “{MOMENTOS[momento]}” não está pendente: a proposta nº {proposta.pk} está "
                f"“{proposta.get_status_display().lower()}”.")
    if momento == "AUTORIZAR_LIBERACAO" and not proposta.liberacoes.filter(status=Liberacao.Status.SOLICITADA).exists():
        return "Não há parcela aguardando autorização."
    ultima = VerificacaoRegularidade.objects.filter(proposta=proposta, sistema=sistema, momento=momento).first()
    if ultima is None or ultima.resultado != Resultado.INDISPONIVEL:
        return "A exceção só vale quando a última consulta deste passo ficou sem resposta."
    return ""


def pode_registrar_excecao(*, usuario, proposta, sistema: str, momento: str) -> bool:
    return not motivo_recusa_excecao(usuario=usuario, proposta=proposta, sistema=sistema, momento=momento)


def excecoes_registraveis(*, usuario, proposta) -> list[tuple[str, str]]:
    """Os (sistema, momento) em que a SEGOV pode registrar exceção agora, pela mesma regra do serviço."""
    if not perfis.e_segov(usuario):
        return []
    return [(s, m) for s, m in PONTOS_DE_EXCECAO
            if pode_registrar_excecao(usuario=usuario, proposta=proposta, sistema=s, momento=m)]


# ---------------------------------------------------------------------------
# Registro

def _registrar(proposta, *, sistema, momento, resultado, detalhe, usuario, usada=False):
    if proposta is not None:
        VerificacaoRegularidade.objects.create(
            proposta=proposta, sistema=sistema, momento=momento, resultado=resultado, detalhe=detalhe[:4000],
            usuario=usuario, usada=usada,
        )


def _excecao_disponivel(proposta, sistema, momento) -> VerificacaoRegularidade | None:
    """Só lê: a exceção é consumida por ``gravar_verificacoes``, na transação do passo que dá certo."""
    if proposta is None:
        return None
    return (VerificacaoRegularidade.objects
            .filter(proposta=proposta, sistema=sistema, momento=momento, resultado=Resultado.EXCECAO, usada=False)
            .order_by("pk").first())


def _consumir_excecao(proposta, sistema, momento) -> None:
    # Trava a exceção: ela vale para uma única tentativa bem-sucedida. Uma tentativa simultânea espera aqui
    # e, ao reler a linha, já a encontra usada.
    excecao = (VerificacaoRegularidade.objects.select_for_update(no_key=True)
               .filter(proposta=proposta, sistema=sistema, momento=momento, resultado=Resultado.EXCECAO, usada=False)
               .order_by("pk").first())
    if excecao is None:
        raise ValidationError(
            f"A exceção da SEGOV para este passo ({NOME_SISTEMA[sistema]}) já foi usada por outra tentativa. "
            "Nada foi alterado; repita o passo para consultar o sistema novamente."
        )
    excecao.usada = True
    excecao.save(update_fields=["usada"])
    registrar(acao="proposta.usar_excecao", objeto=proposta, antes={"excecao": excecao.pk, "usada": False},
              depois={"excecao": excecao.pk, "usada": True, "sistema": sistema, "momento": momento})


def gravar_verificacoes(proposta, verificacoes, usuario) -> None:
    """Chame DENTRO da transação do passo, depois de conferir tudo: consome a exceção usada e registra."""
    for sistema, momento, resultado, detalhe in verificacoes:
        if resultado == Resultado.EXCECAO:
            _consumir_excecao(proposta, sistema, momento)
        # O registro do uso nasce "usado": não pode servir de exceção para outra tentativa.
        _registrar(proposta, sistema=sistema, momento=momento, resultado=resultado, detalhe=detalhe, usuario=usuario,
                   usada=resultado == Resultado.EXCECAO)


# ---------------------------------------------------------------------------
# Consultas (fora de transação)

def _atualizar_espelho(convenente: Convenente, resposta) -> None:
    Convenente.objects.filter(pk=convenente.pk).update(
        situacao_cagec=resposta.situacao, siafi_bloqueado=resposta.siafi_bloqueado,
        siafi_motivo=resposta.siafi_motivo[:250], situacao_consultada_em=resposta.consultado_em,
    )


def checar_cagec(*, usuario, convenente, momento, proposta=None, natureza_especial="", indicacoes=()) -> list[tuple]:
    """Checa a regularidade no CAGEC (fora de transação). Devolve o que registrar; recusa quando irregular."""
    motivo = motivo_isencao_cagec(tipo_convenente=convenente.tipo, natureza_especial=natureza_especial,
                                  usa_emenda_impositiva=_usa_impositiva(indicacoes))
    if motivo:
        return [("CAGEC", momento, Resultado.ISENTO, motivo)]
    excecao = _excecao_disponivel(proposta, "CAGEC", momento)
    if excecao:
        return [("CAGEC", momento, Resultado.EXCECAO, f"Exceção da SEGOV usada: {excecao.detalhe}")]
    try:
        resposta = cagec.consultar(convenente.cnpj, usuario=usuario)
    except IntegracaoIndisponivel:
        _registrar(proposta, sistema="CAGEC", momento=momento, resultado=Resultado.INDISPONIVEL,
                   detalhe="O CAGEC não respondeu.", usuario=usuario)
        raise ValidationError("O CAGEC não respondeu; seus dados estão salvos, tente novamente em instantes.") from None
    _atualizar_espelho(convenente, resposta)
    if not resposta.regular:
        pendencias = [
            f"{p.descricao}" + (f" (validade {p.validade:%d/%m/%Y})" if p.validade else "") for p in resposta.pendencias
        ] or ["Situação irregular no CAGEC."]
        _registrar(proposta, sistema="CAGEC", momento=momento, resultado=Resultado.IRREGULAR,
                   detalhe="; ".join(pendencias), usuario=usuario)
        raise ErroRegularidade(
            f"Convenente IRREGULAR no CAGEC (consulta de {timezone.localtime(resposta.consultado_em):%d/%m/%Y %H:%M}). "
            "Regularize as pendências no CAGEC e consulte novamente.",
            sistema="CAGEC", pendencias=pendencias,
        )
    return [("CAGEC", momento, Resultado.REGULAR, f"Regular no CAGEC em {timezone.localtime(resposta.consultado_em):%d/%m/%Y %H:%M}.")]


def checar_siafi(*, usuario, proposta, momento) -> list[tuple]:
    """Checa bloqueio no SIAFI-MG (fora de transação); recusa quando bloqueado."""
    excecao = _excecao_disponivel(proposta, "SIAFI", momento)
    if excecao:
        return [("SIAFI", momento, Resultado.EXCECAO, f"Exceção da SEGOV usada: {excecao.detalhe}")]
    try:
        resposta = siafi.consultar(proposta.convenente.cnpj, usuario=usuario)
    except IntegracaoIndisponivel:
        _registrar(proposta, sistema="SIAFI", momento=momento, resultado=Resultado.INDISPONIVEL,
                   detalhe="O SIAFI-MG não respondeu.", usuario=usuario)
        raise ValidationError("O SIAFI-MG não respondeu; seus dados estão salvos, tente novamente em instantes.") from None
    Convenente.objects.filter(pk=proposta.convenente_id).update(
        siafi_bloqueado=resposta.bloqueado, siafi_motivo=resposta.motivo[:250],
        situacao_consultada_em=resposta.consultado_em,
    )
    if resposta.bloqueado:
        motivo = resposta.motivo or "motivo não informado"
        _registrar(proposta, sistema="SIAFI", momento=momento, resultado=Resultado.IRREGULAR, detalhe=motivo,
                   usuario=usuario)
        raise ErroRegularidade(
            f"Convenente com bloqueio no SIAFI-MG: {motivo} (consulta de "
            f"{timezone.localtime(resposta.consultado_em):%d/%m/%Y %H:%M}).",
            sistema="SIAFI", pendencias=[motivo],
        )
    return [("SIAFI", momento, Resultado.REGULAR, "Sem bloqueio no SIAFI-MG.")]


def consultar_cagec_para_atualizar(*, usuario, convenente):
    """"Atualizar do CAGEC": consulta e grava o espelho local; devolve a resposta."""
    resposta = cagec.consultar(convenente.cnpj, usuario=usuario)
    _atualizar_espelho(convenente, resposta)
    return resposta
