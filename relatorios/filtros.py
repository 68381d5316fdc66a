"""Filtros dos relatórios de indicações: os mesmos campos valem para a tela, o CSV e o PDF."""

import re

from django import forms
from django.db.models import Q

from sigcon.datas import CampoData
from emendas.forms import LIMITE_FILTRO, CampoExercicio, estilizar_filtros
from emendas.models import Indicacao



class FiltroIndicacoesForm(forms.Form):
    ano = CampoExercicio()
    parlamentar = forms.CharField(label="Parlamentar ou bloco", required=False, max_length=LIMITE_FILTRO)
    uo = forms.CharField(label="UO (código)", required=False, max_length=LIMITE_FILTRO)
    status = forms.ChoiceField(label="Situação", required=False,
                               choices=[("", "Todas")] + list(Indicacao.Status.choices))
    forma_execucao = forms.ChoiceField(label="Forma de execução", required=False,
                                       choices=[("", "Todas")] + list(Indicacao.FormaExecucao.choices))
    municipio = forms.CharField(label="Município", required=False, max_length=LIMITE_FILTRO)
    beneficiario = forms.CharField(label="Beneficiário (nome ou CNPJ)", required=False, max_length=LIMITE_FILTRO)
    de = CampoData(label="Enviadas de", required=False)
    ate = CampoData(label="até", required=False)
    mostrar_encerradas = forms.BooleanField(
        label="Mostrar canceladas, reprovadas e devolvidas", required=False,
        help_text="Inclui as reprovadas por impedimento técnico e as canceladas (valor devolvido ao saldo). "
                  "As devolvidas para ajuste continuam ativas e aparecem sempre.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estilizar_filtros(self)

    def _dados(self):
        """Filtros válidos; ``None`` se algum é inválido (a lista sai vazia e a tela mostra o erro)."""
        if not self.is_bound:
            return {}
        return self.cleaned_data if self.is_valid() else None

    def filtrar(self, qs):
        d = self._dados()
        if d is None:
            return qs.none()
        if d.get("status"):
            # Quem escolhe uma situação quer vê-la, mesmo que seja encerrada.
            qs = qs.filter(status=d["status"])
        elif "mostrar_encerradas" in self.fields and not d.get("mostrar_encerradas"):
            qs = qs.filter(status__in=Indicacao.ATIVAS)
        if d.get("ano"):
            qs = qs.filter(exercicio__ano=d["ano"])
        if d.get("parlamentar"):
            qs = qs.filter(Q(inciso__emenda__parlamentar__nome__icontains=d["parlamentar"])
                           | Q(inciso__emenda__bloco__nome__icontains=d["parlamentar"]))
        if d.get("uo"):
            qs = qs.filter(inciso__acao__uo__codigo=d["uo"].strip())
        if d.get("forma_execucao"):
            qs = qs.filter(forma_execucao=d["forma_execucao"])
        if d.get("municipio"):
            qs = qs.filter(beneficiario__municipio__icontains=d["municipio"].strip())
        if d.get("beneficiario"):
            texto = d["beneficiario"].strip()
            condicao = Q(beneficiario__razao_social__icontains=texto)
            # O CNPJ fica guardado sem máscara: aceita "12.345.678/0001-95" ou só parte dos dígitos.
            digitos = re.sub(r"\D", "", texto)
            if digitos:
                condicao |= Q(beneficiario__cnpj__contains=digitos)
            qs = qs.filter(condicao)
        if d.get("de"):
            qs = qs.filter(enviada_em__date__gte=d["de"])
        if d.get("ate"):
            qs = qs.filter(enviada_em__date__lte=d["ate"])
        return qs

    def descricao(self) -> list[str]:
        """Filtros aplicados, em texto legível, para o cabeçalho do PDF."""
        d = self._dados() or {}
        partes = []
        for nome, valor in d.items():
            if valor in (None, "", False):
                continue
            campo = self.fields[nome]
            if isinstance(campo, forms.BooleanField):
                texto = "sim"
            elif isinstance(campo, forms.ChoiceField):
                texto = dict(campo.choices).get(valor, valor)
            elif isinstance(campo, forms.DateField):
                texto = valor.strftime("%d/%m/%Y")
            else:
                texto = valor
            partes.append(f"{campo.label}: {texto}")
        return partes


class FiltroImpedimentosForm(FiltroIndicacoesForm):
    """Só as reprovadas entram no relatório de impedimentos: situação e encerradas não se aplicam."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        del self.fields["mostrar_encerradas"]
