"""Leituras do catálogo: o que vale para um grupo de despesa (o formulário da indicação, o ajuste e o serviço leem
daqui, e checagens de fora também: ``catalogo_valido_para`` é a entrada pública)."""

from dataclasses import dataclass, field

from ..models import EspecificacaoAtendimento, GrupoDespesa, TipoAplicacao
from .regras import APLICACAO, ATENDIMENTO


def _id(objeto) -> int | None:
    if objeto in (None, ""):
        return None
    pk = getattr(objeto, "pk", objeto)
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


def especificacoes_validas(grupo_despesa):
    """As especificações ativas que valem para o grupo, com categoria e gênero (uma consulta)."""
    return (EspecificacaoAtendimento.objects.filter(ativa=True, grupos_despesa=_id(grupo_despesa))
            .select_related("categoria__genero").order_by("categoria__genero__nome", "categoria__nome", "nome"))


def tipos_aplicacao_validos(grupo_despesa):
    return TipoAplicacao.objects.filter(ativo=True, grupo_despesa=_id(grupo_despesa)).order_by("nome")


def opcao_valida(catalogo: str, grupo_despesa, pk):
    """A especificação (``ATENDIMENTO``) ou o tipo de aplicação (``APLICACAO``) *pk*, se ativo e do grupo; senão None.
    Uma consulta (o serviço do envio confere só o escolhido, não lê o catálogo inteiro)."""
    pk = _id(pk)
    if pk is None:
        return None
    qs = especificacoes_validas(grupo_despesa) if catalogo == ATENDIMENTO else tipos_aplicacao_validos(grupo_despesa)
    return qs.filter(pk=pk).first()


def tem_opcoes(catalogo: str, grupo_despesa) -> bool:
    qs = (EspecificacaoAtendimento.objects.filter(ativa=True, grupos_despesa=_id(grupo_despesa))
          if catalogo == ATENDIMENTO else tipos_aplicacao_validos(grupo_despesa))
    return qs.exists()


@dataclass
class Catalogo:
    """O catálogo de um grupo de despesa, lido uma vez (duas consultas) e filtrado na memória pelos selects
    dependentes (gênero → categoria → especificação): são centenas de opções, não milhares."""

    grupo_despesa_id: int | None
    especificacoes: list = field(default_factory=list)
    tipos_aplicacao: list = field(default_factory=list)

    def tem(self, catalogo: str) -> bool:
        return bool(self.especificacoes if catalogo == ATENDIMENTO else
                    self.tipos_aplicacao if catalogo == APLICACAO else False)

    def generos(self) -> list[tuple[int, str]]:
        vistos = {}
        for e in self.especificacoes:
            vistos.setdefault(e.categoria.genero_id, e.categoria.genero.nome)
        return list(vistos.items())

    def categorias(self, genero=None) -> list[tuple[int, str]]:
        genero = _id(genero)
        vistos = {}
        for e in self.especificacoes:
            if genero is None or e.categoria.genero_id == genero:
                vistos.setdefault(e.categoria_id, e.categoria.nome if genero else str(e.categoria))
        return list(vistos.items())

    def filtradas(self, genero=None, categoria=None) -> list:
        genero, categoria = _id(genero), _id(categoria)
        return [e for e in self.especificacoes
                if (genero is None or e.categoria.genero_id == genero)
                and (categoria is None or e.categoria_id == categoria)]

    def especificacao(self, pk):
        pk = _id(pk)
        return next((e for e in self.especificacoes if e.pk == pk), None)

    def tipo_aplicacao(self, pk):
        pk = _id(pk)
        return next((t for t in self.tipos_aplicacao if t.pk == pk), None)


def catalogo_valido_para(grupo_despesa) -> Catalogo:
    """O que vale para *grupo_despesa* (um ``GrupoDespesa``, o id, ou None): especificações de atendimento ativas
    (com categoria e gênero) e tipos de aplicação ativos. Grupo desconhecido ou None: catálogo vazio."""
    gd = _id(grupo_despesa)
    if gd is None:
        return Catalogo(None)
    return Catalogo(gd, list(especificacoes_validas(gd)), list(tipos_aplicacao_validos(gd)))


def resumo_do_catalogo() -> list[dict]:
    """Por grupo de despesa: quantos gêneros, especificações e tipos de aplicação ativos (a tela do catálogo)."""
    linhas = []
    for gd in GrupoDespesa.objects.order_by("codigo"):
        cat = catalogo_valido_para(gd)
        linhas.append({"grupo": gd, "catalogo": cat, "generos": len(cat.generos()),
                       "especificacoes": len(cat.especificacoes), "tipos_aplicacao": len(cat.tipos_aplicacao)})
    return linhas
