"""Os campos do tipo de atendimento/aplicação (no formulário da indicação, no do ajuste e no trecho htmx dos selects
dependentes) e o formulário da carga dos catálogos.

Sem JavaScript os selects dependentes funcionam assim: a especificação lista todas as opções do grupo de despesa,
agrupadas por "gênero – categoria" (dá para escolher direto); gênero e categoria são filtros, aplicados pelo botão
"Filtrar as opções" (o formulário volta com o que foi digitado) ou, com htmx, assim que mudam.
"""

import base64
import binascii

from django import forms
from django.urls import reverse

from .carga import ROTULOS
from .regras import APLICACAO, ATENDIMENTO, catalogo_da_forma

CAMPOS_DE_TIPO = ("genero", "categoria", "especificacao_atendimento", "tipo_aplicacao")
LIMITE_ARQUIVO = 2 * 1024 * 1024  # um catálogo de centenas de linhas tem dezenas de KB


def _escolhas_agrupadas(especificacoes) -> list:
    grupos: dict[str, list] = {}
    for e in especificacoes:
        grupos.setdefault(f"{e.categoria.genero.nome} – {e.categoria.nome}", []).append((str(e.pk), e.nome))
    return [("", "Escolha a especificação"), *grupos.items()]


def _entre(valor, escolhas) -> int | None:
    return next((pk for pk, _ in escolhas if str(pk) == str(valor or "")), None)


def adicionar_campos_de_tipo(form, *, catalogo, inciso, formas, valores) -> None:
    """Põe em *form* os campos do tipo que as *formas* usam, com as opções do *catalogo* do grupo do inciso.

    *valores*: o que já foi escolhido (os dados do POST ou o inicial), para filtrar categoria e especificação.
    """
    usados = {catalogo_da_forma(f) for f in formas}
    form.catalogo, form.catalogos_usados = catalogo, usados
    if ATENDIMENTO in usados and catalogo.tem(ATENDIMENTO):
        # Um filtro que não é do catálogo (forjado, ou a categoria de outro gênero) vale como "todos".
        genero = _entre(valores.get("genero"), catalogo.generos())
        categorias = catalogo.categorias(genero)
        categoria = _entre(valores.get("categoria"), categorias)
        htmx = {"hx-get": reverse("emendas:catalogo_opcoes", args=[inciso.pk]), "hx-trigger": "change",
                "hx-target": "#campos-atendimento", "hx-swap": "outerHTML",
                "hx-include": "#campos-atendimento"}
        # Gênero e categoria só filtram a lista (nunca são erro: um filtro desatualizado vale como "todos").
        form.fields["genero"] = forms.CharField(
            label="Gênero", required=False, help_text="Filtra as categorias.",
            widget=forms.Select(attrs=htmx, choices=[("", "Todos os gêneros"), *catalogo.generos()]))
        form.fields["categoria"] = forms.CharField(
            label="Categoria", required=False, help_text="Filtra as especificações.",
            widget=forms.Select(attrs=htmx, choices=[("", "Todas as categorias"), *categorias]))
        # Texto e não escolha: a lista mostrada é a filtrada, mas vale qualquer uma do grupo (conferida no clean,
        # com uma mensagem que diz o porquê, e de novo no serviço).
        form.fields["especificacao_atendimento"] = forms.CharField(
            label="Especificação do tipo de atendimento", required=False,
            widget=forms.Select(choices=_escolhas_agrupadas(catalogo.filtradas(genero, categoria))))
    if APLICACAO in usados and catalogo.tem(APLICACAO):
        form.fields["tipo_aplicacao"] = forms.CharField(
            label="Tipo de aplicação", required=False,
            widget=forms.Select(choices=[("", "Escolha o tipo de aplicação"),
                                         *((str(t.pk), t.nome) for t in catalogo.tipos_aplicacao)]))


