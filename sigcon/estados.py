"""Máquina de estados pequena e comum a remanejamento, indicação e proposta (e ao que vier depois).

Cada fluxo declara uma ``Maquina``: a tabela de transições (situação atual → situações seguintes permitidas), o
verbo de auditoria de cada situação de chegada e como gravar a linha de histórico. ``aplicar`` confere a transição
(``ValidationError`` com a situação atual e a pedida, em português), troca a situação, grava o histórico e o
registro de auditoria — na transação de quem chamou, que já travou a linha. As telas perguntam ``permite`` /
``seguintes`` para decidir que botões mostrar, em vez de repetir as regras.

Como no pretix (mudança de situação do pedido) e no django-fsm: a tabela é dado, conferida num lugar só; quem chama
continua responsável por travar, checar permissão e prazo, e salvar (``save(update_fields=[...])``).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from auditoria.services import registrar


@dataclass(frozen=True)
class Maquina:
    # Prefixo das ações de auditoria: "remanejamento" → "remanejamento.aprovar".
    nome: str
    transicoes: Mapping[str, frozenset[str] | set[str]]
    # Situação de chegada → verbo da auditoria (ex.: APROVADO → "aprovar").
    verbos: Mapping[str, str]
    # Grava a linha de histórico do modelo: (objeto, anterior, novo, usuario, texto) → None; com ``em_nome_de=`` a
    # mais quando quem chama o informa (o titular por quem o usuário agiu: ver ``aplicar``).
    historico: Callable[..., None]
    # Mensagem de transição recusada, com {objeto}, {atual} e {novo} (rótulos em minúsculas).
    recusa: str = "{objeto} está “{atual}” e não pode passar a “{novo}”."
    # Como o objeto aparece na mensagem: "A indicação nº 12".
    descrever: Callable[[object], str] = str
    # Nome do texto livre no registro de auditoria ("observacao", "justificativa").
    campo_texto: str = "observacao"
    # Dados a mais no "depois" da auditoria (ex.: o valor do remanejamento).
    extra_auditoria: Callable[[object], dict] = field(default=lambda objeto: {})

    def seguintes(self, atual: str) -> frozenset[str]:
        return frozenset(self.transicoes.get(atual, ()))

    def permite(self, atual: str, novo: str) -> bool:
        return novo in self.seguintes(atual)

    def conferir(self, objeto, novo: str) -> None:
        if not self.permite(objeto.status, novo):
            rotulos = dict(type(objeto).Status.choices)
            raise ValidationError(self.recusa.format(
                objeto=self.descrever(objeto), atual=str(rotulos[objeto.status]).lower(),
                novo=str(rotulos[novo]).lower(),
            ))

    def aplicar(self, objeto, novo: str, *, usuario, texto: str = "", em_nome_de: int | None = None) -> str:
        """Confere e aplica a transição, com histórico e auditoria; devolve a situação anterior (sem salvar).

        *em_nome_de*: o id do parlamentar por quem *usuario* agiu (ele mesmo ou seu assessor), nas ações do titular;
        vai para o histórico e para a auditoria."""
        self.conferir(objeto, novo)
        anterior = objeto.status
        objeto.status = novo
        por_quem = {} if em_nome_de is None else {"em_nome_de": em_nome_de}
        self.historico(objeto, anterior, novo, usuario, texto, **por_quem)
        registrar(acao=f"{self.nome}.{self.verbos[novo]}", objeto=objeto, usuario=usuario, antes={"status": anterior},
                  depois={"status": novo, **self.extra_auditoria(objeto), self.campo_texto: texto, **por_quem})
        return anterior
