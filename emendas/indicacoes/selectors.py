"""Leituras das telas de indicação (as comuns a relatórios e painéis ficam em emendas/selectors.py)."""

from django.db.models import Q

from convenios.models import Convenente, Liberacao, UsoIndicacao

from ..models import Indicacao
from ..selectors import filtro_incisos_visiveis, filtro_indicacoes_visiveis, incisos_com_detalhes, indicacoes_com_detalhes
from . import regras


def incisos_para_indicar(usuario, exercicio, busca: str = ""):
    """Incisos que *usuario* vê no exercício; *busca* (já em maiúsculas) é o número do inciso ou da indicação."""
    incisos = incisos_com_detalhes().filter(filtro_incisos_visiveis(usuario), exercicio=exercicio).order_by(
        "acao__uo__codigo", "emenda__numero", "-tipo", "pk"
    )
    if busca:
        filtro = Q(numero=busca)
        if busca.isdigit():
            filtro |= Q(indicacoes__numero=int(busca))
        incisos = incisos.filter(filtro).distinct()
    return incisos


def indicacoes_por_inciso(incisos) -> dict[int, list]:
    """As indicações (com detalhes) de cada um dos *incisos*, por número, numa consulta só."""
    por_inciso: dict[int, list] = {}
    for ind in indicacoes_com_detalhes().filter(inciso__in=[i.pk for i in incisos]).order_by("numero"):
        por_inciso.setdefault(ind.inciso_id, []).append(ind)
    return por_inciso


def buscar_convenentes(termo: str, forma: str = "", *, limite: int = 30):
    """Convenentes por CNPJ (3+ algarismos), razão social, município ou código da escola; com *forma*, só os tipos
    que ela aceita (a mesma tabela que o serviço confere). Menos de 3 caracteres: nenhum."""
    if len(termo) < 3:
        return []
    digitos = "".join(c for c in termo if c.isdigit())
    filtro = Q(razao_social__icontains=termo) | Q(municipio__icontains=termo) | Q(codigo_escola__iexact=termo)
    if len(digitos) >= 3:
        filtro |= Q(cnpj__contains=digitos)
    qs = Convenente.objects.filter(filtro)
    if forma:
        qs = qs.filter(tipo__in=regras.tipos_aceitos(forma))
    return qs.order_by("razao_social")[:limite]


def usos_da_indicacao(indicacao: Indicacao) -> list:
    return list(UsoIndicacao.objects.filter(indicacao=indicacao).select_related("proposta"))


def liberacoes_da_indicacao(indicacao: Indicacao):
    return Liberacao.objects.filter(proposta__usos__indicacao=indicacao).select_related("proposta").distinct()


def historico(indicacao: Indicacao):
    return indicacao.registros.select_related("usuario")


def indicacoes_visiveis(usuario):
    return indicacoes_com_detalhes().filter(filtro_indicacoes_visiveis(usuario))


def indicacoes_das_uos_do_analista(usuario):
    return indicacoes_com_detalhes().filter(inciso__acao__uo__in=usuario.uos_analisadas.values("pk"))


def visiveis_por_ids(usuario, ids):
    """As marcadas numa fila que *usuario* vê (ids forjados de outras UOs ficam de fora), por número."""
    return Indicacao.objects.filter(filtro_indicacoes_visiveis(usuario), pk__in=ids).order_by("numero")
