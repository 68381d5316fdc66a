"""O catálogo nas escritas da indicação: conferir o tipo escolhido (envio e ajuste) e a janela do ajuste.

Chamadas pelos serviços de ``emendas.indicacoes`` com o inciso e a indicação já travados; daqui nada é gravado. A
carga dos catálogos está em ``carga.py``.
"""

from django.core.exceptions import ValidationError

from .. import prazos
from ..models import EspecificacaoAtendimento, TipoAplicacao
from . import regras
from .carga import carregar_catalogo
from .selectors import opcao_valida, tem_opcoes

__all__ = ["carregar_catalogo", "conferir_tipo", "conferir_janela_do_ajuste"]

_NOMES = {regras.ATENDIMENTO: "tipo de atendimento", regras.APLICACAO: "tipo de aplicação"}


def _id(valor):
    return getattr(valor, "pk", valor) if valor not in ("", None) else None


def conferir_tipo(*, inciso, forma_execucao: str, especificacao_atendimento=None, tipo_aplicacao=None,
                  obrigatorio: bool = True) -> tuple[EspecificacaoAtendimento | None, TipoAplicacao | None]:
    """O tipo da indicação relido do banco e conferido contra o grupo de despesa do inciso.

    Aceita objetos ou ids (um id forjado de outro grupo, inativo ou inexistente é recusado com a razão).
    *obrigatorio*: sem escolha, recusa se o catálogo do grupo tem opções (sem catálogo carregado, a indicação
    segue sem tipo, como antes dos catálogos).
    """
    catalogo = regras.catalogo_da_forma(forma_execucao)
    esp_id, apl_id = _id(especificacao_atendimento), _id(tipo_aplicacao)
    if catalogo is None:
        if esp_id or apl_id:
            raise ValidationError("A transferência especial não tem tipo de atendimento nem tipo de aplicação.")
        return None, None
    errado = apl_id if catalogo == regras.ATENDIMENTO else esp_id
    if errado:
        outro = _NOMES[regras.APLICACAO if catalogo == regras.ATENDIMENTO else regras.ATENDIMENTO]
        raise ValidationError(f"Esta forma de execução usa {_NOMES[catalogo]}, não {outro}.")
    escolhido = esp_id if catalogo == regras.ATENDIMENTO else apl_id
    # Uma consulta só no caminho comum: o escolhido (ativo e do grupo), ou, sem escolha, se o grupo tem catálogo.
    if escolhido is None:
        if obrigatorio and tem_opcoes(catalogo, inciso.grupo_despesa_id):
            raise ValidationError(f"Escolha o {_NOMES[catalogo]} (da lista do grupo de despesa "
                                  f"{inciso.grupo_despesa}).")
        return None, None
    achado = opcao_valida(catalogo, inciso.grupo_despesa_id, escolhido)
    if achado is None:
        raise ValidationError(
            f"O {_NOMES[catalogo]} escolhido não vale para o grupo de despesa {inciso.grupo_despesa} do inciso "
            f"{inciso.numero} (é de outro grupo, está inativo ou não existe). Escolha um da lista deste grupo."
        )
    return (achado, None) if catalogo == regras.ATENDIMENTO else (None, achado)


def conferir_janela_do_ajuste(*, indicacao, inciso, especificacao, tipo_aplicacao, dia) -> bool:
    """Confere a janela do ajuste do tipo (DOMAIN.md §7.10, as duas janelas do exercício) e diz se o tipo muda.

    Mesmo tipo: sem janela (o ajuste só do objeto). Troca de gênero (ou de tipo de aplicação para outro grupo):
    só na janela do ajuste completo; categoria/especificação do mesmo gênero (ou aplicação do mesmo grupo): também
    na de mesmo GD. Fora das duas: ``ValidationError`` com as datas.
    """
    if (_id(especificacao), _id(tipo_aplicacao)) == (indicacao.especificacao_atendimento_id,
                                                     indicacao.tipo_aplicacao_id):
        return False
    if especificacao is not None:
        antes = indicacao.especificacao_atendimento
        janelas = regras.janelas_do_ajuste(genero_antes=antes.categoria.genero_id if antes else None,
                                           genero_depois=especificacao.categoria.genero_id)
    else:
        antes = indicacao.tipo_aplicacao
        janelas = regras.janelas_do_ajuste(gd_antes=antes.grupo_despesa_id if antes else None,
                                           gd_depois=tipo_aplicacao.grupo_despesa_id)
    exercicio, trilha = inciso.exercicio, prazos.trilha_do_inciso(inciso.tipo)
    if any(prazos.janela_aberta(exercicio, trilha, tipo, dia) for tipo in janelas):
        return True
    prazos_ = []
    for tipo in janelas:
        intervalo = prazos.intervalo_janela(exercicio, trilha, tipo)
        if intervalo:
            prazos_.append(f"{prazos.TipoJanela(tipo).label.lower()}: {intervalo[0]:%d/%m/%Y} a {intervalo[1]:%d/%m/%Y}")
    completo = len(janelas) == 1
    raise ValidationError(
        ("Trocar o gênero do tipo de atendimento (ou o tipo de aplicação por um de outro grupo de despesa) só na "
         "janela do ajuste completo. " if completo else "Fora das janelas de ajuste do tipo de atendimento/aplicação. ")
        + (f"Prazos do exercício {exercicio.ano}: {'; '.join(prazos_)}." if prazos_ else
           f"O exercício {exercicio.ano} não tem essa janela.")
    )
