"""O filtro da busca pública: só GET, campos com rótulo, escolhas vindas de ``selectors.opcoes_dos_filtros``."""

from django import forms

from emendas.models import Indicacao

TODOS = [("", "Todos")]


class FiltroPublico(forms.Form):
    q = forms.CharField(label="Buscar", required=False, max_length=100,
                        help_text="Objeto, beneficiário, CNPJ, município, autor ou número da indicação.")
    ano = forms.TypedChoiceField(label="Exercício", required=False, coerce=int, empty_value=None)
    autor = forms.ChoiceField(label="Parlamentar ou bloco", required=False)
    municipio = forms.ChoiceField(label="Município", required=False)
    orgao = forms.ChoiceField(label="Órgão (UO)", required=False)
    forma = forms.ChoiceField(label="Forma de execução", required=False,
                              choices=TODOS + list(Indicacao.FormaExecucao.choices))
    situacao = forms.ChoiceField(label="Situação", required=False,
                                 choices=[("", "Todas")] + list(Indicacao.Status.choices))
    pagina = forms.IntegerField(required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput)

    def __init__(self, *args, opcoes: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ano"].choices = [("", "Todos")] + [(a, str(a)) for a in opcoes["anos"]]
        self.fields["autor"].choices = TODOS + opcoes["autores"]
        self.fields["municipio"].choices = TODOS + [(m, m) for m in opcoes["municipios"]]
        self.fields["orgao"].choices = TODOS + opcoes["orgaos"]
        for campo in self.fields.values():
            css = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"
            campo.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def filtros(self) -> dict:
        """Os filtros limpos (sem a página), na ordem dos campos; vazio se o formulário não valeu."""
        if not self.is_valid():
            return {}
        return {nome: self.cleaned_data[nome] for nome in self.fields if nome != "pagina" and self.cleaned_data[nome]}

    def pagina(self) -> int:
        return (self.cleaned_data.get("pagina") if self.is_valid() else None) or 1
