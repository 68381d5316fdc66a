"""Quem analisa cada UO (``UnidadeOrcamentaria.analistas``) e quem age por cada convenente
(``Convenente.usuarios``): mudados só pela SEGOV, cada mudança com o antes e o depois na auditoria."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from auditoria.services import registrar

from . import perfis


def _alterar(*, usuario, objeto, relacao: str, perfil: str, adicionar, remover, acao: str, descricao: str):
    if not perfis.e_segov(usuario):
        raise PermissionDenied("Somente a SEGOV define analistas das UOs e usuários dos convenentes.")
    adicionar = [u for u in adicionar if u is not None]
    for u in adicionar:
        if not u.is_active:
            raise ValidationError(f"A conta {u.email} está desativada e não pode ser vinculada.")
        if not perfis.tem_perfil(u, perfil):
            raise ValidationError(
                f"{u.email} não tem o perfil “{perfil}”: peça ao administrador que dê o perfil antes de vincular."
            )
    with transaction.atomic():
        # Trava a UO (ou o convenente): duas edições simultâneas não se sobrepõem, e o "antes" registrado na
        # auditoria é exatamente o que foi substituído. Não participa da ordem das travas do dinheiro.
        obj = type(objeto).objects.select_for_update(no_key=True).get(pk=objeto.pk)
        vinculados = getattr(obj, relacao)
        antes = sorted(vinculados.values_list("email", flat=True))
        vinculados.add(*adicionar)
        vinculados.remove(*remover)
        depois = sorted(vinculados.values_list("email", flat=True))
        if antes == depois:
            raise ValidationError(f"Nada mudou em {descricao} {obj}.")
        registrar(acao=acao, objeto=obj, antes={relacao: antes}, depois={relacao: depois}, usuario=usuario)
    return obj


def definir_analistas_da_uo(*, usuario, uo, adicionar=(), remover=()):
    """Inclui e retira analistas (perfil Órgão) da UO."""
    return _alterar(usuario=usuario, objeto=uo, relacao="analistas", perfil=perfis.ORGAO, adicionar=adicionar,
                    remover=remover, acao="uo.analistas", descricao="os analistas da UO")


def definir_usuarios_do_convenente(*, usuario, convenente, adicionar=(), remover=()):
    """Inclui e retira usuários (perfil Convenente) que agem pelo convenente."""
    return _alterar(usuario=usuario, objeto=convenente, relacao="usuarios", perfil=perfis.CONVENENTE,
                    adicionar=adicionar, remover=remover, acao="convenente.usuarios",
                    descricao="os usuários do convenente")
