from decimal import Decimal

from django import forms
from django.db.models import Q

from sigcon.datas import CampoData

from ..forms import LIMITE_FILTRO, CampoExercicio, CampoValor, estilizar_filtros
from ..models import Acao, GrupoDespesa, Remanejamento
from ..selectors import destinos_possiveis


class RemanejamentoForm(forms.Form):
    """Destino e valor. As regras de negócio ficam no serviço; aqui só formato e opções válidas."""

    acao = forms.ModelChoiceField(label="Ação de destino", queryset=Acao.objects.none(), empty_label="Escolha a ação")
    grupo_despesa = forms.ModelChoiceField(
        label="Grupo de despesa", queryset=GrupoDespesa.objects.none(), empty_label="Escolha o grupo de despesa"
    )
    valor = CampoValor(label="Valor a remanejar (R$)", minimo=Decimal("0.01"))

    def __init__(self, *args, inciso, **kwargs):
        super().__init__(*args, **kwargs)
        self.inciso = inciso
        self.destinos = list(destinos_possiveis(inciso))
        acoes = {p.acao_id for p in self.destinos}
        self.fields["acao"].queryset = Acao.objects.filter(pk__in=acoes).select_related("uo").order_by("uo__codigo", "codigo")
        self.fields["acao"].label_from_instance = lambda a: f"UO {a.uo.codigo} · {a.codigo} – {a.nome}"
        acao_id = self.data.get("acao") or self.initial.get("acao")
        grupos = {p.grupo_despesa_id for p in self.destinos if not acao_id or str(p.acao_id) == str(acao_id)}
        self.fields["grupo_despesa"].queryset = GrupoDespesa.objects.filter(pk__in=grupos)
        self.fields["acao"].widget.attrs.update({
            "hx-get": "grupos/", "hx-target": "#campo-grupo", "hx-swap": "innerHTML", "hx-trigger": "change",
        })

    def clean(self):
        dados = super().clean()
        acao, grupo = dados.get("acao"), dados.get("grupo_despesa")
        if acao and grupo and not any(p.acao_id == acao.pk and p.grupo_despesa_id == grupo.pk for p in self.destinos):
            self.add_error("grupo_despesa", f"O grupo “{grupo.nome}” não recebe remanejamento na ação {acao.codigo}.")
        return dados


class ConfirmacaoForm(RemanejamentoForm):
    detalhamento = forms.CharField(
        label="Detalhamento (opcional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Especifique, se quiser, o objeto ou o beneficiário pretendido.",
    )


class ReprovacaoForm(forms.Form):
    justificativa = forms.CharField(label="Justificativa da reprovação", widget=forms.Textarea(attrs={"rows": 3}),
                                    max_length=4000)


class FiltroRemanejamentosForm(forms.Form):
    parlamentar = forms.CharField(label="Parlamentar ou bloco", required=False, max_length=LIMITE_FILTRO)
    uo = forms.CharField(label="UO (código)", required=False, max_length=LIMITE_FILTRO)
    status = forms.ChoiceField(label="Situação", required=False,
                               choices=[("", "Todas")] + list(Remanejamento.Status.choices))
    de = CampoData(label="Pedidos de", required=False)
    ate = CampoData(label="até", required=False)
    ano = CampoExercicio()
    inciso = forms.CharField(label="Inciso de origem (nº)", required=False, max_length=LIMITE_FILTRO)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estilizar_filtros(self)

    def filtrar(self, qs):
        if not self.is_valid():
            return qs.none()
        d = self.cleaned_data
        if d["parlamentar"]:
            qs = qs.filter(Q(inciso_origem__emenda__parlamentar__nome__icontains=d["parlamentar"])
                           | Q(inciso_origem__emenda__bloco__nome__icontains=d["parlamentar"]))
        if d["uo"]:
            qs = qs.filter(inciso_origem__acao__uo__codigo=d["uo"].strip())
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["de"]:
            qs = qs.filter(solicitado_em__date__gte=d["de"])
        if d["ate"]:
            qs = qs.filter(solicitado_em__date__lte=d["ate"])
        if d["ano"]:
            qs = qs.filter(inciso_origem__exercicio__ano=d["ano"])
        if d["inciso"]:
            qs = qs.filter(inciso_origem__numero__iexact=d["inciso"].strip())
        return qs


def filtro_da_fila(parametros) -> FiltroRemanejamentosForm:
    """O filtro da fila da SEGOV: sem situação escolhida, os pedidos à espera (a tela e o CSV da fila iguais)."""
    dados = parametros.copy() if parametros is not None else {}
    if "status" not in dados:
        dados["status"] = Remanejamento.Status.SOLICITADO
    return FiltroRemanejamentosForm(dados)
