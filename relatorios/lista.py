"""Relatórios de uma linha por objeto (remanejamento, indicação), lidos do banco com template de tela próprio.

A declaração diz: o formulário de filtro, as linhas visíveis (``visiveis``, de ``relatorios.acesso``), a
lista branca de ordem (``ordem``: chave → campos do ORDER BY), as colunas do CSV e os templates da tela e do
PDF. A base ``Relatorio`` dá o resto: URLs, login, PDF na hora ou pelo Celery acima de ``LIMITE_PDF_NA_HORA``.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from .base import LIMITE_PDF, LINHAS_POR_PAGINA, LOTE, Consulta, Relatorio, da_pagina
from .ordenacao import cabecalhos, ordenar


def como_querydict(parametros) -> QueryDict:
    """Os filtros do GET, ou os gravados num pedido de PDF em segundo plano (dicionário simples)."""
    if isinstance(parametros, QueryDict):
        return parametros
    q = QueryDict(mutable=True)
    for chave, valor in parametros.items():
        q[chave] = valor
    return q


class RelatorioLista(Relatorio):
    filtro_form = None
    ordem: dict[str, tuple[str, ...]] = {}
    ordem_padrao = ""
    template_tela = ""
    template_pdf = ""
    arquivo = ""  # nome dos arquivos CSV e PDF, sem extensão
    colunas_csv: list[str] = []
    # A tela mostra a soma de ``valor`` das linhas filtradas.
    total_na_tela = False
    # Junções da tela e do PDF (o ``select_related`` de ``visiveis`` trocado por só estas). Cada junção a mais
    # custa no planejamento do PostgreSQL (14 junções: mais tempo planejando que executando a página).
    relacoes: tuple[str, ...] | None = None
    # Página em duas consultas (``da_pagina``): para quando as junções de exibição são muitas.
    pagina_pelos_ids = False
    # Tela com linhas de dicionários: a página (pelos ids, como ``da_pagina``) sai de ``.values()`` destes campos
    # (chave → expressão, ou o próprio nome para um campo do modelo) e as ``<td>`` de ``html_das_linhas``, sem
    # objetos de modelo nem o laço do template por célula.
    campos_tela: dict | None = None

    # --- o que cada relatório implementa -----------------------------------------------------

    def visiveis(self, usuario):
        """Queryset com as linhas que *usuario* vê (``PermissionDenied`` para quem não vê nenhuma)."""
        raise NotImplementedError

    def filtrar(self, filtro, qs, parametros):
        return filtro.filtrar(qs)

    def linhas_csv(self, qs) -> Iterator[list]:
        raise NotImplementedError

    def descrever_filtros(self, filtro) -> list[str]:
        return filtro.descricao()

    def html_das_linhas(self, linhas: list[dict]) -> list[str]:
        """O HTML (já escapado) das células de cada linha de ``campos_tela``."""
        raise NotImplementedError

    # --- a base ------------------------------------------------------------------------------

    def consultar(self, usuario, parametros):
        parametros = como_querydict(parametros)
        qs = self.visiveis(usuario)
        filtro = self.filtro_form(parametros or None)
        qs = ordenar(parametros, self.filtrar(filtro, qs, parametros), self.ordem, self.ordem_padrao)
        if self.relacoes is not None:
            qs = qs.select_related(None).select_related(*self.relacoes)
        return Consulta(usuario=usuario, filtro=filtro, valido=True, ordem="", extra={"qs": qs})

    def contar(self, consulta):
        return consulta.extra["qs"].count()

    def iterar(self, consulta, limite=None):
        qs = consulta.extra["qs"]
        return (qs if limite is None else qs[:limite]).iterator(chunk_size=LOTE)

    def nome_arquivo(self, consulta, extensao):
        return f"{self.arquivo or self.nome}.{extensao}"

    def view_tela(self, request):
        consulta = self.consultar(request.user, request.GET)
        qs = consulta.extra["qs"]
        paginador = Paginator(qs, LINHAS_POR_PAGINA)
        # Contagem e total numa consulta só (sem ORDER BY nem as junções de exibição).
        resumo = qs.order_by().aggregate(n=Count("pk"), **({"t": Sum("valor")} if self.total_na_tela else {}))
        paginador.count = resumo["n"]
        pagina = paginador.get_page(request.GET.get("pagina"))
        linhas = None
        if self.campos_tela is not None:
            ids = list(pagina.object_list.values_list("pk", flat=True))
            # Os campos do próprio modelo vão pelo nome (um ``F()`` com o mesmo nome seria uma anotação em conflito).
            proprios = [k for k, v in self.campos_tela.items() if v == k]
            expressoes = {k: v for k, v in self.campos_tela.items() if v != k}
            por_id = {l["pk"]: l for l in qs.order_by().filter(pk__in=ids).values("pk", *proprios, **expressoes)}
            pagina.object_list = [por_id[pk] for pk in ids]
            linhas = self.html_das_linhas(pagina.object_list)
        elif self.pagina_pelos_ids:
            pagina.object_list = da_pagina(qs, pagina.object_list)
        parametros = request.GET.copy()
        parametros.pop("pagina", None)
        contexto = {
            "relatorio": self, "filtro": consulta.filtro, "pagina": pagina, "querystring": parametros.urlencode(),
            "ordem": cabecalhos(request.GET, self.ordem, self.ordem_padrao), "linhas": linhas,
        }
        if self.total_na_tela:
            contexto["total"] = resumo["t"] or Decimal("0.00")
        return render(request, self.template_tela, contexto)

    def csv(self, consulta):
        return self.colunas_csv, self.linhas_csv(consulta.extra["qs"])

    def gerar_pdf(self, consulta, progresso=None) -> bytes:
        from weasyprint import HTML  # import pesado: só quem pede PDF paga

        qs = consulta.extra["qs"]
        linhas = list(qs[:LIMITE_PDF])
        if progresso:
            progresso(30)
        html = render_to_string(self.template_pdf, {
            "linhas": linhas, "total": sum((linha.valor for linha in linhas), Decimal("0.00")) if linhas else None,
            "gerado_em": timezone.localtime(), "usuario": consulta.usuario,
            "filtros": self.descrever_filtros(consulta.filtro),
            "truncado": len(linhas) == LIMITE_PDF and qs.count() > LIMITE_PDF,
            "limite": f"{LIMITE_PDF:,}".replace(",", "."),
        })
        return HTML(string=html).write_pdf()
