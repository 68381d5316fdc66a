"""Associar e desassociar assessores: quem pode, as recusas, o histórico, a auditoria e o e-mail ao assessor."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from auditoria.models import RegistroAuditoria
from contas import perfis
from emendas.models import VinculoAssessor
from emendas.services import associar_assessor, desassociar_assessor
from notificacoes.models import EmailPendente
from tests.conftest import criar_usuario

pytestmark = pytest.mark.django_db


def test_parlamentar_associa_assessor_pelo_login_com_auditoria_e_email(parlamentar, assessor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        vinculo = associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email="  DAVI@almg.test ")
    assert (vinculo.parlamentar, vinculo.assessor, vinculo.ativo, vinculo.ate) == (parlamentar, assessor, True, None)
    assert vinculo.associado_por == parlamentar.usuario
    registro = RegistroAuditoria.objects.get(acao="assessor.associar")
    assert registro.usuario == parlamentar.usuario and registro.depois["assessor"] == "davi@almg.test"
    email = EmailPendente.objects.get()
    assert email.destinatarios == ["davi@almg.test"]
    assert "associado como assessor de Ana Lacerda" in email.assunto and "seletor do topo" in email.corpo


@pytest.mark.parametrize("preparar, email, trecho", [
    (None, "ninguem@almg.test", "Não há usuário com o login “ninguem@almg.test”"),
    (None, "", "Informe o e-mail"),
    ("sem_perfil", "sem@almg.test", "não tem o perfil “Assessor”"),
    ("desativado", "inativo@almg.test", "está desativada"),
    ("sem_senha", "novo@almg.test", "ainda não concluiu o cadastro"),
    (None, "ana@almg.test", "não pode ser assessor de si mesmo"),
])
def test_associar_recusa_conta_que_nao_serve_e_nada_grava(parlamentar, preparar, email, trecho):
    if preparar == "sem_perfil":
        criar_usuario(email, perfis.PARLAMENTAR, "Sem Perfil")
    elif preparar == "desativado":
        u = criar_usuario(email, perfis.ASSESSOR, "Inativo")
        u.is_active = False
        u.save()
    elif preparar == "sem_senha":
        u = criar_usuario(email, perfis.ASSESSOR, "Novo")
        u.set_unusable_password()
        u.save()
    with pytest.raises(ValidationError) as exc:
        associar_assessor(usuario=parlamentar.usuario, parlamentar=parlamentar, email=email)
    assert trecho in " ".join(exc.value.messages)
    assert not VinculoAssessor.objects.exists() and not RegistroAuditoria.objects.filter(acao__startswith="assessor.").exists()


def test_associar_duas_vezes_o_mesmo_assessor_e_recusado(a):
    with pytest.raises(ValidationError, match="já é assessor de Ana Lacerda"):
        associar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], email=a["davi"].email)
    assert VinculoAssessor.objects.count() == 1


def test_assessor_nao_associa_outros(a):
    criar_usuario("eva@almg.test", perfis.ASSESSOR, "Eva Assessora")
    with pytest.raises(PermissionDenied, match="Somente o próprio parlamentar"):
        associar_assessor(usuario=a["davi"], parlamentar=a["ana"], email="eva@almg.test")
    with pytest.raises(PermissionDenied):
        desassociar_assessor(usuario=a["davi"], parlamentar=a["ana"], assessor=a["davi"])
    assert VinculoAssessor.objects.filter(ativo=True).count() == 1


@pytest.mark.parametrize("quem", ["segov", "bruno"])
def test_segov_e_outro_parlamentar_nao_associam_por_ela(a, quem):
    usuario = a["segov"] if quem == "segov" else a["bruno"].usuario
    criar_usuario("eva@almg.test", perfis.ASSESSOR, "Eva Assessora")
    with pytest.raises(PermissionDenied):
        associar_assessor(usuario=usuario, parlamentar=a["ana"], email="eva@almg.test")
    with pytest.raises(PermissionDenied):
        desassociar_assessor(usuario=usuario, parlamentar=a["ana"], assessor=a["davi"])


def test_desassociar_encerra_o_vinculo_guarda_o_historico_e_avisa(a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        vinculo = desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    vinculo.refresh_from_db()
    assert not vinculo.ativo and vinculo.ate is not None and vinculo.encerrado_por == a["ana"].usuario
    assert VinculoAssessor.objects.count() == 1  # encerrado, nunca apagado
    registro = RegistroAuditoria.objects.get(acao="assessor.desassociar")
    assert registro.antes == {"ativo": True} and registro.depois["ativo"] is False
    email = EmailPendente.objects.filter(assunto__contains="desassociado").get()
    assert email.destinatarios == ["davi@almg.test"] and "não age mais em nome de Ana Lacerda" in email.corpo


def test_desassociar_quem_nao_e_assessor_ativo_e_recusado(a):
    desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    with pytest.raises(ValidationError, match="não é assessor ativo"):
        desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    assert RegistroAuditoria.objects.filter(acao="assessor.desassociar").count() == 1


def test_reassociar_depois_de_desassociar_abre_um_vinculo_novo(a):
    desassociar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], assessor=a["davi"])
    novo = associar_assessor(usuario=a["ana"].usuario, parlamentar=a["ana"], email=a["davi"].email)
    assert novo.pk != a["vinculo"].pk
    assert list(VinculoAssessor.objects.order_by("pk").values_list("ativo", flat=True)) == [False, True]
