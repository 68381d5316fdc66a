"""O banco guarda as regras de situação dos convênios: liberação autorizada, proposta devolvida, vigência,
exceção usada; trilhas de auditoria protegidas; a migração confere as linhas antes de criar as restrições."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from convenios import services
from convenios.models import Liberacao, PropostaPlanoTrabalho as Proposta, VerificacaoRegularidade
from integracoes import cagec
from integracoes.models import ServicoSimulado
from sigcon.restricoes import LinhasInvalidas, linhas_que_violam
from tests.conftest import criar_usuario
from tests.fabricas import cenario_convenio, formalizar

pytestmark = pytest.mark.django_db
M = Decimal
MIGRACAO = importlib.import_module("convenios.migrations.0007_restricoes_de_situacao")


@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov}


def gerar(cv, valor="100000.00", **extra):
    return services.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M(valor)},
                                   objeto="Reforma da sede", **extra)


@pytest.fixture
def vigente(cv):
    """Caminho inteiro pelos serviços: devolução, exceção da SEGOV, assinaturas, duas parcelas (uma autorizada)."""
    p = gerar(cv, vigencia_inicio=date(2019, 3, 1), vigencia_fim=date(2019, 12, 31))
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    with pytest.raises(ValidationError, match="não respondeu"):
        services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR",
                               justificativa="CAGEC fora do ar o dia todo.")
    services.enviar_proposta(usuario=cv["u"], proposta=p)  # usa a exceção
    ServicoSimulado.objects.filter(sistema="CAGEC").update(fora_do_ar=False)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    services.devolver_proposta(usuario=cv["orgao"], proposta=p, justificativa="Falta o cronograma.")
    services.enviar_proposta(usuario=cv["u"], proposta=p)
    services.receber_proposta(usuario=cv["orgao"], proposta=p)
    services.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    p = formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"])
    autorizada = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("40000"))
    autorizada = services.autorizar_liberacao(usuario=cv["segov"], liberacao=autorizada)
    solicitada = services.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("10000"))
    return {"proposta": p, "autorizada": autorizada, "solicitada": solicitada,
            "excecao": VerificacaoRegularidade.objects.get(resultado="EXCECAO",
                                                           detalhe="CAGEC fora do ar o dia todo."),
            "regular": VerificacaoRegularidade.objects.filter(resultado="REGULAR").first()}


def test_as_restricoes_estao_no_banco():
    with connection.cursor() as cursor:
        for modelo in (Proposta, Liberacao, VerificacaoRegularidade):
            no_banco = connection.introspection.get_constraints(cursor, modelo._meta.db_table)
            assert {c.name for c in modelo._meta.constraints} <= set(no_banco), modelo


def test_caminho_inteiro_dos_servicos_grava_linhas_validas(vigente):
    assert vigente["proposta"].status == "VIGENTE"
    assert vigente["excecao"].usada
    assert (vigente["autorizada"].status, vigente["solicitada"].status) == ("AUTORIZADA", "SOLICITADA")
    for modelo in (Proposta, Liberacao, VerificacaoRegularidade):
        for restricao in modelo._meta.constraints:
            assert linhas_que_violam(modelo, restricao) == [], restricao.name
    MIGRACAO.conferir_linhas(apps, None)


def _outro_usuario(v):
    return v["autorizada"].autorizada_por


VIOLACOES = [
    ("autorizada", lambda v: {"autorizada_em": None}, "liberacao_autorizacao_conforme_situacao"),
    ("autorizada", lambda v: {"autorizada_por": None}, "liberacao_autorizacao_conforme_situacao"),
    ("solicitada", lambda v: {"status": "AUTORIZADA"}, "liberacao_autorizacao_conforme_situacao"),
    ("solicitada", lambda v: {"autorizada_em": timezone.now()}, "liberacao_autorizacao_conforme_situacao"),
    ("solicitada", lambda v: {"autorizada_por": _outro_usuario(v)}, "liberacao_autorizacao_conforme_situacao"),
    ("proposta", lambda v: {"vigencia_fim": date(2019, 2, 28)}, "proposta_vigencia_em_ordem"),
    ("proposta", lambda v: {"status": "DEVOLVIDA", "justificativa": ""}, "proposta_devolvida_com_justificativa"),
    ("regular", lambda v: {"usada": True}, "verificacao_so_excecao_e_usada"),
]


@pytest.mark.parametrize("chave, campos, restricao", VIOLACOES,
                         ids=[f"{chave}-{restricao}-{k}" for k, (chave, _, restricao) in enumerate(VIOLACOES)])
def test_escrita_direta_que_viola_a_situacao_e_recusada_pelo_banco(vigente, chave, campos, restricao):
    linha = vigente[chave]
    valores = campos(vigente)
    with pytest.raises(IntegrityError, match=restricao), transaction.atomic():
        type(linha).objects.filter(pk=linha.pk).update(**valores)


def test_liberacao_autorizada_pela_metade_mostra_a_mensagem_no_formulario(vigente):
    lib = vigente["solicitada"]
    lib.status = "AUTORIZADA"
    with pytest.raises(ValidationError, match="Parcela autorizada diz quem autorizou e quando"):
        lib.full_clean()


def test_apagar_proposta_com_historico_e_recusado(vigente):
    with pytest.raises(ProtectedError):
        Proposta.objects.get(pk=vigente["proposta"].pk).delete()
    assert vigente["proposta"].eventos.exists() and vigente["proposta"].verificacoes.exists()


def test_apagar_usuario_que_consultou_o_cagec_e_recusado(cv):
    quem = criar_usuario("consulta@segov.test")
    cagec.consultar(cv["conv"].cnpj, usuario=quem)
    with pytest.raises(ProtectedError):
        quem.delete()


def _sem_restricao(modelo, nome):
    """Tira a restrição só dentro da transação do teste (o rollback a devolve) para gravar uma linha ruim."""
    restricao = next(c for c in modelo._meta.constraints if c.name == nome)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE não roda com checagens adiadas pendentes
    with connection.schema_editor() as editor:
        editor.remove_constraint(modelo, restricao)


def test_migracao_recusa_liberacao_autorizada_sem_data_e_lista_qual(vigente):
    if connection.vendor != "postgresql":
        pytest.skip("tirar uma restrição dentro da transação do teste exige PostgreSQL (o SQLite recria a tabela)")
    _sem_restricao(Liberacao, "liberacao_autorizacao_conforme_situacao")
    Liberacao.objects.filter(pk=vigente["autorizada"].pk).update(autorizada_em=None)
    with pytest.raises(LinhasInvalidas) as erro:
        MIGRACAO.conferir_linhas(apps, None)
    assert (
        "- liberacao_autorizacao_conforme_situacao (liberação de recursos, 1 linha(s)): "
        f"id {vigente['autorizada'].pk} (AUTORIZADA)"
    ) in str(erro.value)
    assert "convenios.0007_restricoes_de_situacao não foi aplicada" in str(erro.value)
