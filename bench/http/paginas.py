"""As páginas medidas, cada uma com o seu piso (``bench/urls.py``) e o perfil de quem a abre.

Os caminhos saem de ``reverse`` (os mesmos nomes de rota da aplicação); o que depende do usuário (o inciso de
cada parlamentar) é lido do banco do bench pelo ORM, no processo do driver.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from emendas.models import Inciso


@dataclass(frozen=True)
class Pagina:
    nome: str
    perfil: str  # "parlamentar", "segov" ou "analista": de quem são as sessões
    app: object  # login -> caminho (ou caminho fixo)
    piso: object

    def caminho(self, qual: str, login: str) -> str:
        alvo = self.app if qual == "app" else self.piso
        return alvo(login) if callable(alvo) else alvo


RELATORIOS = ("incisos", "remanejamentos", "totalizacao", "indicacoes", "impedimentos", "parlamentares", "saldos")


def incisos_mais_movimentados(logins: list[str], ano: int) -> dict[str, int]:
    """Para cada parlamentar, o inciso S dele com mais indicações no ano (a página do inciso mais pesada)."""
    escolhidos = {}
    qs = (Inciso.objects.filter(exercicio__ano=ano, tipo=Inciso.Tipo.S, emenda__parlamentar__usuario__email__in=logins)
          .annotate(n=Count("indicacoes"))
          .order_by("emenda__parlamentar__usuario__email", "-n", "pk")
          .values_list("emenda__parlamentar__usuario__email", "pk"))
    for login, pk in qs:
        escolhidos.setdefault(login, pk)
    return escolhidos


def paginas(cenario: dict) -> list[Pagina]:
    do_inciso = incisos_mais_movimentados(cenario["parlamentares"], cenario["ano"])
    piso = "/bench/piso/"
    lista = [
        Pagina("inicio", "parlamentar", reverse("inicio"), piso + "inicio/"),
        Pagina("analise_remanejamentos", "segov", reverse("emendas:analise_remanejamentos"),
               piso + "analise_remanejamentos/"),
        Pagina("analise_segov", "segov", reverse("emendas:analise_segov"), piso + "analise_segov/"),
        Pagina("analise_orgao", "analista", reverse("emendas:analise_orgao"), piso + "analise_orgao/"),
        Pagina("inciso", "parlamentar", lambda login: reverse("emendas:inciso", args=[do_inciso[login]]),
               lambda login: f"{piso}inciso/{do_inciso[login]}/"),
        Pagina("remanejamentos", "parlamentar", reverse("emendas:remanejamentos"), piso + "remanejamentos/"),
        Pagina("indicacoes", "parlamentar", reverse("emendas:indicacoes"), piso + "indicacoes/"),
        Pagina("visualizar_indicacoes", "parlamentar", reverse("emendas:visualizar_indicacoes"),
               piso + "visualizar_indicacoes/"),
    ]
    lista += [Pagina(f"rel_{nome}", "segov", reverse(f"relatorio_{nome}"), f"{piso}relatorio/{nome}/")
              for nome in RELATORIOS]
    # O relatório de indicações do parlamentar: o filtro de visibilidade é o caro (issue 13).
    lista.append(Pagina("rel_indicacoes_parlamentar", "parlamentar", reverse("relatorio_indicacoes"),
                        piso + "relatorio/indicacoes/"))
    lista.append(Pagina("rel_incisos_parlamentar", "parlamentar", reverse("relatorio_incisos"),
                        piso + "relatorio/incisos/"))
    return lista


def escolher(lista: list[Pagina], so: str) -> list[Pagina]:
    """``BENCH_SO=inicio,rel_`` mede só as páginas cujo nome começa por um desses prefixos."""
    if not so:
        return lista
    prefixos = [p.strip() for p in so.split(",") if p.strip()]
    return [p for p in lista if any(p.nome == x or p.nome.startswith(x) for x in prefixos)]
