from decimal import Decimal

from django import forms

from emendas.forms import CampoValor
from emendas.models import CategoriaImpedimento, Indicacao
from sigcon.dinheiro import formatar_brl
from sigcon.datas import CampoData

from .models import PropostaPlanoTrabalho as Proposta, VerificacaoRegularidade


class GerarPropostaForm(forms.Form):
    objeto = forms.CharField(label="Objeto", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    tipo_instrumento = forms.ChoiceField(label="Tipo de instrumento", choices=Proposta.TipoInstrumento.choices)
    natureza_especial = forms.ChoiceField(label="Repasse de natureza especial", choices=Proposta.Natureza.choices,
                                          required=False)
    vigencia_inicio = CampoData(label="Início da vigência", required=False)
    vigencia_fim = CampoData(label="Fim da vigência", required=False)

    def __init__(self, *args, indicacoes, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicacoes = indicacoes
        for ind in indicacoes:
            self.fields[f"usar_{ind.pk}"] = CampoValor(
                label=f"Valor a usar da indicação nº {ind.numero}", required=False, minimo=Decimal("0.01")
            )

    def campos_indicacoes(self):
        return [(ind, self[f"usar_{ind.pk}"]) for ind in self.indicacoes]

    def clean(self):
        dados = super().clean()
        inicio, fim = dados.get("vigencia_inicio"), dados.get("vigencia_fim")
        if inicio and fim and fim < inicio:
            # No campo, com as duas datas (o serviço recusa do mesmo jeito, para quem não passa por aqui).
            self.add_error("vigencia_fim", f"O fim da vigência ({fim:%d/%m/%Y}) é antes do início ({inicio:%d/%m/%Y}).")
        dados["usos"] = {ind: dados[f"usar_{ind.pk}"] for ind in self.indicacoes if dados.get(f"usar_{ind.pk}")}
        if not dados["usos"] and not self.errors:
            raise forms.ValidationError("Informe o valor a usar de ao menos uma indicação.")
        return dados


class JustificativaForm(forms.Form):
    justificativa = forms.CharField(label="Justificativa", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class LiberacaoForm(forms.Form):
    valor = CampoValor(label="Valor da parcela (R$)", minimo=Decimal("0.01"))


class ExcecaoForm(forms.Form):
    """Um formulário por passo em que a exceção cabe (a tela oferece só os que o serviço aceitaria)."""

    sistema = forms.ChoiceField(choices=[("CAGEC", "CAGEC"), ("SIAFI", "SIAFI-MG")], widget=forms.HiddenInput)
    momento = forms.ChoiceField(choices=VerificacaoRegularidade._meta.get_field("momento").choices,
                                widget=forms.HiddenInput)
    justificativa = forms.CharField(label="Justificativa da exceção", max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    error_messages={"required": "Informe a justificativa da exceção."})


class AssinaturaConvenenteForm(forms.Form):
    """A assinatura do representante legal leva uma testemunha (DOMAIN.md §3.5, passo 12)."""

    testemunha_nome = forms.CharField(label="Nome da testemunha", max_length=200)
    testemunha_cpf = forms.CharField(label="CPF da testemunha", max_length=14,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class PublicacaoForm(forms.Form):
    data_publicacao = CampoData(label="Data de publicação no Diário Oficial")
    extrato = forms.CharField(label="Extrato publicado (vazio: o sistema monta com os dados do instrumento)",
                              max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImpedimentoNaPropostaForm(forms.Form):
    """Impedimento de ordem técnica dentro da proposta: a indicação usada, a categoria do exercício e o porquê."""

    indicacao = forms.ModelChoiceField(label="Indicação", queryset=None)
    categoria = forms.ModelChoiceField(label="Categoria do impedimento", queryset=None)
    justificativa = forms.CharField(label="Justificativa", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposta, **kwargs):
        super().__init__(*args, **kwargs)
        usadas = Indicacao.objects.filter(usos__proposta=proposta).select_related("exercicio").order_by("numero")
        self.fields["indicacao"].queryset = usadas
        self.fields["indicacao"].label_from_instance = lambda i: f"Nº {i.numero} – {formatar_brl(i.valor)}"
        # As categorias do exercício das indicações (a lista da LDO); o serviço confere a da indicação escolhida.
        categorias = set()
        for exercicio in {i.exercicio for i in usadas}:
            categorias.update(CategoriaImpedimento.do_exercicio(exercicio).values_list("pk", flat=True))
        self.fields["categoria"].queryset = CategoriaImpedimento.objects.filter(pk__in=categorias).order_by("nome")
