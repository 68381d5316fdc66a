"""Cada tipo de mudança deixa um registro de auditoria: quem, o quê, sobre qual objeto, antes e depois."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from auditoria.admin_site import AdminAuditadoMixin
from auditoria.models import RegistroAuditoria
from auditoria.services import registrar_bloqueio_de_acesso
from contas import perfis
from convenios import services as conv
from convenios.cnpj import gerar_cnpj
from convenios.importacao import importar_convenentes, importar_escolas
from convenios.models import Convenente
from emendas.importacao import importar_loa, importar_programacoes
from emendas.models import CategoriaImpedimento, Exercicio
from emendas.services import (
    ajustar_indicacao, aprovar_indicacao_orgao, aprovar_indicacao_segov, aprovar_remanejamento, cancelar_indicacao,
    cancelar_remanejamento, corrigir_inciso, devolver_para_ajuste, enviar_indicacao, reprovar_indicacao,
    reprovar_remanejamento, retornar_ao_orgao, solicitar_remanejamento,
)
from integracoes.models import ServicoSimulado
from tests.conftest import SENHA, criar_usuario, logado, meio_dia
from tests.fabricas import cenario_convenio, formalizar

pytestmark = pytest.mark.django_db
M = Decimal
LIVRE = date(2019, 2, 1)


def em(dia):
    return time_machine.travel(meio_dia(dia), tick=False)


def registros(prefixo):
    return list(RegistroAuditoria.objects.filter(acao__startswith=prefixo).select_related("usuario").order_by("pk"))


def acoes(prefixo):
    return [r.acao for r in registros(prefixo)]


# --- Serviços de emendas ----------------------------------------------------------------------------

@pytest.fixture
def rem_base(programacoes, inciso, parlamentar, segov, acao_saude_2, grupo_inv):
    def pedir(valor="100.00"):
        return solicitar_remanejamento(usuario=parlamentar.usuario, inciso=inciso, acao=acao_saude_2,
                                       grupo_despesa=grupo_inv, valor=M(valor))
    return pedir


def test_remanejamento_pedido_aprovado_reprovado_e_cancelado_ficam_na_auditoria(rem_base, parlamentar, segov):
    with em(LIVRE):
        r1, r2, r3 = rem_base("100.00"), rem_base("200.00"), rem_base("300.00")
        aprovar_remanejamento(usuario=segov, remanejamento=r1)
        reprovar_remanejamento(usuario=segov, remanejamento=r2, justificativa="Sem projeto")
        cancelar_remanejamento(usuario=parlamentar.usuario, remanejamento=r3)
    assert acoes("remanejamento.") == ["remanejamento.solicitar"] * 3 + [
        "remanejamento.aprovar", "remanejamento.reprovar", "remanejamento.cancelar"]
    pedido, aprovado = registros("remanejamento.solicitar")[0], registros("remanejamento.aprovar")[0]
    assert pedido.usuario == parlamentar.usuario and pedido.id_objeto == str(r1.pk)
    assert pedido.depois["valor"] == "100.00" and pedido.depois["status"] == "SOLICITADO"
    assert aprovado.usuario == segov
    assert (aprovado.antes, aprovado.depois["status"]) == ({"status": "SOLICITADO"}, "APROVADO")
    assert registros("remanejamento.reprovar")[0].depois["observacao"] == "Sem projeto"


def test_recusa_nao_deixa_registro(rem_base, parlamentar):
    with em(LIVRE), pytest.raises(Exception):
        rem_base("999999999.00")
    assert not registros("remanejamento.")


def test_indicacao_em_cada_passo_fica_na_auditoria(inciso, parlamentar, analista_orgao, segov):
    prefeitura = Convenente.objects.create(cnpj=gerar_cnpj(1), razao_social="Prefeitura de Betim", municipio="Betim",
                                           tipo="ADM_MUNICIPAL")
    categoria = CategoriaImpedimento.objects.filter(exercicio__isnull=True).first()
    parl = parlamentar.usuario

    def indicar():
        return enviar_indicacao(usuario=parl, inciso=inciso, forma_execucao="CONVENIO", valor=M("10.00"),
                                beneficiario=prefeitura, objeto="Reforma da UBS")

    with em(LIVRE):
        a, b, c = indicar(), indicar(), indicar()
        aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=a)
        retornar_ao_orgao(usuario=segov, indicacao=a, justificativa="Conferir objeto")
        aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=a)
        aprovar_indicacao_segov(usuario=segov, indicacao=a)
        devolver_para_ajuste(usuario=analista_orgao, indicacao=b, justificativa="Detalhe o objeto")
        ajustar_indicacao(usuario=parl, indicacao=b, objeto="Reforma da UBS do centro")
        reprovar_indicacao(usuario=analista_orgao, indicacao=b, categoria=categoria, justificativa="Sem projeto")
        cancelar_indicacao(usuario=parl, indicacao=c, justificativa="Desisti")
    assert acoes("indicacao.") == ["indicacao.enviar"] * 3 + [
        "indicacao.aprovar_orgao", "indicacao.retornar_ao_orgao", "indicacao.aprovar_orgao", "indicacao.aprovar_segov",
        "indicacao.devolver_para_ajuste", "indicacao.ajustar", "indicacao.reprovar", "indicacao.cancelar"]
    envio = registros("indicacao.enviar")[0]
    assert envio.depois["valor"] == "10.00" and "Prefeitura de Betim" in envio.depois["beneficiario"]
    reprovacao = registros("indicacao.reprovar")[0]
    assert reprovacao.usuario == analista_orgao and reprovacao.antes == {"status": "EM_ANALISE_ORGAO"}
    assert reprovacao.depois["justificativa"].endswith("Sem projeto")


def test_correcao_de_inciso_registra_valor_antigo_e_novo(inciso, segov):
    corrigir_inciso(usuario=segov, inciso=inciso, justificativa="Erro na LOA", valor_inicial=M("900000.00"))
    (r,) = registros("inciso.corrigir")
    assert r.antes == {"valor_inicial": "1000000.00"}
    assert r.depois == {"valor_inicial": "900000.00", "justificativa": "Erro na LOA"}
    assert (r.usuario, r.id_objeto) == (segov, str(inciso.pk))


# --- Convênios ------------------------------------------------------------------------------------

@pytest.fixture
def cv(inciso, parlamentar, analista_orgao, segov):
    convenente, usuario, ind = cenario_convenio(inciso=inciso, parlamentar=parlamentar, analista_orgao=analista_orgao,
                                                segov=segov)
    return {"conv": convenente, "u": usuario, "ind": ind, "orgao": analista_orgao, "segov": segov}


def gerar(cv, valor="100000.00"):
    return conv.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M(valor)},
                               objeto="Reforma da sede")


def test_proposta_do_cadastro_a_liberacao_fica_na_auditoria(cv):
    p = gerar(cv)
    conv.enviar_proposta(usuario=cv["u"], proposta=p)
    conv.receber_proposta(usuario=cv["orgao"], proposta=p)
    conv.aprovar_proposta(usuario=cv["orgao"], proposta=p)
    formalizar(cadastrador=cv["u"], analista_orgao=cv["orgao"], proposta=p, segov=cv["segov"])
    lib = conv.solicitar_liberacao(usuario=cv["orgao"], proposta=p, valor=M("1000.00"))
    conv.autorizar_liberacao(usuario=cv["segov"], liberacao=lib)
    assert acoes("proposta.") == ["proposta.gerar", "proposta.enviar", "proposta.receber", "proposta.aprovar",
                                  "proposta.autorizar_plano", "proposta.assinar_convenente",
                                  "proposta.assinar_concedente", "proposta.publicar"]
    assert acoes("liberacao.") == ["liberacao.solicitar", "liberacao.autorizar"]
    gerada = registros("proposta.gerar")[0]
    assert gerada.usuario == cv["u"] and gerada.depois["indicacoes"] == {str(cv["ind"].numero): "100000.00"}
    autorizada = registros("liberacao.autorizar")[0]
    assert autorizada.usuario == cv["segov"] and autorizada.id_objeto == str(p.pk)
    assert (autorizada.antes["status"], autorizada.depois["status"]) == ("SOLICITADA", "AUTORIZADA")


def test_excecao_da_segov_registrada_e_usada_e_proposta_cancelada(cv):
    p = gerar(cv)
    ServicoSimulado.objects.update_or_create(sistema="CAGEC", defaults={"fora_do_ar": True})
    with pytest.raises(Exception):
        conv.enviar_proposta(usuario=cv["u"], proposta=p)
    conv.registrar_excecao(usuario=cv["segov"], proposta=p, sistema="CAGEC", momento="ENVIAR",
                           justificativa="CAGEC fora do ar")
    conv.enviar_proposta(usuario=cv["u"], proposta=p)
    conv.cancelar_proposta(usuario=cv["u"], proposta=p, justificativa="Mudou o projeto")
    assert acoes("proposta.") == ["proposta.gerar", "proposta.registrar_excecao", "proposta.enviar",
                                  "proposta.usar_excecao", "proposta.cancelar"]
    assert registros("proposta.registrar_excecao")[0].depois["justificativa"] == "CAGEC fora do ar"
    cancelada = registros("proposta.cancelar")[0]
    assert cancelada.antes["status"] == "ENVIADA" and cancelada.depois["status"] == "CANCELADA"


def test_desvincular_indicacao_fica_na_auditoria(cv, inciso, parlamentar, analista_orgao, segov):
    with em(LIVRE):
        outra = enviar_indicacao(usuario=parlamentar.usuario, inciso=inciso, forma_execucao="CONVENIO",
                                 valor=M("50.00"), beneficiario=cv["conv"], objeto="Reforma da sede")
        aprovar_indicacao_orgao(usuario=analista_orgao, indicacao=outra)
        aprovar_indicacao_segov(usuario=segov, indicacao=outra)
    p = conv.gerar_proposta(usuario=cv["u"], convenente=cv["conv"], indicacoes={cv["ind"]: M("10.00"), outra: M("5.00")},
                            objeto="Reforma")
    conv.desvincular_indicacao(usuario=cv["u"], proposta=p, indicacao=outra)
    (r,) = registros("proposta.desvincular")
    assert r.antes == {"indicacao": outra.numero, "valor": "5.00"} and r.usuario == cv["u"]


# --- Calendário, regras e importações --------------------------------------------------------------

def test_edicao_do_calendario_registra_antes_depois_usuario_e_ip(exercicio, segov):
    cliente = logado(segov)
    dados = {f: getattr(exercicio, f) for f in (
        "data_publicacao_loa", "data_liberacao", "fim_janela_livre", "fim_janela_obrigatoria",
        "limite_outra_uo_percentual", "regime_cagec")}
    dados = {k: ("" if v is None else v) for k, v in dados.items()}
    dados["fim_janela_livre"] = date(2019, 2, 10)
    dados["permite_outra_uo"] = "on"
    r = cliente.enviar(reverse("emendas:exercicio_editar", args=[2019]), dados, REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 302
    (reg,) = registros("exercicio.editar")
    assert reg.antes == {"fim_janela_livre": "2019-02-25", "permite_outra_uo": False}
    assert reg.depois == {"fim_janela_livre": "2019-02-10", "permite_outra_uo": True}
    assert (reg.usuario, reg.ip) == (segov, "10.1.2.3")


LOA = ("emenda;titular;tipo_titular;email;inciso;uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;valor\n"
       "175;Ana Lacerda;PARLAMENTAR;ana@almg.test;S530;4291;Fundo Estadual de Saúde;4470;Atenção primária;4;"
       "Investimentos;1.000,00\n").encode()
PROG = ("uo;uo_nome;acao;acao_nome;grupo_despesa;grupo_nome;area;recebe_remanejamento;destino_livre\n"
        "4291;Fundo Estadual de Saúde;4470;Atenção primária;4;Investimentos;SAUDE;S;N\n").encode()


def test_importacoes_registram_o_resumo_e_a_previa_nao(db):
    importar_loa(conteudo=LOA, ano=2027, publicacao=date(2027, 1, 8), simular=True)
    assert not registros("importacao.")
    importar_loa(conteudo=LOA, ano=2027, publicacao=date(2027, 1, 8))
    importar_programacoes(conteudo=PROG, ano=2027)
    importar_convenentes(conteudo=f"cnpj;razao_social;municipio;tipo\n{gerar_cnpj(7)};OSC Vida;Betim;OSC\n".encode())
    importar_escolas(conteudo=f"codigo_escola;cnpj;razao_social;municipio\n0031001;{gerar_cnpj(8)};Caixa;Uberaba\n".encode())
    assert acoes("importacao.") == ["importacao.loa", "importacao.programacoes", "importacao.convenentes",
                                    "importacao.escolas"]
    loa, prog, convenentes, escolas = registros("importacao.")
    assert loa.depois["linhas"] == 1 and loa.depois["criados"]["incisos"] == 1 and loa.depois["publicacao"] == "2027-01-08"
    assert loa.id_objeto == str(Exercicio.objects.get(ano=2027).pk)
    assert prog.depois["criados"] == {"programações": 1}
    assert convenentes.depois["criados"] == {"convenentes": 1} and escolas.depois["criados"] == {"escolas": 1}


# --- Admin ----------------------------------------------------------------------------------------

def test_todo_cadastro_do_admin_e_auditado():
    assert admin.site._registry
    for modelo, modelo_admin in admin.site._registry.items():
        assert isinstance(modelo_admin, AdminAuditadoMixin), modelo


@pytest.fixture
def administrador(db, django_user_model):
    return django_user_model.objects.create_superuser(email="ti@sigcon.test", password=SENHA, nome="TI")


def test_admin_registra_inclusao_alteracao_com_valores_antigos_e_novos_e_exclusao(administrador):
    cliente = logado(administrador)
    url = reverse("admin:convenios_convenente_add")
    dados = {"cnpj": gerar_cnpj(31), "razao_social": "OSC Esperança", "municipio": "Betim", "tipo": "OSC",
             "codigo_escola": "", "situacao_cagec": "", "siafi_bloqueado": "unknown", "siafi_motivo": ""}
    assert cliente.post(url, dados).status_code == 302
    c = Convenente.objects.get(cnpj=dados["cnpj"])
    url = reverse("admin:convenios_convenente_change", args=[c.pk])
    assert cliente.post(url, {**dados, "razao_social": "OSC Esperança Viva"}).status_code == 302
    assert cliente.post(reverse("admin:convenios_convenente_delete", args=[c.pk]), {"post": "yes"}).status_code == 302
    incluir, alterar, excluir = registros("admin.")
    assert (incluir.acao, incluir.depois["razao_social"], incluir.usuario) == ("admin.incluir", "OSC Esperança",
                                                                             administrador)
    assert alterar.acao == "admin.alterar"
    assert (alterar.antes, alterar.depois) == ({"razao_social": "OSC Esperança"}, {"razao_social": "OSC Esperança Viva"})
    assert excluir.acao == "admin.excluir" and excluir.antes["cnpj"] == dados["cnpj"]


def test_troca_de_senha_fica_registrada_sem_a_senha(administrador):
    alvo = criar_usuario("alvo@sigcon.test")
    hash_antigo = alvo.password
    cliente = logado(administrador)
    url = reverse("admin:auth_user_password_change", args=[alvo.pk])
    r = cliente.post(url, {"password1": "Nova-senha-123", "password2": "Nova-senha-123", "usable_password": "true"})
    assert r.status_code == 302
    alvo.refresh_from_db()
    assert alvo.password != hash_antigo
    (reg,) = registros("conta.senha_alterada")
    assert (reg.usuario, reg.id_objeto) == (administrador, str(alvo.pk))
    texto = str(list(RegistroAuditoria.objects.values_list("antes", "depois")))
    assert alvo.password not in texto and hash_antigo not in texto and "Nova-senha-123" not in texto


# --- Contas e permissões --------------------------------------------------------------------------

def test_entrada_senha_errada_e_saida(client, segov):
    client.post(reverse("login"), {"username": "segov@segov.test", "password": "errada"}, REMOTE_ADDR="10.9.9.9")
    client.post(reverse("login"), {"username": "segov@segov.test", "password": SENHA}, REMOTE_ADDR="10.9.9.9")
    client.post(reverse("logout"), REMOTE_ADDR="10.9.9.9")
    falhou, entrou, saiu = registros("conta.")
    assert (falhou.acao, falhou.usuario, falhou.depois, falhou.ip) == (
        "conta.login_falhou", None, {"email": "segov@segov.test"}, "10.9.9.9")
    assert "errada" not in str(falhou.depois)
    assert (entrou.acao, entrou.usuario, entrou.ip) == ("conta.entrar", segov, "10.9.9.9")
    assert (saiu.acao, saiu.usuario) == ("conta.sair", segov)


def test_bloqueio_de_conta_tem_funcao_propria_para_o_controle_de_tentativas(db):
    registrar_bloqueio_de_acesso(email="ana@almg.test", ip="10.0.0.7", motivo="5 senhas erradas")
    (r,) = registros("conta.bloqueio")
    assert (r.ip, r.depois) == ("10.0.0.7", {"email": "ana@almg.test", "motivo": "5 senhas erradas"})


def test_mudanca_de_grupos_e_permissoes_fica_na_auditoria(segov):
    usuario = criar_usuario("novo@sigcon.test")
    grupo_segov = Group.objects.get(name=perfis.SEGOV)
    marco = RegistroAuditoria.objects.order_by("-pk").values_list("pk", flat=True).first()
    usuario.groups.add(grupo_segov)
    grupo_segov.user_set.remove(usuario)
    permissao = Permission.objects.get(codename="view_inciso")
    usuario.user_permissions.add(permissao)
    grupos = [r for r in registros("permissoes.") if r.pk > marco]
    assert [(r.acao, r.antes, r.depois) for r in grupos] == [
        ("permissoes.groups", {"groups": []}, {"groups": ["SEGOV"]}),
        ("permissoes.user_set", {"user_set": ["novo@sigcon.test"]}, {"user_set": []}),
        ("permissoes.user_permissions", {"user_permissions": []},
         {"user_permissions": [str(permissao)]}),
    ]


def test_login_errado_com_caracteres_hostis_e_registrado_sem_erro(rf, db, client):
    # Pela porta da frente o NUL nem chega ao login (sigcon.middleware recusa com 400, nada gravado)...
    assert client.post("/conta/entrar/", {"username": "ana\x00@almg.test", "password": "x"}).status_code == 400
    assert not registros("conta.login_falhou")
    # ...e o receptor da auditoria, chamado direto, ainda limpa o que o PostgreSQL recusaria.
    from auditoria.sinais import _falhou

    pedido = rf.post("/conta/entrar/", REMOTE_ADDR="203.0.113.9")
    _falhou(sender=None, credentials={"username": "ana\x00@almg.test", "password": "*"}, request=pedido)
    (reg,) = registros("conta.login_falhou")
    assert reg.depois == {"email": "ana@almg.test"} and reg.ip == "203.0.113.9"
