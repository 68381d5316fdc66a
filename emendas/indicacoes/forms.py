from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from convenios.cnpj import normalizar_cnpj
from convenios.models import Convenente

from ..forms import LIMITE_FILTRO, CampoExercicio, CampoValor, estilizar_filtros
from ..models import CategoriaImpedimento, Indicacao
from ..prazos import OrigemSaldo
from . import regras

LINHAS_BENEFICIARIO = 6


class IndicacaoForm(forms.Form):
    """Forma, objeto, saldo de origem e as linhas (CNPJ do beneficiário + valor)."""

    forma_execucao = forms.ChoiceField(label="Forma de execução")
    objeto = forms.CharField(label="Objeto / tipo de atendimento", max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    origem_saldo = forms.ChoiceField(
        label="Saldo a usar", required=False, widget=forms.RadioSelect,
        choices=[(OrigemSaldo.COM_REMANEJAMENTO, "Com possibilidade de remanejamento"),
                 (OrigemSaldo.SEM_REMANEJAMENTO, "Sem possibilidade de remanejamento")],
    )

    def __init__(self, *args, formas, pede_origem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forma_execucao"].choices = [(f, Indicacao.FormaExecucao(f).label) for f in formas]
        self.pede_origem = pede_origem
        if pede_origem:
            self.fields["origem_saldo"].required = True
        else:
            del self.fields["origem_saldo"]
        for n in range(1, LINHAS_BENEFICIARIO + 1):
            self.fields[f"cnpj_{n}"] = forms.CharField(label=f"CNPJ do beneficiário {n}", required=False, max_length=18)
            self.fields[f"valor_{n}"] = CampoValor(label=f"Valor {n} (R$)", required=False, minimo=Decimal("0.01"))

    def linhas(self):
        return [(self[f"cnpj_{n}"], self[f"valor_{n}"]) for n in range(1, LINHAS_BENEFICIARIO + 1)]

    def clean(self):
        dados = super().clean()
        forma = dados.get("forma_execucao")
        preenchidas = []
        for n in range(1, LINHAS_BENEFICIARIO + 1):
            cnpj, valor = (dados.get(f"cnpj_{n}") or "").strip(), dados.get(f"valor_{n}")
            if not cnpj and valor is None and f"valor_{n}" not in self.errors:
                continue
            beneficiario = None
            if cnpj:
                try:
                    beneficiario = Convenente.objects.filter(cnpj=normalizar_cnpj(cnpj)).first()
                except ValidationError as exc:
                    self.add_error(f"cnpj_{n}", exc.messages[0])
                    continue
                if beneficiario is None:
                    self.add_error(f"cnpj_{n}", "Convenente não cadastrado. Busque pela razão social ou município.")
                    continue
            elif regras.exige_beneficiario(forma) or not forma:
                self.add_error(f"cnpj_{n}", "Informe o CNPJ do beneficiário.")
                continue
            if forma:
                # Um CNPJ digitado (ou forjado) de um tipo que a forma não aceita é recusado aqui, na linha.
                recusa = regras.conferir_beneficiario(forma, beneficiario.tipo if beneficiario else None)
                if recusa:
                    self.add_error(f"cnpj_{n}", recusa)
                    continue
            if valor is None:
                if f"valor_{n}" not in self.errors:
                    self.add_error(f"valor_{n}", "Informe o valor.")
                continue
            preenchidas.append((beneficiario, valor))
        if not preenchidas and not self.errors:
            raise ValidationError("Inclua ao menos um beneficiário com valor.")
        dados["linhas"] = preenchidas
        return dados


class JustificativaForm(forms.Form):
    justificativa = forms.CharField(label="Justificativa", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReprovacaoIndicacaoForm(JustificativaForm):
    categoria = forms.ModelChoiceField(label="Categoria do impedimento de ordem técnica",
                                       queryset=CategoriaImpedimento.objects.none(), empty_label="Escolha a categoria")

    def __init__(self, *args, exercicio, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categoria"].queryset = CategoriaImpedimento.do_exercicio(exercicio)
        self.order_fields(["categoria", "justificativa"])


class ReprovacaoEmLoteForm(forms.Form):
    """A categoria da fila do órgão: as listas de cada exercício presente na página, agrupadas por exercício.

    Só exibe; cada indicação escolhida é conferida depois contra a lista do seu próprio exercício
    (``ReprovacaoIndicacaoForm``), e a de outro exercício é recusada com o motivo.
    """

    categoria = forms.ChoiceField(label="Categoria do impedimento (para reprovar)", required=False)

    def __init__(self, *args, exercicios, **kwargs):
        super().__init__(*args, **kwargs)
        grupos: dict[tuple, list] = {}
        listas: dict[tuple, list] = {}
        for exercicio in sorted(exercicios, key=lambda e: e.ano):
            categorias = [(c.pk, c.nome) for c in CategoriaImpedimento.do_exercicio(exercicio)]
            chave = tuple(pk for pk, _ in categorias)
            grupos.setdefault(chave, []).append(exercicio.ano)
            listas[chave] = categorias
        if len(grupos) <= 1:
            escolhas = next(iter(listas.values()), [])
        else:
            escolhas = [
                (f"Exercício{'s' if len(anos) > 1 else ''} {', '.join(map(str, anos))}", listas[chave])
                for chave, anos in grupos.items()
            ]
        self.fields["categoria"].choices = [("", "Escolha a categoria"), *escolhas]


class AjusteForm(forms.Form):
    objeto = forms.CharField(label="Objeto / tipo de atendimento ajustado", max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class FiltroIndicacoesForm(forms.Form):
    ano = CampoExercicio()
    status = forms.ChoiceField(label="Situação", required=False, choices=[("", "Todas")] + list(Indicacao.Status.choices))
    forma = forms.ChoiceField(label="Forma", required=False,
                              choices=[("", "Todas")] + list(Indicacao.FormaExecucao.choices))
    uo = forms.CharField(label="UO (código)", required=False, max_length=LIMITE_FILTRO)
    municipio = forms.CharField(label="Município", required=False, max_length=LIMITE_FILTRO)
    beneficiario = forms.CharField(label="Beneficiário (nome ou CNPJ)", required=False, max_length=LIMITE_FILTRO)
    busca = forms.CharField(label="Nº indicação ou inciso", required=False, max_length=LIMITE_FILTRO)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estilizar_filtros(self)

    def filtrar(self, qs):
        if not self.is_valid():
            return qs.none()
        d = self.cleaned_data
        if d["ano"]:
            qs = qs.filter(exercicio__ano=d["ano"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["forma"]:
            qs = qs.filter(forma_execucao=d["forma"])
        if d["uo"]:
            qs = qs.filter(inciso__acao__uo__codigo=d["uo"].strip())
        if d["municipio"]:
            qs = qs.filter(beneficiario__municipio__icontains=d["municipio"].strip())
        if d["beneficiario"]:
            termo = d["beneficiario"].strip()
            digitos = "".join(c for c in termo if c.isdigit())
            filtro = Q(beneficiario__razao_social__icontains=termo)
            if digitos:
                filtro |= Q(beneficiario__cnpj__contains=digitos)
            qs = qs.filter(filtro)
        if d["busca"]:
            termo = d["busca"].strip().upper()
            filtro = Q(inciso__numero=termo)
            if termo.isdigit():
                filtro |= Q(numero=int(termo))
            qs = qs.filter(filtro)
        return qs
