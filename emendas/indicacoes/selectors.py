"""Leituras das telas de indicação (as comuns a relatórios e painéis ficam em emendas/selectors.py)."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q

from contas import perfis
from convenios.models import Convenente, Liberacao, UsoIndicacao

from ..models import Diligencia, Indicacao, Inciso
from ..paineis import linhas_de_incisos
from ..selectors import filtro_incisos_visiveis, filtro_indicacoes_visiveis
from ..visibilidade import filtro_incisos_remanejaveis, ids_das_uos_do_analista
from . import regras

# As colunas da indicação que as listas mostram (a do inciso e a tela do inciso).
CAMPOS_DA_LISTA = ("numero", "inciso_id", "forma_execucao", "beneficiario_id", "valor", "origem_saldo", "status")


def incisos_para_indicar(usuario, exercicio, busca: str = "") -> list[dict]:
    """As linhas (``paineis.linhas_de_incisos``) dos incisos que *usuario* vê no exercício; *busca* (já em
    maiúsculas) é o número do inciso ou da indicação."""
    incisos = Inciso.objects.filter(filtro_incisos_visiveis(usuario), exercicio=exercicio).order_by(
        "acao__uo__codigo", "emenda__numero", "-tipo", "pk"
    )
    if busca:
        filtro = Q(numero=busca)
        if busca.isdigit():
            filtro |= Q(indicacoes__numero=int(busca))
        incisos = incisos.filter(filtro).distinct()
    return linhas_de_incisos(incisos)


def indicacoes_por_inciso(ids) -> dict[int, list]:
    """As indicações dos incisos *ids*, por número, numa consulta só, com só o que a lista mostra (e o nome e o
    município do beneficiário): centenas de linhas por tela, sem as dez tabelas de ``indicacoes_com_detalhes``."""
    por_inciso: dict[int, list] = {}
    qs = (Indicacao.objects.filter(inciso__in=ids).select_related("beneficiario")
          .only(*CAMPOS_DA_LISTA, "beneficiario__razao_social", "beneficiario__municipio").order_by("numero")
          .annotate(diligencia_aberta=Diligencia.numero_da_aberta()))
    for ind in qs:
        por_inciso.setdefault(ind.inciso_id, []).append(ind)
    return por_inciso


def linhas_das_indicacoes(ids) -> dict[int, list[dict]]:
    """As indicações dos incisos *ids* como dicionários, por número, para a "Indicação de Recursos" (a tag
    ``linhas_das_indicacoes`` as desenha): sem objeto de modelo por linha, centenas por tela (issue 13)."""
    por_inciso: dict[int, list] = {}
    qs = (Indicacao.objects.filter(inciso__in=ids).order_by("numero")
          .values("pk", *CAMPOS_DA_LISTA, razao_social=F("beneficiario__razao_social"),
                  municipio=F("beneficiario__municipio"), diligencia_aberta=Diligencia.numero_da_aberta()))
    for ind in qs:
        por_inciso.setdefault(ind["inciso_id"], []).append(ind)
    return por_inciso


def indicacoes_do_inciso(inciso) -> list:
    return indicacoes_por_inciso([inciso.pk]).get(inciso.pk, [])


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


def convenente_por_cnpj(cnpj: str) -> Convenente | None:
    """O convenente do CNPJ (só os 14 algarismos), com a última situação CAGEC/SIAFI guardada."""
    return Convenente.objects.filter(cnpj=cnpj).first()


def usos_da_indicacao(indicacao: Indicacao) -> list:
    return list(UsoIndicacao.objects.filter(indicacao=indicacao).select_related("proposta"))


def liberacoes_da_indicacao(indicacao: Indicacao):
    return Liberacao.objects.filter(proposta__usos__indicacao=indicacao).select_related("proposta").distinct()


def historico(indicacao: Indicacao):
    return indicacao.registros.select_related("usuario")


def com_rotulos(qs):
    """As indicações de *qs* para uma lista paginada: a página sai sem junções (ordem e LIMIT pelo índice), e
    titular, inciso, UO, beneficiário e exercício vêm depois, em consultas pequenas pelos ids da página."""
    return qs.select_related(None).annotate(diligencia_aberta=Diligencia.numero_da_aberta()).prefetch_related(
        Prefetch("inciso", queryset=Inciso.objects.select_related("emenda__parlamentar", "emenda__bloco", "acao__uo")),
        # Tipo e espelho CAGEC/SIAFI: os sinais do "Vai passar?" na fila (emendas.preflight.sinais_da_fila).
        Prefetch("beneficiario", queryset=Convenente.objects.only(
            "razao_social", "municipio", "tipo", "situacao_cagec", "siafi_bloqueado", "siafi_motivo",
            "situacao_consultada_em")),
        "exercicio",
    )


def indicacoes_visiveis(usuario):
    return com_rotulos(Indicacao.objects.filter(filtro_indicacoes_visiveis(usuario)))


def indicacoes_das_uos_do_analista(usuario):
    return com_rotulos(Indicacao.objects.filter(inciso__acao__uo_id__in=ids_das_uos_do_analista(usuario)))


def indicacoes_da_segov():
    return com_rotulos(Indicacao.objects.all())


# As duas filas de aprovação: quem abre cada uma e o que ela lista. A tela da fila e o CSV dela (relatório
# "fila_*", relatorios/definicoes/filas.py) leem daqui: quem não vê a fila não a exporta.
def fila_do_orgao(usuario):
    if not perfis.tem_perfil(usuario, perfis.ORGAO):
        raise PermissionDenied("Somente analistas dos órgãos acessam esta tela.")
    return indicacoes_das_uos_do_analista(usuario)


def fila_da_segov(usuario):
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV acessa esta tela.")
    return indicacoes_da_segov()


def visiveis_por_ids(usuario, ids):
    """As marcadas numa fila que *usuario* vê (ids forjados de outras UOs ficam de fora), por número."""
    return (Indicacao.objects.filter(filtro_indicacoes_visiveis(usuario), pk__in=ids).order_by("numero")
            .select_related("inciso__emenda__parlamentar", "inciso__emenda__bloco", "beneficiario", "exercicio"))


def priorizacao_do_usuario(usuario, exercicio) -> list[dict]:
    """"Priorização das Indicações Impositivas": por titular em que *usuario* escreve (o seu mandato e os blocos de
    que é responsável), as indicações com prioridade, na ordem. Uma consulta, só as colunas que a tela mostra."""
    qs = (Indicacao.objects.filter(filtro_incisos_remanejaveis(usuario, campo="inciso__emenda_id"),
                                   exercicio=exercicio, prioridade__isnull=False)
          .select_related("inciso__emenda__parlamentar", "inciso__emenda__bloco", "beneficiario")
          .only("pk", "numero", "prioridade", "valor", "status", "forma_execucao", "inciso__numero", "inciso__tipo",
                "inciso__emenda__numero", "inciso__emenda__parlamentar__nome", "inciso__emenda__bloco__nome",
                "beneficiario__razao_social", "beneficiario__municipio", "exercicio_id")
          .order_by("inciso__emenda__bloco_id", "inciso__emenda_id", "prioridade"))
    grupos: dict = {}
    for ind in qs:
        emenda = ind.inciso.emenda
        chave = ("B", emenda.bloco_id) if emenda.bloco_id else ("P", emenda.parlamentar_id)
        grupos.setdefault(chave, {"titular": emenda.titular, "indicacoes": []})["indicacoes"].append(ind)
    for grupo in grupos.values():
        grupo["n_sem_p"] = sum(1 for i in grupo["indicacoes"] if i.inciso.tipo != "P")
        grupo["total"] = len(grupo["indicacoes"])
    return list(grupos.values())
