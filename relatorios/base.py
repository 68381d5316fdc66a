"""Base comum dos relatórios com tela, CSV e PDF a partir dos mesmos filtros do GET.

Cada relatório (uma subclasse de ``Relatorio``) diz quais são as colunas, como consultar e como
montar as linhas; esta base cuida do resto, igual para todos:

* tela paginada (100 linhas) e ordenável pelo parâmetro ``ordem`` (só colunas da lista branca;
  ``-`` na frente inverte);
* CSV (``;``, UTF-8 com BOM, vírgula decimal), lido do banco em lotes. Até ``LIMITE_CSV_NA_HORA`` linhas
  sai em fluxo na requisição, em blocos; acima disso vira um ``RelatorioGerado`` feito pelo Celery;
* PDF A4 deitado (WeasyPrint). Até ``LIMITE_PDF_NA_HORA`` linhas o PDF sai na própria requisição;
  acima disso, também um ``RelatorioGerado``. Os dois com a mesma página de acompanhamento e download.

As funções que montam o PDF e o CSV (``Relatorio.gerar_pdf``, ``Relatorio.gerar_csv``) são as mesmas na
requisição e na tarefa.

Cada relatório é declarado uma vez em ``relatorios/definicoes/`` e registrado (``registro.registrar``); do
registro saem as URLs (``relatorios/urls.py``), o menu "Relatórios" e o relatório de cada PDF em segundo
plano. Quem vê o quê: ``relatorios/acesso.py``. Relatórios de um objeto por linha com template próprio
(remanejamentos, indicações): ``relatorios.lista.RelatorioLista``.
"""

from collections.abc import Callable, Iterator

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from sigcon.csv_seguro import escrever_csv, linhas_csv, resposta_csv_pronto

from . import acesso
from .celulas import (
    DINHEIRO, INTEIRO, TEXTO, Coluna, Consulta, Total, formatar, formatar_csv, html_das_linhas, lotes,
)
from .pedidos import solicitar

# As declarações importam as peças (colunas, tipos, total) daqui, junto com as bases.
__all__ = [
    "DINHEIRO", "INTEIRO", "TEXTO", "Coluna", "Consulta", "Total", "formatar", "formatar_csv", "lotes",
    "LINHAS_POR_PAGINA", "LIMITE_PDF_NA_HORA", "LIMITE_PDF", "LIMITE_CSV_NA_HORA", "LOTE", "Relatorio",
    "RelatorioEmMemoria", "da_pagina",
]

LINHAS_POR_PAGINA = 100
# Acima disso o PDF não é feito na requisição. Medido nesta máquina (tempo de CPU, dados de escala de estado):
# o WeasyPrint leva ~2,1 s para 100 linhas de indicações ou de remanejamentos (4,3 s para 200, 6,4 s para 300)
# e ~1,6 s para 100 de incisos; 300 linhas seguravam um worker 6 s.
LIMITE_PDF_NA_HORA = 100
# Teto do PDF (mesmo em segundo plano): acima disso, o CSV. O WeasyPrint guarda o documento inteiro na memória:
# no make bench, um PDF de 10.000 linhas de "Valores Indicados" levou ~290 s e o worker Celery a 3,1 GB de RSS
# (VmHWM); o custo cresce com as linhas, e 2.000 (umas 60 páginas) dão um quinto disso (estimativa, não medido).
LIMITE_PDF = 2_000
# Acima disso o CSV vira um pedido feito pelo Celery (com página de acompanhamento), como o PDF grande: nenhuma
# requisição segura um worker por mais de uns segundos nem é cortada pelo statement_timeout com um 200 pela
# metade. Em linhas de "Valores Indicados" (``.values_list()``, datas formatadas pelo banco): medido nesta
# máquina dividida com outros processos, 20.000 linhas em 1,2–1,3 s (0,3 s de CPU); 40.000, ~2,5 s. Os CSVs de
# linhas mais caras dizem quanto cada linha pesa (``Relatorio.custo_csv``).
LIMITE_CSV_NA_HORA = 40_000
# Incisos lidos do banco (e saldos calculados) por vez no CSV e no PDF: memória constante.
LOTE = 2000
# O CSV feito pelo Celery avisa o andamento a cada tantas linhas (cada aviso é um UPDATE com commit: 10 no CSV de
# 200 mil linhas, não 40).
AVISAR_CSV_A_CADA = 20_000


