"""Depois de copiar o modelo: o calendário do exercício corrente deslocado para que hoje seja o último dia da
janela livre, e a conferência do invariante do dinheiro."""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from emendas import selectors
from emendas.models import Exercicio, Inciso
from sigcon.dinheiro import ZERO

# (tabela, colunas de data/hora, como chegar ao exercício): tudo o que o exercício corrente gravou com data.
_DATADOS = [
    ("emendas_inciso", ["criado_em"], "exercicio_id = %s"),
    ("emendas_remanejamento", ["solicitado_em", "decidido_em"],
     "inciso_origem_id IN (SELECT id FROM emendas_inciso WHERE exercicio_id = %s)"),
    ("emendas_indicacao", ["enviada_em", "aprovada_orgao_em", "aprovada_segov_em", "encerrada_em"],
     "exercicio_id = %s"),
    ("emendas_registroremanejamento", ["momento"],
     "remanejamento_id IN (SELECT r.id FROM emendas_remanejamento r JOIN emendas_inciso i "
     "ON i.id = r.inciso_origem_id WHERE i.exercicio_id = %s)"),
    ("emendas_registroindicacao", ["momento"],
     "indicacao_id IN (SELECT id FROM emendas_indicacao WHERE exercicio_id = %s)"),
]


def deslocar_para_hoje(hoje: date | None = None) -> int:
    """Move o exercício corrente (o de maior ano) e tudo o que ele gravou com data pelo mesmo número de dias,
    de modo que *hoje* seja o ``fim_janela_livre``. Devolve o deslocamento em dias."""
    hoje = hoje or timezone.localdate()
    ex = Exercicio.objects.order_by("-ano").first()
    dias = (hoje - ex.fim_janela_livre).days
    if dias == 0:
        return 0
    delta = timedelta(days=dias)
    Exercicio.objects.filter(pk=ex.pk).update(
        data_publicacao_loa=ex.data_publicacao_loa + delta, data_liberacao=ex.data_liberacao + delta,
        fim_janela_livre=ex.fim_janela_livre + delta, fim_janela_obrigatoria=ex.fim_janela_obrigatoria + delta,
    )
    with connection.cursor() as c:
        for tabela, colunas, onde in _DATADOS:
            sets = ", ".join(f"{col} = {col} + %s" for col in colunas)
            c.execute(f"UPDATE {tabela} SET {sets} WHERE {onde}", [delta] * len(colunas) + [ex.pk])
    return dias


def conferir_invariante(ano: int | None = None, *, dias=None, lote: int = 1000) -> list[str]:
    """Problemas do invariante do dinheiro em todo inciso do exercício (padrão: o corrente), hoje e 40 dias
    depois (ou nos *dias* pedidos): baldes não negativos que somam o valor do inciso, e a soma dos valores dos
    incisos igual à dos valores iniciais dos incisos base. Lista vazia: tudo certo."""
    ex = selectors.exercicio_atual(ano)
    if ex is None:
        return [f"Exercício {ano} não existe."]
    hoje = timezone.localdate()
    ids = list(Inciso.objects.filter(exercicio=ex).order_by("pk").values_list("pk", flat=True))
    base = Inciso.objects.filter(exercicio=ex, inciso_origem__isnull=True).aggregate(t=Sum("valor_inicial"))["t"]
    problemas = []
    for dia in dias or (hoje, hoje + timedelta(days=40)):
        soma = ZERO
        for k in range(0, len(ids), lote):
            incisos = list(Inciso.objects.filter(pk__in=ids[k:k + lote]).select_related("exercicio"))
            for inciso_pk, s in selectors.saldos_incisos(incisos, dia).items():
                baldes = s.baldes()
                negativos = {b: v for b, v in baldes.items() if v < 0}
                if negativos:
                    problemas.append(f"{ex.ano} inciso {inciso_pk} em {dia}: balde negativo {negativos}")
                if sum(baldes.values()) != s.valor_inciso:
                    problemas.append(f"{ex.ano} inciso {inciso_pk} em {dia}: baldes somam {sum(baldes.values())}, "
                                     f"valor do inciso {s.valor_inciso}")
                soma += s.valor_inciso
        if soma != (base or ZERO):
            problemas.append(f"{ex.ano} em {dia}: soma dos incisos {soma} ≠ soma dos incisos base {base}")
    return problemas
