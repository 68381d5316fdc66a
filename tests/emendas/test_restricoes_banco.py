"""O banco guarda as regras de situação: cada restrição recusa a escrita direta que a viola, os serviços
reais só gravam linhas válidas, apagar o que tem histórico é recusado e a migração confere as linhas antes."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint, ProtectedError, Q, UniqueConstraint

from convenios.cnpj import gerar_cnpj
from convenios.models import Convenente
from emendas import services
from emendas.models import CategoriaImpedimento, Exercicio, Inciso, Indicacao, ProgramacaoElegivel, Remanejamento
from sigcon.restricoes import LinhasInvalidas, linhas_que_violam
from tests.conftest import meio_dia

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE, RESTRITA, ENCERRADA = date(2019, 2, 1), date(2019, 3, 1), date(2019, 3, 20)
MIGRACAO = importlib.import_module("emendas.migrations.0009_restricoes_de_situacao")


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


@pytest.fixture
def b(programacoes, inciso, parlamentar, segov, analista_orgao, acao_saude_2, grupo_inv):
    prefeitura = Convenente.objects.create(cnpj=gerar_cnpj(1), razao_social="Prefeitura de Betim", municipio="Betim",
                                           tipo="ADM_MUNICIPAL")
    return {"inciso": inciso, "parl": parlamentar.usuario, "segov": segov, "orgao": analista_orgao,
            "acao": acao_saude_2, "grupo": grupo_inv, "benef": prefeitura,
            "cat": CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()}


def pedir(b, valor="1000.00"):
    return services.solicitar_remanejamento(usuario=b["parl"], inciso=b["inciso"], acao=b["acao"],
                                            grupo_despesa=b["grupo"], valor=M(valor))


def indicar(b, valor="1000.00", **extra):
    dados = {"usuario": b["parl"], "inciso": b["inciso"], "forma_execucao": "CONVENIO", "valor": M(valor),
             "beneficiario": b["benef"], "objeto": "Reforma da UBS", **extra}
    return services.enviar_indicacao(**dados)


def orgao_e_segov(b, ind):
    services.aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=ind)
    return services.aprovar_indicacao_segov(usuario=b["segov"], indicacao=ind)


def reprovar(b, ind):
    return services.reprovar_indicacao(usuario=b["orgao"], indicacao=ind, categoria=b["cat"],
                                       justificativa="Sem projeto.")


@pytest.fixture
def linhas(b):
    """Uma linha em cada situação, todas gravadas pelos serviços reais."""
    with em(LIVRE):
        solicitado = pedir(b)
        aprovado = pedir(b)
        services.aprovar_remanejamento(usuario=b["segov"], remanejamento=aprovado)
        reprovado = pedir(b)
        services.reprovar_remanejamento(usuario=b["segov"], remanejamento=reprovado, justificativa="Fora do anexo.")
        cancelado = pedir(b)
        services.cancelar_remanejamento(usuario=b["parl"], remanejamento=cancelado)
        em_analise = indicar(b)
        na_segov = indicar(b)
        services.aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=na_segov)
        aprovada = orgao_e_segov(b, indicar(b))
        ajuste = indicar(b)
        services.devolver_para_ajuste(usuario=b["orgao"], indicacao=ajuste, justificativa="Detalhe o objeto.")
        reprovada = reprovar(b, indicar(b))
        cancelada = services.cancelar_indicacao(usuario=b["parl"], indicacao=indicar(b), justificativa="Desisti.")
    return {nome: type(obj).objects.get(pk=obj.pk) for nome, obj in {
        "solicitado": solicitado, "aprovado": aprovado, "reprovado": reprovado, "cancelado": cancelado,
        "em_analise": em_analise, "na_segov": na_segov, "aprovada": aprovada, "ajuste": ajuste,
        "reprovada": reprovada, "cancelada": cancelada,
    }.items()}


def restricoes_de(*modelos):
    return [(m._meta.model_name, c) for m in modelos for c in m._meta.constraints]


def test_as_restricoes_estao_no_banco():
    with connection.cursor() as cursor:
        for modelo in (Remanejamento, Indicacao, CategoriaImpedimento):
            no_banco = connection.introspection.get_constraints(cursor, modelo._meta.db_table)
            assert {c.name for c in modelo._meta.constraints} <= set(no_banco), modelo


def test_todos_os_caminhos_dos_servicos_gravam_linhas_validas(b, linhas):
    with em(LIVRE):
        # Aprovação automática: decidida sem usuário.
        Exercicio.objects.filter(pk=b["inciso"].exercicio_id).update(auto_aprovar_remanejamento=True)
        automatico = pedir(b)
        Exercicio.objects.filter(pk=b["inciso"].exercicio_id).update(auto_aprovar_remanejamento=False)
        tardio = pedir(b)
        # Ida e volta: retorno da SEGOV, ajuste depois de aprovada, nova aprovação e IOT da aprovada.
        volta = indicar(b)
        services.aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=volta)
        services.retornar_ao_orgao(usuario=b["segov"], indicacao=volta, justificativa="Conferir o plano.")
        orgao_e_segov(b, volta)
        services.devolver_para_ajuste(usuario=b["orgao"], indicacao=volta, justificativa="Ajuste o objeto.")
        services.ajustar_indicacao(usuario=b["parl"], indicacao=volta, objeto="Reforma e ampliação da UBS")
        orgao_e_segov(b, volta)
        reprovar(b, volta)
        direta = orgao_e_segov(b, indicar(b, forma_execucao="EXECUCAO_DIRETA", beneficiario=None))
        ajuste_cancelada = indicar(b)
        services.devolver_para_ajuste(usuario=b["orgao"], indicacao=ajuste_cancelada, justificativa="Detalhe.")
        services.cancelar_indicacao(usuario=b["parl"], indicacao=ajuste_cancelada, justificativa="Desisti.")
        retornada = indicar(b)
        services.aprovar_indicacao_orgao(usuario=b["orgao"], indicacao=retornada)
        services.retornar_ao_orgao(usuario=b["segov"], indicacao=retornada, justificativa="Falta o plano.")
        na_restrita = indicar(b)
    with em(RESTRITA):
        services.cancelar_indicacao(usuario=b["parl"], indicacao=na_restrita, justificativa="Desisti.")
    with em(ENCERRADA):
        services.aprovar_remanejamento(usuario=b["segov"], remanejamento=tardio)  # aprovação tardia vale
        reprovar(b, direta)

    automatico.refresh_from_db()
    assert automatico.status == "APROVADO" and automatico.inciso_gerado is not None
    assert automatico.decidido_por is None
    assert Indicacao.objects.get(pk=volta.pk).status == "REPROVADA"
    assert set(Remanejamento.objects.values_list("status", flat=True)) == {"SOLICITADO", "APROVADO", "REPROVADO",
                                                                          "CANCELADO"}
    assert set(Indicacao.objects.values_list("status", flat=True)) == set(Indicacao.Status.values)
    for nome_modelo, restricao in restricoes_de(Remanejamento, Indicacao, CategoriaImpedimento):
        assert linhas_que_violam(apps.get_model("emendas", nome_modelo), restricao) == [], restricao.name
    MIGRACAO.conferir_linhas(apps, None)  # a conferência da migração também aceita tudo


def _usuario(b):
    return b["segov"]


def _inciso_r_solto(b):
    return Inciso.objects.create(emenda=b["inciso"].emenda, numero="R900", acao=b["acao"], grupo_despesa=b["grupo"],
                                 valor_inicial=M("1.00"), inciso_origem=b["inciso"])


VIOLACOES = [
    # (linha, campos gravados direto, restrição que recusa)
    ("solicitado", lambda b: {"decidido_em": meio_dia(LIVRE)}, "remanejamento_decisao_conforme_situacao"),
    ("solicitado", lambda b: {"decidido_por": _usuario(b)}, "remanejamento_decisao_conforme_situacao"),
    ("aprovado", lambda b: {"decidido_em": None}, "remanejamento_decisao_conforme_situacao"),
    ("aprovado", lambda b: {"inciso_gerado": None}, "remanejamento_inciso_r_so_aprovado"),
    ("solicitado", lambda b: {"inciso_gerado": _inciso_r_solto(b)}, "remanejamento_inciso_r_so_aprovado"),
    ("aprovado", lambda b: {"saldo_devolucao": "LIVRE"}, "remanejamento_devolucao_conforme_situacao"),
    ("reprovado", lambda b: {"saldo_devolucao": ""}, "remanejamento_devolucao_conforme_situacao"),
    ("cancelado", lambda b: {"decidido_por": None}, "remanejamento_devolucao_conforme_situacao"),
    ("reprovado", lambda b: {"justificativa": ""}, "remanejamento_reprovado_com_justificativa"),
    ("em_analise", lambda b: {"beneficiario": None}, "indicacao_beneficiario_salvo_execucao_direta"),
    ("aprovada", lambda b: {"encerrada_em": meio_dia(LIVRE)}, "indicacao_encerramento_conforme_situacao"),
    ("em_analise", lambda b: {"encerrada_por": _usuario(b)}, "indicacao_encerramento_conforme_situacao"),
    ("ajuste", lambda b: {"saldo_devolucao": "LIVRE"}, "indicacao_encerramento_conforme_situacao"),
    ("cancelada", lambda b: {"encerrada_em": None}, "indicacao_encerramento_conforme_situacao"),
    ("reprovada", lambda b: {"saldo_devolucao": ""}, "indicacao_encerramento_conforme_situacao"),
    ("reprovada", lambda b: {"categoria_impedimento": None}, "indicacao_categoria_so_reprovada"),
    ("cancelada", lambda b: {"categoria_impedimento": b["cat"]}, "indicacao_categoria_so_reprovada"),
    ("reprovada", lambda b: {"justificativa": ""}, "indicacao_justificativa_conforme_situacao"),
    ("ajuste", lambda b: {"justificativa": ""}, "indicacao_justificativa_conforme_situacao"),
    ("na_segov", lambda b: {"aprovada_orgao_em": None}, "indicacao_aprovada_orgao_conforme_situacao"),
    ("aprovada", lambda b: {"aprovada_segov_em": None}, "indicacao_aprovada_segov_conforme_situacao"),
    ("em_analise", lambda b: {"status": "EM_ANALISE_SEGOV"}, "indicacao_aprovada_orgao_conforme_situacao"),
]


@pytest.mark.parametrize("chave, campos, restricao", VIOLACOES,
                         ids=[f"{chave}-{restricao}-{k}" for k, (chave, _, restricao) in enumerate(VIOLACOES)])
def test_escrita_direta_que_viola_a_situacao_e_recusada_pelo_banco(b, linhas, chave, campos, restricao):
    linha = linhas[chave]
    valores = campos(b)
    with pytest.raises(IntegrityError, match=restricao), transaction.atomic():
        type(linha).objects.filter(pk=linha.pk).update(**valores)


def test_indicacao_de_convenio_criada_sem_beneficiario_e_recusada(b, linhas):
    dados = {f.attname: getattr(linhas["em_analise"], f.attname) for f in Indicacao._meta.concrete_fields
             if not f.primary_key}
    dados.update(numero=999, beneficiario_id=None)
    with pytest.raises(IntegrityError, match="indicacao_beneficiario_salvo_execucao_direta"), transaction.atomic():
        Indicacao.objects.create(**dados)
    dados.update(forma_execucao="EXECUCAO_DIRETA")
    assert Indicacao.objects.create(**dados).beneficiario is None


def test_categoria_padrao_nao_se_repete_mas_a_do_exercicio_pode_ter_o_mesmo_nome(exercicio):
    nome = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first().nome
    with pytest.raises(ValidationError, match="Já existe uma categoria padrão com este nome"):
        CategoriaImpedimento(nome=nome).full_clean()  # o que o admin mostra
    # O SQLite não diz o nome da restrição única, só o campo.
    with pytest.raises(IntegrityError, match="categoria_iot_padrao_unica|UNIQUE constraint failed"), \
            transaction.atomic():
        CategoriaImpedimento.objects.create(nome=nome)
    assert CategoriaImpedimento.objects.create(exercicio=exercicio, nome=nome).pk


def test_apagar_o_que_tem_historico_e_recusado(b, linhas):
    for linha in (linhas["reprovado"], linhas["solicitado"], linhas["cancelada"], linhas["em_analise"]):
        with pytest.raises(ProtectedError):
            linha.delete()
    assert linhas["reprovado"].registros.count() == 2


def test_apagar_exercicio_com_anexo_ou_lista_de_categorias_propria_e_recusado(acao_saude, grupo_inv):
    com_anexo = Exercicio.objects.create(ano=2030, data_publicacao_loa=date(2030, 1, 10))
    ProgramacaoElegivel.objects.create(exercicio=com_anexo, acao=acao_saude, grupo_despesa=grupo_inv)
    com_lista = Exercicio.objects.create(ano=2031, data_publicacao_loa=date(2031, 1, 10))
    CategoriaImpedimento.objects.create(exercicio=com_lista, nome="Da LDO de 2031")
    for exercicio in (com_anexo, com_lista):
        with pytest.raises(ProtectedError):
            exercicio.delete()
    vazio = Exercicio.objects.create(ano=2032, data_publicacao_loa=date(2032, 1, 10))
    vazio.delete()  # sem nada preso a ele, apaga


def test_conferencia_lista_as_linhas_e_os_grupos_repetidos(b, linhas):
    so_solicitados = CheckConstraint(condition=Q(status="SOLICITADO"), name="so_solicitados")
    assert linhas_que_violam(Remanejamento, so_solicitados) == [
        f"id {linhas[k].pk} ({linhas[k].status})" for k in ("aprovado", "reprovado", "cancelado")
    ]
    unica_por_inciso = UniqueConstraint(fields=["inciso"], name="uma_por_inciso")
    ids = sorted(Indicacao.objects.values_list("pk", flat=True))
    assert linhas_que_violam(Indicacao, unica_por_inciso) == [
        f"inciso={b['inciso'].pk!r} repetido nos ids {', '.join(map(str, ids))}"
    ]
    so_das_canceladas = UniqueConstraint(fields=["inciso"], condition=Q(status="CANCELADA"), name="uma_cancelada")
    assert linhas_que_violam(Indicacao, so_das_canceladas) == []  # a condição restringe as linhas conferidas


def _sem_restricao(modelo, nome):
    """Tira a restrição só dentro da transação do teste (o rollback a devolve) para gravar uma linha ruim."""
    restricao = next(c for c in modelo._meta.constraints if c.name == nome)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE não roda com checagens adiadas pendentes
    with connection.schema_editor() as editor:
        editor.remove_constraint(modelo, restricao)


def test_migracao_recusa_linha_gravada_antes_que_viola_e_lista_qual(b, linhas):
    if connection.vendor != "postgresql":
        pytest.skip("tirar uma restrição dentro da transação do teste exige PostgreSQL (o SQLite recria a tabela)")
    _sem_restricao(Remanejamento, "remanejamento_inciso_r_so_aprovado")
    _sem_restricao(Indicacao, "indicacao_categoria_so_reprovada")
    Remanejamento.objects.filter(pk=linhas["aprovado"].pk).update(inciso_gerado=None)
    Indicacao.objects.filter(pk=linhas["reprovada"].pk).update(categoria_impedimento=None)
    with pytest.raises(LinhasInvalidas) as erro:
        MIGRACAO.conferir_linhas(apps, None)
    mensagem = str(erro.value)
    assert "emendas.0009_restricoes_de_situacao não foi aplicada" in mensagem
    assert f"- remanejamento_inciso_r_so_aprovado (remanejamento, 1 linha(s)): id {linhas['aprovado'].pk} (APROVADO)" \
        in mensagem
    assert f"- indicacao_categoria_so_reprovada (indicação, 1 linha(s)): id {linhas['reprovada'].pk} (REPROVADA)" \
        in mensagem
    assert set(erro.value.violacoes) == {"remanejamento_inciso_r_so_aprovado", "indicacao_categoria_so_reprovada"}
