"""O invariante do dinheiro na cadeia inteira, com sequências aleatórias de chamadas reais aos serviços.

inciso → remanejamento → indicação → aprovação/IOT/cancelamento (um ou vários de uma vez) → repriorização →
proposta → liberação → autorização → controle de execução (com impedimento parcial), mais a recarga da LOA; e o
segundo ciclo: saneamento, remanejamento constitucional, a lei que cria os incisos P e a indicação deles na janela P.
Depois de cada passo, hoje e 40 dias depois:
* os baldes de cada inciso somam o valor do inciso e nenhum é negativo;
* a soma dos valores dos incisos do exercício é a soma dos valores iniciais dos incisos base (S, e P de importação:
  os R e os P da lei só movem dinheiro);
* Σ liberado ≤ Σ usado pelas propostas ≤ Σ indicado e aprovado (e por indicação e por proposta);
* a prioridade das impositivas ativas de cada titular é 1..n sem buracos, as de inciso P por último.
Recusas (ValidationError, PermissionDenied, erro de importação) são legítimas e não podem mudar nada.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from auditoria.models import RegistroAuditoria
from convenios import services as conv
from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente, Liberacao, PropostaPlanoTrabalho as Proposta, UsoIndicacao
from emendas import prazos, selectors
from emendas import services as em
from emendas.importacao import ErroImportacao, importar_loa
from emendas.models import CategoriaImpedimento, ExecucaoIndicacao, Indicacao, Inciso, MovimentoSaneamento, Remanejamento
from emendas.prazos import OrigemSaldo
from sigcon.dinheiro import ZERO
from tests.conftest import D0, criar_usuario, meio_dia
from tests.fabricas import TESTEMUNHA

M = Decimal
OPERACOES = [
    "pedir", "aprovar_rem", "reprovar_rem", "cancelar_rem", "indicar", "indicar_direta", "aprovar_orgao",
    "aprovar_segov", "iot", "cancelar_ind", "ajuste", "gerar", "desvincular", "cancelar_proposta", "avancar",
    "avancar", "liberar", "autorizar", "reimportar", "esperar", "cancelar_varias", "cancelar_varias", "repriorizar", "repriorizar",
    "executar", "executar", "executar",
    # Segundo ciclo (§7.12–7.13): saltar à próxima janela, sanear, guardar, concluir, programar, a lei e os incisos P.
    "saltar", "saltar", "sanear", "guardar", "guardar", "concluir_san", "concluir_san", "programar", "programar",
    "concluir_rc", "lei",
]
operacoes = st.lists(
    st.tuples(
        st.sampled_from(OPERACOES),
        st.integers(min_value=0, max_value=50),  # alvo
        st.integers(min_value=1, max_value=40_000_000),  # centavos
        st.integers(min_value=0, max_value=4),  # dias que passam antes do passo
    ),
    min_size=5, max_size=35,
)


# Toda sequência começa levando uma indicação até um convênio vigente com uma parcela autorizada; o que vem
# depois (cancelar, IOT, ajuste, recarga da LOA, mais parcelas...) é aleatório e bate nessa cadeia.
PRELUDIO = [("indicar", 0, 30_000_000, 0), ("aprovar_orgao", 0, 1, 0), ("aprovar_segov", 0, 1, 0),
            ("gerar", 0, 1, 0)] + [("avancar", 0, 1, 0)] * 5 + [("liberar", 0, 10_000_000, 0), ("autorizar", 0, 1, 0)]
# E mais duas indicações soltas: a priorização e o cancelamento em lote têm o que mover e cancelar desde o começo.
PRELUDIO += [("indicar", 1, 5_000_000, 0), ("indicar", 0, 3_000_000, 0)]
# E uma de execução direta aprovada: o controle de execução (e o impedimento parcial) tem o que registrar.
# E uma execução com impedimento parcial (5% utilizado): os passos aleatórios batem também numa indicação cuja parte
# não utilizada já voltou ao inciso (reprovar, cancelar e devolver têm de recusá-la).
PRELUDIO += [("indicar_direta", 0, 2_000_000, 0), ("aprovar_orgao", 2, 1, 0), ("aprovar_segov", 0, 1, 0),
             ("executar", 0, 4, 0)]


# No meio de toda sequência, o segundo ciclo por inteiro (senão quase nenhum exemplo chega à janela de escolha): IOT
# depois do prazo (vai ao reservado PL), sanear, guardar, concluir, programar, a lei e indicar o que for P.
SEGUNDO_CICLO = [("saltar", 0, 1, 0), ("iot", 0, 1, 0), ("iot", 1, 1, 0), ("iot", 2, 1, 0), ("sanear", 0, 100_000, 0),
                 ("guardar", 0, 500_000, 0), ("guardar", 1, 500_000, 0)] + [
                 ("concluir_san", n, 1, 0) for n in range(5)] + [("programar", 0, 400_000, 0),
                 ("concluir_rc", 0, 1, 0), ("saltar", 0, 1, 0), ("saltar", 0, 1, 0), ("lei", 0, 1, 0),
                 ("saltar", 0, 1, 0)] + [("indicar", n, 100_000, 0) for n in range(2, 6)]


class Desfazer(Exception):
    pass


def _loa(valores: dict[str, Decimal]) -> bytes:
    cabecalho = "emenda;titular;tipo_titular;email;inciso;uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;valor"
    linhas = [cabecalho]
    for numero, (grupo, grupo_nome) in (("S501", ("4", "Investimentos")), ("S502", ("3", "Outras Despesas Correntes"))):
        valor = f"{valores[numero]:.2f}".replace(".", ",")
        linhas.append(f"101;Ana Lacerda;PARLAMENTAR;ana@almg.test;{numero};4291;Fundo Estadual de Saúde;4470;"
                      f"Atenção primária;{grupo};{grupo_nome};{valor}")
    return ("\n".join(linhas) + "\n").encode()


class Cadeia:
    def __init__(self, parlamentar, segov, analista, acao_destino, grupo_destino):
        self.parl, self.segov, self.orgao = parlamentar.usuario, segov, analista
        self.titular = parlamentar
        self.acao, self.grupo = acao_destino, grupo_destino
        self.convenente = Convenente.objects.create(cnpj=gerar_cnpj(777), razao_social="Instituto Cadeia",
                                                    municipio="Sabará", tipo="OSC")
        self.conv_usuario = criar_usuario("cadeia@instituto.test", "Convenente", "Cadastro Cadeia")
        self.convenente.usuarios.add(self.conv_usuario)
        self.categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()

    def executar(self, tipo, alvo, centavos):
        valor = M(centavos) / 100
        incisos = list(Inciso.objects.order_by("pk"))
        pendentes = list(Remanejamento.objects.filter(status="SOLICITADO").order_by("pk"))
        ativas = list(Indicacao.objects.filter(status__in=Indicacao.ATIVAS).order_by("pk"))
        propostas = list(Proposta.objects.exclude(status=Proposta.Status.CANCELADA).order_by("pk"))

        def escolher(lista):
            return lista[alvo % len(lista)] if lista else None

        if tipo == "pedir":
            inciso = escolher(incisos)
            em.solicitar_remanejamento(usuario=self.parl, inciso=inciso, acao=self.acao, grupo_despesa=self.grupo,
                                       valor=valor)
        elif tipo in ("aprovar_rem", "reprovar_rem", "cancelar_rem") and pendentes:
            rem = escolher(pendentes)
            if tipo == "aprovar_rem":
                em.aprovar_remanejamento(usuario=self.segov, remanejamento=rem)
            elif tipo == "reprovar_rem":
                em.reprovar_remanejamento(usuario=self.segov, remanejamento=rem, justificativa="Não")
            else:
                em.cancelar_remanejamento(usuario=self.parl, remanejamento=rem)
        elif tipo in ("indicar", "indicar_direta"):
            inciso = escolher(incisos)
            usos = prazos.saldo_de_uso(inciso.exercicio, timezone.localdate())["indicacao"]
            origem = usos[alvo % len(usos)] if len(usos) > 1 else None
            direta = tipo == "indicar_direta"
            em.enviar_indicacao(usuario=self.parl, inciso=inciso, valor=valor, objeto="Obra", origem_saldo=origem,
                                forma_execucao="EXECUCAO_DIRETA" if direta else "CONVENIO",
                                beneficiario=None if direta else self.convenente)
        elif tipo == "aprovar_orgao":
            # Escolhe entre as que estão no passo certo: sem isso quase nenhuma sequência chega ao convênio.
            ind = escolher([i for i in ativas if i.status in ("EM_ANALISE_ORGAO", "RETORNADO_SEGOV")])
            if ind:
                em.aprovar_indicacao_orgao(usuario=self.orgao, indicacao=ind)
        elif tipo == "aprovar_segov":
            ind = escolher([i for i in ativas if i.status == "EM_ANALISE_SEGOV"])
            if ind:
                em.aprovar_indicacao_segov(usuario=self.segov, indicacao=ind)
        elif tipo in ("iot", "cancelar_ind", "ajuste") and ativas:
            ind = escolher(ativas)
            if tipo == "iot":
                em.reprovar_indicacao(usuario=self.orgao, indicacao=ind, categoria=self.categoria, justificativa="IOT")
            elif tipo == "ajuste":
                em.devolver_para_ajuste(usuario=self.orgao, indicacao=ind, justificativa="Ajustar")
            else:
                em.cancelar_indicacao(usuario=self.parl, indicacao=ind, justificativa="Desisti")
        elif tipo == "cancelar_varias" and ativas:
            # Duas ou três de uma vez, com uma justificativa: tudo ou nada (uma presa numa proposta recusa o lote).
            # Quase sempre entre as que nenhuma proposta usa (senão o prelúdio recusaria quase todo lote).
            livres = [i for i in ativas if not i.usos.exists()] if centavos % 4 else ativas
            n = 2 + centavos % 2
            lote = [livres[(alvo + k) % len(livres)] for k in range(n)] if livres else []
            em.cancelar_indicacoes(usuario=self.parl, indicacoes=lote, justificativa="Lote")
        elif tipo == "repriorizar" and ativas:
            ind, n = escolher(ativas), len(ativas)
            # Uma posição diferente da atual (a mesma não muda nada); fora da faixa quando só há uma.
            posicao = ((ind.prioridade or 1) + centavos % max(n - 1, 1)) % n + 1 if n > 1 else 2
            em.repriorizar_indicacao(usuario=self.parl, indicacao=ind, posicao=posicao)
        elif tipo == "gerar":
            disponiveis = conv.indicacoes_disponiveis(self.convenente)
            if disponiveis:
                ind = escolher(disponiveis)
                if centavos % 2:  # metade das vezes, tudo o que resta da indicação
                    valor = ind.valor - (ind.utilizado or ZERO)
                conv.gerar_proposta(usuario=self.conv_usuario, convenente=self.convenente, indicacoes={ind: valor},
                                    objeto="Reforma")
        elif tipo == "desvincular" and propostas:
            proposta = escolher(propostas)
            uso = proposta.usos.select_related("indicacao").order_by("pk").first()
            if uso:
                conv.desvincular_indicacao(usuario=self.conv_usuario, proposta=proposta, indicacao=uso.indicacao)
        elif tipo == "cancelar_proposta" and propostas:
            conv.cancelar_proposta(usuario=self.orgao, proposta=escolher(propostas), justificativa="Desistência")
        elif tipo == "avancar" and propostas:
            proposta = escolher(propostas)
            passo = {
                "CADASTRAMENTO": lambda: conv.enviar_proposta(usuario=self.conv_usuario, proposta=proposta),
                "DEVOLVIDA": lambda: conv.enviar_proposta(usuario=self.conv_usuario, proposta=proposta),
                "ENVIADA": lambda: conv.receber_proposta(usuario=self.orgao, proposta=proposta),
                "EM_ANALISE": lambda: conv.aprovar_proposta(usuario=self.orgao, proposta=proposta),
                "APROVADA": lambda: conv.autorizar_plano(usuario=self.segov, proposta=proposta),
                "PLANO_AUTORIZADO": lambda: conv.assinar_convenente(usuario=self.conv_usuario, proposta=proposta,
                                                                    **TESTEMUNHA),
                "ASSINADA": lambda: conv.assinar_concedente(usuario=self.orgao, proposta=proposta),
                "EM_PUBLICACAO": lambda: conv.publicar(usuario=self.orgao, proposta=proposta,
                                                       data_publicacao=timezone.localdate()),
            }.get(proposta.status)
            if passo:
                passo()
        elif tipo == "liberar":
            vigente = escolher([p for p in propostas if p.status == "VIGENTE"])
            if vigente:
                if centavos % 2:
                    valor = conv.valor_a_liberar(vigente)
                conv.solicitar_liberacao(usuario=self.orgao, proposta=vigente, valor=valor)
        elif tipo == "autorizar":
            pendente = escolher(list(Liberacao.objects.filter(status="SOLICITADA").order_by("pk")))
            if pendente:
                conv.autorizar_liberacao(usuario=self.segov, liberacao=pendente)
        elif tipo == "executar":
            # Controle de execução de uma aprovada de execução direta: metade das vezes com impedimento parcial
            # (utilizado < indicado), que devolve só a parte não utilizada; às vezes valores fora de ordem (recusa).
            ind = escolher([i for i in ativas if i.status == "APROVADA" and i.forma_execucao == "EXECUCAO_DIRETA"])
            if ind:
                utilizado = ind.valor if centavos % 2 else max(M("0.01"), (ind.valor * (centavos % 97 + 1) / 100)
                                                                .quantize(M("0.01")))
                pago = utilizado if centavos % 5 else utilizado + M("0.01")
                em.registrar_execucao(usuario=self.orgao, indicacao=ind, utilizado=utilizado, empenhado=utilizado,
                                      liquidado=utilizado, pago=min(pago, utilizado) if centavos % 7 else pago,
                                      numero_empenho="2019NE1", categoria=self.categoria, justificativa="Sobrou")
        elif tipo in ("sanear", "guardar", "concluir_san", "programar", "concluir_rc", "lei"):
            self.segundo_ciclo(tipo, escolher, valor, alvo)
        elif tipo == "reimportar":
            atuais = dict(Inciso.objects.filter(tipo="S").values_list("numero", "valor_inicial"))
            alvo_numero = sorted(atuais)[alvo % len(atuais)]
            atuais[alvo_numero] = max(valor, M("0.01"))
            importar_loa(conteudo=_loa(atuais), ano=2019, publicacao=D0)


    def segundo_ciclo(self, tipo, escolher, valor, alvo):
        nao_p = list(Inciso.objects.exclude(tipo="P").order_by("pk"))
        if tipo == "sanear":
            ind = escolher(list(Indicacao.objects.filter(status="REPROVADA", saldo_devolucao="RESERVADO_PL")
                                .order_by("pk")))
            if ind:
                em.sanear_indicacao(usuario=self.parl, indicacao=ind, valor=min(valor, ind.valor),
                                    proposta_saneadora="Licença obtida")
        elif tipo == "guardar":
            em.reservar_remanejamento_constitucional(usuario=self.parl, inciso=escolher(nao_p), valor=valor)
        elif tipo == "concluir_san":
            em.concluir_saneamento(usuario=self.parl, inciso=escolher(nao_p))
        elif tipo == "programar":
            em.programar_remanejamento_constitucional(usuario=self.parl, titular=self.titular, acao=self.acao,
                                                      grupo_despesa=self.grupo, valor=valor)
        elif tipo == "concluir_rc":
            em.concluir_remanejamento_constitucional(usuario=self.parl, titular=self.titular)
        else:
            em.registrar_lei_remanejamento(usuario=self.segov, exercicio=nao_p[0].exercicio,
                                           numero_lei=f"23.{alvo}", data=timezone.localdate())


def proximo_marco(exercicio, dia):
    """O próximo dia que muda o segundo ciclo: início da escolha, o dia seguinte ao fim da programação (a lei), o
    início e o dia seguinte ao fim da janela P."""
    j, um = exercicio.janelas, timedelta(days=1)
    escolha = j[(prazos.Trilha.SR, prazos.TipoJanela.ESCOLHA_SANEAMENTO)]
    programacao = j[(prazos.Trilha.SR, prazos.TipoJanela.REMANEJAMENTO_CONSTITUCIONAL)]
    janela_p = j[(prazos.Trilha.P, prazos.TipoJanela.INDICACAO_CANCELAMENTO)]
    marcos = sorted([escolha[0], programacao[1] - um, programacao[1] + um, janela_p[0], janela_p[1] + um])
    return next((m for m in marcos if m > dia), dia)


def conferir_prioridades():
    """Por titular e exercício: as impositivas ativas têm 1..n sem buracos, as de inciso P por último; as outras, nada."""
    grupos = {}
    for ind in Indicacao.objects.select_related("inciso__emenda").order_by("prioridade"):
        impositiva_ativa = ind.status in Indicacao.ATIVAS and ind.origem_saldo != OrigemSaldo.NAO_IMPOSITIVO
        if not impositiva_ativa:
            assert ind.prioridade is None, (ind.numero, ind.status, ind.prioridade)
            continue
        emenda = ind.inciso.emenda
        grupos.setdefault((ind.exercicio_id, emenda.parlamentar_id, emenda.bloco_id), []).append(ind)
    for itens in grupos.values():
        assert [i.prioridade for i in itens] == list(range(1, len(itens) + 1)), [i.prioridade for i in itens]
        tipos = [i.inciso.tipo == "P" for i in itens]
        assert tipos == sorted(tipos), "indicação de inciso P antes de uma S/R"


def conferir(dia):
    conferir_prioridades()
    incisos = list(Inciso.objects.select_related("exercicio"))
    base = Inciso.objects.filter(inciso_origem__isnull=True).aggregate(t=Sum("valor_inicial"))["t"]
    for d in (dia, dia + timedelta(days=40)):
        saldos = selectors.saldos_incisos(incisos, d)
        soma = ZERO
        for inciso in incisos:
            s = saldos[inciso.pk]
            assert all(v >= 0 for v in s.baldes().values()), (inciso.numero, d, s)
            assert sum(s.baldes().values()) == s.valor_inciso, (inciso.numero, d, s)
            soma += s.valor_inciso
        assert soma == base, (d, soma, base)
    # Dinheiro dos convênios: liberado ≤ usado ≤ indicado e aprovado, por indicação, por proposta e no total.
    for ind in Indicacao.objects.annotate(usado=Sum("usos__valor")):
        if ind.usado:
            assert ind.status == Indicacao.Status.APROVADA and ind.usado <= ind.valor, (ind.numero, ind.status)
    for p in Proposta.objects.annotate(usado=Sum("usos__valor")):
        liberado = p.liberacoes.aggregate(t=Sum("valor"))["t"] or ZERO
        assert liberado <= (p.usado or ZERO), (p.pk, liberado, p.usado)
        if p.status == Proposta.Status.CANCELADA:
            assert not p.usado and not liberado
    # Controle de execução: pago ≤ liquidado ≤ empenhado ≤ utilizado ≤ indicado; na manual, utilizado + impedido
    # = indicado; a indicação com execução continua aprovada.
    for ex in ExecucaoIndicacao.objects.select_related("indicacao"):
        assert ex.pago <= ex.liquidado <= ex.empenhado <= ex.utilizado <= ex.indicacao.valor, ex.pk
        assert ex.indicacao.status == Indicacao.Status.APROVADA, ex.indicacao.numero
        assert ex.automatica or ex.utilizado + ex.valor_impedido == ex.indicacao.valor, ex.pk
    liberado = Liberacao.objects.aggregate(t=Sum("valor"))["t"] or ZERO
    usado = UsoIndicacao.objects.aggregate(t=Sum("valor"))["t"] or ZERO
    aprovado = Indicacao.objects.filter(status="APROVADA").aggregate(t=Sum("valor"))["t"] or ZERO
    assert liberado <= usado <= aprovado


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operacoes, habilitar=st.booleans())
def test_invariante_na_cadeia_inteira(ops, habilitar, exercicio, programacoes, parlamentar, segov, analista_orgao,
                                      acao_saude_2, grupo_inv):
    try:
        with transaction.atomic():
            exercicio.nao_impositivo_habilitado = habilitar
            exercicio.save()
            importar_loa(conteudo=_loa({"S501": M("1000000.00"), "S502": M("250000.00")}), ano=2019, publicacao=D0)
            cadeia = Cadeia(parlamentar, segov, analista_orgao, acao_saude_2, grupo_inv)
            dia = exercicio.data_liberacao
            meio = len(ops) // 2
            for tipo, alvo, centavos, passo in PRELUDIO + ops[:meio] + SEGUNDO_CICLO + ops[meio:]:
                dia += timedelta(days=passo)
                if tipo == "saltar":
                    dia = proximo_marco(exercicio, dia)
                with time_machine.travel(meio_dia(dia), tick=False):
                    try:
                        with transaction.atomic():
                            cadeia.executar(tipo, alvo, centavos)
                    except (ValidationError, PermissionDenied, ErroImportacao):
                        pass  # recusa legítima: a transação do passo foi desfeita, nada pode ter mudado
                    conferir(dia)
            # Quanto da cadeia cada exemplo alcançou (--hypothesis-show-statistics).
            event(f"propostas vigentes: {min(Proposta.objects.filter(status='VIGENTE').count(), 1)}")
            event(f"parcelas autorizadas: {min(Liberacao.objects.filter(status='AUTORIZADA').count(), 1)}")
            event(f"indicações presas em proposta: {min(UsoIndicacao.objects.count(), 1)}")
            event(f"cancelamento em lote feito: {min(Indicacao.objects.filter(justificativa='Lote').count(), 1)}")
            event(f"impedimento parcial feito: {min(ExecucaoIndicacao.objects.filter(valor_impedido__gt=0).count(), 1)}")
            event(f"repriorização feita: {min(RegistroAuditoria.objects.filter(acao='indicacao.repriorizar').count(), 1)}")
            event(f"saneamento feito: {min(MovimentoSaneamento.objects.count(), 1)}")
            event(f"incisos P da lei: {min(Inciso.objects.filter(tipo='P').count(), 1)}")
            raise Desfazer
    except Desfazer:
        pass
