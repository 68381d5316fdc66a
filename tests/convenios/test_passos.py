"""Passos do convênio conferem antes de consultar CAGEC/SIAFI-MG; a exceção da SEGOV só é gasta por um passo que
dá certo; o botão "Registrar exceção" aparece exatamente quando o serviço aceitaria (issue 9, item 9)."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from convenios import regularidade, services
from convenios.models import Liberacao, PropostaPlanoTrabalho as Proposta, VerificacaoRegularidade
from emendas.models import Indicacao
from integracoes.models import ConsultaIntegracao, ServicoSimulado, SituacaoSimulada
from tests.conftest import criar_usuario, logado
from tests.fabricas import TESTEMUNHA, definir_regime_cagec

M = Decimal




def fora_do_ar(sistema, ligado=True):
    ServicoSimulado.objects.update_or_create(sistema=sistema, defaults={"fora_do_ar": ligado})


def gerar(cv, valor="1000.00"):
    return services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M(valor)},
                                   objeto="Reforma da sede")


def proposta_em(cv, status, regime="LEGADO"):
    """Leva uma proposta nova até *status* pelos serviços (as consultas desses passos acontecem aqui)."""
    definir_regime_cagec(cv["ind"], regime)
    p = gerar(cv)
    passos = [
        lambda p: services.enviar_proposta(usuario=cv["u"], proposta=p),
        lambda p: services.receber_proposta(usuario=cv["orgao"], proposta=p),
        lambda p: services.aprovar_proposta(usuario=cv["orgao"], proposta=p),
        lambda p: services.autorizar_plano(usuario=cv["segov"], proposta=p),
        lambda p: services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA),
        lambda p: services.assinar_concedente(usuario=cv["orgao"], proposta=p),
        lambda p: services.publicar(usuario=cv["orgao"], proposta=p, data_publicacao=timezone.localdate()),
    ]
    for passo in passos:
        if p.status == status:
            break
        p = passo(p)
    assert p.status == status
    return p


def outro_usuario_convenente():
    return criar_usuario("intruso@outra.test", "Convenente", "Usuário de outra entidade")


# --- Passo inválido: recusado sem nenhuma consulta externa ----------------------------------------------

def _gerar_com(cv, **kw):
    dados = {"usuario": cv["u"], "convenente": cv["conv"], "indicacoes": {cv["ind"]: M("1000.00")},
             "objeto": "Obra", **kw}
    return services.gerar_proposta(**dados)


def _nao_aprovada(cv):
    Indicacao.objects.filter(pk=cv["ind"].pk).update(status=Indicacao.Status.EM_ANALISE_SEGOV)
    return _gerar_com(cv)


def _enviar_de_novo_com_tela_desatualizada(cv, p):
    p.status = Proposta.Status.CADASTRAMENTO  # o objeto que a tela tinha antes de outra aba enviar
    return services.enviar_proposta(usuario=cv["u"], proposta=p)


def _autorizar_de_novo(cv, p):
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    return lambda: services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)  # lib ainda diz "SOLICITADA"


def _liberacao_solicitada(cv, p):
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    return lambda: services.autorizar_liberacao(usuario=cv["orgao"], liberacao=lib)


CASOS_INVALIDOS = {
    # nome: (regime, situação da proposta ou None, ação, erro, trecho da mensagem)
    "gerar por usuário de outra entidade": (
        "LEGADO", None, lambda cv, p: _gerar_com(cv, usuario=outro_usuario_convenente()), PermissionDenied, "usuários"),
    "gerar acima do disponível": (
        "LEGADO", None, lambda cv, p: _gerar_com(cv, indicacoes={cv["ind"]: M("300000.01")}), ValidationError,
        "acima do disponível"),
    "gerar com indicação não aprovada": ("LEGADO", None, lambda cv, p: _nao_aprovada(cv), ValidationError,
                                         "não está aprovada"),
    "enviar pelo órgão": ("LEGADO", "CADASTRAMENTO",
                          lambda cv, p: services.enviar_proposta(usuario=cv["orgao"], proposta=p), PermissionDenied,
                          "convenente"),
    "enviar proposta já enviada": ("LEGADO", "ENVIADA", _enviar_de_novo_com_tela_desatualizada, ValidationError,
                                   "não pode passar a"),
    "assinar (convenente) antes da aprovação": (
        "DEC_48745", "EM_ANALISE", lambda cv, p: services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA),
        ValidationError, "não pode passar a"),
    "assinar (convenente) pelo órgão": (
        "DEC_48745", "PLANO_AUTORIZADO",
        lambda cv, p: services.assinar_convenente(usuario=cv["orgao"], proposta=p, **TESTEMUNHA),
        PermissionDenied, "convenente"),
    "assinar (concedente) antes do convenente": (
        "DEC_48745", "PLANO_AUTORIZADO", lambda cv, p: services.assinar_concedente(usuario=cv["orgao"], proposta=p),
        ValidationError, "não pode passar a"),
    "assinar (concedente) pelo convenente": (
        "DEC_48745", "ASSINADA", lambda cv, p: services.assinar_concedente(usuario=cv["u"], proposta=p),
        PermissionDenied, "concedente"),
    "liberação antes da vigência": (
        "LEGADO", "APROVADA", lambda cv, p: services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1")),
        ValidationError, "proposta vigente"),
    "liberação pedida pelo convenente": (
        "LEGADO", "VIGENTE", lambda cv, p: services.solicitar_liberacao(usuario=cv["u"], proposta=p, valor=M("1")),
        PermissionDenied, "concedente"),
    "liberação acima do valor": (
        "LEGADO", "VIGENTE",
        lambda cv, p: services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1000.01")),
        ValidationError, "resta R\\$ 1.000,00"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("caso", list(CASOS_INVALIDOS))
def test_passo_invalido_e_recusado_sem_consulta_externa(cv, caso):
    regime, status, acao, erro, trecho = CASOS_INVALIDOS[caso]
    definir_regime_cagec(cv["ind"], regime)
    p = proposta_em(cv, status, regime) if status else None
    consultas, verificacoes = ConsultaIntegracao.objects.count(), VerificacaoRegularidade.objects.count()
    with pytest.raises(erro, match=trecho):
        acao(cv, p)
    assert ConsultaIntegracao.objects.count() == consultas
    assert VerificacaoRegularidade.objects.count() == verificacoes
    if p is not None:
        assert Proposta.objects.get(pk=p.pk).status == status


@pytest.mark.django_db
@pytest.mark.parametrize("preparar, erro, trecho", [
    (_autorizar_de_novo, ValidationError, "já foi autorizada"),
    (_liberacao_solicitada, PermissionDenied, "Somente a SEGOV"),
])
def test_autorizacao_invalida_e_recusada_sem_consultar_o_siafi(cv, preparar, erro, trecho):
    acao = preparar(cv, proposta_em(cv, "VIGENTE"))
    consultas = ConsultaIntegracao.objects.count()
    with pytest.raises(erro, match=trecho):
        acao()
    assert ConsultaIntegracao.objects.count() == consultas


# --- A exceção da SEGOV só é gasta por um passo que dá certo -----------------------------------------------

def excecoes_livres(p, sistema, momento):
    return p.verificacoes.filter(sistema=sistema, momento=momento, resultado="EXCECAO", usada=False).count()


@pytest.mark.django_db
def test_excecao_no_envio_sobrevive_a_tentativa_recusada_e_e_usada_pelo_envio(cv):
    p = proposta_em(cv, "CADASTRAMENTO")
    fora_do_ar("CAGEC")
    with pytest.raises(ValidationError, match="não respondeu"):
        services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR",
                               justificativa="CAGEC fora do ar no último dia")
    consultas = ConsultaIntegracao.objects.count()
    with pytest.raises(PermissionDenied):
        services.enviar_proposta(usuario=cv["orgao"], proposta=p)
    assert excecoes_livres(p, "CAGEC", "ENVIAR") == 1
    p = services.enviar_proposta(usuario=cv["u"], proposta=p)
    assert p.status == "ENVIADA" and excecoes_livres(p, "CAGEC", "ENVIAR") == 0
    assert ConsultaIntegracao.objects.count() == consultas  # o CAGEC fora do ar não foi chamado


@pytest.mark.django_db
def test_excecao_na_liberacao_sobrevive_a_pedidos_recusados_e_vale_uma_vez(cv):
    p = proposta_em(cv, "VIGENTE")
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError, match="O SIAFI-MG não respondeu"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("400"))
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="SIAFI", momento="SOLICITAR_LIBERACAO",
                               justificativa="SIAFI-MG em manutenção")
    consultas = ConsultaIntegracao.objects.count()
    with pytest.raises(ValidationError, match="resta R\\$ 1.000,00"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1000.01"))
    with pytest.raises(PermissionDenied):
        services.solicitar_liberacao(usuario=cv["u"], proposta=p, valor=M("400"))
    assert excecoes_livres(p, "SIAFI", "SOLICITAR_LIBERACAO") == 1  # as recusas não a gastaram
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("400"))
    assert lib.parcela == 1 and excecoes_livres(p, "SIAFI", "SOLICITAR_LIBERACAO") == 0
    assert ConsultaIntegracao.objects.count() == consultas
    uso = p.verificacoes.filter(sistema="SIAFI", momento="SOLICITAR_LIBERACAO").first()
    assert uso.resultado == "EXCECAO" and uso.usada and "SIAFI-MG em manutenção" in uso.detalhe
    # A exceção valeu uma vez: o pedido seguinte consulta o SIAFI-MG (ainda fora do ar).
    with pytest.raises(ValidationError, match="O SIAFI-MG não respondeu"):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    assert ConsultaIntegracao.objects.count() == consultas + 1


@pytest.mark.django_db
def test_excecao_na_autorizacao_vale_para_uma_parcela_so(cv):
    p = proposta_em(cv, "VIGENTE")
    lib1 = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    lib2 = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("200"))
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError, match="não respondeu"):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib1)
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="SIAFI", momento="AUTORIZAR_LIBERACAO",
                               justificativa="Indisponibilidade confirmada")
    with pytest.raises(PermissionDenied):
        services.autorizar_liberacao(usuario=cv["orgao"], liberacao=lib1)
    assert excecoes_livres(p, "SIAFI", "AUTORIZAR_LIBERACAO") == 1
    assert services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib1).status == "AUTORIZADA"
    with pytest.raises(ValidationError, match="não respondeu"):  # o registro do uso não serve de nova exceção
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib2)
    assert Liberacao.objects.get(pk=lib2.pk).status == "SOLICITADA"


def _esperar_bloqueados(n, *, segundos=30):
    """Espera até *n* conexões deste banco estarem paradas esperando uma trava de linha."""
    fim = time.monotonic() + segundos
    with connection.cursor() as cursor:
        while time.monotonic() < fim:
            # Dentro de uma transação o PostgreSQL congela pg_stat_activity; limpar a foto relê o estado atual.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0] >= n:
                return
            time.sleep(0.05)
    raise AssertionError(f"esperava {n} conexões bloqueadas")


def _em_thread(funcao, resultados):
    def rodar():
        try:
            resultados.append(funcao())
        except Exception as exc:  # conferido pelo teste
            resultados.append(exc)
        finally:
            connection.close()

    t = threading.Thread(target=rodar)
    t.start()
    return t


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_excecao_disputada_por_duas_autorizacoes_simultaneas_vale_para_uma(cv):
    if connection.vendor != "postgresql":
        pytest.skip("concorrência real exige PostgreSQL (defina DATABASE_URL)")
    p = proposta_em(cv, "VIGENTE")
    libs = [services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M(v)) for v in ("100", "200")]
    fora_do_ar("SIAFI")  # quem não usar a exceção esbarra no SIAFI-MG fora do ar, não passa calado
    with pytest.raises(ValidationError):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=libs[0])
    excecao = services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="SIAFI",
                                         momento="AUTORIZAR_LIBERACAO", justificativa="Manutenção")
    resultados = []
    with transaction.atomic():
        # Segura a exceção para que as duas autorizações passem da conferência e esperem juntas por ela.
        VerificacaoRegularidade.objects.select_for_update().get(pk=excecao.pk)
        threads = [_em_thread(lambda lib=lib: services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib),
                              resultados) for lib in libs]
        _esperar_bloqueados(2)
    for t in threads:
        t.join(timeout=60)
    erros = [r for r in resultados if isinstance(r, Exception)]
    assert len(resultados) == 2 and len(erros) == 1, resultados
    assert isinstance(erros[0], ValidationError)
    assert "A exceção da SEGOV para este passo (SIAFI-MG) já foi usada por outra tentativa" in erros[0].messages[0]
    assert Liberacao.objects.filter(status="AUTORIZADA").count() == 1
    assert excecoes_livres(p, "SIAFI", "AUTORIZAR_LIBERACAO") == 0
    assert p.verificacoes.filter(momento="AUTORIZAR_LIBERACAO", resultado="EXCECAO").count() == 2  # registro + um uso


@pytest.mark.concorrencia
@pytest.mark.django_db(transaction=True)
def test_excecao_sobrevive_quando_o_passo_perde_a_corrida_dentro_da_transacao(cv):
    if connection.vendor != "postgresql":
        pytest.skip("concorrência real exige PostgreSQL (defina DATABASE_URL)")
    p = proposta_em(cv, "VIGENTE")
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("600"))
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="SIAFI", momento="SOLICITAR_LIBERACAO",
                               justificativa="Manutenção")
    resultados = []
    with transaction.atomic():
        # Outro pedido chega primeiro: trava a proposta e usa R$ 500,00 enquanto o nosso espera a trava.
        Proposta.objects.select_for_update().get(pk=p.pk)
        t = _em_thread(lambda: services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("600")),
                       resultados)
        _esperar_bloqueados(1)
        Liberacao.objects.create(proposta=p, parcela=1, valor=M("500"), solicitada_por=cv["orgao"])
    t.join(timeout=60)
    assert len(resultados) == 1 and isinstance(resultados[0], ValidationError), resultados
    assert "resta R$ 500,00" in resultados[0].messages[0]
    assert excecoes_livres(p, "SIAFI", "SOLICITAR_LIBERACAO") == 1  # continua valendo para a próxima tentativa


# --- O botão "Registrar exceção" aparece exatamente quando o serviço aceitaria -------------------------------

def _sem_consulta(cv):
    return proposta_em(cv, "CADASTRAMENTO"), set()


def _cagec_sem_resposta_no_envio(cv):
    p = proposta_em(cv, "CADASTRAMENTO")
    fora_do_ar("CAGEC")
    with pytest.raises(ValidationError):
        services.enviar_proposta(usuario=cv["u"], proposta=p)
    return p, {("CAGEC", "ENVIAR")}


def _excecao_ja_registrada(cv):
    p, _ = _cagec_sem_resposta_no_envio(cv)
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR", justificativa="x")
    return p, set()


def _enviada_depois_da_falta_de_resposta(cv):
    p, _ = _cagec_sem_resposta_no_envio(cv)
    fora_do_ar("CAGEC", False)
    return services.enviar_proposta(usuario=cv["u"], proposta=p), set()


def _irregular_depois_da_falta_de_resposta(cv):
    p, _ = _cagec_sem_resposta_no_envio(cv)
    fora_do_ar("CAGEC", False)
    SituacaoSimulada.objects.create(cnpj=cv["conv"].cnpj, cagec_regular=False, pendencias="CRC vencido")
    with pytest.raises(services.ErroRegularidade):
        services.enviar_proposta(usuario=cv["u"], proposta=p)
    return p, set()


def _cagec_sem_resposta_na_assinatura(cv):
    p = proposta_em(cv, "PLANO_AUTORIZADO", regime="DEC_48745")
    fora_do_ar("CAGEC")
    with pytest.raises(ValidationError):
        services.assinar_convenente(usuario=cv["u"], proposta=p, **TESTEMUNHA)
    return p, {("CAGEC", "ASSINATURA_CONVENENTE")}


def _siafi_sem_resposta_nos_dois_passos(cv):
    p = proposta_em(cv, "VIGENTE")
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError):
        services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    with pytest.raises(ValidationError):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    return p, {("SIAFI", "SOLICITAR_LIBERACAO"), ("SIAFI", "AUTORIZAR_LIBERACAO")}


def _autorizacao_sem_resposta_e_parcela_ja_autorizada(cv):
    p = proposta_em(cv, "VIGENTE")
    lib = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("100"))
    fora_do_ar("SIAFI")
    with pytest.raises(ValidationError):
        services.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    # A parcela acabou autorizada por outro caminho (ex.: antes desta regra); não sobra parcela a autorizar.
    Liberacao.objects.filter(pk=lib.pk).update(status="AUTORIZADA", autorizada_por=cv["segov"],
                                               autorizada_em=lib.solicitada_em)
    return p, set()


ESTADOS = [_sem_consulta, _cagec_sem_resposta_no_envio, _excecao_ja_registrada, _enviada_depois_da_falta_de_resposta,
           _irregular_depois_da_falta_de_resposta, _cagec_sem_resposta_na_assinatura, _siafi_sem_resposta_nos_dois_passos,
           _autorizacao_sem_resposta_e_parcela_ja_autorizada]


class _Desfazer(Exception):
    pass


def _servico_aceita(usuario, proposta, sistema, momento) -> bool:
    try:
        with transaction.atomic():
            services.registrar_excecao(usuario=usuario, proposta=proposta, sistema=sistema, momento=momento,
                                       justificativa="teste")
            raise _Desfazer  # só queremos saber se aceitaria
    except _Desfazer:
        return True
    except (ValidationError, PermissionDenied):
        return False


def _botoes(html) -> set:
    return {(s, m) for s, m in regularidade.PONTOS_DE_EXCECAO if f'id="id_excecao_{s}_{m}_justificativa"' in html}


@pytest.mark.django_db
@pytest.mark.parametrize("estado", ESTADOS, ids=lambda f: f.__name__.strip("_"))
def test_botao_de_excecao_aparece_exatamente_quando_o_servico_aceita(cv, estado):
    p, esperado = estado(cv)
    html = logado(cv["segov"]).get(reverse("convenios:proposta", args=[p.pk])).content.decode()
    assert _botoes(html) == esperado
    assert ("Registrar exceção" in html) == bool(esperado)
    for sistema, momento in regularidade.PONTOS_DE_EXCECAO:
        assert _servico_aceita(cv["segov"], p, sistema, momento) == ((sistema, momento) in esperado), (sistema, momento)
        assert services.pode_registrar_excecao(usuario=cv["segov"], proposta=p, sistema=sistema,
                                               momento=momento) == ((sistema, momento) in esperado)
    for quem in ("u", "orgao"):  # fora da SEGOV: nem botão nem serviço
        html = logado(cv[quem]).get(reverse("convenios:proposta", args=[p.pk])).content.decode()
        assert "Registrar exceção" not in html
        assert not any(_servico_aceita(cv[quem], p, s, m) for s, m in regularidade.PONTOS_DE_EXCECAO)


@pytest.mark.django_db
def test_excecao_pela_tela_para_passo_que_nao_cabe_e_recusada_com_o_motivo(cv):
    p, _ = _enviada_depois_da_falta_de_resposta(cv)
    r = logado(cv["segov"]).enviar(reverse("convenios:excecao", args=[p.pk]),
                                 {"sistema": "CAGEC", "momento": "ENVIAR", "justificativa": "Indisponível"}, follow=True)
    assert "O passo “Envio da proposta” não está pendente: a proposta nº" in r.content.decode()
    assert not p.verificacoes.filter(resultado="EXCECAO").exists()
    r = logado(cv["segov"]).enviar(reverse("convenios:excecao", args=[p.pk]),
                                 {"sistema": "CAGEC", "momento": "ENVIAR", "justificativa": ""}, follow=True)
    assert "Informe a justificativa da exceção." in r.content.decode()
