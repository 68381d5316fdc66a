"""Modelos de emendas, um módulo por capacidade; daqui se importa tudo (``emendas.models.Inciso``).

O rótulo da aplicação e os nomes dos modelos não mudam: as migrações e as chaves estrangeiras dos outros apps
(``"emendas.Indicacao"``) continuam valendo.
"""

from ..prazos import OrigemSaldo
from .calendario import LinkCalendario, PreferenciaLembretes, ProrrogacaoJanela
from .assessores import VinculoAssessor
from .catalogo import CategoriaAtendimento, EspecificacaoAtendimento, GeneroAtendimento, TipoAplicacao
from .diligencias import AnexoDiligencia, Diligencia, RespostaDiligencia
from .execucao import ExecucaoIndicacao, RegistroExecucao
from .importacoes import ArquivoImportacao
from .janelas import JanelaOperacao
from .indicacoes import APOS_ORGAO, COM_JUSTIFICATIVA, ENCERRADAS, CategoriaImpedimento, Indicacao, RegistroIndicacao
from .nucleo import (
    DINHEIRO, NAO_NEGATIVO, Acao, Bloco, Emenda, Exercicio, GrupoDespesa, Inciso, Parlamentar, ProgramacaoElegivel,
    RegimeCagec, RegistroCorrecaoInciso, SequenciaExercicio, UnidadeOrcamentaria,
)
from .remanejamentos import RegistroRemanejamento, Remanejamento
from .transferencias import RegistroTransferenciaEspecial, TransferenciaEspecial
from .saneamento import (
    ConclusaoRemanejamentoConstitucional, ConclusaoSaneamento, LeiRemanejamento, LinhaRemanejamentoConstitucional,
    MovimentoSaneamento,
)

__all__ = [
    "RegimeCagec",
    "LinkCalendario",
    "PreferenciaLembretes",
    "ProrrogacaoJanela",
    "JanelaOperacao",
    "Exercicio",
    "SequenciaExercicio",
    "UnidadeOrcamentaria",
    "Acao",
    "GrupoDespesa",
    "ProgramacaoElegivel",
    "Parlamentar",
    "VinculoAssessor",
    "Bloco",
    "Emenda",
    "Inciso",
    "RegistroCorrecaoInciso",
    "Remanejamento",
    "RegistroRemanejamento",
    "Indicacao",
    "RegistroIndicacao",
    "CategoriaImpedimento",
    "GeneroAtendimento",
    "CategoriaAtendimento",
    "EspecificacaoAtendimento",
    "TipoAplicacao",
    "Diligencia",
    "RespostaDiligencia",
    "AnexoDiligencia",
    "TransferenciaEspecial",
    "RegistroTransferenciaEspecial",
    "ExecucaoIndicacao",
    "RegistroExecucao",
    "MovimentoSaneamento",
    "ConclusaoSaneamento",
    "LinhaRemanejamentoConstitucional",
    "ConclusaoRemanejamentoConstitucional",
    "LeiRemanejamento",
    "OrigemSaldo",
    "ArquivoImportacao",
    "DINHEIRO",
    "NAO_NEGATIVO",
    "ENCERRADAS",
    "COM_JUSTIFICATIVA",
    "APOS_ORGAO",
]
