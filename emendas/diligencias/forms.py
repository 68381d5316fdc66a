"""Formulários da diligência: abrir (órgão), responder com anexos (titular) e os filtros da lista."""

from django import forms
from django.db.models import Q

from sigcon.texto import LIMITE_TEXTO_LONGO

from ..forms import LIMITE_FILTRO, estilizar_filtros
from ..models import Diligencia
from .anexos import ACEITOS, MAXIMO_DE_ANEXOS, TIPOS, megabytes, tamanho_maximo


class AbrirDiligenciaForm(forms.Form):
    texto = forms.CharField(
        label="Texto da diligência", max_length=LIMITE_TEXTO_LONGO, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="O que o titular deve esclarecer ou que documentos deve enviar.",
    )
    proposta = forms.ModelChoiceField(label="Proposta de plano de trabalho (opcional)", required=False,
                                      queryset=None, empty_label="Só na indicação")

    def __init__(self, *args, propostas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposta"].queryset = propostas
        self.fields["proposta"].label_from_instance = lambda p: f"Proposta nº {p.pk} – {p.get_status_display()}"
        if not propostas.exists():
            del self.fields["proposta"]


class VariosArquivos(forms.ClearableFileInput):
    allow_multiple_selected = True


class CampoAnexos(forms.FileField):
    """Vários arquivos num campo só (a documentação do Django: "Uploading multiple files")."""

    widget = VariosArquivos

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(CampoAnexos, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ResponderDiligenciaForm(forms.Form):
    texto = forms.CharField(label="Resposta", max_length=LIMITE_TEXTO_LONGO, widget=forms.Textarea(attrs={"rows": 5}))
    anexos = CampoAnexos(label="Anexos", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extensoes = ",".join(f".{e}" for e in TIPOS)
        self.fields["anexos"].widget.attrs.update({"accept": extensoes, "multiple": True})
        self.fields["anexos"].help_text = (f"Até {MAXIMO_DE_ANEXOS} arquivos {ACEITOS}, cada um e a soma até "
                                           f"{megabytes(tamanho_maximo())}.")


class FiltroDiligenciasForm(forms.Form):
    status = forms.ChoiceField(label="Situação", required=False,
                               choices=[("", "Todas")] + list(Diligencia.Status.choices))
    orgao = forms.ModelChoiceField(label="Órgão (UO)", required=False, queryset=None, empty_label="Todos")
    responsavel = forms.CharField(label="Responsável (nome ou e-mail)", required=False, max_length=LIMITE_FILTRO)
    numero = forms.IntegerField(label="Nº da diligência", required=False, min_value=1, max_value=2_000_000_000)
    indicacao = forms.IntegerField(label="Nº da indicação", required=False, min_value=1, max_value=2_000_000_000)

    def __init__(self, *args, orgaos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgao"].queryset = orgaos
        self.fields["orgao"].label_from_instance = lambda uo: f"{uo.codigo} – {uo.nome}"
        estilizar_filtros(self)

    def filtrar(self, qs):
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        d = self.cleaned_data
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["orgao"]:
            qs = qs.filter(orgao=d["orgao"])
        if d["responsavel"]:
            termo = d["responsavel"].strip()
            qs = qs.filter(Q(responsavel__nome__icontains=termo) | Q(responsavel__email__icontains=termo))
        if d["numero"]:
            qs = qs.filter(numero=d["numero"])
        if d["indicacao"]:
            qs = qs.filter(indicacao__numero=d["indicacao"])
        return qs
