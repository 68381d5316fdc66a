"""Um exercício inteiro: emendas, incisos S, remanejamentos (e os incisos R dos aprovados) e indicações.

Tudo em memória e gravado de uma vez (``COPY``, ver ``copia.py``), mas com o que os serviços gravariam: números da sequência do
exercício (em ordem de data), campos coerentes com a situação (as CheckConstraints conferem), o balde de
devolução e o balde inicial dos incisos R pelas mesmas funções de ``emendas.prazos``. O dinheiro fecha porque
cada inciso gasta no máximo ``USO_MAXIMO`` do seu valor, e todo movimento sai de um balde que tinha o dinheiro
no dia: LIVRE na janela livre; SPR na janela restrita (exercícios passados), quando o LIVRE já virou SPR.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from convenios.models import Convenente
from emendas import prazos
from emendas.indicacoes.regras import TIPOS_POR_FORMA
from emendas.indicacoes.services import formas_permitidas
from emendas.models import (
    Emenda, Indicacao, Inciso, RegistroIndicacao, RegistroRemanejamento, Remanejamento, SequenciaExercicio,
)
from sigcon.dinheiro import quantizar

from .copia import gravar

USO_MAXIMO = Decimal("0.60")  # o resto fica LIVRE para a rajada do bench pedir remanejamentos e indicações
LIVRE, SPR = prazos.OrigemSaldo.LIVRE, prazos.OrigemSaldo.SEM_REMANEJAMENTO
R, I = Remanejamento.Status, Indicacao.Status
LOTE = 5000

OBJETOS = ["Aquisição de ambulância", "Reforma de unidade básica de saúde", "Aquisição de equipamentos",
           "Custeio de atendimento", "Pavimentação de vias", "Reforma de escola", "Apoio a evento cultural",
           "Construção de quadra poliesportiva", "Aquisição de veículo", "Custeio da rede de proteção social"]


@dataclass
class Contexto:
    """O que um exercício usa dos cadastros (comuns a todos os exercícios)."""

    rng: random.Random
    acoes: list
    grupos: list
    parlamentares: list
    blocos: list
    segov: list
    analistas: dict  # uo_id -> [usuarios]
    convenentes: dict  # tipo -> [Convenente]
    categorias: list
    contagens: dict = field(default_factory=dict)

    def somar(self, chave: str, n: int) -> None:
        self.contagens[chave] = self.contagens.get(chave, 0) + n


class Orcamento:
    """Quanto de cada inciso os movimentos gerados já usaram (nunca passa de ``USO_MAXIMO`` do valor)."""

    def __init__(self):
        self.usado: dict[int, Decimal] = {}

    def tirar(self, inciso, fracao: float) -> Decimal | None:
        limite = quantizar(inciso.valor_inicial * USO_MAXIMO)
        resta = limite - self.usado.get(id(inciso), Decimal("0.00"))
        valor = min(quantizar(inciso.valor_inicial * Decimal(str(round(fracao, 4)))), resta)
        if valor < Decimal("100.00"):
            return None
        self.usado[id(inciso)] = self.usado.get(id(inciso), Decimal("0.00")) + valor
        return valor


def _momento(rng: random.Random, dia: date) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time(rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59))))


def _dia_entre(rng: random.Random, inicio: date, fim: date) -> date:
    return inicio + timedelta(days=rng.randint(0, max(0, (fim - inicio).days)))


def _sortear(rng: random.Random, restantes: int, pesos: dict) -> list:
    return rng.choices(list(pesos), weights=list(pesos.values()), k=restantes) if restantes > 0 else []


def gerar_exercicio(ctx: Contexto, ex, escala, *, corrente: bool) -> None:
    # Último dia com movimento: no exercício corrente, ontem (hoje é o último dia da janela livre).
    ultimo_livre = ex.fim_janela_livre - timedelta(days=1) if corrente else ex.fim_janela_livre
    incisos_s, autor = _incisos_s(ctx, ex, escala)
    orcamento = Orcamento()
    incisos_r = _remanejamentos(ctx, ex, escala, incisos_s, autor, orcamento, corrente, ultimo_livre)
    _indicacoes(ctx, ex, escala, incisos_s + incisos_r, autor, orcamento, corrente, ultimo_livre)


def _incisos_s(ctx: Contexto, ex, escala):
    """Emendas dos parlamentares (4 de 25 incisos no estado) e dos blocos, com os incisos S da LOA."""
    rng = ctx.rng
    titulares = [(p, None, escala.incisos_por_parlamentar) for p in ctx.parlamentares]
    titulares += [(None, b, escala.incisos_por_bloco) for b in ctx.blocos]
    emendas, por_emenda = [], []
    numero = 1000
    for parlamentar, bloco, total in titulares:
        partes = max(1, total // 25)
        for k in range(partes):
            numero += 1
            emendas.append(Emenda(exercicio=ex, numero=numero, parlamentar=parlamentar, bloco=bloco))
            por_emenda.append(total // partes + (1 if k < total % partes else 0))
    Emenda.objects.bulk_create(emendas, batch_size=LOTE)
    saude = [a for a in ctx.acoes if a.area == "SAUDE"]
    criado = timezone.make_aware(datetime.combine(ex.data_publicacao_loa, time(10, 0)))
    incisos, autor, n = [], {}, 0
    for emenda, quantos in zip(emendas, por_emenda):
        titular = emenda.parlamentar or emenda.bloco.responsavel
        autor[emenda.pk] = titular.usuario_id  # só o titular (no bloco, o responsável) escreve
        for k in range(quantos):
            n += 1
            # Metade (ou mais) em saúde, como pede o mínimo constitucional.
            acao = rng.choice(saude) if k % 2 == 0 else rng.choice(ctx.acoes)
            incisos.append(Inciso(
                exercicio=ex, emenda=emenda, numero=f"S{n}", tipo=Inciso.Tipo.S, acao=acao,
                grupo_despesa=rng.choice(ctx.grupos), valor_inicial=Decimal(rng.randrange(10_000_000, 200_000_000)) / 100,
                saldo_inicial=LIVRE, criado_em=criado,
            ))
    gravar(incisos)
    ctx.somar("emendas", len(emendas))
    ctx.somar("incisos_s", len(incisos))
    return incisos, autor


def _remanejamentos(ctx, ex, escala, incisos_s, autor, orcamento, corrente, ultimo_livre) -> list:
    """Pedidos em todas as situações; cada aprovado gera o seu inciso R (numerado na ordem da aprovação)."""
    rng = ctx.rng
    destinos: dict[int, list] = {}
    for a in ctx.acoes:
        destinos.setdefault(a.uo_id, []).extend((a, g) for g in ctx.grupos)
    fila = escala.fila_remanejamentos if corrente else 0
    situacoes = [R.SOLICITADO] * fila + [R.APROVADO] * escala.aprovados_por_ano
    situacoes += _sortear(rng, escala.remanejamentos_por_ano - len(situacoes), {R.REPROVADO: 6, R.CANCELADO: 4})
    pedidos = []
    for situacao in situacoes:
        for _ in range(20):
            origem = rng.choice(incisos_s)
            valor = orcamento.tirar(origem, rng.uniform(0.03, 0.12))
            if valor:
                break
        else:
            continue
        acao, grupo = rng.choice([d for d in destinos[origem.acao.uo_id]
                                  if (d[0].pk, d[1].pk) != (origem.acao_id, origem.grupo_despesa_id)])
        usuario = autor[origem.emenda_id]
        if situacao == R.SOLICITADO:
            dia_pedido = _dia_entre(rng, ex.data_liberacao, ultimo_livre)
        else:
            dia_pedido = _dia_entre(rng, ex.data_liberacao, ultimo_livre - timedelta(days=1))
        rem = Remanejamento(inciso_origem=origem, acao=acao, grupo_despesa=grupo, valor=valor, status=situacao,
                            saldo_origem=LIVRE, solicitado_por_id=usuario, solicitado_em=_momento(rng, dia_pedido),
                            detalhamento=f"Remanejamento para {acao.nome.lower()}.")
        if situacao != R.SOLICITADO:
            # Aprovação na janela livre (o R nasce LIVRE); reprovação e cancelamento também depois, nos passados.
            fim = ultimo_livre if (corrente or situacao == R.APROVADO) else ex.fim_janela_obrigatoria
            dia = min(_dia_entre(rng, dia_pedido, dia_pedido + timedelta(days=8)), fim)
            rem.decidido_em = max(_momento(rng, dia), rem.solicitado_em + timedelta(minutes=5))
            rem.decidido_por_id = usuario if situacao == R.CANCELADO else rng.choice(ctx.segov).pk
            if situacao in (R.REPROVADO, R.CANCELADO):
                rem.saldo_devolucao = prazos.destino_devolucao_remanejamento(ex, dia, rem.saldo_origem)
            if situacao == R.REPROVADO:
                rem.justificativa = "Destino incompatível com o plano de aplicação."
        pedidos.append(rem)
    aprovados = sorted((r for r in pedidos if r.status == R.APROVADO), key=lambda r: r.decidido_em)
    incisos_r = []
    for n, rem in enumerate(aprovados, start=1):
        origem = rem.inciso_origem
        rem.inciso_gerado = Inciso(
            exercicio=ex, emenda_id=origem.emenda_id, numero=f"R{n}", tipo=Inciso.Tipo.R, acao=rem.acao,
            grupo_despesa=rem.grupo_despesa, valor_inicial=rem.valor, inciso_origem=origem,
            saldo_inicial=prazos.saldo_inicial_inciso_r(ex, timezone.localdate(rem.decidido_em), rem.saldo_origem),
            criado_em=rem.decidido_em,
        )
        incisos_r.append(rem.inciso_gerado)
    gravar(incisos_r)
    for rem in aprovados:
        rem.inciso_gerado_id = rem.inciso_gerado.pk
    pedidos.sort(key=lambda r: r.solicitado_em)  # id cresce com a data, como o sistema gravaria
    gravar(pedidos)
    SequenciaExercicio.objects.filter(exercicio=ex, nome=SequenciaExercicio.Nome.INCISO_R).update(ultimo=len(incisos_r))
    _historico_remanejamentos(pedidos)
    for situacao, n in _contar(pedidos).items():
        ctx.somar(f"remanejamentos_{situacao.lower()}", n)
    ctx.somar("remanejamentos", len(pedidos))
    ctx.somar("incisos_r", len(incisos_r))
    return incisos_r


def _contar(objetos) -> dict:
    contagem: dict = {}
    for o in objetos:
        contagem[o.status] = contagem.get(o.status, 0) + 1
    return contagem


def _historico_remanejamentos(pedidos) -> None:
    registros = []
    for rem in pedidos:
        registros.append(RegistroRemanejamento(
            remanejamento=rem, usuario_id=rem.solicitado_por_id, momento=rem.solicitado_em, status_novo=R.SOLICITADO,
            valor=rem.valor, observacao="Saldo de origem: livre."))
        if rem.status != R.SOLICITADO:
            registros.append(RegistroRemanejamento(
                remanejamento=rem, usuario_id=rem.decidido_por_id, momento=rem.decidido_em,
                status_anterior=R.SOLICITADO, status_novo=rem.status, valor=rem.valor, observacao=rem.justificativa))
    gravar(registros)


PESOS_CORRENTE = {I.APROVADA: 70, I.REPROVADA: 8, I.CANCELADA: 6, I.RETORNADO_SEGOV: 4, I.AGUARDANDO_AJUSTE: 4,
                  I.EM_ANALISE_ORGAO: 4, I.EM_ANALISE_SEGOV: 4}
PESOS_PASSADO = {I.APROVADA: 82, I.REPROVADA: 11, I.CANCELADA: 7}


def _indicacoes(ctx, ex, escala, incisos, autor, orcamento, corrente, ultimo_livre) -> None:
    rng = ctx.rng
    if corrente:
        situacoes = [I.EM_ANALISE_SEGOV] * escala.fila_indicacoes + [I.EM_ANALISE_ORGAO] * escala.em_analise_orgao
        extras = escala.indicacoes_por_ano - len(situacoes)
        # Nas filas da SEGOV e do órgão só as quantidades pedidas.
        pesos = {k: v for k, v in PESOS_CORRENTE.items() if k not in (I.EM_ANALISE_SEGOV, I.EM_ANALISE_ORGAO)}
        situacoes += _sortear(rng, extras, pesos)
    else:
        situacoes = _sortear(rng, escala.indicacoes_por_ano, PESOS_PASSADO)
    rng.shuffle(situacoes)
    tipos_existentes = {t for t, lista in ctx.convenentes.items() if lista}
    # 2% dos incisos recebem 15% das indicações, em valores menores: a página do inciso com dezenas delas.
    pesados = rng.sample(incisos, max(1, len(incisos) // 50))
    indicacoes, fases = [], []
    for situacao in situacoes:
        for _ in range(20):
            pesado = rng.random() < 0.15
            inciso = rng.choice(pesados if pesado else incisos)
            inicio = ex.data_liberacao
            if inciso.tipo == Inciso.Tipo.R:
                inicio = timezone.localdate(inciso.criado_em) + timedelta(days=1)
            if inicio <= ultimo_livre:
                valor = orcamento.tirar(inciso, rng.uniform(0.002, 0.01) if pesado else rng.uniform(0.02, 0.10))
                if valor:
                    break
        else:
            continue
        # Nos exercícios passados, parte das indicações saiu na janela restrita, do SPR.
        restrita = not corrente and rng.random() < 0.1
        if restrita:
            dia = _dia_entre(rng, ex.fim_janela_livre + timedelta(days=1), ex.fim_janela_obrigatoria - timedelta(days=2))
        else:
            dia = _dia_entre(rng, inicio, ultimo_livre)
        formas = [f for f in formas_permitidas(inciso) if set(TIPOS_POR_FORMA[f]) & tipos_existentes
                  or not TIPOS_POR_FORMA[f]]
        forma = rng.choice(formas)
        tipos = [t for t in TIPOS_POR_FORMA[forma] if t in tipos_existentes]
        beneficiario = rng.choice(ctx.convenentes[rng.choice(tipos)]) if tipos else None
        ind = Indicacao(exercicio=ex, inciso=inciso, forma_execucao=forma, beneficiario=beneficiario,
                        objeto=rng.choice(OBJETOS), valor=valor, status=situacao,
                        origem_saldo=SPR if restrita else LIVRE, enviada_por_id=autor[inciso.emenda_id],
                        enviada_em=_momento(rng, dia))
        fases.append(_decisoes(ctx, ex, ind, inciso, dia, ultimo_livre if corrente else ex.fim_janela_obrigatoria))
        indicacoes.append(ind)
    # Gravadas na ordem do envio, como o sistema gravaria: número e id crescem com a data.
    ordem = sorted(range(len(indicacoes)), key=lambda k: indicacoes[k].enviada_em)
    indicacoes, fases = [indicacoes[k] for k in ordem], [fases[k] for k in ordem]
    for n, ind in enumerate(indicacoes, start=1):
        ind.numero = n
    gravar(indicacoes)
    SequenciaExercicio.objects.filter(exercicio=ex, nome=SequenciaExercicio.Nome.INDICACAO).update(ultimo=len(indicacoes))
    _historico_indicacoes(indicacoes, fases)
    for situacao, n in _contar(indicacoes).items():
        ctx.somar(f"indicacoes_{situacao.lower()}", n)
    ctx.somar("indicacoes", len(indicacoes))


def _decisoes(ctx, ex, ind, inciso, dia, fim) -> list:
    """Preenche as decisões conforme a situação; devolve os passos do histórico (de, para, quem, quando)."""
    rng = ctx.rng
    analista = rng.choice(ctx.analistas[inciso.acao.uo_id]).pk
    segov = rng.choice(ctx.segov).pk

    def depois(momento, dias=3):
        proximo = min(_dia_entre(rng, timezone.localdate(momento), timezone.localdate(momento) + timedelta(days=dias)), fim)
        return max(_momento(rng, proximo), momento + timedelta(minutes=10))

    passos = [("", I.EM_ANALISE_ORGAO, ind.enviada_por_id, ind.enviada_em, "Enviada.")]
    s = ind.status
    if s in (I.EM_ANALISE_SEGOV, I.RETORNADO_SEGOV, I.APROVADA):
        ind.aprovada_orgao_por_id, ind.aprovada_orgao_em = analista, depois(ind.enviada_em)
        passos.append((I.EM_ANALISE_ORGAO, I.EM_ANALISE_SEGOV, analista, ind.aprovada_orgao_em, "Aprovada pelo órgão."))
    if s == I.APROVADA:
        ind.aprovada_segov_por_id, ind.aprovada_segov_em = segov, depois(ind.aprovada_orgao_em)
        passos.append((I.EM_ANALISE_SEGOV, I.APROVADA, segov, ind.aprovada_segov_em, ""))
    elif s == I.RETORNADO_SEGOV:
        ind.justificativa = "Objeto incompatível com a ação: ajuste a descrição."
        passos.append((I.EM_ANALISE_SEGOV, s, segov, depois(ind.aprovada_orgao_em), ind.justificativa))
    elif s == I.AGUARDANDO_AJUSTE:
        ind.justificativa = "Informe o plano de trabalho resumido."
        passos.append((I.EM_ANALISE_ORGAO, s, analista, depois(ind.enviada_em), ind.justificativa))
    elif s in (I.REPROVADA, I.CANCELADA):
        cancelada = s == I.CANCELADA
        ind.encerrada_em = depois(ind.enviada_em, dias=30)
        ind.encerrada_por_id = ind.enviada_por_id if cancelada else analista
        ind.saldo_devolucao = prazos.destino_devolucao_indicacao(
            ex, timezone.localdate(ind.encerrada_em), ind.origem_saldo, cancelamento=cancelada)
        ind.justificativa = "Cancelada pelo parlamentar." if cancelada else "Impedimento de ordem técnica."
        if not cancelada:
            ind.categoria_impedimento = rng.choice(ctx.categorias)
        passos.append((I.EM_ANALISE_ORGAO, s, ind.encerrada_por_id, ind.encerrada_em, ind.justificativa))
    return passos


def _historico_indicacoes(indicacoes, fases) -> None:
    registros = [
        RegistroIndicacao(indicacao=ind, usuario_id=quem, momento=quando, status_anterior=de, status_novo=para,
                          justificativa=texto)
        for ind, passos in zip(indicacoes, fases) for de, para, quem, quando, texto in passos
    ]
    gravar(registros)


def convenentes_por_tipo() -> dict:
    return dict(Convenente.objects.values_list("tipo").annotate(n=Count("pk")).order_by())
