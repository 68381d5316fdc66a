"""“Vai passar?”: antes de enviar, tudo o que os passos seguintes vão conferir, linha a linha (issue 17, item 3).

Uma função só (``avaliar``) responde, para o formulário de indicação e para o analista que a recebe
(``avaliar_indicacao``), com uma lista de ``Checagem``: passa (OK), atenção (ALERTA) ou não passa (BLOQUEIO), com a
regra (um código estável), a mensagem e a correção. Só lê: nunca trava, grava nem consulta sistemas externos (a
situação CAGEC/SIAFI é a do espelho guardado, com a hora da consulta). As regras de bloqueio são as mesmas funções que
o serviço ``enviar_indicacoes`` usa (forma, beneficiário, janela, valor, saldo); CAGEC e SIAFI nunca bloqueiam uma
indicação (Decisões, "CAGEC / SIAFI"), então dão no máximo um alerta.

As consultas não crescem com o número de linhas: uma para os saldos, uma para o histórico de impedimentos dos
beneficiários e as da programação do titular quando o exercício tem mínimo de saúde.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils import timezone

from convenios.regularidade import motivo_isencao_cagec
from sigcon.dinheiro import ZERO, formatar_brl

from . import prazos
from .indicacoes import regras as regras_beneficiario
from .indicacoes.services import formas_permitidas
from .models import Indicacao, Inciso
from .regras import validar_valor
from .remanejamentos.regras import areas_protegidas, pedidos_ativos, programacao_na_area
from .selectors import pode_escrever_no_inciso, saldos_inciso

Forma = Indicacao.FormaExecucao
# Depois disto a situação guardada no espelho é velha demais para tranquilizar alguém.
SITUACAO_VELHA = timedelta(days=30)
# Formas cujo beneficiário assina convênio e passa pela regularidade do CAGEC (§8.3).
FORMAS_COM_CONVENIO = (Forma.CONVENIO, Forma.OUTROS_INSTRUMENTOS)


class Resultado(str, Enum):
    OK = "OK"
    ALERTA = "ALERTA"
    BLOQUEIO = "BLOQUEIO"

    @property
    def rotulo(self) -> str:
        return {"OK": "Passa", "ALERTA": "Atenção", "BLOQUEIO": "Não passa"}[self.value]


@dataclass(frozen=True)
class Checagem:
    resultado: Resultado
    regra: str
    mensagem: str
    linha: int | None = None  # índice da linha em *linhas* (0 = a primeira); None: o envio todo
    correcao: str = ""

    @property
    def numero_da_linha(self) -> int | None:
        """A linha como a tela a numera (1, 2, ...)."""
        return None if self.linha is None else self.linha + 1


def _ok(regra, mensagem, linha=None) -> Checagem:
    return Checagem(Resultado.OK, regra, mensagem, linha)


def _alerta(regra, mensagem, linha=None, correcao="") -> Checagem:
    return Checagem(Resultado.ALERTA, regra, mensagem, linha, correcao)


def _bloqueio(regra, mensagem, linha=None, correcao="") -> Checagem:
    return Checagem(Resultado.BLOQUEIO, regra, mensagem, linha, correcao)


def _texto(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------
# A função pública

def avaliar(*, usuario, inciso: Inciso, forma_execucao: str, linhas, origem_saldo=None,
            dia: date | None = None) -> list[Checagem]:
    """Tudo o que o envio de *linhas* — pares ``(beneficiario ou None, valor)`` — no *inciso* vai encontrar."""
    dia = dia or timezone.localdate()
    linhas = list(linhas)
    checagens = [_permissao(usuario, inciso), _forma(inciso, forma_execucao)]
    balde, sobre_janela = _janela_e_balde(inciso, dia, origem_saldo)
    checagens += sobre_janela
    valores = _valores(linhas, checagens)
    if balde is not None and valores:
        checagens += _saldo(inciso, dia, balde, valores)
    checagens += _beneficiarios(forma_execucao, linhas, balde)
    checagens += _historico_iot(linhas)
    checagens += _minimo_saude(inciso)
    return checagens


def avaliar_indicacao(indicacao: Indicacao, dia: date | None = None) -> list[Checagem]:
    """O que o analista vê ao receber a indicação: as regras que não dependem de quem a mandou nem do saldo de hoje
    (o valor dela já saiu do saldo no envio), contra o espelho CAGEC/SIAFI e o histórico atuais."""
    dia = dia or timezone.localdate()
    inciso = indicacao.inciso
    linhas = [(indicacao.beneficiario, indicacao.valor)]
    checagens = [_forma(inciso, indicacao.forma_execucao)]
    checagens += _beneficiarios(indicacao.forma_execucao, linhas, indicacao.origem_saldo)
    checagens += _historico_iot(linhas, excluir=indicacao.pk)
    checagens += _minimo_saude(inciso)
    return checagens


def resumo(checagens) -> dict:
    """Quantas de cada resultado, e se o envio passa (nenhum bloqueio)."""
    contagem = Counter(c.resultado for c in checagens)
    return {"ok": contagem[Resultado.OK], "alertas": contagem[Resultado.ALERTA],
            "bloqueios": contagem[Resultado.BLOQUEIO], "passa": not contagem[Resultado.BLOQUEIO]}


# ---------------------------------------------------------------------------
# Regras, uma por função (cada uma testada sozinha em tests/emendas/test_preflight.py)

def _permissao(usuario, inciso) -> Checagem:
    if pode_escrever_no_inciso(usuario, inciso):
        return _ok("permissao", "Você pode indicar neste inciso.")
    return _bloqueio("permissao", "Você só pode consultar este inciso: somente o titular da emenda (ou o responsável "
                     "pelo bloco) indica.", correcao="Peça ao titular que faça a indicação.")


def _forma(inciso, forma) -> Checagem:
    permitidas = formas_permitidas(inciso)
    if forma in permitidas:
        return _ok("forma", f"A forma “{Forma(forma).label}” é permitida para a UO {inciso.acao.uo.codigo}.")
    rotulo = Forma(forma).label if forma in Forma.values else (forma or "nenhuma")
    return _bloqueio("forma", f"A forma “{rotulo}” não é permitida para o inciso {inciso.numero} (UO "
                     f"{inciso.acao.uo.codigo}, ação {inciso.acao.codigo}).",
                     correcao="Escolha uma destas: " + ", ".join(Forma(f).label for f in permitidas) + ".")


def _janela_e_balde(inciso, dia, origem_saldo) -> tuple[str | None, list[Checagem]]:
    """O balde de que o envio sai hoje (ou None) e as checagens da janela e do balde."""
    exercicio = inciso.exercicio
    try:
        usos = prazos.conferir_janela(exercicio, dia, "indicacao")
    except ValidationError as exc:
        return None, [_bloqueio("janela", _texto(exc), correcao="Não há o que corrigir no formulário: a indicação só "
                                "pode ser enviada dentro da janela do calendário do exercício.")]
    fim = prazos.fim_da_fase(exercicio, dia)
    ate = f", até {fim:%d/%m/%Y}" if fim else ""
    janela = _ok("janela", f"Janela aberta hoje: {prazos.fase(exercicio, dia).rotulo.lower()}{ate}.")
    nomes = " ou ".join(f"“{prazos.OrigemSaldo(u).label.lower()}”" for u in usos)
    if len(usos) == 1 and origem_saldo in (None, "", usos[0]):
        return usos[0], [janela, _ok("balde", f"Sai do saldo {prazos.OrigemSaldo(usos[0]).label.lower()}.")]
    if len(usos) > 1 and origem_saldo in usos:
        return origem_saldo, [janela, _ok("balde", f"Sai do saldo {prazos.OrigemSaldo(origem_saldo).label.lower()}.")]
    if not origem_saldo:
        return None, [janela, _bloqueio("balde", "Escolha o saldo a usar.", correcao=f"Hoje vale {nomes}.")]
    return None, [janela, _bloqueio("balde", "Hoje a indicação não pode usar esse saldo.", correcao=f"Use {nomes}.")]


def _valores(linhas, checagens) -> list[tuple[int, Decimal]]:
    """Os valores válidos (índice, valor); os inválidos viram bloqueio na linha."""
    validos = []
    for n, (_, valor) in enumerate(linhas):
        try:
            validos.append((n, validar_valor(valor)))
        except ValidationError as exc:
            checagens.append(_bloqueio("valor", _texto(exc), n, correcao="Informe um valor positivo, em reais."))
    if not linhas:
        checagens.append(_bloqueio("valor", "Inclua ao menos um beneficiário com o valor.",
                                   correcao="Preencha o CNPJ e o valor da primeira linha."))
    return validos


def _saldo(inciso, dia, balde, valores) -> list[Checagem]:
    """O total de todas as linhas contra o saldo do balde (o bloqueio vai para a linha que passa dele)."""
    disponivel = saldos_inciso(inciso, dia).saldo_do_balde(balde)
    total = sum((v for _, v in valores), ZERO)
    rotulo = prazos.OrigemSaldo(balde).label.lower()
    if total <= disponivel:
        return [_ok("saldo", f"Total {formatar_brl(total)} dentro do saldo {rotulo} ({formatar_brl(disponivel)}); "
                    f"sobram {formatar_brl(disponivel - total)}.")]
    soma = ZERO
    for n, valor in valores:
        soma += valor
        if soma > disponivel:
            return [_bloqueio("saldo", f"Com esta linha o total, {formatar_brl(total)}, passa o saldo {rotulo} "
                              f"disponível, {formatar_brl(disponivel)}, em {formatar_brl(total - disponivel)}.", n,
                              correcao=f"Reduza os valores em {formatar_brl(total - disponivel)} ou remova linhas.")]
    return []  # pragma: no cover (a soma passa o disponível em alguma linha)


def _beneficiarios(forma, linhas, balde) -> list[Checagem]:
    checagens = []
    vistos = Counter(b.pk for b, _ in linhas if b is not None)
    agora = timezone.now()
    for n, (beneficiario, _) in enumerate(linhas):
        tipo = beneficiario.tipo if beneficiario is not None else None
        recusa = regras_beneficiario.conferir_beneficiario(forma, tipo) if forma in Forma.values else None
        if recusa:
            checagens.append(_bloqueio("beneficiario", recusa, n, correcao="Troque o beneficiário ou a forma."))
            continue
        if beneficiario is None:
            continue
        checagens.append(_ok("beneficiario", f"{beneficiario.razao_social} ({beneficiario.get_tipo_display()}) "
                             f"pode receber por “{Forma(forma).label}”.", n))
        if vistos[beneficiario.pk] > 1:
            checagens.append(_alerta("beneficiario", f"{beneficiario.razao_social} aparece em {vistos[beneficiario.pk]} "
                                     "linhas: serão indicações separadas.", n,
                                     correcao="Junte os valores numa linha, se não for de propósito."))
        checagens += _regularidade(forma, beneficiario, balde, n, agora)
    return checagens


def _quando(beneficiario, agora) -> tuple[str, bool]:
    """"consultado em dd/mm/aaaa às hh:mm" e se a consulta está velha."""
    consultada = beneficiario.situacao_consultada_em
    if consultada is None:
        return "nunca consultado", True
    return (f"consultado em {timezone.localtime(consultada):%d/%m/%Y às %H:%M}",
            agora - consultada > SITUACAO_VELHA)


def _regularidade(forma, beneficiario, balde, n, agora) -> list[Checagem]:
    """CAGEC e SIAFI-MG pelo espelho: só informam (nunca impedem a indicação), no máximo um alerta."""
    quando, velha = _quando(beneficiario, agora)
    nome = beneficiario.razao_social
    checagens = []
    if forma in FORMAS_COM_CONVENIO:
        isencao = motivo_isencao_cagec(tipo_convenente=beneficiario.tipo, natureza_especial="",
                                       usa_emenda_impositiva=balde not in (None, prazos.OrigemSaldo.NAO_IMPOSITIVO))
        if isencao:
            checagens.append(_ok("isencao", f"{isencao} O convênio não exigirá a regularidade no CAGEC.", n))
        elif beneficiario.situacao_cagec == "REGULAR" and not velha:
            checagens.append(_ok("cagec", f"{nome}: regular no CAGEC ({quando}).", n))
        elif beneficiario.situacao_cagec == "IRREGULAR":
            checagens.append(_alerta("cagec", f"{nome}: irregular no CAGEC ({quando}). A indicação pode ser enviada, "
                                     "mas o convênio só é assinado com a regularidade em dia.", n,
                                     correcao="Avise o beneficiário para regularizar o cadastro no CAGEC."))
        else:
            situacao = "regular" if beneficiario.situacao_cagec == "REGULAR" else "situação desconhecida"
            checagens.append(_alerta("cagec", f"{nome}: {situacao} no CAGEC ({quando}); a situação será conferida de "
                                     "novo na formalização.", n,
                                     correcao="Digite o CNPJ de novo na linha para consultar agora."))
    if beneficiario.siafi_bloqueado:
        motivo = f": {beneficiario.siafi_motivo}" if beneficiario.siafi_motivo else ""
        checagens.append(_alerta("siafi", f"{nome}: bloqueado no SIAFI-MG{motivo} ({quando}). A liberação de "
                                 "recursos fica impedida enquanto durar o bloqueio.", n,
                                 correcao="O beneficiário deve resolver o bloqueio junto à SEF/MG."))
    elif beneficiario.siafi_bloqueado is None or velha:
        checagens.append(_alerta("siafi", f"{nome}: sem consulta recente ao SIAFI-MG ({quando}).", n,
                                 correcao="Digite o CNPJ de novo na linha para consultar agora."))
    else:
        checagens.append(_ok("siafi", f"{nome}: sem bloqueio no SIAFI-MG ({quando}).", n))
    return checagens


def reprovadas_por_beneficiario(ids, excluir=None) -> dict[int, dict]:
    """Indicações reprovadas por impedimento técnico de cada beneficiário, em qualquer exercício (uma consulta):
    {id: {"n", "ultima", "categoria"}}."""
    if not ids:
        return {}
    reprovadas = (Indicacao.objects.filter(beneficiario_id__in=ids, status=Indicacao.Status.REPROVADA)
                  .exclude(pk=excluir).values("beneficiario_id")
                  .annotate(n=Count("pk"), ultima=Max("encerrada_em"), categoria=Max("categoria_impedimento__nome")))
    return {r["beneficiario_id"]: r for r in reprovadas}


def _historico_iot(linhas, excluir=None, *, reprovadas=None) -> list[Checagem]:
    if reprovadas is None:
        reprovadas = reprovadas_por_beneficiario({b.pk for b, _ in linhas if b is not None}, excluir)
    checagens, ditos = [], set()
    for n, (beneficiario, _) in enumerate(linhas):
        if beneficiario is None or beneficiario.pk in ditos:
            continue
        ditos.add(beneficiario.pk)
        r = reprovadas.get(beneficiario.pk)
        if not r or not r["n"]:
            checagens.append(_ok("historico_iot", f"{beneficiario.razao_social}: nenhuma indicação reprovada por "
                                 "impedimento técnico.", n))
            continue
        ultima = f", a última em {timezone.localtime(r['ultima']):%d/%m/%Y}" if r["ultima"] else ""
        vezes = "indicação reprovada" if r["n"] == 1 else "indicações reprovadas"
        checagens.append(_alerta("historico_iot", f"{beneficiario.razao_social}: {r['n']} {vezes} por impedimento "
                                 f"técnico{ultima} (categoria: {r['categoria'] or 'não informada'}).", n,
                                 correcao="Confira com o órgão se o impedimento anterior foi resolvido."))
    return checagens


def sinais_da_fila(indicacoes) -> dict[int, dict]:
    """Para cada indicação de uma página das filas: quantos alertas e impedimentos a lista do analista
    (``avaliar_indicacao``) teria, sem o mínimo de saúde (por titular). Uma consulta para a página inteira: o inciso,
    a UO e o beneficiário já vêm carregados com a página."""
    indicacoes = list(indicacoes)
    reprovadas = reprovadas_por_beneficiario({i.beneficiario_id for i in indicacoes if i.beneficiario_id})
    sinais = {}
    for ind in indicacoes:
        linhas = [(ind.beneficiario, ind.valor)]
        proprias = dict(reprovadas)
        if ind.status == Indicacao.Status.REPROVADA and ind.beneficiario_id in proprias:
            # a própria indicação não conta no histórico dela
            proprias[ind.beneficiario_id] = {**proprias[ind.beneficiario_id], "n": proprias[ind.beneficiario_id]["n"] - 1}
        checagens = [_forma(ind.inciso, ind.forma_execucao), *_beneficiarios(ind.forma_execucao, linhas, ind.origem_saldo),
                     *_historico_iot(linhas, reprovadas=proprias)]
        contagem = resumo(checagens)
        sinais[ind.pk] = {"alertas": contagem["alertas"], "bloqueios": contagem["bloqueios"]}
    return sinais


def _minimo_saude(inciso) -> list[Checagem]:
    """O mínimo em saúde (saúde e educação para blocos) da programação projetada do titular (Decisões, nº 4)."""
    percentual = inciso.exercicio.minimo_saude_percentual
    if percentual is None:
        return []
    areas, nome = areas_protegidas(inciso)
    total, na_area = programacao_na_area(inciso, areas, pedidos_ativos(inciso))
    minimo = (total * percentual / 100).quantize(Decimal("0.01"))
    figura = f"{formatar_brl(na_area)} em {nome}, mínimo {percentual}% de {formatar_brl(total)} = {formatar_brl(minimo)}"
    if na_area >= minimo:
        return [_ok("minimo_saude", f"Mínimo em {nome} atendido na programação do titular ({figura}).")]
    return [_alerta("minimo_saude", f"A programação do titular está abaixo do mínimo em {nome} ({figura}).",
                    correcao=f"Remanejamentos que tiram dinheiro de {nome} serão recusados; indique de preferência "
                             f"em incisos de {nome}.")]
