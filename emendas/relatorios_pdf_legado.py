"""PDF dos relatórios de remanejamentos, indicações e impedimentos, na hora ou em segundo plano.

Esses relatórios nasceram antes da base de ``relatorios`` (consulta feita a partir da requisição).
Este adaptador dá a eles o mesmo caminho dos outros: até ``LIMITE_PDF_NA_HORA`` linhas o PDF sai na
requisição; acima disso vira um ``RelatorioGerado`` feito pelo Celery, com página de acompanhamento.
A mesma função monta o PDF nos dois casos.
"""

from decimal import Decimal
from types import SimpleNamespace

from csp.decorators import csp_exempt
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone

from relatorios.base import LIMITE_PDF, LIMITE_PDF_NA_HORA


class PdfLegado:
    def __init__(self, *, nome, titulo, consulta, template, arquivo, descrever_filtros):
        self.nome, self.titulo, self._consulta = nome, titulo, consulta
        self.template, self.arquivo, self._descrever = template, arquivo, descrever_filtros

    def consultar(self, usuario, parametros):
        if isinstance(parametros, QueryDict):
            get = parametros
        else:  # parâmetros gravados no pedido de PDF em segundo plano (dicionário simples)
            get = QueryDict(mutable=True)
            for chave, valor in parametros.items():
                get[chave] = valor
        filtro, qs = self._consulta(SimpleNamespace(user=usuario, GET=get))
        return SimpleNamespace(usuario=usuario, filtro=filtro, qs=qs)

    def contar(self, consulta) -> int:
        return consulta.qs.count()

    def nome_arquivo(self, consulta, extensao) -> str:
        return f"{self.arquivo}.{extensao}"

    def gerar_pdf(self, consulta, progresso=None) -> bytes:
        from weasyprint import HTML  # import pesado: só quem pede PDF paga

        linhas = list(consulta.qs[:LIMITE_PDF])
        if progresso:
            progresso(30)
        html = render_to_string(self.template, {
            "linhas": linhas, "total": sum((linha.valor for linha in linhas), Decimal("0.00")) if linhas else None,
            "gerado_em": timezone.localtime(), "usuario": consulta.usuario, "filtros": self._descrever(consulta.filtro),
            "truncado": len(linhas) == LIMITE_PDF and consulta.qs.count() > LIMITE_PDF,
            "limite": f"{LIMITE_PDF:,}".replace(",", "."),
        })
        return HTML(string=html).write_pdf()

    @csp_exempt()  # como em relatorios.base.Relatorio.view_pdf: a CSP das telas deixa o leitor de PDF do Chrome em branco
    def view_pdf(self, request):
        from relatorios.services import solicitar_pdf

        consulta = self.consultar(request.user, request.GET)
        n = self.contar(consulta)
        if n > LIMITE_PDF_NA_HORA:
            gerado = solicitar_pdf(usuario=request.user, nome=self.nome, titulo=self.titulo,
                                   parametros=request.GET.dict(), linhas=min(n, LIMITE_PDF))
            return redirect("relatorio_gerado", pk=gerado.pk)
        resposta = HttpResponse(self.gerar_pdf(consulta), content_type="application/pdf")
        resposta["Content-Disposition"] = f'inline; filename="{self.nome_arquivo(consulta, "pdf")}"'
        return resposta
