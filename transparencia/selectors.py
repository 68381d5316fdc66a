"""Leituras públicas: as indicações como a lei manda publicar, sem nenhum dado de usuário.

Tudo sai de ``.values()`` com as colunas públicas (nenhum campo de usuário é lido: nem e-mail, nem nome de quem
enviou, aprovou ou reprovou) e passa por ``linha_publica``, que oculta e-mails e CPFs dos textos livres
(``transparencia.privacidade``). Os valores de convênio (em convênio, liberado) e o utilizado do controle de
execução vêm em consultas agregadas pelos ids da página ou do exercício, nunca uma consulta por linha.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from convenios.cnpj import formatar_cnpj
from convenios.models import Liberacao, PropostaPlanoTrabalho as Proposta, UsoIndicacao
from emendas.models import Bloco, Exercicio, Indicacao, Parlamentar, RegistroIndicacao, UnidadeOrcamentaria
from sigcon.dinheiro import ZERO

from . import privacidade
from .campos import CENTAVO

Status = Indicacao.Status
Forma = Indicacao.FormaExecucao
POR_PAGINA = 50

COLUNAS = dict(
    ano=F("exercicio__ano"), emenda=F("inciso__emenda__numero"), inciso_numero=F("inciso__numero"),
    parlamentar=F("inciso__emenda__parlamentar__nome"), bloco=F("inciso__emenda__bloco__nome"),
    uo_codigo=F("inciso__acao__uo__codigo"), uo_nome=F("inciso__acao__uo__nome"),
    acao_codigo=F("inciso__acao__codigo"), acao_nome=F("inciso__acao__nome"),
    grupo_codigo=F("inciso__grupo_despesa__codigo"), grupo_nome=F("inciso__grupo_despesa__nome"),
    cnpj=F("beneficiario__cnpj"), razao_social=F("beneficiario__razao_social"),
    municipio=F("beneficiario__municipio"), categoria=F("categoria_impedimento__nome"),
)
CAMPOS_DA_INDICACAO = ("pk", "numero", "status", "forma_execucao", "objeto", "valor", "origem_saldo", "enviada_em",
                       "aprovada_orgao_em", "aprovada_segov_em", "encerrada_em", "justificativa")
ROTULO_SITUACAO = dict(Status.choices)
ROTULO_FORMA = dict(Forma.choices)


def _colunas(qs):
    return qs.values(*CAMPOS_DA_INDICACAO, **COLUNAS)


# --- filtros -------------------------------------------------------------------------------------------------------

def opcoes_dos_filtros() -> dict:
    """As escolhas dos filtros da busca (poucas consultas pequenas; a tela as guarda no cache)."""
    municipios = (Indicacao.objects.filter(beneficiario__isnull=False).order_by("beneficiario__municipio")
                  .values_list("beneficiario__municipio", flat=True).distinct())
    parlamentares = Parlamentar.objects.filter(emendas__isnull=False).distinct().order_by("nome")
    blocos = Bloco.objects.filter(emendas__isnull=False).distinct().order_by("nome")
    return {
        "anos": list(Exercicio.objects.order_by("-ano").values_list("ano", flat=True)),
        "autores": [(f"p{pk}", nome) for pk, nome in parlamentares.values_list("pk", "nome")]
                   + [(f"b{pk}", f"{nome} (bloco)") for pk, nome in blocos.values_list("pk", "nome")],
        "orgaos": [(str(pk), f"{codigo} – {nome}") for pk, codigo, nome in
                   UnidadeOrcamentaria.objects.order_by("codigo").values_list("pk", "codigo", "nome")],
        "municipios": [m for m in municipios if m],
    }


def _filtro_de_busca(texto: str) -> Q | None:
    # Um e-mail ou CPF digitado na busca não vira pergunta ao banco: a resposta diria se ele está num texto oculto.
    texto = privacidade.EMAIL.sub(" ", privacidade.CPF.sub(" ", texto or "")).strip()
    if not texto:
        return None
    filtro = (Q(objeto__icontains=texto) | Q(beneficiario__razao_social__icontains=texto)
              | Q(beneficiario__municipio__icontains=texto) | Q(inciso__emenda__parlamentar__nome__icontains=texto)
              | Q(inciso__emenda__bloco__nome__icontains=texto))
    digitos = "".join(c for c in texto if c.isdigit())
    if digitos and len(digitos) == len(texto.replace(".", "").replace("/", "").replace("-", "")):
        if len(digitos) <= 9:
            filtro |= Q(numero=int(digitos))
        if len(digitos) >= 3:
            filtro |= Q(beneficiario__cnpj__contains=digitos)
    return filtro


def indicacoes(filtros: dict):
    """As indicações públicas que atendem *filtros* (os campos limpos de ``forms.FiltroPublico``)."""
    qs = Indicacao.objects.all()
    if filtros.get("ano"):
        qs = qs.filter(exercicio__ano=filtros["ano"])
    autor = filtros.get("autor") or ""
    if autor.startswith("p"):
        qs = qs.filter(inciso__emenda__parlamentar_id=int(autor[1:]))
    elif autor.startswith("b"):
        qs = qs.filter(inciso__emenda__bloco_id=int(autor[1:]))
    if filtros.get("municipio"):
        qs = qs.filter(beneficiario__municipio=filtros["municipio"])
    if filtros.get("orgao"):
        qs = qs.filter(inciso__acao__uo_id=int(filtros["orgao"]))
    if filtros.get("forma"):
        qs = qs.filter(forma_execucao=filtros["forma"])
    if filtros.get("situacao"):
        qs = qs.filter(status=filtros["situacao"])
    busca = _filtro_de_busca(filtros.get("q", ""))
    if busca is not None:
        qs = qs.filter(busca)
    return qs


def totais(qs) -> dict:
    t = qs.aggregate(n=Count("pk"), indicado=Sum("valor"), aprovado=Sum("valor", filter=Q(status=Status.APROVADA)))
    return {"n": t["n"], "indicado": t["indicado"] or ZERO, "aprovado": t["aprovado"] or ZERO}


# --- valores de convênio e de execução --------------------------------------------------------------------------

def valores_de_convenio(filtro: Q) -> dict[int, tuple[Decimal, Decimal]]:
    """``{indicação: (em convênio, liberado)}`` das indicações que *filtro* (sobre ``UsoIndicacao``) escolhe.

    Em convênio: o que as propostas não canceladas usam da indicação. Liberado: as parcelas autorizadas de cada
    proposta repartidas entre as indicações dela na proporção do uso (uma proposta com uma indicação só, o caso
    comum, dá o valor exato). Três consultas agregadas, qualquer que seja o número de indicações."""
    usos = UsoIndicacao.objects.filter(filtro).exclude(proposta__status=Proposta.Status.CANCELADA)
    lista = list(usos.values_list("indicacao_id", "proposta_id", "valor"))
    if not lista:
        return {}
    propostas = usos.values("proposta_id")
    total = dict(UsoIndicacao.objects.filter(proposta_id__in=propostas).order_by().values("proposta_id")
                 .annotate(t=Sum("valor")).values_list("proposta_id", "t"))
    autorizado = dict(Liberacao.objects.filter(proposta_id__in=propostas, status=Liberacao.Status.AUTORIZADA)
                      .order_by().values("proposta_id").annotate(t=Sum("valor")).values_list("proposta_id", "t"))
    valores: dict[int, tuple[Decimal, Decimal]] = {}
    for indicacao_id, proposta_id, valor in lista:
        liberado = autorizado.get(proposta_id, ZERO)
        parte = (valor * liberado / total[proposta_id]).quantize(CENTAVO) if liberado else ZERO
        em_convenio, ja_liberado = valores.get(indicacao_id, (ZERO, ZERO))
        valores[indicacao_id] = (em_convenio + valor, ja_liberado + parte)
    return valores


def _modelo_de_execucao():
    """O registro do controle de execução (``emendas.ExecucaoIndicacao``, issue 15), se já existir neste código."""
    try:
        modelo = apps.get_model("emendas", "ExecucaoIndicacao")
    except LookupError:
        return None
    campos = {f.name for f in modelo._meta.get_fields()}
    return modelo if {"indicacao", "utilizado"} <= campos else None


def valores_utilizados(filtro: Q) -> dict[int, Decimal]:
    """``{indicação: valor utilizado}`` do controle de execução (o registro mais recente de cada indicação);
    vazio enquanto o controle de execução não existir."""
    modelo = _modelo_de_execucao()
    if modelo is None:
        return {}
    return dict(modelo.objects.filter(filtro).order_by("pk").values_list("indicacao_id", "utilizado"))


# --- a linha pública ---------------------------------------------------------------------------------------------

def _caminho_da_indicacao():
    modelo = reverse("transparencia:indicacao", kwargs={"ano": 1, "numero": 2})
    inicio, fim = modelo.rsplit("/1/2/", 1)
    return lambda ano, numero: f"{inicio}/{ano}/{numero}/{fim}"


def linha_publica(v: dict, convenio: dict, utilizados: dict, caminho=None) -> dict:
    """Uma indicação (linha de ``_colunas``) com os nomes dos campos dos dados abertos (``campos.CAMPOS``)."""
    caminho = caminho or _caminho_da_indicacao()
    em_convenio, liberado = convenio.get(v["pk"], (ZERO, ZERO))
    reprovada = v["status"] == Status.REPROVADA
    return {
        "pk": v["pk"],
        "exercicio": v["ano"], "numero_indicacao": v["numero"], "situacao": v["status"],
        "situacao_descricao": ROTULO_SITUACAO.get(v["status"], v["status"]),
        "emenda": v["emenda"], "inciso": v["inciso_numero"],
        "autor": privacidade.ocultar(v["parlamentar"] or v["bloco"]),
        "autor_tipo": "PARLAMENTAR" if v["parlamentar"] else "BLOCO",
        "orgao_codigo": v["uo_codigo"], "orgao_nome": v["uo_nome"],
        "acao_codigo": v["acao_codigo"], "acao_nome": v["acao_nome"],
        "grupo_despesa": f"{v['grupo_codigo']} – {v['grupo_nome']}",
        "forma_execucao": v["forma_execucao"],
        "forma_execucao_descricao": ROTULO_FORMA.get(v["forma_execucao"], v["forma_execucao"]),
        "beneficiario_cnpj": v["cnpj"] or "", "cnpj_formatado": formatar_cnpj(v["cnpj"]) if v["cnpj"] else "",
        "beneficiario_nome": privacidade.ocultar(v["razao_social"]),
        "beneficiario_municipio": v["municipio"] or "",
        "objeto": privacidade.ocultar(v["objeto"]), "saldo_de_origem": v["origem_saldo"],
        "valor_indicado": v["valor"], "valor_aprovado": v["valor"] if v["status"] == Status.APROVADA else ZERO,
        "valor_em_convenio": em_convenio, "valor_utilizado": utilizados.get(v["pk"]), "valor_liberado": liberado,
        "enviada_em": v["enviada_em"], "aprovada_orgao_em": v["aprovada_orgao_em"],
        "aprovada_segov_em": v["aprovada_segov_em"], "encerrada_em": v["encerrada_em"],
        "impedimento_categoria": privacidade.ocultar(v["categoria"]) if reprovada else "",
        "impedimento_justificativa": privacidade.ocultar(v["justificativa"]) if reprovada else "",
        "pagina": caminho(v["ano"], v["numero"]),
    }


def linhas(qs) -> list[dict]:
    """As linhas públicas de um pedaço pequeno (uma página) de indicações: cinco consultas, quantas forem."""
    return _com_valores(list(_colunas(qs)))


def _com_valores(valores: list[dict]) -> list[dict]:
    ids = [v["pk"] for v in valores]
    convenio = valores_de_convenio(Q(indicacao_id__in=ids)) if ids else {}
    utilizados = valores_utilizados(Q(indicacao_id__in=ids)) if ids else {}
    caminho = _caminho_da_indicacao()
    return [linha_publica(v, convenio, utilizados, caminho) for v in valores]


class _PaginadorComTotal(Paginator):
    """O ``Paginator`` com o total já contado (pelos totais da busca): um ``COUNT`` a menos."""

    def __init__(self, object_list, per_page, total: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = total


def pagina_de_indicacoes(qs, numero: int, total: int):
    """A página *numero* (50 por página, as mais recentes primeiro; fora do intervalo, a última) e as linhas dela.

    Primeiro os ids da página, sem junção nenhuma (a ordem e o LIMIT saem do índice ``indicacao_enviada_desc_idx``);
    depois as colunas públicas só dessas 50."""
    pagina = _PaginadorComTotal(qs.order_by("-enviada_em", "-pk").values_list("pk", flat=True), POR_PAGINA,
                                total).get_page(numero)
    ids = list(pagina.object_list)
    por_id = {v["pk"]: v for v in _colunas(Indicacao.objects.filter(pk__in=ids))}
    return pagina, _com_valores([por_id[pk] for pk in ids])


def linhas_do_exercicio(exercicio: Exercicio) -> Iterator[dict]:
    """Todas as indicações do exercício, por número, em blocos (o CSV, o JSON e o instantâneo diário)."""
    filtro = Q(indicacao__exercicio=exercicio)
    convenio, utilizados, caminho = valores_de_convenio(filtro), valores_utilizados(filtro), _caminho_da_indicacao()
    qs = _colunas(Indicacao.objects.filter(exercicio=exercicio).order_by("numero"))
    for v in qs.iterator(chunk_size=2000):
        yield linha_publica(v, convenio, utilizados, caminho)


# --- uma indicação -----------------------------------------------------------------------------------------------

def indicacao_publica(ano: int, numero: int) -> dict | None:
    """A página pública de uma indicação: a linha, o histórico das situações (sem quem fez) e os convênios."""
    achadas = linhas(Indicacao.objects.filter(exercicio__ano=ano, numero=numero))
    if not achadas:
        return None
    linha = achadas[0]
    historico = [
        {"momento": r["momento"], "de": ROTULO_SITUACAO.get(r["status_anterior"], ""),
         "para": ROTULO_SITUACAO.get(r["status_novo"], r["status_novo"]), "para_codigo": r["status_novo"]}
        for r in RegistroIndicacao.objects.filter(indicacao_id=linha["pk"]).order_by("momento", "pk")
        .values("momento", "status_anterior", "status_novo")
    ]
    return {"linha": linha, "historico": historico, "convenios": convenios_da_indicacao(linha["pk"])}


def convenios_da_indicacao(pk: int) -> list[dict]:
    """As propostas/convênios que usam a indicação: número, situação, instrumento, valor usado e o liberado."""
    usos = list(UsoIndicacao.objects.filter(indicacao_id=pk).order_by("proposta_id").values(
        "proposta_id", "valor", status=F("proposta__status"), instrumento=F("proposta__tipo_instrumento"),
        criada_em=F("proposta__criado_em"), vigencia_inicio=F("proposta__vigencia_inicio"),
        vigencia_fim=F("proposta__vigencia_fim")))
    liberacoes: dict[int, list] = {}
    for lib in (Liberacao.objects.filter(proposta_id__in=[u["proposta_id"] for u in usos],
                                         status=Liberacao.Status.AUTORIZADA)
                .order_by("autorizada_em", "parcela").values("proposta_id", "parcela", "valor", "autorizada_em")):
        liberacoes.setdefault(lib["proposta_id"], []).append(lib)
    situacoes, instrumentos = dict(Proposta.Status.choices), dict(Proposta.TipoInstrumento.choices)
    for u in usos:
        u["situacao"] = situacoes.get(u["status"], u["status"])
        u["instrumento"] = instrumentos.get(u["instrumento"], u["instrumento"])
        u["liberacoes"] = liberacoes.get(u["proposta_id"], [])
        u["liberado_total"] = sum((lib["valor"] for lib in u["liberacoes"]), ZERO)
    return usos


# --- municípios --------------------------------------------------------------------------------------------------

def municipios(ano: int | None = None) -> list[dict]:
    """Cada município com beneficiário: quantas indicações, valor indicado e aprovado."""
    qs = Indicacao.objects.filter(beneficiario__isnull=False).exclude(beneficiario__municipio="")
    if ano:
        qs = qs.filter(exercicio__ano=ano)
    return list(qs.values(municipio=F("beneficiario__municipio")).annotate(
        n=Count("pk"), indicado=Sum("valor"), aprovado=Sum("valor", filter=Q(status=Status.APROVADA)),
    ).order_by("municipio"))


def resumo_do_municipio(nome: str) -> list[dict] | None:
    """Os totais do município por exercício (indicado, aprovado, em convênio, liberado), ou None se não há
    indicação para beneficiário dele."""
    qs = Indicacao.objects.filter(beneficiario__municipio=nome)
    por_ano = list(qs.values(ano=F("exercicio__ano")).annotate(
        n=Count("pk"), indicado=Sum("valor"), aprovado=Sum("valor", filter=Q(status=Status.APROVADA)),
    ).order_by("-ano"))
    if not por_ano:
        return None
    ano_da_indicacao = dict(UsoIndicacao.objects.filter(indicacao__beneficiario__municipio=nome)
                            .values_list("indicacao_id", "indicacao__exercicio__ano"))
    somas: dict[int, list] = {}
    for pk, (em_convenio, liberado) in valores_de_convenio(Q(indicacao__beneficiario__municipio=nome)).items():
        soma = somas.setdefault(ano_da_indicacao[pk], [ZERO, ZERO])
        soma[0] += em_convenio
        soma[1] += liberado
    for linha in por_ano:
        linha["aprovado"] = linha["aprovado"] or ZERO
        linha["em_convenio"], linha["liberado"] = somas.get(linha["ano"], (ZERO, ZERO))
    return por_ano
