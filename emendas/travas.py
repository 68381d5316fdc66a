"""Travas de linha compartilhadas pelos serviços, e a ordem global em que são tomadas.

Ordem global (toda transação que trava mais de uma coisa segue esta ordem, do começo ao fim):

1. exercício (só a carga da LOA e a edição do calendário; sempre ``FOR NO KEY UPDATE``, que não bloqueia as
   checagens de chave estrangeira das outras transações);
2. incisos do titular no exercício, em ordem de id (``travar_incisos_do_titular``);
3. o remanejamento ou as indicações em jogo, em ordem de id (``gerar_proposta`` trava as indicações que vai usar;
   ``abrir_diligencia`` trava a indicação; responder e fechar uma diligência travam só a diligência, sozinha);
4. a proposta (``convenios``: passos, desvincular, cancelar, pedir parcela); depois a sua liberação (autorizar);
   depois a exceção da SEGOV que o passo consome; depois a execução (``ExecucaoIndicacao``) de cada indicação
   que a proposta usa, em ordem de id (o registro do órgão trava a execução logo depois da indicação, no passo 3);
5. por último, o contador de numeração do exercício (``reservar_numeros``), solto no commit.

Nenhum serviço trava um item de cima depois de um de baixo.

Por que assim: o saldo de um inciso e os limites da política (outra UO, mínimo em saúde) dependem de todos
os movimentos do titular, então quem move dinheiro trava os incisos do titular primeiro. A numeração de
indicações e incisos R não trava a linha do exercício (que as chaves estrangeiras de toda indicação e
inciso novo precisam ler no commit), mas uma linha própria de contador, tomada por último: é a única trava que
todos os envios de indicação do exercício disputam (de qualquer titular), então quem numera confere tudo antes
e só pede os números quando falta apenas gravar.
As travas são ``FOR NO KEY UPDATE``: excluem-se entre si como ``FOR UPDATE``, mas deixam passar a
checagem diferida de chave estrangeira (``KEY SHARE``) de quem insere linhas que apontam para elas.

Fora desta lista, a rajada do dia do prazo (``tests/emendas/test_rajada_concorrencia.py``) só toca linhas que
ninguém mais trava junto com outra: a sessão (regravada depois da view, numa transação de uma linha só), a
auditoria e a caixa de saída (só INSERT na transação do serviço; o envio reserva uma linha por vez, fora dela).
A única atualização de chave (que pede ``FOR UPDATE`` e barra o ``KEY SHARE`` alheio) é a do
``inciso_gerado`` do remanejamento aprovado, que só o histórico do próprio pedido referencia, gravado por quem
já o travou.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q

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


def travar_incisos_dos_titulares(incisos) -> None:
    """Passo 2 para uma escrita que atravessa titulares (o cancelamento em lote de quem é parlamentar e responsável
    por bloco): os incisos de todos, numa consulta, em ordem de id, como ``travar_incisos_do_titular`` faz com um
    (quem trava um titular só e quem trava vários pegam as linhas na mesma ordem: nunca se cruzam)."""
    filtro = Q(pk__in=[])
    for inciso in incisos:
        emenda = inciso.emenda
        titular = (Q(emenda__bloco_id=emenda.bloco_id) if emenda.bloco_id
                   else Q(emenda__parlamentar_id=emenda.parlamentar_id))
        filtro |= titular & Q(exercicio_id=inciso.exercicio_id)
    list(Inciso.objects.filter(filtro).select_for_update(no_key=True, of=("self",)).order_by("pk")
         .values_list("pk", flat=True))


def reservar_numeros(exercicio_id: int, nome: str, quantos: int = 1) -> list[int]:
    """Passo 5 da ordem global: os próximos *quantos* números da sequência *nome* do exercício, sem buracos.

    Uma consulta: ``UPDATE ... RETURNING``. O UPDATE trava a linha do contador até o commit, então dois envios
    simultâneos nunca recebem o mesmo número, e todo envio de indicação do exercício espera por ela: chame só
    depois de conferir tudo, logo antes de gravar.
    """
    tabela = connection.ops.quote_name(SequenciaExercicio._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {tabela} SET ultimo = ultimo + %s WHERE exercicio_id = %s AND nome = %s RETURNING ultimo",
            [quantos, exercicio_id, nome],
        )
        linha = cursor.fetchone()
    if linha is None:
        # Exercício gravado sem passar por Exercicio.save (carga antiga): cria o contador e tenta de novo.
        SequenciaExercicio.objects.get_or_create(exercicio_id=exercicio_id, nome=nome)
        return reservar_numeros(exercicio_id, nome, quantos)
    return list(range(linha[0] - quantos + 1, linha[0] + 1))
