"""O site do admin com auditoria em todo cadastro registrado.

Todo ``ModelAdmin`` registrado neste site (os nossos e os do Django, como o de grupos) ganha
``AdminAuditadoMixin`` na hora do registro: nenhum admin novo escapa da auditoria por esquecimento.
"""

from django.contrib import admin
from django.db import transaction

from .services import diferencas, fotografia, registrar


class AdminAuditadoMixin:
    """Cada inclusão, alteração e exclusão pelo admin vira um registro com os valores antigos e novos."""

    def _fotografia_do_banco(self, obj):
        if obj.pk is None:
            return None
        atual = type(obj)._default_manager.filter(pk=obj.pk).first()
        return fotografia(atual) if atual is not None else None

    def save_model(self, request, obj, form, change):
        # Antes de gravar: *obj* já traz os valores do formulário, o banco ainda tem os antigos.
        form._auditoria_antes = self._fotografia_do_banco(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Depois dos muitos-para-muitos e inlines: o "depois" é o estado final do objeto.
        obj = form.instance
        depois = fotografia(obj)
        antes = getattr(form, "_auditoria_antes", None)
        if change:
            antes, depois = diferencas(antes, depois)
            if not depois and not any(f.has_changed() for f in formsets):
                return
        registrar(acao="admin.alterar" if change else "admin.incluir", objeto=obj, antes=antes, depois=depois)

    def delete_model(self, request, obj):
        registrar(acao="admin.excluir", objeto=obj, antes=fotografia(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # A ação "excluir selecionados" não abre transação: registro e exclusão valem juntos ou nada vale.
        with transaction.atomic():
            for obj in queryset:
                registrar(acao="admin.excluir", objeto=obj, antes=fotografia(obj))
            super().delete_queryset(request, queryset)


class SiteAuditado(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AdminAuditadoMixin):
            admin_class = type(admin_class.__name__, (AdminAuditadoMixin, admin_class),
                               {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__})
        super().register(model_or_iterable, admin_class, **options)
