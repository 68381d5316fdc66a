"""Escritas do remanejamento constitucional (§7.13) e da lei que o transforma em incisos P (Decisões, "P incisos").
Reexportadas em ``emendas.services``."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.utils import timezone

from auditoria.services import montar, registrar, registrar_varios
from contas import perfis
from sigcon.dinheiro import ZERO, formatar_brl
from sigcon.transacoes import atomico

from ..models import (
    Bloco, ConclusaoRemanejamentoConstitucional, ConclusaoSaneamento, Exercicio, Inciso, LeiRemanejamento,
    LinhaRemanejamentoConstitucional, MovimentoSaneamento, ProgramacaoElegivel, SequenciaExercicio,
)
from ..prazos import OrigemSaldo
from ..regras import validar_valor
from ..travas import reservar_numeros
from . import selectors

Tipo = MovimentoSaneamento.Tipo


def _travar_titular(usuario, titular, exercicio) -> None:
    if not selectors.pode_agir(usuario, titular):
        raise PermissionDenied("Somente o titular da emenda (ou o responsável pelo bloco) programa o remanejamento "
                               "constitucional.")
    # O saldo do remanejamento constitucional e o mínimo em saúde dependem de todos os incisos do titular (passo 2
    # da ordem global, emendas/travas.py): duas programações simultâneas não gastam o mesmo guardado.
    list(Inciso.objects.filter(exercicio=exercicio, **selectors.filtro_do_titular(titular, "emenda__"))
         .select_for_update(no_key=True, of=("self",)).order_by("pk").values_list("pk", flat=True))


def _exercicio_do_titular(titular, exercicio):
    if exercicio is not None:
        return exercicio
    ultimo = (Inciso.objects.filter(**selectors.filtro_do_titular(titular, "emenda__"))
              .order_by("-exercicio__ano").values_list("exercicio_id", flat=True).first())
    if ultimo is None:
        raise ValidationError("O titular não tem incisos.")
    return Exercicio.objects.get(pk=ultimo)


def _conferir_programacao(usuario, titular, exercicio):
    _travar_titular(usuario, titular, exercicio)
    hoje = timezone.localdate()
    if not selectors.programacao_aberta(exercicio, hoje):
        raise ValidationError(f"A escolha do remanejamento constitucional está fechada hoje ({hoje:%d/%m/%Y}).")
    if selectors.lei_registrada(exercicio):
        raise ValidationError("A lei do remanejamento constitucional já foi registrada: a programação não muda mais.")
    figuras = selectors.figuras_remanejamento_constitucional(titular, exercicio, hoje)
    if figuras.concluido is not None:
        raise ValidationError("O remanejamento constitucional deste titular já foi concluído.")
    if figuras.incisos_pendentes:
        nomes = ", ".join(i.numero for i in figuras.incisos_pendentes)
        raise ValidationError(f"Conclua antes o saneamento de todos os incisos (faltam: {nomes}).")
    return figuras


@atomico
def programar_remanejamento_constitucional(*, usuario, titular, acao, grupo_despesa, valor: Decimal,
                                           exercicio=None) -> LinhaRemanejamentoConstitucional:
    """Uma dotação de destino do remanejamento constitucional (a UO pode mudar). Até o valor mínimo na área
    protegida ser programado, só destinos dela são aceitos."""
    valor = validar_valor(valor)
    exercicio = _exercicio_do_titular(titular, exercicio)
    figuras = _conferir_programacao(usuario, titular, exercicio)
    programacao = ProgramacaoElegivel.objects.filter(exercicio=exercicio, acao=acao, grupo_despesa=grupo_despesa,
                                                     recebe_remanejamento=True).first()
    if programacao is None:
        raise ValidationError(f"A ação {acao.codigo} com o grupo {grupo_despesa.nome} não recebe remanejamento no "
                              f"exercício {exercicio.ano} (anexo da Resolução SEGOV).")
    if valor > figuras.disponivel:
        raise ValidationError(f"Saldo do remanejamento constitucional insuficiente: disponível "
                              f"{formatar_brl(figuras.disponivel)}; pedido {formatar_brl(valor)}.")
    falta = figuras.valor_minimo_saude - figuras.valor_saude
    if acao.area not in figuras.areas and falta > ZERO and figuras.disponivel - valor < falta:
        raise ValidationError(
            f"Mínimo em {figuras.nome_area} não atendido: faltam {formatar_brl(falta)} programados em "
            f"{figuras.nome_area} (valor mínimo {formatar_brl(figuras.valor_minimo_saude)}, já programado "
            f"{formatar_brl(figuras.valor_saude)}); programe-os antes de outras áreas.")
    linha = LinhaRemanejamentoConstitucional.objects.create(
        exercicio=exercicio, acao=acao, grupo_despesa=grupo_despesa, valor=valor, criado_por=usuario,
        **selectors.filtro_do_titular(titular))
    registrar(acao="remanejamento_constitucional.programar", objeto=linha, usuario=usuario,
              depois={"acao": acao.codigo, "uo": acao.uo.codigo, "grupo": grupo_despesa.codigo, "valor": str(valor)})
    return linha


def _titular_da_linha(linha):
    return linha.bloco or linha.parlamentar


@atomico
def excluir_linha_remanejamento_constitucional(*, usuario, linha: LinhaRemanejamentoConstitucional) -> None:
    titular = _titular_da_linha(linha)
    _conferir_programacao(usuario, titular, linha.exercicio)
    atual = LinhaRemanejamentoConstitucional.objects.filter(pk=linha.pk, lei__isnull=True).first()
    if atual is None:
        raise ValidationError("Esta linha já não pode ser excluída.")
    registrar(acao="remanejamento_constitucional.excluir", objeto=atual, usuario=usuario,
              antes={"acao": atual.acao.codigo, "valor": str(atual.valor)})
    atual.delete()


@atomico
def refazer_escolha(*, usuario, titular, exercicio=None) -> int:
    """"Refazer Escolha" (§7.13): apaga as linhas programadas e reabre o saneamento dos incisos do titular (se a
    janela de escolha ainda está aberta). Devolve quantas linhas foram apagadas."""
    exercicio = _exercicio_do_titular(titular, exercicio)
    _conferir_programacao_sem_pendencias(usuario, titular, exercicio)
    linhas = LinhaRemanejamentoConstitucional.objects.filter(exercicio=exercicio, lei__isnull=True,
                                                             **selectors.filtro_do_titular(titular))
    n = linhas.count()
    linhas.delete()
    reabertos = 0
    if selectors.escolha_aberta(exercicio, timezone.localdate()):
        reabertos, _ = ConclusaoSaneamento.objects.filter(
            inciso__in=selectors.incisos_do_titular(titular, exercicio)).delete()
    registrar(acao="remanejamento_constitucional.refazer", objeto=exercicio, usuario=usuario,
              depois={"titular": str(titular), "linhas_apagadas": n, "saneamentos_reabertos": reabertos})
    return n


def _conferir_programacao_sem_pendencias(usuario, titular, exercicio):
    try:
        return _conferir_programacao(usuario, titular, exercicio)
    except ValidationError as exc:
        if "Conclua antes" in " ".join(exc.messages):
            return None  # refazer é justamente o caminho de volta ao saneamento
        raise


@atomico
def concluir_remanejamento_constitucional(*, usuario, titular, exercicio=None) -> ConclusaoRemanejamentoConstitucional:
    exercicio = _exercicio_do_titular(titular, exercicio)
    figuras = _conferir_programacao(usuario, titular, exercicio)
    exigido = min(figuras.valor_minimo_saude, figuras.saldo)
    if figuras.valor_saude < exigido:
        raise ValidationError(f"Programe ao menos {formatar_brl(exigido)} em {figuras.nome_area} antes de concluir "
                              f"(programado {formatar_brl(figuras.valor_saude)}).")
    conclusao = ConclusaoRemanejamentoConstitucional.objects.create(
        exercicio=exercicio, concluida_por=usuario, **selectors.filtro_do_titular(titular))
    registrar(acao="remanejamento_constitucional.concluir", objeto=exercicio, usuario=usuario, depois={
        "titular": str(titular), "programado": str(figuras.programado),
        "nao_programado": str(figuras.disponivel)})
    return conclusao


# ---------------------------------------------------------------------------
# A lei (SEGOV)

def _reservas_pendentes(exercicio) -> dict:
    """{inciso_id: guardado ainda não consumido por uma lei} dos incisos do exercício (uma consulta)."""
    pendentes = defaultdict(lambda: ZERO)
    linhas = (MovimentoSaneamento.objects.filter(inciso__exercicio=exercicio)
              .exclude(tipo=Tipo.SANEAMENTO).values("inciso_id", "tipo").annotate(t=Sum("valor")))
    for l in linhas:
        pendentes[l["inciso_id"]] += l["t"] if l["tipo"] == Tipo.RESERVA else -l["t"]
    return {k: v for k, v in pendentes.items() if v > ZERO}


def _numeros_p(exercicio, quantos: int) -> list[str]:
    """Números P livres (os importados já ocupam alguns): o contador do exercício, pulando os ocupados."""
    ocupados = set(Inciso.objects.filter(exercicio=exercicio, tipo=Inciso.Tipo.P).values_list("numero", flat=True))
    numeros = []
    while len(numeros) < quantos:
        for n in reservar_numeros(exercicio.pk, SequenciaExercicio.Nome.INCISO_P, quantos - len(numeros)):
            if f"P{n}" not in ocupados:
                numeros.append(f"P{n}")
    return numeros


@atomico
def registrar_lei_remanejamento(*, usuario, exercicio, numero_lei: str, data) -> list[Inciso]:
    """A SEGOV registra a lei sancionada: cada linha programada vira um inciso P, cujo dinheiro sai do guardado
    (reservado PL) dos incisos de origem do titular (como um inciso R: move, nunca cria); o guardado não programado
    perde a impositividade."""
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV registra a lei do remanejamento constitucional.")
    numero_lei = (numero_lei or "").strip()
    if not numero_lei:
        raise ValidationError("Informe o número da lei.")
    if data is None or data > timezone.localdate():
        raise ValidationError("Informe a data da sanção (não pode ser futura).")
    # Passo 1 da ordem global (como a carga da LOA): a lei cria incisos para o exercício inteiro.
    exercicio = Exercicio.objects.select_for_update(no_key=True).get(pk=exercicio.pk)
    if LeiRemanejamento.objects.filter(exercicio=exercicio, numero_lei=numero_lei).exists():
        raise ValidationError(f"A lei nº {numero_lei} já foi registrada neste exercício.")
    linhas = list(LinhaRemanejamentoConstitucional.objects.filter(exercicio=exercicio, lei__isnull=True)
                  .select_related("acao", "grupo_despesa").order_by("pk"))
    # Passo 2: os incisos de todos os titulares com linha ou guardado, em ordem de id (o dinheiro sai deles).
    com_guarda = MovimentoSaneamento.objects.filter(inciso__exercicio=exercicio, tipo=Tipo.RESERVA)
    parlamentares = {l.parlamentar_id for l in linhas if l.parlamentar_id} | set(
        com_guarda.filter(inciso__emenda__parlamentar__isnull=False).values_list("inciso__emenda__parlamentar_id",
                                                                                 flat=True))
    blocos = {l.bloco_id for l in linhas if l.bloco_id} | set(
        com_guarda.filter(inciso__emenda__bloco__isnull=False).values_list("inciso__emenda__bloco_id", flat=True))
    list(Inciso.objects.filter(Q(emenda__parlamentar__in=parlamentares) | Q(emenda__bloco__in=blocos),
                               exercicio=exercicio)
         .select_for_update(no_key=True, of=("self",)).order_by("pk").values_list("pk", flat=True))
    pendentes = _reservas_pendentes(exercicio)
    origens = {i.pk: i for i in Inciso.objects.filter(pk__in=pendentes).select_related("emenda").order_by("numero")}
    por_titular = defaultdict(list)
    for i in origens.values():
        por_titular[("B", i.emenda.bloco_id) if i.emenda.bloco_id else ("P", i.emenda.parlamentar_id)].append(i)
    lei = LeiRemanejamento.objects.create(exercicio=exercicio, numero_lei=numero_lei, data=data,
                                          registrada_por=usuario)
    agora = timezone.now()
    numeros = iter(_numeros_p(exercicio, len(linhas)))
    criados, saidas, auditorias = [], [], []
    for linha in linhas:
        chave = ("B", linha.bloco_id) if linha.bloco_id else ("P", linha.parlamentar_id)
        falta, partes = linha.valor, []
        for origem in por_titular[chave]:
            parte = min(falta, pendentes[origem.pk])
            if parte > ZERO:
                partes.append((origem, parte))
                pendentes[origem.pk] -= parte
                falta -= parte
            if falta == ZERO:
                break
        if falta > ZERO:
            raise ValidationError(f"A linha {linha.acao.codigo}/{linha.grupo_despesa.codigo} de {formatar_brl(linha.valor)} "
                                  "passa do guardado para o remanejamento constitucional do titular.")
        primeira = partes[0][0]
        inciso_p = Inciso.objects.create(
            emenda=primeira.emenda, numero=next(numeros), acao=linha.acao, grupo_despesa=linha.grupo_despesa,
            valor_inicial=linha.valor, inciso_origem=primeira, saldo_inicial=OrigemSaldo.LIVRE, criado_em=agora)
        linha.lei, linha.inciso_gerado = lei, inciso_p
        linha.save(update_fields=["lei", "inciso_gerado"])
        saidas += [MovimentoSaneamento(inciso=o, tipo=Tipo.SAIDA_LEI, valor=v, linha=linha, criado_por=usuario,
                                       criado_em=agora) for o, v in partes]
        criados.append(inciso_p)
        auditorias.append(montar(acao="inciso_p.criar", objeto=inciso_p, usuario=usuario, depois={
            "lei": numero_lei, "valor": str(linha.valor), "origens": {o.numero: str(v) for o, v in partes}}))
    # O guardado que nenhuma linha levou perde a impositividade (art. 160, §11 CE).
    saidas += [MovimentoSaneamento(inciso_id=pk, tipo=Tipo.PERDA_LEI, valor=v, criado_por=usuario, criado_em=agora)
               for pk, v in pendentes.items() if v > ZERO]
    MovimentoSaneamento.objects.bulk_create(saidas)
    registrar(acao="lei_remanejamento.registrar", objeto=lei, usuario=usuario, depois={
        "numero": numero_lei, "data": f"{data:%d/%m/%Y}", "incisos_p": [i.numero for i in criados]})
    if auditorias:
        registrar_varios(auditorias)
    return criados