def limpar_tipo(form, dados: dict, forma: str | None, *, obrigatorio: bool = True) -> None:
    """Troca os ids escolhidos pelos objetos do catálogo (ou erro no campo); o tipo que a forma não usa é
    ignorado. Deixa ``dados["especificacao_atendimento"]`` e ``dados["tipo_aplicacao"]`` (objetos ou None)."""
    esp, apl = dados.get("especificacao_atendimento") or "", dados.get("tipo_aplicacao") or ""
    dados["especificacao_atendimento"] = dados["tipo_aplicacao"] = None
    qual = catalogo_da_forma(forma) if forma else None
    if qual is None or not form.catalogo.tem(qual):
        return
    campo, escolhido = ("especificacao_atendimento", esp) if qual == ATENDIMENTO else ("tipo_aplicacao", apl)
    nome = "tipo de atendimento" if qual == ATENDIMENTO else "tipo de aplicação"
    if not escolhido:
        if obrigatorio:
            form.add_error(campo, f"Escolha o {nome}: a forma escolhida pede um.")
        return
    achado = (form.catalogo.especificacao(escolhido) if qual == ATENDIMENTO
              else form.catalogo.tipo_aplicacao(escolhido))
    if achado is None:
        form.add_error(campo, f"Este {nome} não vale para o grupo de despesa do inciso (é de outro grupo, está "
                              "inativo ou não existe). Escolha um da lista.")
        return
    dados[campo] = achado


def tipo_postado(dados, forma: str) -> dict:
    """O tipo enviado, só o do catálogo que a *forma* usa (o outro select pode ter ficado preenchido), para o
    serviço conferir: ``{"especificacao_atendimento": ..., "tipo_aplicacao": ...}``."""
    qual = catalogo_da_forma(forma)
    return {"especificacao_atendimento": (dados.get("especificacao_atendimento") or None) if qual == ATENDIMENTO
            else None,
            "tipo_aplicacao": (dados.get("tipo_aplicacao") or None) if qual == APLICACAO else None}


class TipoAtendimentoForm(forms.Form):
    """Só os campos do tipo de atendimento: o trecho que o htmx troca quando gênero ou categoria mudam."""

    def __init__(self, *args, catalogo, inciso, **kwargs):
        super().__init__(*args, **kwargs)
        adicionar_campos_de_tipo(self, catalogo=catalogo, inciso=inciso, formas=["CONVENIO"],
                                 valores=self.data if self.is_bound else self.initial)


class CargaCatalogoForm(forms.Form):
    tipo = forms.ChoiceField(label="Catálogo", choices=list(ROTULOS.items()), widget=forms.RadioSelect)
    arquivo = forms.FileField(label="Arquivo CSV (UTF-8, separado por ;)",
                              widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def clean_arquivo(self):
        arquivo = self.cleaned_data["arquivo"]
        if arquivo.size > LIMITE_ARQUIVO:
            raise forms.ValidationError(f"O arquivo passa de {LIMITE_ARQUIVO // (1024 * 1024)} MB.")
        return arquivo.read()


class ConfirmarCargaForm(forms.Form):
    """A confirmação da prévia: o tipo e o conteúdo voltam (base64) e são conferidos de novo por inteiro.

    Diferente da carga da LOA (arquivo guardado no servidor entre a prévia e a confirmação): o catálogo é pequeno
    e só a SEGOV o carrega; o que vem do navegador passa pela mesma validação da prévia, e nada é confiado a ela.
    """

    tipo = forms.ChoiceField(choices=list(ROTULOS.items()), widget=forms.HiddenInput)
    conteudo = forms.CharField(widget=forms.HiddenInput, max_length=LIMITE_ARQUIVO * 2)

    def clean_conteudo(self):
        try:
            return base64.b64decode(self.cleaned_data["conteudo"], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError("O conteúdo da prévia veio corrompido. Envie o arquivo de novo.") from None

    @staticmethod
    def codificar(conteudo: bytes) -> str:
        return base64.b64encode(conteudo).decode("ascii")
