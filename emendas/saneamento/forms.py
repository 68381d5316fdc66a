"""Formulários do segundo ciclo: só formato e opções válidas; as regras ficam nos serviços."""

from decimal import Decimal

from django import forms

from sigcon.datas import CampoData

from ..forms import CampoValor
from ..models import Acao, GrupoDespesa


class SanearForm(forms.Form):
    """Uma indicação reprovada: valor a sanear (zero apaga) e a proposta saneadora."""

    valor = CampoValor(label="Valor a sanear (R$)", minimo=Decimal("0.00"), required=False)
    proposta_saneadora = forms.CharField(label="Proposta saneadora", required=False, max_length=4000,
                                         widget=forms.Textarea(attrs={"rows": 2}))


class ReservaForm(forms.Form):
    valor = CampoValor(label="Remanejamento constitucional (R$)", minimo=Decimal("0.00"), required=False,
                       help_text="Parte do saldo com impedimento técnico guardada para o remanejamento constitucional.")


class LinhaConstitucionalForm(forms.Form):
    programacao = forms.ChoiceField(label="Dotação de destino (UO · ação · grupo de despesa)")
    valor = CampoValor(label="Valor (R$)", minimo=Decimal("0.01"))

    def __init__(self, *args, destinos, **kwargs):
        super().__init__(*args, **kwargs)
        self.destinos = {str(p.pk): p for p in destinos}
        self.fields["programacao"].choices = [("", "Escolha a dotação")] + [
            (str(p.pk), f"UO {p.acao.uo.codigo} · {p.acao.codigo} – {p.acao.nome} · {p.grupo_despesa.nome}"
                        f"{' (saúde)' if p.acao.area == Acao.Area.SAUDE else ''}")
            for p in destinos]

    def destino(self) -> tuple[Acao, GrupoDespesa]:
        p = self.destinos[self.cleaned_data["programacao"]]
        return p.acao, p.grupo_despesa


class LeiForm(forms.Form):
    numero_lei = forms.CharField(label="Número da lei", max_length=40)
    data = CampoData(label="Data da sanção")
