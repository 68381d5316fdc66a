import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sigcon.csv_seguro import celula_segura

from .acesso import pode_ver_auditoria
from .selectors import FiltroAuditoria, registros

POR_PAGINA = 100
LOTE_CSV = 2000


def _exigir_acesso(usuario):
    if not pode_ver_auditoria(usuario):
        raise PermissionDenied("Somente a SEGOV consulta a auditoria.")


def _sem_pagina(get) -> str:
    q = get.copy()
    q.pop("pagina", None)
    return q.urlencode()


@login_required
@require_GET
def lista(request):
    _exigir_acesso(request.user)
    filtro = FiltroAuditoria(request.GET or None)
    if not request.GET:
        filtro = FiltroAuditoria({})
    pagina = Paginator(registros(filtro), POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "auditoria/lista.html", {
        "filtro": filtro, "pagina": pagina, "querystring": _sem_pagina(request.GET),
    })


class _Eco:
    def write(self, valor):
        return valor


def _json(valor) -> str:
    return "" if valor is None else json.dumps(valor, ensure_ascii=False, sort_keys=True)


@login_required
@require_GET
def exportar_csv(request):
    _exigir_acesso(request.user)
    qs = registros(FiltroAuditoria(request.GET))
    escritor = csv.writer(_Eco(), delimiter=";")
    cabecalho = ["Registro", "Momento", "Usuário", "IP", "Ação", "Tipo do objeto", "Id do objeto", "Objeto",
                 "Antes", "Depois", "Posição na cadeia", "Hash"]

    def linhas():
        yield "\ufeff" + escritor.writerow(cabecalho)  # BOM: o Excel só lê UTF-8 com ele
        for r in qs.iterator(chunk_size=LOTE_CSV):
            tipo = f"{r.tipo_objeto.app_label}.{r.tipo_objeto.model}" if r.tipo_objeto else ""
            yield escritor.writerow([celula_segura(v) for v in (
                r.pk, timezone.localtime(r.momento).strftime("%d/%m/%Y %H:%M:%S"),
                r.usuario.email if r.usuario else "sistema", r.ip or "", r.acao, tipo, r.id_objeto, r.repr_objeto,
                _json(r.antes), _json(r.depois), r.ordem or "", r.hash or "",
            )])

    resposta = StreamingHttpResponse(linhas(), content_type="text/csv; charset=utf-8")
    resposta["Content-Disposition"] = f'attachment; filename="auditoria-{timezone.localdate():%Y%m%d}.csv"'
    return resposta
