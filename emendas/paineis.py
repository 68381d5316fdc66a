"""Leituras das listas de incisos do núcleo (painel do parlamentar, incisos para remanejar): as linhas saem como
dicionários de ``.values()``, não objetos de modelo — uma lista de 100 incisos com ação, UO, grupo, emenda e bloco
seriam 700 objetos por requisição (issue 13)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from sigcon.dinheiro import formatar_brl

from .models import Exercicio, Inciso
from .saldos import Saldos
from .selectors import filtro_incisos_visiveis, saldos_das_linhas
from .visibilidade import parlamentar_do_usuario


@dataclass
class GrupoUO:
    uo: object
    linhas: list = field(default_factory=list)
    total: Saldos | None = None


# As colunas de uma linha de inciso nas listas (painel, remanejamento): dicionários, não objetos de modelo.
COLUNAS_DA_LINHA = {
    "emenda_numero": F("emenda__numero"), "parlamentar_id": F("emenda__parlamentar_id"), "bloco_id": F("emenda__bloco_id"), "bloco_nome": F("emenda__bloco__nome"),
    "bloco_responsavel_id": F("emenda__bloco__responsavel_id"), "uo_id": F("acao__uo_id"),
    "uo_codigo": F("acao__uo__codigo"), "uo_nome": F("acao__uo__nome"), "acao_codigo": F("acao__codigo"),
    "acao_nome": F("acao__nome"), "grupo_nome": F("grupo_despesa__nome"),
}
_ROTULO_DO_TIPO = dict(Inciso.Tipo.choices)


def linhas_de_incisos(qs) -> list[dict]:
    """Os incisos de *qs* como dicionários com o que as listas mostram (``tipo_rotulo``: o rótulo do tipo)."""
    linhas = list(qs.values("pk", "numero", "tipo", "valor_inicial", "saldo_inicial", "inciso_origem_id", "criado_em",
                            **COLUNAS_DA_LINHA))
    for linha in linhas:
        linha["tipo_rotulo"] = _ROTULO_DO_TIPO[linha["tipo"]]
    return linhas


def somar(saldos) -> Saldos | None:
    total = None
    for s in saldos:
        total = s if total is None else total + s
    return total


def pode_escrever_na_linha(parlamentar, linha: dict) -> bool:
    """``selectors.pode_escrever_no_inciso`` para uma linha: só o titular; num bloco, só o responsável."""
    if parlamentar is None:
        return False
    if linha["parlamentar_id"]:
        return linha["parlamentar_id"] == parlamentar.pk
    return linha["bloco_responsavel_id"] == parlamentar.pk


def painel_parlamentar(usuario, exercicio: Exercicio, dia: date | None = None) -> list[GrupoUO]:
    """Incisos do parlamentar (e dos seus blocos) agrupados por UO, com saldos e totais."""
    dia = dia or timezone.localdate()
    linhas = linhas_de_incisos(
        Inciso.objects.filter(filtro_incisos_visiveis(usuario), exercicio=exercicio)
        .order_by("acao__uo__codigo", "emenda__numero", "-tipo", "pk")
    )
    saldos = saldos_das_linhas(linhas, exercicio, dia)
    parlamentar = parlamentar_do_usuario(usuario)
    grupos: dict[int, GrupoUO] = {}
    endereco = reverse("emendas:inciso", args=[0])[:-2]  # ".../0/" → ".../": o prefixo do inciso
    for linha in linhas:
        grupo = grupos.get(linha["uo_id"])
        if grupo is None:
            grupo = grupos[linha["uo_id"]] = GrupoUO(uo={"codigo": linha["uo_codigo"], "nome": linha["uo_nome"]})
        somente_leitura = bool(linha["bloco_id"]) and not pode_escrever_na_linha(parlamentar, linha)
        s = saldos[linha["pk"]]
        # O endereço, a ação e os valores já formatados: 4 filtros ``brl`` e um ``{% url %}`` por linha eram metade do
        # tempo da página (issue 13).
        grupo.linhas.append({
            "inciso": linha, "saldos": s, "somente_leitura": somente_leitura, "url": f"{endereco}{linha['pk']}/",
            "acao": f"{linha['acao_codigo']} – {linha['acao_nome']}",
            # Um dicionário, não uma lista: ``valores.0`` no template passa por ``dir(list)`` a cada célula.
            "valores": {"inicial": formatar_brl(s.valor_inicial), "inciso": formatar_brl(s.valor_inciso),
                        "remanejamento": formatar_brl(s.disponivel_remanejamento),
                        "indicacao": formatar_brl(s.disponivel_indicacao)},
        })
    for grupo in grupos.values():
        grupo.total = somar(l["saldos"] for l in grupo.linhas)
    return list(grupos.values())


