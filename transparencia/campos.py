"""Os campos dos dados abertos, declarados uma vez: o CSV, o JSON, a página e o ``datapackage.json`` saem daqui.

Cada campo tem nome (a coluna do CSV e a chave do JSON), tipo da Table Schema do Frictionless (``integer``,
``number``, ``string``, ``datetime``), título e descrição. Dinheiro sai como texto com ponto decimal e duas casas
(``1234.56``), nunca como número de ponto flutuante; datas e horas em ISO 8601 com o fuso de Brasília
(``2026-02-01T12:00:00-03:00``); campo vazio = não se aplica.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from emendas.models import Indicacao

SITUACOES = [s.value for s in Indicacao.Status]
FORMAS = [f.value for f in Indicacao.FormaExecucao]
CENTAVO = Decimal("0.01")


@dataclass(frozen=True)
class Campo:
    nome: str
    tipo: str
    titulo: str
    descricao: str
    restricoes: dict = field(default_factory=dict)

    def descritor(self) -> dict:
        d = {"name": self.nome, "type": self.tipo, "title": self.titulo, "description": self.descricao}
        if self.tipo == "number":
            d["decimalChar"] = "."
            d["groupChar"] = ""
        if self.restricoes:
            d["constraints"] = self.restricoes
        return d


_OBRIGATORIO = {"required": True}
_TEXTO_LIVRE = " E-mails e CPFs digitados no texto aparecem como [e-mail omitido] e [CPF omitido]."
CAMPOS = [
    Campo("exercicio", "integer", "Exercício", "Ano da Lei Orçamentária Anual (LOA) da emenda.", _OBRIGATORIO),
    Campo("numero_indicacao", "integer", "Número da indicação",
          "Número da indicação no exercício (único dentro do exercício).", _OBRIGATORIO),
    Campo("situacao", "string", "Situação (código)", "Situação atual da indicação.",
          {"required": True, "enum": SITUACOES}),
    Campo("situacao_descricao", "string", "Situação", "Situação atual da indicação, por extenso."),
    Campo("emenda", "integer", "Emenda", "Número da emenda parlamentar na LOA."),
    Campo("inciso", "string", "Inciso", "Inciso da emenda: S (previsto na LOA), R (resultante de remanejamento) ou "
          "P (remanejamento constitucional), seguido do número."),
    Campo("autor", "string", "Autor", "Parlamentar autor da emenda, ou o bloco/bancada quando a emenda é coletiva."),
    Campo("autor_tipo", "string", "Tipo de autor", "PARLAMENTAR ou BLOCO.", {"enum": ["PARLAMENTAR", "BLOCO"]}),
    Campo("orgao_codigo", "string", "Órgão (UO)", "Código da unidade orçamentária que executa o recurso."),
    Campo("orgao_nome", "string", "Nome do órgão", "Nome da unidade orçamentária."),
    Campo("acao_codigo", "string", "Ação", "Código da ação orçamentária."),
    Campo("acao_nome", "string", "Nome da ação", "Nome da ação orçamentária."),
    Campo("grupo_despesa", "string", "Grupo de despesa", "Código e nome do grupo de despesa."),
    Campo("forma_execucao", "string", "Forma de execução (código)", "Como o recurso é executado.",
          {"enum": FORMAS}),
    Campo("forma_execucao_descricao", "string", "Forma de execução", "Forma de execução, por extenso."),
    Campo("beneficiario_cnpj", "string", "CNPJ do beneficiário",
          "CNPJ (14 algarismos) da entidade beneficiária; vazio na execução direta pelo órgão.",
          {"pattern": "[0-9]{14}"}),
    Campo("beneficiario_nome", "string", "Beneficiário", "Razão social da entidade beneficiária." + _TEXTO_LIVRE),
    Campo("beneficiario_municipio", "string", "Município", "Município da entidade beneficiária."),
    Campo("objeto", "string", "Objeto", "Objeto ou tipo de atendimento da indicação." + _TEXTO_LIVRE),
    Campo("saldo_de_origem", "string", "Saldo de origem",
          "De qual saldo a indicação saiu: LIVRE, COM_REMANEJAMENTO, SEM_REMANEJAMENTO (impositivos) ou "
          "NAO_IMPOSITIVO."),
    Campo("valor_indicado", "number", "Valor indicado (R$)", "Valor indicado pelo autor.", _OBRIGATORIO),
    Campo("valor_aprovado", "number", "Valor aprovado (R$)",
          "Valor indicado quando a indicação está aprovada pela SEGOV; 0.00 nas demais situações."),
    Campo("valor_em_convenio", "number", "Valor em convênio (R$)",
          "Quanto da indicação está em propostas de plano de trabalho ou convênios não cancelados."),
    Campo("valor_utilizado", "number", "Valor utilizado (R$)",
          "Valor utilizado registrado no controle de execução; vazio enquanto não houver registro."),
    Campo("valor_liberado", "number", "Valor liberado (R$)",
          "Parcelas de convênio autorizadas, na parte desta indicação (a proposta que usa várias indicações "
          "reparte o liberado na proporção do valor de cada uma)."),
    Campo("enviada_em", "datetime", "Enviada em", "Primeiro envio da indicação.", _OBRIGATORIO),
    Campo("aprovada_orgao_em", "datetime", "Aprovada pelo órgão em", "Aprovação técnica do órgão (UO)."),
    Campo("aprovada_segov_em", "datetime", "Aprovada pela SEGOV em", "Aprovação da SEGOV."),
    Campo("encerrada_em", "datetime", "Reprovada ou cancelada em",
          "Data da reprovação por impedimento de ordem técnica ou do cancelamento."),
    Campo("impedimento_categoria", "string", "Impedimento: categoria",
          "Categoria do impedimento de ordem técnica (IOT), na indicação reprovada."),
    Campo("impedimento_justificativa", "string", "Impedimento: justificativa",
          "Justificativa do impedimento de ordem técnica, na indicação reprovada." + _TEXTO_LIVRE),
    Campo("pagina", "string", "Página pública", "Endereço da página pública da indicação neste portal.",
          {"pattern": "/transparencia/.*"}),
]
NOMES = [c.nome for c in CAMPOS]
TIPOS = {c.nome: c.tipo for c in CAMPOS}
CHAVE_PRIMARIA = ["exercicio", "numero_indicacao"]


def esquema() -> dict:
    """A Table Schema (Frictionless) de um arquivo de indicações."""
    return {"fields": [c.descritor() for c in CAMPOS], "primaryKey": CHAVE_PRIMARIA, "missingValues": [""]}


def dinheiro(valor) -> str:
    """``Decimal`` → ``"1234.56"`` (duas casas, ponto, sem separador de milhar); ``None`` → ``""``."""
    if valor is None:
        return ""
    return str(Decimal(valor).quantize(CENTAVO))


def data_hora(valor: datetime | None) -> str:
    if valor is None:
        return ""
    return timezone.localtime(valor).isoformat(timespec="seconds")


def celula(nome: str, valor) -> str | int | None:
    """O valor de um campo como vai para o arquivo: inteiros como ``int``, o resto como texto (vazio = sem valor)."""
    tipo = TIPOS[nome]
    if tipo == "integer":
        return valor
    if tipo == "number":
        return dinheiro(valor)
    if tipo == "datetime":
        return data_hora(valor)
    return valor or ""


def para_json(linha: dict) -> dict:
    """A linha pública como objeto JSON: dinheiro como texto ``"1234.56"``, datas ISO, vazio = ``null``."""
    saida = {}
    for nome in NOMES:
        v = celula(nome, linha[nome])
        saida[nome] = None if v == "" else v
    return saida

