import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from convenios.cnpj import normalizar_cnpj
from convenios.models import Convenente
from sigcon.dinheiro import ZERO, ValorInvalido, formatar_brl, ler_valor

from ..catalogo.forms import CAMPOS_DE_TIPO, adicionar_campos_de_tipo, limpar_tipo
from ..forms import LIMITE_FILTRO, CampoExercicio, CampoValor, estilizar_filtros
from ..models import CategoriaImpedimento, Indicacao
from ..prazos import OrigemSaldo
from . import regras

LINHAS_INICIAIS = 1
# Um envio é uma transação só, com todas as linhas; 50 beneficiários de uma vez já é um lote grande.
LIMITE_LINHAS = 50
_LINHA = re.compile(r"(?:cnpj|valor)_(\d{1,2})")


def linhas_pedidas(dados) -> int:
    """Quantas linhas o formulário tem: o campo ``n_linhas`` ou a maior linha enviada (entre 1 e o limite)."""
    try:
        n = int(dados.get("n_linhas", ""))
    except (TypeError, ValueError):
        n = 0
    for chave in dados:
        casou = _LINHA.fullmatch(chave)
        if casou:
            n = max(n, int(casou.group(1)))
    return min(max(n, LINHAS_INICIAIS), LIMITE_LINHAS)


def editar_linhas(dados, *, adicionar: bool = False, remover: int | None = None) -> tuple[dict, int]:
    """Os dados do formulário com uma linha a mais, ou sem a linha *remover* (as seguintes sobem), e o novo total
    de linhas: "Adicionar linha" e "Remover" reenviam o formulário e nada do que foi digitado se perde."""
    n = linhas_pedidas(dados)
    valores = {k: dados.get(k, "") for k in ("forma_execucao", "objeto", "origem_saldo", *CAMPOS_DE_TIPO)}
    linhas = [(dados.get(f"cnpj_{i}", ""), dados.get(f"valor_{i}", "")) for i in range(1, n + 1)]
    if remover is not None and 1 <= remover <= n and n > 1:
        del linhas[remover - 1]
    if adicionar and len(linhas) < LIMITE_LINHAS:
        linhas.append(("", ""))
    for i, (cnpj, valor) in enumerate(linhas, start=1):
        valores[f"cnpj_{i}"], valores[f"valor_{i}"] = cnpj, valor
    return valores, len(linhas)


def somar_digitado(valores) -> Decimal:
    """A soma dos valores que já se leem como dinheiro (o total corrente; os inválidos ficam de fora)."""
    total = ZERO
    for valor in valores:
        try:
            total += ler_valor(valor) if valor else ZERO
        except ValorInvalido:
            continue
    return total


