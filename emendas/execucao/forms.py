"""Formulários do controle de execução: o registro de uma indicação, o filtro da lista e a planilha."""

from django import forms
from django.db.models import Q
from django.conf import settings

from sigcon.datas import CampoData
from sigcon.dinheiro import ZERO

from ..forms import LIMITE_FILTRO, CampoExercicio, CampoValor, FiltroDeLista, ImportacaoForm
from ..models import CategoriaImpedimento, Indicacao


class RegistrarExecucaoForm(forms.Form):
    utilizado = CampoValor(label="Valor utilizado", minimo=ZERO)
    empenhado = CampoValor(label="Valor empenhado", minimo=ZERO, required=False)
    numero_empenho = forms.CharField(label="Número do empenho", max_length=40, required=False,
                                     help_text="Obrigatório quando houver valor empenhado.")
    data_empenho = CampoData(label="Data do empenho", required=False)
    liquidado = CampoValor(label="Valor liquidado", minimo=ZERO, required=False)
    pago = CampoValor(label="Valor pago", minimo=ZERO, required=False)
    data_pagamento = CampoData(label="Data do último pagamento", required=False)
    categoria = forms.ModelChoiceField(
        label="Categoria do impedimento (IOT parcial)", queryset=CategoriaImpedimento.objects.none(), required=False,
        help_text="Obrigatória quando o valor utilizado for menor que o indicado.",
    )
    justificativa = forms.CharField(label="Justificativa do impedimento", required=False, max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, indicacao: Indicacao, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categoria"].queryset = CategoriaImpedimento.do_exercicio(indicacao.exercicio)

    def valores(self) -> dict:
        d = self.cleaned_data
        return {c: d.get(c) or ZERO for c in ("utilizado", "empenhado", "liquidado", "pago")}


class FiltroExecucoesForm(FiltroDeLista):
    SITUACOES = [("", "Todas"), ("pendente", "Execução não registrada"), ("registrada", "Execução registrada"),
                 ("impedida", "Com impedimento parcial")]
    ano = CampoExercicio()
    numero = forms.IntegerField(label="Nº da indicação", required=False, min_value=1, max_value=2_147_483_647)
    forma_execucao = forms.ChoiceField(label="Forma de execução", required=False,
                                       choices=[("", "Todas")] + list(Indicacao.FormaExecucao.choices))
    situacao = forms.ChoiceField(label="Execução", required=False, choices=SITUACOES)
    titular = forms.CharField(label="Parlamentar ou bloco", required=False, max_length=LIMITE_FILTRO)

    def aplicar(self, qs, d):
        if d.get("ano"):
            qs = qs.filter(exercicio__ano=d["ano"])
        if d.get("numero"):
            qs = qs.filter(numero=d["numero"])
        if d.get("forma_execucao"):
            qs = qs.filter(forma_execucao=d["forma_execucao"])
        if d.get("titular"):
            qs = qs.filter(Q(inciso__emenda__parlamentar__nome__icontains=d["titular"])
                           | Q(inciso__emenda__bloco__nome__icontains=d["titular"]))
        situacao = d.get("situacao")
        if situacao == "pendente":
            qs = qs.filter(execucao__isnull=True)
        elif situacao == "registrada":
            qs = qs.filter(execucao__isnull=False)
        elif situacao == "impedida":
            qs = qs.filter(execucao__impedido_em__isnull=False)
        return qs


class ImportarExecucaoForm(ImportacaoForm):
    """A planilha do controle de execução: o exercício e o arquivo (XLSX ou CSV), com o limite de tamanho da carga."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["tipo"], self.fields["publicacao"]
        self.fields["arquivo"].label = (f"Planilha XLSX ou CSV (UTF-8, separado por ;), até "
                                        f"{settings.SIGCON_UPLOAD_MAXIMO // (1024 * 1024)} MB")

    def clean(self):
        return self.cleaned_data