def da_pagina(qs, fatia) -> list:
    """Os objetos de uma página em duas consultas: os ids na ordem pedida (só as junções do filtro e da ordem) e
    os objetos com as junções de exibição, pelos ids (``pk IN (...)``, sem ORDER BY nem LIMIT).

    Com ``ORDER BY … LIMIT`` sobre as 14 junções dos remanejamentos, o PostgreSQL levava 65 ms só planejando a
    consulta (30 ms executando); os ids saem em 13 ms e os objetos pelos ids em 4 ms de planejamento + 2 ms. Nos
    incisos, ordenar as 11 mil linhas largas (com a junção do inciso de origem, que lia os 112 mil incisos)
    levava 150 ms.
    """
    ids = list(fatia.values_list("pk", flat=True))
    por_id = qs.order_by().filter(pk__in=ids).in_bulk()
    return [por_id[pk] for pk in ids]


def _sem(parametros, *chaves) -> QueryDict:
    q = QueryDict(mutable=True)
    for chave, valores in (parametros.lists() if hasattr(parametros, "lists") else
                           ((k, [v]) for k, v in parametros.items())):
        if chave not in chaves:
            q.setlist(chave, valores)
    return q


class Relatorio:
    nome = ""  # URLs relatorio_<nome>, relatorio_<nome>_csv e relatorio_<nome>_pdf
    titulo = ""
    rotulo_menu = ""  # texto no menu "Relatórios" (sem ele, o título)
    fora_do_menu = False  # o CSV de uma fila (definicoes/filas.py): exportado da própria fila, não do menu
    # Muitas colunas de dinheiro (saldos por balde): letra e espaçamento menores para caber em 1366 px sem rolar.
    tabela_larga = False
    # Quem abre o relatório e o vê no menu: ``acesso.TODOS`` ou ``acesso.SO_QUEM_VE_TUDO`` (linhas: ``consultar``).
    regra_acesso = acesso.TODOS
    descricao = ""
    unidade = "linha"  # singular e plural: "1 inciso", "12 incisos", "Total (12 incisos)"
    unidade_total = "linhas"
    vazio = "Nenhum registro encontrado."
    colunas: list[Coluna] = []
    ordem_padrao = ""
    # Relatórios lidos do banco só ordenam pelas colunas com ``ordem``; os montados em memória, por todas.
    ordena_em_memoria = False
    template_tela = "relatorios/tela.html"
    template_pdf = "relatorios/pdf.html"
    fonte_pdf = "7pt"
    # Quanto uma linha deste CSV custa perto de uma de "Valores Indicados": o CSV sai na requisição até
    # ``LIMITE_CSV_NA_HORA // custo_csv`` linhas.
    custo_csv = 1
    # Os rótulos das colunas do CSV que podem trazer texto livre (nomes, objeto, justificativa...): só elas passam
    # pela proteção contra fórmulas (``sigcon.csv_seguro._protetor``). ``None``: todas.
    colunas_de_texto_csv: tuple[str, ...] | None = None

    def pode_ver(self, usuario) -> bool:
        return acesso.pode_ver(usuario, self.regra_acesso)

    @property
    def url_tela(self) -> str:
        return f"relatorio_{self.nome}"

    @property
    def colunas_tela(self) -> list[Coluna]:
        return [c for c in self.colunas if not c.so_csv]

    # --- o que cada relatório implementa -----------------------------------------------------

    def consultar(self, usuario, parametros) -> Consulta:
        """Verifica o acesso (``PermissionDenied``) e interpreta os filtros."""
        raise NotImplementedError

    def contar(self, consulta: Consulta) -> int:
        raise NotImplementedError

    def pagina(self, consulta: Consulta, numero):
        """Página de ``Paginator`` cujo ``object_list`` são as linhas já montadas."""
        raise NotImplementedError

    def iterar(self, consulta: Consulta, limite: int | None = None) -> Iterator:
        """Todas as linhas, em ordem, sem carregar tudo de uma vez (CSV e PDF)."""
        raise NotImplementedError

    def total(self, consulta: Consulta) -> Total | None:
        """Total de todas as linhas filtradas (não só da página), para a tela."""
        return None

    def somar(self, linhas: list) -> Total | None:
        """Total das linhas já montadas (PDF: sem nova consulta)."""
        return None

    def notas(self, consulta: Consulta) -> list[str]:
        """Linhas extras do cabeçalho do PDF e da tela (ex.: a data dos saldos)."""
        return []

    # --- ordem -------------------------------------------------------------------------------

    def ordenaveis(self) -> dict[str, Coluna]:
        return {c.chave: c for c in self.colunas_tela if self.ordena_em_memoria or c.ordem}

    def ordem_pedida(self, parametros) -> str:
        pedido = (parametros.get("ordem") or "").strip()
        if pedido.lstrip("-") in self.ordenaveis():
            return "-" + pedido.lstrip("-") if pedido.startswith("-") else pedido
        return self.ordem_padrao

    def ordenar_em_memoria(self, linhas: list, ordem: str) -> list:
        chave = ordem.lstrip("-")
        coluna = self.ordenaveis().get(chave)
        if coluna is None:
            return linhas

        def valor(linha):
            v = coluna.valor(linha)
            if v is None:
                return (1, "")
            return (0, v.casefold() if isinstance(v, str) else v)

        # sorted é estável: empates ficam na ordem natural do relatório.
        return sorted(linhas, key=valor, reverse=ordem.startswith("-"))

    def cabecalhos(self, consulta: Consulta, parametros) -> list[dict]:
        base = _sem(parametros, "pagina", "ordem")
        atual = consulta.ordem.lstrip("-")
        decrescente = consulta.ordem.startswith("-")
        ordenaveis = self.ordenaveis()
        cabecalhos = []
        for c in self.colunas_tela:
            cab = {"rotulo": c.rotulo, "numero": c.numero, "url": "", "aria_sort": "", "seta": ""}
            if c.chave in ordenaveis:
                q = base.copy()
                q["ordem"] = f"-{c.chave}" if c.chave == atual and not decrescente else c.chave
                cab["url"] = "?" + q.urlencode()
                if c.chave == atual:
                    cab["aria_sort"] = "descending" if decrescente else "ascending"
                    cab["seta"] = "▼" if decrescente else "▲"
            cabecalhos.append(cab)
        return cabecalhos

    # --- células -----------------------------------------------------------------------------

    def celulas(self, linha) -> list[dict]:
        return [
            {"texto": formatar(c.valor(linha), c.tipo), "numero": c.numero, "rotulo": c.rotulo, "colspan": 1}
            for c in self.colunas_tela
        ]

    def celulas_total(self, total: Total) -> list[dict]:
        """Rótulo numa célula que cobre as colunas descritivas; somas nas colunas com ``somar``."""
        colunas = self.colunas_tela
        primeira = max(next((k for k, c in enumerate(colunas) if c.somar), len(colunas)), 1)
        celulas = [{"texto": total.rotulo, "numero": False, "colspan": primeira, "rotulo": ""}]
        for c in colunas[primeira:]:
            texto = formatar(c.valor(total), c.tipo) if c.somar else ""
            celulas.append({"texto": texto, "numero": c.numero, "colspan": 1, "rotulo": c.rotulo if c.somar else ""})
        return celulas

    def rotulo_total(self, n: int) -> str:
        return f"Total ({n:,} {self.unidade_total})".replace(",", ".")

    def linhas_pdf(self, consulta: Consulta, linhas: list) -> list[dict]:
        """Linhas prontas para o PDF; um relatório pode intercalar subtotais."""
        return [{"celulas": self.celulas(l), "classe": ""} for l in linhas]

    # --- saídas ------------------------------------------------------------------------------

    def gerar_pdf(self, consulta: Consulta, progresso: Callable[[int], None] | None = None) -> bytes:
        """O PDF inteiro (até ``LIMITE_PDF`` linhas). Usado pela view e pela tarefa Celery."""
        from weasyprint import HTML  # import pesado: só quem pede PDF paga

        avisar = progresso or (lambda _p: None)
        avisar(5)
        n = self.contar(consulta)
        linhas = []
        for lote in lotes(self.iterar(consulta, limite=LIMITE_PDF), LOTE):
            linhas.extend(lote)
            # Leitura e saldos: até 40 %; o resto é o WeasyPrint.
            avisar(5 + int(35 * len(linhas) / max(min(n, LIMITE_PDF), 1)))
        total = self.somar(linhas)
        contexto = {
            "titulo": self.titulo, "colunas": self.colunas_tela, "linhas": self.linhas_pdf(consulta, linhas),
            "total": {"celulas": self.celulas_total(total)} if total is not None and linhas else None,
            "vazio": self.vazio, "gerado_em": timezone.localtime(), "usuario": consulta.usuario,
            "filtros": consulta.filtro.descricao() if consulta.valido else ["inválidos (nenhuma linha)"],
            "notas": self.notas(consulta), "fonte": self.fonte_pdf,
            "truncado": n > LIMITE_PDF, "limite": f"{LIMITE_PDF:,}".replace(",", "."),
        }
        html = render_to_string(self.template_pdf, contexto)
        avisar(45)
        pdf = HTML(string=html).write_pdf()
        avisar(95)
        return pdf

    def nome_arquivo(self, consulta: Consulta, extensao: str) -> str:
        ano = f"-{consulta.exercicio.ano}" if consulta.exercicio else ""
        return f"{self.nome}{ano}.{extensao}"

    def view_tela(self, request):
        consulta = self.consultar(request.user, request.GET)
        pagina = self.pagina(consulta, request.GET.get("pagina"))
        total = self.total(consulta) if pagina.paginator.count else None
        return render(request, self.template_tela, {
            "relatorio": self, "filtro": consulta.filtro, "consulta": consulta, "pagina": pagina,
            "cabecalhos": self.cabecalhos(consulta, request.GET),
            # O mesmo HTML de ``html_da_linha(self.celulas(l))``, sem um dicionário por célula.
            "linhas": html_das_linhas(self.colunas_tela, pagina.object_list),
            "total": {"celulas": self.celulas_total(total)} if total is not None else None,
            "notas": self.notas(consulta),
            "querystring": _sem(request.GET, "pagina").urlencode(),
            "url_csv": f"relatorio_{self.nome}_csv", "url_pdf": f"relatorio_{self.nome}_pdf",
        })

    def csv(self, consulta: Consulta) -> tuple[list[str], Iterator[list]]:
        """Cabeçalho e linhas (listas de células) do CSV."""
        colunas = self.colunas
        linhas = ([formatar_csv(c.valor(linha), c.tipo) for c in colunas] for linha in self.iterar(consulta))
        return [c.rotulo for c in colunas], linhas

    def gerar_csv(self, consulta: Consulta, avisar: Callable[[int], None] | None = None) -> Iterator[str]:
        """O CSV inteiro, em pedaços de texto. O mesmo gerador serve à resposta em fluxo e à tarefa Celery;
        *avisar* recebe o número de linhas já escritas (a tarefa mostra o andamento)."""
        cabecalho, linhas = self.csv(consulta)
        return linhas_csv(cabecalho, linhas if avisar is None else _contando(linhas, avisar),
                          textos=self._textos_csv(cabecalho))

    def escrever_csv(self, consulta: Consulta, arquivo, avisar: Callable[[int], None] | None = None) -> None:
        """O CSV de ``gerar_csv`` escrito direto em *arquivo* (texto): o da tarefa Celery."""
        cabecalho, linhas = self.csv(consulta)
        escrever_csv(arquivo, cabecalho, linhas if avisar is None else _contando(linhas, avisar),
                     textos=self._textos_csv(cabecalho))

    def _textos_csv(self, cabecalho: list[str]) -> tuple[int, ...] | None:
        if self.colunas_de_texto_csv is None:
            return None
        return tuple(cabecalho.index(rotulo) for rotulo in self.colunas_de_texto_csv)

    def pedir(self, request, formato: str, linhas: int):
        """Grande demais para a requisição: vira um pedido ao Celery e a página de acompanhamento."""
        gerado = solicitar(usuario=request.user, nome=self.nome, titulo=self.titulo, formato=formato,
                           parametros=request.GET.dict(), linhas=linhas)
        return redirect("relatorio_gerado", pk=gerado.pk)

    def view_csv(self, request):
        consulta = self.consultar(request.user, request.GET)
        n = self.contar(consulta)
        if n * self.custo_csv > LIMITE_CSV_NA_HORA:
            return self.pedir(request, "csv", n)
        return resposta_csv_pronto(self.nome_arquivo(consulta, "csv"), self.gerar_csv(consulta))

    # O PDF sai "inline" e o leitor de PDF do Chrome é um <embed> com estilo inline numa página que ele monta:
    # com a CSP das telas (object-src 'none', style-src 'self') ele fica em branco. Um PDF não roda script nosso.
    @csp_exempt()
    def view_pdf(self, request):
        consulta = self.consultar(request.user, request.GET)
        n = self.contar(consulta)
        if n > LIMITE_PDF_NA_HORA:
            return self.pedir(request, "pdf", min(n, LIMITE_PDF))
        resposta = HttpResponse(self.gerar_pdf(consulta), content_type="application/pdf")
        resposta["Content-Disposition"] = f'inline; filename="{self.nome_arquivo(consulta, "pdf")}"'
        return resposta

    def views(self):
        """As três views (tela, CSV, PDF) para o ``urls.py``."""

        def envolver(metodo):
            view = login_required(require_GET(metodo))
            view.__name__ = f"relatorio_{self.nome}_{metodo.__name__.removeprefix('view_')}"
            return view

        return envolver(self.view_tela), envolver(self.view_csv), envolver(self.view_pdf)


def _contando(linhas, avisar):
    for n, linha in enumerate(linhas, 1):
        if n % AVISAR_CSV_A_CADA == 0:
            avisar(n)
        yield linha


class RelatorioEmMemoria(Relatorio):
    """Relatório de poucas linhas agregadas (por titular, por programação): montado inteiro e ordenado em Python."""

    ordena_em_memoria = True

    def montar(self, consulta: Consulta) -> list:
        raise NotImplementedError

    def _linhas(self, consulta: Consulta) -> list:
        if "linhas" not in consulta.extra:
            linhas = self.montar(consulta) if consulta.valido else []
            consulta.extra["linhas"] = self.ordenar_em_memoria(linhas, consulta.ordem)
        return consulta.extra["linhas"]

    def contar(self, consulta):
        return len(self._linhas(consulta))

    def pagina(self, consulta, numero):
        return Paginator(self._linhas(consulta), LINHAS_POR_PAGINA).get_page(numero)

    def iterar(self, consulta, limite=None):
        linhas = self._linhas(consulta)
        return iter(linhas if limite is None else linhas[:limite])

    def total(self, consulta):
        return self.somar(self._linhas(consulta))
