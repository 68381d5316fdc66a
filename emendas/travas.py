"""Travas de linha compartilhadas pelos serviços, e a ordem global em que são tomadas.

Ordem global (toda transação que trava mais de uma coisa segue esta ordem, do começo ao fim):

1. exercício (só a carga da LOA e a edição do calendário; sempre ``FOR NO KEY UPDATE``, que não bloqueia as
   checagens de chave estrangeira das outras transações);
2. incisos do titular no exercício, em ordem de id (``travar_incisos_do_titular``);
3. o remanejamento ou as indicações em jogo, em ordem de id (``gerar_proposta`` trava as indicações que vai usar);
4. a proposta (``convenios``: passos, desvincular, cancelar, pedir parcela); depois a sua liberação (autorizar);
   depois a exceção da SEGOV que o passo consome;
5. por último, o contador de numeração do exercício (``proximo_numero``), solto no commit.

Nenhum serviço trava um item de cima depois de um de baixo.

Por que assim: o saldo de um inciso e os limites da política (outra UO, mínimo em saúde) dependem de todos
os movimentos do titular, então quem move dinheiro trava os incisos do titular primeiro. A numeração de
indicações e incisos R não trava a linha do exercício (que as chaves estrangeiras de toda indicação e
inciso novo precisam ler no commit), mas uma linha própria de contador, tomada por último.
As travas são ``FOR NO KEY UPDATE``: excluem-se entre si como ``FOR UPDATE``, mas deixam passar a
checagem diferida de chave estrangeira (``KEY SHARE``) de quem insere linhas que apontam para elas.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q

from .models import Inciso, SequenciaExercicio


def incisos_do_titular(inciso: Inciso):
    """Todos os incisos do mesmo titular (parlamentar ou bloco) no exercício do *inciso*."""
    emenda = inciso.emenda
    filtro = Q(emenda__bloco_id=emenda.bloco_id) if emenda.bloco_id else Q(emenda__parlamentar_id=emenda.parlamentar_id)
    return Inciso.objects.filter(filtro, exercicio_id=inciso.exercicio_id)


def travar_incisos_do_titular(inciso: Inciso) -> Inciso:
    """Passo 2 da ordem global. Devolve o inciso relido (com as relações que os serviços usam)."""
    # O saldo do inciso e os limites da política dependem dos movimentos de todos os incisos do titular:
    # travados em ordem de id, dois serviços sobre o mesmo titular nunca se cruzam.
    travados = list(
        incisos_do_titular(inciso).select_for_update(no_key=True, of=("self",)).order_by("pk").values_list("pk", flat=True)
    )
    if inciso.pk not in travados:
        raise PermissionDenied
    return Inciso.objects.select_related(
        "exercicio", "emenda__parlamentar__usuario", "emenda__bloco__responsavel__usuario", "acao__uo", "grupo_despesa",
    ).get(pk=inciso.pk)


def proximo_numero(exercicio_id: int, nome: str) -> int:
    """Passo 5 da ordem global: o próximo número da sequência *nome* do exercício, sem buracos."""
    SequenciaExercicio.objects.get_or_create(exercicio_id=exercicio_id, nome=nome)
    # O UPDATE trava a linha do contador até o commit: dois envios simultâneos nunca recebem o mesmo número.
    SequenciaExercicio.objects.filter(exercicio_id=exercicio_id, nome=nome).update(ultimo=F("ultimo") + 1)
    return SequenciaExercicio.objects.get(exercicio_id=exercicio_id, nome=nome).ultimo
