"""Filtros dos relatórios de incisos, totalização, parlamentares e saldos (tela, CSV e PDF)."""

from django import forms
from django.db.models import Q

from sigcon.datas import CampoData
from emendas.forms import LIMITE_FILTRO, estilizar_filtros
from emendas.models import Exercicio



class _Filtro(forms.Form):
    """Exercício: lista dos carregados; sem ``ano`` no pedido vale o mais recente."""

    ano = forms.TypedChoiceField(label="Exercício", coerce=int, required=False, empty_value=None, choices=())
    # A ordem escolhida na tabela continua valendo quando se filtra.
    ordem = forms.CharField(required=False, max_length=LIMITE_FILTRO, widget=forms.HiddenInput)

    def __init__(self, dados=None, *args, **kwargs):
        # Poucos exercícios (um por ano): carregados uma vez, servem à lista e ao escolhido.
        self._exercicios = {e.ano: e for e in Exercicio.objects.order_by("-ano")}
        anos = list(self._exercicios)
        dados = dados.copy() if dados is not None else {}
        if not dados.get("ano") and anos:
            dados["ano"] = str(anos[0])
        super().__init__(dados, *args, **kwargs)
        self.fields["ano"].choices = [(a, str(a)) for a in anos]
        estilizar_filtros(self)

    def dados(self) -> dict | None:
        """Filtros válidos; ``None`` se algum é inválido (a lista sai vazia e a tela mostra o erro)."""
        return self.cleaned_data if self.is_valid() else None

    def exercicio(self) -> Exercicio | None:
        d = self.dados()
        if not d or not d.get("ano"):
            return None
        return self._exercicios.get(d["ano"])

    def descricao(self) -> list[str]:
        """Filtros aplicados, em texto legível, para o cabeçalho do PDF."""
        d = self.dados() or {}
        partes = []
        for nome, valor in d.items():
            campo = self.fields[nome]
            if valor in (None, "") or isinstance(campo.widget, forms.HiddenInput):
                continue
            texto = valor.strftime("%d/%m/%Y") if isinstance(campo, forms.DateField) else valor
            partes.append(f"{campo.label}: {texto}")
        return partes


class FiltroIncisosForm(_Filtro):
    parlamentar = forms.CharField(label="Parlamentar ou bloco", required=False, max_length=LIMITE_FILTRO)
    uo = forms.CharField(label="UO (código)", required=False, max_length=LIMITE_FILTRO)
    acao = forms.CharField(label="Ação (código)", required=False, max_length=LIMITE_FILTRO)
    grupo = forms.CharField(label="Grupo de despesa (código)", required=False, max_length=LIMITE_FILTRO)

    def restringe(self) -> bool:
        """Algum filtro além do exercício (ou inválido)? Sem nenhum, valem todos os incisos visíveis do exercício."""
        d = self.dados()
        return d is None or any(d.get(c) for c in ("parlamentar", "uo", "acao", "grupo"))

    def filtrar(self, qs):
        """*qs*: incisos. Filtros sobre dados que o usuário não vê só dão lista vazia."""
        d = self.dados()
        if d is None:
            return qs.none()
        if d.get("parlamentar"):
            texto = d["parlamentar"].strip()
            qs = qs.filter(Q(emenda__parlamentar__nome__icontains=texto) | Q(emenda__bloco__nome__icontains=texto))
        if d.get("uo"):
            qs = qs.filter(acao__uo__codigo=d["uo"].strip())
        if d.get("acao"):
            qs = qs.filter(acao__codigo=d["acao"].strip())
        if d.get("grupo"):
            qs = qs.filter(grupo_despesa__codigo=d["grupo"].strip())
        return qs


class FiltroSaldosForm(_Filtro):
    parlamentar = forms.CharField(label="Parlamentar ou bloco", required=False, max_length=LIMITE_FILTRO)
    dia = CampoData(label="Saldos em", required=False, help_text="Vazio: hoje.")
