"""O catálogo no admin (registrado por emendas/admin.py): a SEGOV corrige um item sem carregar o arquivo de novo.

Cada alteração vai à auditoria, como a carga. Nada se apaga aqui: um item fora de uso fica inativo (as indicações
que o usam o mantêm).
"""

from django.contrib import admin

from auditoria.services import registrar

from ..models import CategoriaAtendimento, EspecificacaoAtendimento, GeneroAtendimento, TipoAplicacao


class AuditadoSemExcluir(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.changed_data:
            # Depois dos grupos de despesa (muitos-para-muitos), para a auditoria dizer os que ficaram.
            registrar(acao=f"catalogo.{'alterar' if change else 'incluir'}", objeto=form.instance,
                      usuario=request.user, antes={c: str(form.initial.get(c)) for c in form.changed_data},
                      depois={c: str(form.cleaned_data[c]) for c in form.changed_data})


@admin.register(GeneroAtendimento)
class GeneroAtendimentoAdmin(AuditadoSemExcluir):
    search_fields = ("nome",)


@admin.register(CategoriaAtendimento)
class CategoriaAtendimentoAdmin(AuditadoSemExcluir):
    list_display = ("nome", "genero")
    list_filter = ("genero",)
    list_select_related = ("genero",)
    search_fields = ("nome", "genero__nome")


@admin.register(EspecificacaoAtendimento)
class EspecificacaoAtendimentoAdmin(AuditadoSemExcluir):
    list_display = ("nome", "categoria", "ativa")
    list_filter = ("ativa", "grupos_despesa", "categoria__genero")
    list_select_related = ("categoria__genero",)
    search_fields = ("nome", "categoria__nome", "categoria__genero__nome")
    filter_horizontal = ("grupos_despesa",)


@admin.register(TipoAplicacao)
class TipoAplicacaoAdmin(AuditadoSemExcluir):
    list_display = ("nome", "grupo_despesa", "ativo")
    list_filter = ("ativo", "grupo_despesa")
    list_select_related = ("grupo_despesa",)
    search_fields = ("nome",)

    def get_readonly_fields(self, request, obj=None):
        # O grupo é a regra do tipo: trocá-lo mudaria em silêncio o que as indicações já feitas usam. Outro grupo é
        # outro tipo (inclua um novo, ou carregue o arquivo).
        return ("grupo_despesa",) if obj is not None else ()