class IndicacaoForm(forms.Form):
    """Forma, objeto, saldo de origem e as linhas (CNPJ do beneficiário + valor), quantas a pessoa quiser.

    *disponiveis*: o disponível de cada saldo que hoje pode ser usado (o total das linhas é conferido contra ele e o
    erro vai para a linha que passa do saldo; o serviço confere de novo com o inciso travado).
    """

    forma_execucao = forms.ChoiceField(label="Forma de execução")
    objeto = forms.CharField(label="Objeto / tipo de atendimento", max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    origem_saldo = forms.ChoiceField(
        label="Saldo a usar", required=False, widget=forms.RadioSelect,
        choices=[(OrigemSaldo.COM_REMANEJAMENTO, "Com possibilidade de remanejamento"),
                 (OrigemSaldo.SEM_REMANEJAMENTO, "Sem possibilidade de remanejamento")],
    )
    # Quantas linhas a tela mostra: só conta as linhas (linhas_pedidas), nunca é erro do formulário.
    n_linhas = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, formas, pede_origem, disponiveis=None, n_linhas=None, conferir_total=True,
                 catalogo=None, inciso=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forma_execucao"].choices = [(f, Indicacao.FormaExecucao(f).label) for f in formas]
        self.catalogo = None
        if catalogo is not None:
            # O tipo de atendimento/aplicação do catálogo do grupo do inciso, antes do objeto (a ordem da tela).
            adicionar_campos_de_tipo(self, catalogo=catalogo, inciso=inciso, formas=formas,
                                     valores=self.data if self.is_bound else self.initial)
            self.order_fields(["forma_execucao", *CAMPOS_DE_TIPO, "objeto"])
        self.pede_origem = pede_origem
        # Pode vir preguiçoso (SimpleLazyObject): só é lido quando a tela ou a conferência do total precisam.
        self.disponiveis = disponiveis if disponiveis is not None else {}
        self.conferir_total = conferir_total
        self.erro_total = None
        self._preenchidas = []
        if pede_origem:
            self.fields["origem_saldo"].required = True
        else:
            del self.fields["origem_saldo"]
        self.n = n_linhas or linhas_pedidas(self.data if self.is_bound else self.initial)
        self.initial["n_linhas"] = self.n
        for n in range(1, self.n + 1):
            self.fields[f"cnpj_{n}"] = forms.CharField(
                label=f"CNPJ do beneficiário {n}", required=False, max_length=18,
                # O nome e a situação do beneficiário aparecem embaixo da linha assim que o CNPJ está completo.
                widget=forms.TextInput(attrs={
                    "inputmode": "numeric", "autocomplete": "off", "data-cnpj-linha": n,
                    # Trocar a forma refaz a linha já preenchida: o aviso "não aceita beneficiário do tipo" segue a
                    # forma escolhida (o hx-include manda a forma nova).
                    "hx-get": reverse("emendas:beneficiario_por_cnpj"),
                    "hx-trigger": "input changed delay:300ms, change, change from:#id_forma_execucao",
                    "hx-target": f"#beneficiario-{n}", "hx-include": "#id_forma_execucao", "hx-sync": "this:replace",
                }),
            )
            self.fields[f"valor_{n}"] = CampoValor(label=f"Valor {n} (R$)", required=False, minimo=Decimal("0.01"))
            self.fields[f"valor_{n}"].widget.attrs["data-valor-linha"] = n
        self.beneficiarios = {}

    # --- o que a tela mostra ---------------------------------------------------------------------------------

    def _bruto(self, nome):
        return (self.data.get(nome) if self.is_bound else self.initial.get(nome)) or ""

    def origem_escolhida(self) -> str | None:
        if not self.pede_origem:
            return next(iter(self.disponiveis), None)
        origem = self._bruto("origem_saldo")
        return origem if origem in self.disponiveis else None

    def total(self) -> Decimal:
        return somar_digitado(self._bruto(f"valor_{n}") for n in range(1, self.n + 1))

    def disponivel(self) -> Decimal | None:
        origem = self.origem_escolhida()
        return self.disponiveis.get(origem) if origem else None

    def diferenca(self) -> Decimal | None:
        """Quanto sobra do disponível (ou quanto o total passa dele), sempre positivo."""
        disponivel = self.disponivel()
        return abs(disponivel - self.total()) if disponivel is not None else None

    def linhas(self) -> list[dict]:
        if not self.beneficiarios:
            # Depois de "Adicionar linha" (formulário não validado): o nome de quem já foi digitado, numa consulta.
            self.beneficiarios = _convenentes_das_linhas(self._bruto(f"cnpj_{n}") for n in range(1, self.n + 1))
        return [{
            "n": n, "cnpj": self[f"cnpj_{n}"], "valor": self[f"valor_{n}"], "pode_remover": self.n > 1,
            "beneficiario": self.beneficiarios.get(n) or self.beneficiarios.get(self._bruto(f"cnpj_{n}")),
        } for n in range(1, self.n + 1)]

    def resumo_de_erros(self) -> list[tuple[str, str]]:
        """(âncora, mensagem) de cada erro, na ordem da tela: o resumo do topo leva a cada campo."""
        resumo = [("", e) for e in self.non_field_errors()]
        for nome, campo in self.fields.items():
            for e in self.errors.get(nome, []):
                resumo.append((f"id_{nome}" if nome != "origem_saldo" else "id_origem_saldo_0", f"{campo.label}: {e}"))
        return resumo

    def focar(self, nome: str) -> None:
        """``autofocus`` no campo: funciona sem JavaScript (e o htmx o respeita ao trocar o formulário)."""
        if nome in self.fields:
            self.fields[nome].widget.attrs["autofocus"] = True

    def full_clean(self):
        super().full_clean()
        for nome in self.fields:
            if nome in self.errors:
                self.focar(nome)
                break

    # --- validação ---------------------------------------------------------------------------------------

    def clean(self):
        dados = super().clean()
        forma = dados.get("forma_execucao")
        if self.catalogo is not None:
            limpar_tipo(self, dados, forma)
        encontrados = _convenentes_das_linhas(
            (dados.get(f"cnpj_{n}") or "") for n in range(1, self.n + 1) if f"cnpj_{n}" not in self.errors
        )
        preenchidas = []
        for n in range(1, self.n + 1):
            cnpj, valor = (dados.get(f"cnpj_{n}") or "").strip(), dados.get(f"valor_{n}")
            if not cnpj and valor is None and f"valor_{n}" not in self.errors:
                continue
            beneficiario = None
            if cnpj:
                try:
                    normalizar_cnpj(cnpj)
                except ValidationError as exc:
                    self.add_error(f"cnpj_{n}", exc.messages[0])
                    continue
                beneficiario = encontrados.get(cnpj)
                if beneficiario is None:
                    self.add_error(f"cnpj_{n}", "Convenente não cadastrado. Busque pela razão social ou município.")
                    continue
                self.beneficiarios[n] = beneficiario
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
            preenchidas.append((n, beneficiario, valor))
        if not preenchidas and not self.errors:
            self.add_error("cnpj_1", "Inclua ao menos um beneficiário: informe o CNPJ e o valor.")
        self._preenchidas = preenchidas
        if self.conferir_total:
            self._conferir_total(preenchidas)
        dados["linhas"] = [(b, v) for _, b, v in preenchidas]
        return dados

    def _conferir_total(self, preenchidas, *, na_linha: bool = True) -> None:
        disponivel = self.disponivel()
        if disponivel is None or not preenchidas:
            return
        total = sum((v for _, _, v in preenchidas), ZERO)
        if total <= disponivel:
            return
        soma = ZERO
        for n, _, valor in preenchidas:
            soma += valor
            if soma > disponivel:
                rotulo = OrigemSaldo(self.origem_escolhida()).label.lower()
                self.erro_total = (f"O total das linhas, {formatar_brl(total)}, passa o saldo {rotulo} disponível, "
                                   f"{formatar_brl(disponivel)}, em {formatar_brl(total - disponivel)}.")
                if na_linha:
                    self.add_error(f"valor_{n}", f"Com esta linha o total passa o disponível. {self.erro_total}")
                return

    def preenchidas(self) -> list[tuple[int, Convenente | None, Decimal]]:
        """As linhas que a validação leu: (número na tela, beneficiário, valor); as com erro ficam de fora."""
        return list(self._preenchidas)

    def erro_do_servico(self, exc: ValidationError) -> None:
        """O erro do serviço na linha que ele nomeia ("Linha 2: ..."), ou no topo; e o total, se passou do saldo.

        Na confirmação o formulário não confere o total (o serviço confere, com o inciso travado, e o POST do
        envio não lê o saldo duas vezes); se o saldo mudou desde a revisão, o erro dele chega aqui."""
        self._conferir_total(self._preenchidas, na_linha=False)
        texto = " ".join(exc.messages)
        casou = re.match(r"Linha (\d+): ", texto)
        linhas = [n for n in range(1, self.n + 1) if self.cleaned_data.get(f"valor_{n}") is not None]
        if casou and 1 <= int(casou.group(1)) <= len(linhas):
            nome = f"valor_{linhas[int(casou.group(1)) - 1]}"
            self.add_error(nome, texto)
            self.focar(nome)
        else:
            self.add_error(None, texto)


def _convenentes_das_linhas(cnpjs) -> dict[str, Convenente]:
    """CNPJ como digitado → convenente cadastrado, numa consulta para todas as linhas."""
    por_digitado = {}
    for cnpj in cnpjs:
        cnpj = (cnpj or "").strip()
        try:
            por_digitado[cnpj] = normalizar_cnpj(cnpj) if cnpj else None
        except ValidationError:
            continue
    numeros = {n for n in por_digitado.values() if n}
    if not numeros:
        return {}
    cadastrados = {c.cnpj: c for c in Convenente.objects.filter(cnpj__in=numeros)}
    return {digitado: cadastrados[n] for digitado, n in por_digitado.items() if n in cadastrados}


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
    """O objeto e o tipo de atendimento/aplicação da forma da indicação (a lista do grupo do inciso)."""

    objeto = forms.CharField(label="Objeto ajustado", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, indicacao, catalogo, **kwargs):
        super().__init__(*args, **kwargs)
        self.forma = indicacao.forma_execucao
        adicionar_campos_de_tipo(self, catalogo=catalogo, inciso=indicacao.inciso, formas=[self.forma],
                                 valores=self.data if self.is_bound else self.initial)
        self.order_fields([*CAMPOS_DE_TIPO, "objeto"])

    def clean(self):
        dados = super().clean()
        # Sem escolha mantém o tipo atual (a indicação de antes dos catálogos pode seguir sem tipo).
        limpar_tipo(self, dados, self.forma, obrigatorio=False)
        return dados


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


def filtro_da_fila(parametros, padrao: str) -> FiltroIndicacoesForm:
    """O filtro de uma fila: sem situação escolhida, a situação que a fila espera (a tela e o CSV dela iguais)."""
    dados = parametros.copy() if parametros is not None else {}
    if "status" not in dados:
        dados["status"] = padrao
    return FiltroIndicacoesForm(dados)
