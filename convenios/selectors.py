"""Leituras de convênios: o que cada usuário vê, as listas das telas e os valores de uma proposta.

Sem efeito nenhum; as listas saem com os ``select_related`` de que as telas precisam (nada de uma consulta por
linha). Quem pode agir fica em ``convenios.permissoes``; as mudanças, em ``convenios.services``.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum

from contas import perfis
from emendas.models import Indicacao
from sigcon.dinheiro import ZERO

from .models import Convenente, Liberacao, PropostaPlanoTrabalho as Proposta, VerificacaoRegularidade

def propostas_visiveis(usuario):
    """A SEGOV vê todas; o convenente, as dele; o analista de órgão, as das UOs que analisa; mais ninguém."""
    qs = Proposta.objects.select_related("convenente", "concedente", "assinado_convenente_por",
                                         "assinado_concedente_por")
    if perfis.e_segov(usuario):
        return qs
    filtro = Q(pk__in=[])
    if perfis.tem_perfil(usuario, perfis.CONVENENTE):
        filtro |= Q(convenente__usuarios=usuario)
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        filtro |= Q(concedente__in=usuario.uos_analisadas.values("pk"))
    return qs.filter(filtro).distinct()


def proposta_visivel(usuario, pk) -> Proposta | None:
    return propostas_visiveis(usuario).filter(pk=pk).first()


def lista_de_propostas(usuario, *, status: str = ""):
    qs = propostas_visiveis(usuario)
    if status:
        qs = qs.filter(status=status)
    return qs  # paginada pela tela (50 por página, com o total)


def convenentes_do_usuario(usuario):
    return Convenente.objects.filter(usuarios=usuario)


def convenente_do_usuario(usuario, pk) -> Convenente | None:
    return convenentes_do_usuario(usuario).filter(pk=pk).first()


def indicacoes_disponiveis(convenente):
    """Indicações APROVADAS de convênio para o CNPJ do convenente com saldo ainda não utilizado."""
    qs = (Indicacao.objects.filter(beneficiario=convenente, status=Indicacao.Status.APROVADA,
                                   forma_execucao=Indicacao.FormaExecucao.CONVENIO)
          .select_related("exercicio", "inciso__acao__uo", "inciso__emenda__parlamentar", "inciso__emenda__bloco")
          .annotate(utilizado=Sum("usos__valor")).order_by("numero"))
    return [i for i in qs if i.valor - (i.utilizado or ZERO) > 0]


def painel_do_convenente(usuario) -> dict:
    """Cada convenente do usuário com as indicações que ele ainda pode usar, e as propostas que ele vê (a tela
    as pagina)."""
    blocos = [{"convenente": c, "indicacoes": indicacoes_disponiveis(c)} for c in convenentes_do_usuario(usuario)]
    return {"blocos": blocos, "propostas": propostas_visiveis(usuario)}


def liberacoes_a_autorizar():
    return Liberacao.objects.filter(status=Liberacao.Status.SOLICITADA).select_related(
        "proposta__convenente", "proposta__concedente", "solicitada_por")


def fila_de_liberacoes(usuario):
    """A fila "Liberações a autorizar" (a tela e o CSV dela: relatorios/definicoes/filas.py); 403 fora da SEGOV."""
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV autoriza liberações.")
    return liberacoes_a_autorizar()


def liberacao(pk) -> Liberacao | None:
    return Liberacao.objects.select_related("proposta__convenente").filter(pk=pk).first()


def valor_utilizado(indicacao) -> Decimal:
    return indicacao.usos.aggregate(t=Sum("valor"))["t"] or ZERO


def valor_total(proposta) -> Decimal:
    return proposta.usos.aggregate(t=Sum("valor"))["t"] or ZERO


def valor_a_liberar(proposta) -> Decimal:
    liberado = proposta.liberacoes.aggregate(t=Sum("valor"))["t"] or ZERO
    return valor_total(proposta) - liberado


def ultima_resposta(verificacoes, sistema: str):
    """A verificação mais recente de *sistema* que teve resposta (regular, irregular ou isento), ou ``None``.

    A "situação conhecida" do convenente só é gravada por algumas consultas; a página da proposta dizia "CAGEC:
    não consultado" ao lado de verificações registradas. Lida da lista já carregada (a mais nova primeiro)."""
    com_resposta = {VerificacaoRegularidade.Resultado.REGULAR, VerificacaoRegularidade.Resultado.IRREGULAR,
                    VerificacaoRegularidade.Resultado.ISENTO}
    return next((v for v in verificacoes if v.sistema == sistema and v.resultado in com_resposta), None)


# A formalização na página da proposta (DOMAIN.md §3.5): cada situação, quem a produz, em ordem.
PASSOS_DA_FORMALIZACAO = [
    (Proposta.Status.APROVADA, "Aprovada pelo concedente", "órgão concedente"),
    (Proposta.Status.PLANO_AUTORIZADO, "Plano autorizado e instrumento numerado", "SEGOV"),
    (Proposta.Status.ASSINADA, "Assinada pelo representante legal e testemunha", "convenente"),
    (Proposta.Status.EM_PUBLICACAO, "Assinada pelo concedente, em publicação", "órgão concedente"),
    (Proposta.Status.VIGENTE, "Publicada: vigente, liberações possíveis", "órgão concedente"),
]


def passos_da_formalizacao(proposta) -> list[dict]:
    ordem = [s for s, _, _ in PASSOS_DA_FORMALIZACAO]
    atual = ordem.index(proposta.status) if proposta.status in ordem else -1
    return [{"rotulo": rotulo, "quem": quem, "feito": i <= atual, "atual": i == atual}
            for i, (_, rotulo, quem) in enumerate(PASSOS_DA_FORMALIZACAO)]


def detalhe_da_proposta(proposta) -> dict:
    """O que a página da proposta mostra além dela: usos, histórico, verificações, liberações e valores."""
    verificacoes = list(proposta.verificacoes.select_related("usuario")[:30])
    return {
        "usos": proposta.usos.select_related("indicacao__inciso__emenda__parlamentar",
                                             "indicacao__inciso__emenda__bloco"),
        "eventos": proposta.eventos.select_related("usuario"),
        "verificacoes": verificacoes,
        "ultima_cagec": ultima_resposta(verificacoes, "CAGEC"),
        "ultima_siafi": ultima_resposta(verificacoes, "SIAFI"),
        "liberacoes": proposta.liberacoes.select_related("solicitada_por", "autorizada_por"),
        "total": valor_total(proposta),
        "a_liberar": valor_a_liberar(proposta),
        "passos_formalizacao": passos_da_formalizacao(proposta),
    }
