from django import forms
from django.conf import settings

from sigcon.datas import CampoData, DataBR
from sigcon.dinheiro import ValorInvalido, formatar_brl, ler_valor

from . import prazos
from .models import Exercicio

# Campos de busca e filtro: nomes, códigos e números cabem com folga; mais que isso é recusado com mensagem.
LIMITE_FILTRO = 200


def _exercicios_carregados():
    return [("", "Todos"), *((ano, str(ano)) for ano in Exercicio.objects.order_by("-ano").values_list("ano", flat=True))]


class CampoExercicio(forms.TypedChoiceField):
    """Filtro "Exercício": um <select> com os exercícios carregados (uma consulta por formulário), não uma caixa
    de texto onde cabia qualquer número. Um ano que não existe é recusado com a mensagem do campo."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Exercício")
        super().__init__(choices=_exercicios_carregados, coerce=int, empty_value=None, required=False,
                         error_messages={"invalid_choice": "Escolha um dos exercícios carregados."}, **kwargs)


class CampoValor(forms.CharField):
    """Campo de dinheiro que aceita ``1.234,56`` e devolve ``Decimal``."""

    def __init__(self, *args, minimo=None, **kwargs):
        self.minimo = minimo
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0,00"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            valor = ler_valor(value)
        except ValorInvalido as exc:
            raise forms.ValidationError(str(exc)) from None
        if self.minimo is not None and valor < self.minimo:
            # formatar_brl: o texto antigo trocava todo ponto por vírgula e saía "pelo menos 0,01," sem o R$.
            raise forms.ValidationError(f"O valor deve ser de pelo menos {formatar_brl(self.minimo)}.")
        return valor


CAMPOS_DE_DATA = ("data_publicacao_loa", "data_liberacao", "fim_janela_livre", "fim_janela_obrigatoria")


class ExercicioForm(forms.ModelForm):
    class Meta:
        model = Exercicio
        fields = [
            "data_publicacao_loa",
            "data_liberacao",
            "fim_janela_livre",
            "fim_janela_obrigatoria",
            "permite_outra_uo",
            "limite_outra_uo_percentual",
            "minimo_saude_percentual",
            "auto_aprovar_remanejamento",
            "nao_impositivo_habilitado",
            "regime_cagec",
        ]
        field_classes = {f: CampoData for f in CAMPOS_DE_DATA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nome in ("data_liberacao", "fim_janela_livre", "fim_janela_obrigatoria"):
            self.fields[nome].required = True


class JanelasForm(forms.Form):
    """As janelas de operação do exercício (início e fim de cada uma, dd/mm/aaaa), menos a de indicação S/R, que é
    a das quatro datas acima. ``alteradas()`` devolve só as que a SEGOV mudou: as outras seguem o calendário."""

    def __init__(self, *args, janelas, **kwargs):
        super().__init__(*args, **kwargs)
        self.linhas = []
        for j in janelas:
            if j.do_calendario:
                continue
            nome = f"{j.trilha}__{j.tipo}"
            rotulo = f"{j.get_tipo_display()} ({j.get_trilha_display()})"
            for parte, rotulo_parte, valor in (("inicio", "Início", j.inicio), ("fim", "Fim", j.fim)):
                # Em branco (ou fora do POST): fica a data que já está gravada.
                self.fields[f"{nome}__{parte}"] = CampoData(
                    label=f"{rotulo_parte} – {rotulo}", initial=valor, required=False,
                    widget=DataBR(attrs={"class": "form-control form-control-sm"}))
            inicio, fim = self[f"{nome}__inicio"], self[f"{nome}__fim"]
            self.linhas.append({"janela": j, "inicio": inicio, "fim": fim, "campos": [inicio, fim]})

    def clean(self):
        dados = super().clean()
        for linha in self.linhas:
            j = linha["janela"]
            for campo, atual in ((linha["inicio"].name, j.inicio), (linha["fim"].name, j.fim)):
                if campo not in self.errors and dados.get(campo) is None:
                    dados[campo] = atual
            inicio, fim = dados.get(linha["inicio"].name), dados.get(linha["fim"].name)
            erro = prazos.erros_janela(inicio, fim)
            if erro:
                self.add_error(linha["fim"].name, erro)
        return dados

    def full_clean(self):
        super().full_clean()
        # O campo errado diz que está errado e aponta a mensagem (o template a põe embaixo dele).
        for nome in self.errors:
            if nome in self.fields:
                attrs = self.fields[nome].widget.attrs
                attrs.update({"aria-invalid": "true", "aria-describedby": f"{self[nome].auto_id}_error",
                              "class": f"{attrs.get('class', '')} is-invalid"})

    def alteradas(self) -> dict:
        mudadas = {}
        for linha in self.linhas:
            j = linha["janela"]
            inicio, fim = self.cleaned_data[linha["inicio"].name], self.cleaned_data[linha["fim"].name]
            if (inicio, fim) != (j.inicio, j.fim):
                mudadas[(j.trilha, j.tipo)] = (inicio, fim)
        return mudadas


class ImportacaoForm(forms.Form):
    TIPOS = [("loa", "Incisos da LOA"), ("programacoes", "Programações elegíveis (anexo da Resolução)")]
    tipo = forms.ChoiceField(label="O que importar", choices=TIPOS)
    ano = forms.IntegerField(label="Exercício (ano)", min_value=2000, max_value=2100)
    publicacao = CampoData(label="Publicação da LOA", required=False, help_text="Obrigatória para a carga da LOA.")
    arquivo = forms.FileField(label="Arquivo CSV (UTF-8, separado por ;)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limite = _megabytes(settings.SIGCON_UPLOAD_MAXIMO)
        self.fields["arquivo"].label = f"Arquivo CSV (UTF-8, separado por ;, até {limite})"

    def clean_arquivo(self):
        arquivo = self.cleaned_data["arquivo"]
        limite = settings.SIGCON_UPLOAD_MAXIMO
        if arquivo.size > limite:
            tamanho = _megabytes(arquivo.size)
            # Pouco acima do limite o arredondamento daria "tem 5 MB; o limite é 5 MB".
            tamanho = f"mais de {_megabytes(limite)}" if tamanho == _megabytes(limite) else tamanho
            raise forms.ValidationError(
                f"O arquivo “{arquivo.name}” tem {tamanho}; o limite é {_megabytes(limite)}. "
                "Divida-o ou retire o que não for desta carga."
            )
        return arquivo

    def clean(self):
        dados = super().clean()
        if dados.get("tipo") == "loa" and not dados.get("publicacao"):
            self.add_error("publicacao", "Informe a data de publicação da LOA.")
        return dados


def _megabytes(tamanho: int) -> str:
    return f"{tamanho / (1024 * 1024):.1f} MB".replace(".0 MB", " MB").replace(".", ",")


def estilizar_filtros(form: forms.Form) -> None:
    """Classes do Bootstrap nos campos de um formulário de filtros (compacto, numa linha)."""
    for campo in form.fields.values():
        if isinstance(campo.widget, forms.HiddenInput):
            continue
        if isinstance(campo, forms.BooleanField):
            campo.widget.attrs["class"] = "form-check-input"
        elif isinstance(campo, forms.ChoiceField):
            campo.widget.attrs["class"] = "form-select form-select-sm"
        else:
            campo.widget.attrs["class"] = "form-control form-control-sm"


class FiltroDeLista(forms.Form):
    """Os filtros de uma lista: campos estilizados; sem filtro a lista fica como está, filtro inválido não lista nada
    (o erro aparece no campo). Cada filtro diz só o que cada campo faz, em ``aplicar``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estilizar_filtros(self)

    def filtrar(self, qs):
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        return self.aplicar(qs, self.cleaned_data)

    def aplicar(self, qs, d: dict):
        raise NotImplementedError

