from decimal import Decimal

from django import forms

from .forms import CampoValor, estilizar_filtros
from .models import Acao, GrupoDespesa


class BuscaIncisoForm(forms.Form):
    q = forms.CharField(label="Inciso, emenda ou titular", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estilizar_filtros(self)


class CorrecaoIncisoForm(forms.Form):
    """Formato e opções; as regras (valor comprometido, movimentos) ficam no serviço."""

    valor_inicial = CampoValor(label="Valor inicial (R$)", minimo=Decimal("0.00"))
    acao = forms.ModelChoiceField(label="Ação", queryset=Acao.objects.select_related("uo").order_by("uo__codigo", "codigo"))
    grupo_despesa = forms.ModelChoiceField(label="Grupo de despesa", queryset=GrupoDespesa.objects.all())
    justificativa = forms.CharField(label="Justificativa", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acao"].label_from_instance = lambda a: f"UO {a.uo.codigo} · {a.codigo} – {a.nome}"
