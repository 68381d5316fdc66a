"""Associar e desassociar assessores (DOMAIN.md §1.2). Reexportado em ``emendas.services``.

Só o próprio parlamentar associa e desassocia os seus assessores: nem o assessor (não associa outros), nem a SEGOV
(que só vê). O assessor é uma conta já cadastrada, ativa e com o perfil "Assessor" (dado pelo administrador, como o
perfil do analista de órgão). Cada mudança: auditoria e e-mail ao assessor pela caixa de saída.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone

from auditoria.services import registrar
from contas import perfis
from contas.models import normalizar_email
from notificacoes.models import EmailPendente
from notificacoes.services import enfileirar_email

from ..models import Parlamentar, VinculoAssessor


def pode_gerir_assessores(usuario, parlamentar: Parlamentar) -> bool:
    """Só a conta do próprio parlamentar (a regra do serviço e dos botões da tela)."""
    return usuario.is_authenticated and usuario.is_active and parlamentar.usuario_id == usuario.pk


def _exigir_o_proprio(usuario, parlamentar: Parlamentar) -> None:
    if not pode_gerir_assessores(usuario, parlamentar):
        raise PermissionDenied(f"Somente o próprio parlamentar ({parlamentar.nome}) associa e desassocia os seus "
                               "assessores.")


def _conta_do_assessor(email: str, parlamentar: Parlamentar):
    login = normalizar_email(email)
    if not login:
        raise ValidationError("Informe o e-mail (login) do assessor.")
    Usuario = get_user_model()
    conta = Usuario.objects.annotate(login=Lower("email")).filter(login=login).first()
    if conta is None:
        raise ValidationError(f"Não há usuário com o login “{login}”: o assessor precisa estar cadastrado no sistema "
                              "(peça ao administrador) antes de ser associado.")
    if conta.pk == parlamentar.usuario_id:
        raise ValidationError("O parlamentar não pode ser assessor de si mesmo.")
    if not conta.is_active:
        raise ValidationError(f"A conta {conta.email} está desativada e não pode ser associada.")
    if not perfis.tem_perfil(conta, perfis.ASSESSOR):
        raise ValidationError(f"{conta.email} não tem o perfil “{perfis.ASSESSOR}”: peça ao administrador que dê o "
                              "perfil antes de associar.")
    if not conta.nome.strip() or not conta.has_usable_password():
        raise ValidationError(f"{conta.email} ainda não concluiu o cadastro (nome e senha definidos): associe depois "
                              "do primeiro acesso.")
    return conta


def _email_ao_assessor(vinculo: VinculoAssessor, evento: str, *, usuario) -> None:
    associado = evento == "associado"
    corpo = render_to_string("emails/assessor.txt", {
        "vinculo": vinculo, "associado": associado, "usuario": usuario, "agora": timezone.localtime(),
        "url": settings.SIGCON_URL_BASE,
    })
    situacao = "associado como assessor de" if associado else "desassociado de"
    enfileirar_email(assunto=f"SIGCON Saída – você foi {situacao} {vinculo.parlamentar.nome}", corpo=corpo,
                     destinatarios=[vinculo.assessor.email], tipo=EmailPendente.Tipo.OUTRO)


def associar_assessor(*, usuario, parlamentar: Parlamentar, email: str) -> VinculoAssessor:
    """Associa a conta de login *email* como assessor de *parlamentar*; devolve o vínculo novo."""
    _exigir_o_proprio(usuario, parlamentar)
    with transaction.atomic():
        # Trava o parlamentar: dois "Associar" simultâneos do mesmo assessor não passam ambos pela conferência de
        # "já associado" (a restrição do banco seria um erro 500, não a mensagem).
        parlamentar = Parlamentar.objects.select_for_update(no_key=True).select_related("usuario").get(
            pk=parlamentar.pk)
        conta = _conta_do_assessor(email, parlamentar)
        if VinculoAssessor.objects.filter(parlamentar=parlamentar, assessor=conta, ativo=True).exists():
            raise ValidationError(f"{conta.get_full_name()} ({conta.email}) já é assessor de {parlamentar.nome}.")
        vinculo = VinculoAssessor.objects.create(parlamentar=parlamentar, assessor=conta, associado_por=usuario)
        registrar(acao="assessor.associar", objeto=vinculo, usuario=usuario, depois={
            "parlamentar": parlamentar, "assessor": conta.email, "ativo": True, "desde": vinculo.desde})
        _email_ao_assessor(vinculo, "associado", usuario=usuario)
    return vinculo


def desassociar_assessor(*, usuario, parlamentar: Parlamentar, assessor) -> VinculoAssessor:
    """Encerra o vínculo ativo de *assessor* com *parlamentar*: ele perde o acesso na hora (as regras de
    ``emendas.visibilidade`` leem o vínculo a cada pedido). O vínculo fica no histórico."""
    _exigir_o_proprio(usuario, parlamentar)
    with transaction.atomic():
        # Trava o vínculo: desassociar duas vezes ao mesmo tempo encerra uma vez só (a segunda vê que já acabou).
        vinculo = (VinculoAssessor.objects.select_for_update(no_key=True, of=("self",))
                   .select_related("parlamentar", "assessor")
                   .filter(parlamentar=parlamentar, assessor=assessor, ativo=True).first())
        if vinculo is None:
            raise ValidationError(f"{assessor.get_full_name()} não é assessor ativo de {parlamentar.nome}.")
        vinculo.ativo, vinculo.ate, vinculo.encerrado_por = False, timezone.now(), usuario
        vinculo.save(update_fields=["ativo", "ate", "encerrado_por"])
        registrar(acao="assessor.desassociar", objeto=vinculo, usuario=usuario,
                  antes={"ativo": True}, depois={"ativo": False, "ate": vinculo.ate, "assessor": assessor.email})
        _email_ao_assessor(vinculo, "desassociado", usuario=usuario)
    return vinculo
