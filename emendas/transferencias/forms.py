"""Formulários de "Transferências Especiais": o cadastro (uma ou as marcadas, "aplicar a todas") e os filtros."""

from django import forms
from django.db.models import Q

from ..forms import LIMITE_FILTRO, FiltroDeLista
from ..models import TransferenciaEspecial

Status = TransferenciaEspecial.Status


class CadastroTransferenciaForm(forms.Form):
    numero_resolucao = forms.CharField(label="Nº da resolução", max_length=40)
    data_publicacao = forms.DateField(label="Data de publicação",
                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    dotacao = forms.CharField(label="Dotação orçamentária (opcional)", max_length=80, required=False,
                              help_text="Ex.: 1491.04.122.081.2090.0001.4.4.40.42.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for campo in self.fields.values():
            campo.widget.attrs["class"] = "form-control"

    @classmethod
    def da_transferencia(cls, te):
        """O formulário com os dados já cadastrados (vazio sem cadastro)."""
        if te is None or te.status == Status.NAO_CADASTRADO:
            return cls()
        return cls(initial={"numero_resolucao": te.numero_resolucao, "data_publicacao": te.data_publicacao,
                            "dotacao": te.dotacao})


class FiltroTransferenciasForm(FiltroDeLista):
    status = forms.ChoiceField(label="Situação", required=False, choices=[("", "Todas")] + list(Status.choices))
    ano = forms.IntegerField(label="Exercício", required=False, min_value=2000, max_value=2100)
    indicacao = forms.IntegerField(label="Nº da indicação", required=False, min_value=1, max_value=2_000_000_000)
    resolucao = forms.CharField(label="Resolução (trecho do nº)", required=False, max_length=LIMITE_FILTRO)
    municipio = forms.CharField(label="Município", required=False, max_length=LIMITE_FILTRO)

    def aplicar(self, qs, d):
        if d["status"] == Status.NAO_CADASTRADO:
            qs = qs.filter(Q(transferencia_especial__isnull=True)
                           | Q(transferencia_especial__status=Status.NAO_CADASTRADO))
        elif d["status"]:
            qs = qs.filter(transferencia_especial__status=d["status"])
        if d["ano"]:
            qs = qs.filter(exercicio__ano=d["ano"])
        if d["indicacao"]:
            qs = qs.filter(numero=d["indicacao"])
        if d["resolucao"]:
            qs = qs.filter(transferencia_especial__numero_resolucao__icontains=d["resolucao"].strip())
        if d["municipio"]:
            termo = d["municipio"].strip()
            qs = qs.filter(Q(beneficiario__municipio__icontains=termo) | Q(beneficiario__razao_social__icontains=termo))
        return qs
