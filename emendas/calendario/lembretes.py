"""Lembretes de prazo por e-mail (tarefa diária do Celery beat), todos pela caixa de saída.

* Ao parlamentar (titular ou responsável pelo bloco), N dias e 1 dia antes de um prazo dele fechar: quanto há hoje em
  cada balde e, nos prazos que movem dinheiro, o que acontece com ele ("R$ 120.000,00 livres passam a SPR em
  23/02", pelas viradas de ``agenda.VIRADAS``, que seguem as Decisões).
* Ao analista do órgão, N e 1 dias antes de uma janela de indicação fechar, se há indicações das UOs dele esperando a
  análise há mais que o nível de serviço (``SIGCON_SLA_ORGAO_DIAS``).
* À SEGOV, todo dia, o que vence na semana, com o dinheiro em jogo e as filas.

Cada usuário escolhe quais quer (``PreferenciaLembretes``; sem linha, todos ligados). Nada sai duas vezes: a chave do
e-mail na caixa de saída é única por usuário, prazo e dia (rodar a tarefa de novo no mesmo dia não cria outro).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from contas import perfis
from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email
from sigcon.dinheiro import formatar_brl

from ..models import Bloco, Indicacao, Inciso, Parlamentar, PreferenciaLembretes, VinculoAssessor
from ..selectors import saldos_agrupados
from . import agenda
from .selectors import prazos_dos_exercicios

ZERO = Decimal("0.00")
# Os prazos que decidem a fila do órgão: uma indicação analisada depois deles volta para outro balde.
PRAZOS_DE_INDICACAO = {"fase:LIVRE", "fase:RESTRITA", f"{agenda.Trilha.P}:{agenda.Tipo.INDICACAO_CANCELAMENTO}"}
NOMES_BALDE = (("livre", "Livre"), ("com_remanejamento", "CPR"), ("sem_remanejamento", "SPR"),
               ("nao_impositivo", "Não impositivo"))


def antecedencias() -> tuple[int, ...]:
    """Com quantos dias de antecedência se lembra: N (``SIGCON_LEMBRETE_DIAS_ANTES``) e 1."""
    return tuple(sorted({max(1, settings.SIGCON_LEMBRETE_DIAS_ANTES), 1}, reverse=True))


def lembretes_do_perfil(usuario) -> list[str]:
    """Os campos de ``PreferenciaLembretes`` que valem para os perfis do *usuario* (os que a tela oferece)."""
    campos = []
    if perfis.tem_perfil(usuario, perfis.PARLAMENTAR, perfis.ASSESSOR):  # o assessor recebe os do titular
        campos.append("prazos")
    if perfis.tem_perfil(usuario, perfis.ORGAO):
        campos.append("fila_orgao")
    if perfis.e_segov(usuario):
        campos.append("semana_segov")
    return campos


def _desligados(campo: str) -> set[int]:
    return set(PreferenciaLembretes.objects.filter(**{campo: False}).values_list("usuario_id", flat=True))


def enviar_lembretes(*, dia: date | None = None) -> int:
    """Põe na caixa de saída os lembretes do *dia* (hoje, sem ele). Devolve quantos e-mails novos entraram."""
    dia = dia or timezone.localdate()
    antes = EmailPendente.objects.filter(tipo=EmailPendente.Tipo.LEMBRETE).count()
    todos = prazos_dos_exercicios()
    for exercicio, prazos in todos:
        fechando = agenda.prazos_fechando(prazos, dia, antecedencias())
        if not fechando:
            continue
        do_parlamentar = [(p, d) for p, d in fechando if perfis.PARLAMENTAR in p.publico]
        if do_parlamentar:
            _lembrar_parlamentares(exercicio, do_parlamentar, dia)
        de_indicacao = [(p, d) for p, d in fechando if p.chave in PRAZOS_DE_INDICACAO]
        if de_indicacao:
            _lembrar_orgao(exercicio, de_indicacao, dia)
    _resumo_da_semana(todos, dia)
    return EmailPendente.objects.filter(tipo=EmailPendente.Tipo.LEMBRETE).count() - antes


# --- parlamentares --------------------------------------------------------------------------------------------------

def _saldos_por_titular(exercicio, dia):
    """{(parlamentar_id, bloco_id): {tipo de inciso: Saldos}} do exercício inteiro (duas consultas)."""
    grupos = saldos_agrupados(Inciso.objects.filter(exercicio=exercicio), exercicio, dia,
                              chave=("emenda__parlamentar_id", "emenda__bloco_id", "tipo"), todos_do_exercicio=True)
    por_titular: dict[tuple, dict] = defaultdict(dict)
    for (parlamentar_id, bloco_id, tipo), g in grupos.items():
        por_titular[(parlamentar_id, bloco_id)][tipo] = g.saldos
    return por_titular


def _destinatarios_dos_titulares(chaves) -> dict[tuple, list[tuple]]:
    """(parlamentar_id, bloco_id) → [(usuário que recebe, nome do titular)]: o próprio parlamentar, ou o responsável
    pelo bloco (quem escreve nos incisos do bloco), e os assessores ativos dele (agem em nome dele, §1.2). Três
    consultas."""
    ids_parl = {p for p, b in chaves if p}
    ids_bloco = {b for p, b in chaves if b}
    titulares = {}
    for parl in Parlamentar.objects.filter(pk__in=ids_parl, usuario__isnull=False).select_related("usuario"):
        titulares[(parl.pk, None)] = (parl.pk, parl.usuario, parl.nome)
    for bloco in Bloco.objects.filter(pk__in=ids_bloco, responsavel__usuario__isnull=False).select_related(
            "responsavel__usuario"):
        titulares[(None, bloco.pk)] = (bloco.responsavel_id, bloco.responsavel.usuario, f"Bloco {bloco.nome}")
    assessores = defaultdict(list)
    for vinculo in (VinculoAssessor.objects.filter(parlamentar_id__in={p for p, _, _ in titulares.values()},
                                                   ativo=True, assessor__is_active=True)
                    .select_related("assessor").order_by("assessor__email")):
        assessores[vinculo.parlamentar_id].append(vinculo.assessor)
    return {chave: [(usuario, nome), *((a, nome) for a in assessores[pid])]
            for chave, (pid, usuario, nome) in titulares.items()}


def _somar(saldos_por_tipo: dict, tipos, campo: str) -> Decimal:
    return sum((getattr(s, campo) for t, s in saldos_por_tipo.items() if t in tipos), ZERO)


def linha_do_titular(nome: str, saldos_por_tipo: dict, prazo: agenda.Prazo) -> dict | None:
    """O que o lembrete diz de um titular: os baldes de hoje e, num prazo que move dinheiro, a frase da virada
    (None quando nada dele muda de balde). Exposta para os testes conferirem os números."""
    baldes = [(rotulo, _somar(saldos_por_tipo, ("S", "R", "P"), campo)) for campo, rotulo in NOMES_BALDE]
    linha = {"titular": nome, "baldes": [(r, formatar_brl(v)) for r, v in baldes if v], "viradas": []}
    if prazo.chave not in agenda.VIRADAS:
        return linha
    campos, destino, tipos = agenda.VIRADAS[prazo.chave]
    dia_seguinte = prazo.fim + timedelta(days=1)
    for campo in campos:
        valor = _somar(saldos_por_tipo, tipos, campo)
        if valor:
            linha["viradas"].append(f"{formatar_brl(valor)} {agenda.ROTULO_BALDE[campo]} passam a "
                                    f"{agenda.SIGLA_DESTINO[destino]} em {dia_seguinte:%d/%m}")
    return linha if linha["viradas"] else None


def _lembrar_parlamentares(exercicio, fechando, dia) -> None:
    por_titular = _saldos_por_titular(exercicio, dia)
    destinos = _destinatarios_dos_titulares(por_titular.keys())
    desligados = _desligados("prazos")
    por_usuario: dict[int, tuple] = {}
    for chave, saldos in sorted(por_titular.items(), key=lambda kv: (kv[0][1] is not None, kv[0])):
        if chave not in destinos:
            continue
        for usuario, nome in destinos[chave]:
            if usuario.pk in desligados or not usuario.is_active:
                continue
            por_usuario.setdefault(usuario.pk, (usuario, []))[1].append((nome, saldos))
    for prazo, dias in fechando:
        for usuario, titulares in por_usuario.values():
            linhas = [l for nome, saldos in titulares if (l := linha_do_titular(nome, saldos, prazo))]
            if not linhas:
                continue
            corpo = render_to_string("emails/lembrete_prazo.txt", {
                "usuario": usuario, "prazo": prazo, "dias": dias, "linhas": linhas, "exercicio": exercicio,
                "url": settings.SIGCON_URL_BASE,
            })
            _enfileirar(f"{prazo.titulo} fecha em {_em_dias(dias)} ({prazo.fim:%d/%m/%Y})", corpo, usuario,
                        f"{exercicio.ano}-{prazo.chave}", dia)


def _em_dias(dias: int) -> str:
    return "1 dia" if dias == 1 else f"{dias} dias"


def _enfileirar(assunto, corpo, usuario, janela: str, dia: date) -> None:
    enfileirar_email(assunto=f"SIGCON Saída – {assunto}", corpo=corpo, destinatarios=[usuario.email],
                     chave=f"lembrete-{janela}-u{usuario.pk}-{dia.isoformat()}"[:120],
                     tipo=EmailPendente.Tipo.LEMBRETE)


# --- órgão ----------------------------------------------------------------------------------------------------------

def _esperando_alem_do_sla(dia: date):
    limite = timezone.make_aware(datetime.combine(dia - timedelta(days=settings.SIGCON_SLA_ORGAO_DIAS), time.min))
    return Indicacao.objects.filter(status=Indicacao.Status.EM_ANALISE_ORGAO, enviada_em__lt=limite)


def _lembrar_orgao(exercicio, fechando, dia) -> None:
    """Um e-mail por analista e prazo: as indicações das UOs dele esperando além do nível de serviço."""
    esperando = list(
        _esperando_alem_do_sla(dia).filter(exercicio=exercicio)
        .select_related("inciso__acao__uo", "beneficiario").order_by("enviada_em", "pk")
    )
    if not esperando:
        return
    por_uo = defaultdict(list)
    for ind in esperando:
        por_uo[ind.inciso.acao.uo_id].append(ind)
    desligados = _desligados("fila_orgao")
    Usuario = get_user_model()
    analistas = (Usuario.objects.filter(is_active=True, groups__name=perfis.ORGAO, uos_analisadas__in=list(por_uo))
                 .exclude(pk__in=desligados).distinct().prefetch_related("uos_analisadas"))
    for analista in analistas:
        itens = [ind for uo in analista.uos_analisadas.all() for ind in por_uo.get(uo.pk, [])]
        if not itens:
            continue
        for prazo, dias in fechando:
            corpo = render_to_string("emails/lembrete_orgao.txt", {
                "usuario": analista, "prazo": prazo, "dias": dias, "itens": itens, "exercicio": exercicio,
                "sla": settings.SIGCON_SLA_ORGAO_DIAS, "hoje": dia, "url": settings.SIGCON_URL_BASE,
            })
            _enfileirar(f"{len(itens)} indicação(ões) esperando a análise do órgão; {prazo.titulo} fecha em "
                        f"{_em_dias(dias)}", corpo, analista, f"orgao-{exercicio.ano}-{prazo.chave}", dia)


# --- SEGOV ----------------------------------------------------------------------------------------------------------

def _em_jogo(exercicio, prazo, dia) -> str:
    """Quanto, somando todos os titulares, muda de balde no fim do *prazo* (vazio quando o prazo não move dinheiro)."""
    if prazo.chave not in agenda.VIRADAS:
        return ""
    campos, destino, tipos = agenda.VIRADAS[prazo.chave]
    grupos = saldos_agrupados(Inciso.objects.filter(exercicio=exercicio, tipo__in=tipos), exercicio, dia,
                              chave=("tipo",), todos_do_exercicio=False)
    total = sum((getattr(g.saldos, c) for g in grupos.values() for c in campos), ZERO)
    if not total:
        return ""
    return (f"{formatar_brl(total)} passam a {agenda.SIGLA_DESTINO[destino]} em "
            f"{prazo.fim + timedelta(days=1):%d/%m}")


def _resumo_da_semana(todos, dia) -> None:
    semana = [(e, p, _em_jogo(e, p, dia)) for e, ps in todos for p in agenda.prazos_da_semana(ps, dia)]
    if not semana:
        return
    filas = Indicacao.objects.aggregate(
        orgao=Count("pk", filter=Q(status=Indicacao.Status.EM_ANALISE_ORGAO)),
        orgao_atrasadas=Count("pk", filter=Q(pk__in=_esperando_alem_do_sla(dia).values("pk"))),
        segov=Count("pk", filter=Q(status=Indicacao.Status.EM_ANALISE_SEGOV)),
    )
    Usuario = get_user_model()
    destinatarios = (Usuario.objects.filter(is_active=True, groups__name=perfis.SEGOV)
                     .exclude(pk__in=_desligados("semana_segov")).distinct())
    for usuario in destinatarios:
        corpo = render_to_string("emails/lembrete_semana.txt", {
            "usuario": usuario, "semana": semana, "dia": dia, "filas": filas, "sla": settings.SIGCON_SLA_ORGAO_DIAS,
            "url": settings.SIGCON_URL_BASE,
        })
        _enfileirar(f"{len(semana)} prazo(s) vencem nesta semana", corpo, usuario, "semana", dia)
