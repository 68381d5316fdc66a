from django import forms

from sigcon.datas import CampoData

from ..models import PreferenciaLembretes


class PreferenciasForm(forms.ModelForm):
    """Quais lembretes o usuário quer; a tela mostra só os que valem para os perfis dele (``campos_para``)."""

    class Meta:
        model = PreferenciaLembretes
        fields = ["prazos", "fila_orgao", "semana_segov"]

    def __init__(self, *args, campos=None, **kwargs):
        super().__init__(*args, **kwargs)
        for nome in list(self.fields):
            if campos is not None and nome not in campos:
                del self.fields[nome]
            else:
                self.fields[nome].widget.attrs["class"] = "form-check-input"


class ProrrogacaoForm(forms.Form):
    novo_fim = CampoData(label="Novo último dia (dd/mm/aaaa)")
    justificativa = forms.CharField(
        label="Justificativa", min_length=10, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Fica na trilha de auditoria. Cite os minutos de queda que motivam a prorrogação, se for o caso.",
    )
