from django.contrib import admin

from auditoria.services import registrar
from sigcon.admin_util import SomenteLeitura, numero_do_registro
from sigcon.dinheiro import formatar_brl

from .catalogo import admin as catalogo_admin  # noqa: F401 (registra os modelos do catálogo)
from .models import (
    Acao, Bloco, CategoriaImpedimento, Diligencia, Emenda, Exercicio, GrupoDespesa, Indicacao, Inciso, JanelaOperacao,
    Parlamentar,
    ProgramacaoElegivel, RegistroCorrecaoInciso, RegistroIndicacao, RegistroRemanejamento, Remanejamento,
    RegistroTransferenciaEspecial, RespostaDiligencia, TransferenciaEspecial, UnidadeOrcamentaria,
    RespostaDiligencia, UnidadeOrcamentaria, VinculoAssessor, ExecucaoIndicacao, RegistroExecucao,
)

_CAMPOS_DO_VINCULO = ("parlamentar", "assessor", "ativo", "desde", "associado_por", "ate", "encerrado_por")


class VinculoAssessorInline(admin.TabularInline):
    """Os assessores do parlamentar (o histórico inteiro), só leitura: quem associa é o próprio parlamentar."""

    model = VinculoAssessor
    extra = 0
    can_delete = False
    fields = readonly_fields = _CAMPOS_DO_VINCULO[1:]

    def has_add_permission(self, request, obj=None):
        return False


class JanelaOperacaoInline(admin.TabularInline):
    """As janelas do exercício, para conferir; a SEGOV as edita na tela do calendário (ou na lista das janelas)."""

    model = JanelaOperacao
    extra = 0
    fields = readonly_fields = ("trilha", "tipo", "inicio", "fim")
    can_delete = False
    ordering = ("trilha", "inicio", "tipo")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JanelaOperacao)
class JanelaOperacaoAdmin(admin.ModelAdmin):
    list_display = ("exercicio", "trilha", "tipo", "inicio", "fim")
    list_filter = ("exercicio", "trilha", "tipo")
    list_select_related = ("exercicio",)
    ordering = ("-exercicio__ano", "trilha", "inicio", "tipo")
    fields = ("exercicio", "trilha", "tipo", "inicio", "fim")

    def get_readonly_fields(self, request, obj=None):
        # A de indicação S/R espelha as quatro datas do exercício: muda com elas, não aqui.
        if obj is not None and obj.do_calendario:
            return self.fields
        return ("exercicio", "trilha", "tipo")

    def has_add_permission(self, request):
        return False  # nascem com o exercício (JanelaOperacao.sincronizar)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        antes = {campo: form.initial.get(campo) for campo in form.changed_data}
        super().save_model(request, obj, form, change)
        if form.changed_data:
            registrar(acao="exercicio.janelas", objeto=obj.exercicio, usuario=request.user, antes=antes,
                      depois={campo: form.cleaned_data[campo] for campo in form.changed_data})


@admin.register(Exercicio)
class ExercicioAdmin(admin.ModelAdmin):
    inlines = [JanelaOperacaoInline]
    list_display = (
        "ano", "data_publicacao_loa", "data_liberacao", "fim_janela_livre", "fim_janela_obrigatoria",
        "permite_outra_uo", "nao_impositivo_habilitado",
    )
    readonly_fields = ()
    fieldsets = (
        ("Calendário", {"fields": ("ano", "data_publicacao_loa", "data_liberacao", "fim_janela_livre", "fim_janela_obrigatoria")}),
        ("Política de remanejamento", {"fields": (
            "permite_outra_uo", "limite_outra_uo_percentual", "minimo_saude_percentual", "auto_aprovar_remanejamento",
            "nao_impositivo_habilitado",
        )}),
        ("Convênios", {"fields": ("regime_cagec",)}),
    )


@admin.register(UnidadeOrcamentaria)
class UnidadeOrcamentariaAdmin(admin.ModelAdmin):
    list_display = ("codigo", "nome", "secretaria")
    list_editable = ("secretaria",)
    list_filter = ("secretaria",)
    search_fields = ("codigo", "nome")
    filter_horizontal = ("analistas",)


@admin.register(Acao)
class AcaoAdmin(admin.ModelAdmin):
    list_display = ("codigo", "nome", "uo", "area", "destino_livre")
    list_filter = ("area", "destino_livre", "uo")
    search_fields = ("codigo", "nome", "uo__codigo")
    list_select_related = ("uo",)


@admin.register(GrupoDespesa)
class GrupoDespesaAdmin(admin.ModelAdmin):
    list_display = ("codigo", "nome")


@admin.register(ProgramacaoElegivel)
class ProgramacaoElegivelAdmin(admin.ModelAdmin):
    list_display = ("exercicio", "uo", "acao", "grupo_despesa", "recebe_remanejamento")
    list_filter = ("exercicio", "recebe_remanejamento", "acao__area", "acao__uo")
    search_fields = ("acao__codigo", "acao__nome", "acao__uo__codigo")
    list_select_related = ("exercicio", "acao__uo", "grupo_despesa")
    autocomplete_fields = ("acao",)

    @admin.display(description="UO", ordering="acao__uo__codigo")
    def uo(self, obj):
        return obj.acao.uo.codigo


class BlocoMembrosInline(admin.TabularInline):
    model = Bloco.membros.through
    extra = 0
    verbose_name = "bloco de que participa"
    verbose_name_plural = "blocos de que participa"


@admin.register(Parlamentar)
class ParlamentarAdmin(admin.ModelAdmin):
    list_display = ("nome", "usuario")
    search_fields = ("nome", "usuario__email")
    list_select_related = ("usuario",)
    autocomplete_fields = ("usuario",)
    inlines = [BlocoMembrosInline, VinculoAssessorInline]

    def get_readonly_fields(self, request, obj=None):
        # Ligar uma conta a um parlamentar dá a ela o dinheiro dos incisos: contas, só o superusuário.
        if not request.user.is_superuser:
            return ("usuario",)
        return ()


@admin.register(Bloco)
class BlocoAdmin(admin.ModelAdmin):
    list_display = ("nome", "responsavel")
    search_fields = ("nome",)
    filter_horizontal = ("membros",)
    list_select_related = ("responsavel",)


@admin.register(Emenda)
class EmendaAdmin(admin.ModelAdmin):
    list_display = ("numero", "exercicio", "parlamentar", "bloco")
    list_filter = ("exercicio",)
    search_fields = ("numero", "parlamentar__nome", "bloco__nome")
    list_select_related = ("exercicio", "parlamentar", "bloco")

    def get_readonly_fields(self, request, obj=None):
        # O titular é dono do dinheiro dos incisos: depois de criada, a emenda só muda pela carga da LOA.
        if obj is None:
            return ()
        return ("exercicio", "parlamentar", "bloco")


class RegistroCorrecaoIncisoInline(admin.TabularInline):
    model = RegistroCorrecaoInciso
    extra = 0
    can_delete = False
    fields = readonly_fields = ("momento", "usuario", "justificativa", "valor_anterior", "valor_novo",
                                "acao_anterior", "acao_nova", "grupo_anterior", "grupo_novo")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inciso)
class IncisoAdmin(admin.ModelAdmin):
    """Somente leitura: incisos nascem da carga da LOA ou de um serviço, e só mudam pelos serviços
    (SEGOV › Corrigir inciso), que conferem o valor comprometido e registram a correção."""

    list_display = ("numero", "tipo", "exercicio", "emenda", "uo", "acao", "grupo_despesa", "valor")
    list_filter = ("exercicio", "tipo", "acao__area", "acao__uo")
    search_fields = ("numero", "emenda__numero", "emenda__parlamentar__nome", "emenda__bloco__nome")
    list_select_related = ("exercicio", "emenda", "acao__uo", "grupo_despesa")
    readonly_fields = [f.name for f in Inciso._meta.fields]
    inlines = [RegistroCorrecaoIncisoInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="UO", ordering="acao__uo__codigo")
    def uo(self, obj):
        return obj.acao.uo.codigo

    @admin.display(description="valor inicial", ordering="valor_inicial")
    def valor(self, obj):
        return formatar_brl(obj.valor_inicial)


class RegistroRemanejamentoInline(admin.TabularInline):
    model = RegistroRemanejamento
    extra = 0
    can_delete = False
    readonly_fields = ("momento", "usuario", "em_nome_de", "status_anterior", "status_novo", "valor", "observacao")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Remanejamento)
class RemanejamentoAdmin(admin.ModelAdmin):
    inlines = [RegistroRemanejamentoInline]
    list_display = (numero_do_registro, "inciso_origem", "acao", "grupo_despesa", "valor", "status", "solicitado_em", "decidido_em")
    list_filter = ("status", "inciso_origem__exercicio", "saldo_origem")
    search_fields = ("inciso_origem__numero",)
    list_select_related = ("inciso_origem", "acao", "grupo_despesa")
    readonly_fields = [f.name for f in Remanejamento._meta.fields]

    def has_add_permission(self, request):
        return False  # pedidos passam pelas regras do serviço, nunca pelo admin

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CategoriaImpedimento)
class CategoriaImpedimentoAdmin(admin.ModelAdmin):
    list_display = ("nome", "exercicio", "ativa")
    list_filter = ("exercicio", "ativa")
    search_fields = ("nome",)


class RegistroIndicacaoInline(admin.TabularInline):
    model = RegistroIndicacao
    extra = 0
    can_delete = False
    readonly_fields = ("momento", "usuario", "em_nome_de", "status_anterior", "status_novo", "justificativa")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicacao)
class IndicacaoAdmin(admin.ModelAdmin):
    list_display = ("numero", "exercicio", "inciso", "forma_execucao", "beneficiario", "valor", "status", "prioridade",
                    "enviada_em")
    list_filter = ("exercicio", "status", "forma_execucao", "origem_saldo", "inciso__acao__uo")
    search_fields = ("numero", "inciso__numero", "beneficiario__razao_social", "beneficiario__cnpj",
                     "inciso__emenda__parlamentar__nome")
    list_select_related = ("exercicio", "inciso", "beneficiario")
    readonly_fields = [f.name for f in Indicacao._meta.fields]
    inlines = [RegistroIndicacaoInline]

    def has_add_permission(self, request):
        return False  # indicações passam pelas regras do serviço, nunca pelo admin

    def has_delete_permission(self, request, obj=None):
        return False


class RespostaDiligenciaInline(admin.StackedInline):
    """As respostas, só leitura; dos anexos só nome, tamanho e tipo (o arquivo baixa pela tela, que confere quem)."""

    model = RespostaDiligencia
    extra = 0
    can_delete = False
    fields = readonly_fields = ("criada_em", "usuario", "texto", "anexos")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="anexos")
    def anexos(self, obj):
        return "; ".join(f"{a.nome} ({a.tamanho} bytes, {a.tipo})" for a in obj.anexos.all()) or "—"


@admin.register(Diligencia)
class DiligenciaAdmin(admin.ModelAdmin):
    """Somente leitura: a diligência abre, recebe respostas e fecha pelas telas (serviços com trava e auditoria)."""

    list_display = ("numero", "exercicio", "indicacao", "proposta", "orgao", "responsavel", "status", "aberta_em",
                    "fechada_em")
    list_filter = ("exercicio", "status", "orgao")
    search_fields = ("=numero", "=indicacao__numero", "responsavel__nome", "orgao__codigo")
    list_select_related = ("exercicio", "indicacao", "orgao", "responsavel")
    readonly_fields = [f.name for f in Diligencia._meta.fields]
    inlines = [RespostaDiligenciaInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("respostas__anexos")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegistroTransferenciaEspecialInline(admin.TabularInline):
    model = RegistroTransferenciaEspecial
    extra = 0
    can_delete = False
    fields = readonly_fields = ("momento", "usuario", "status_anterior", "status_novo", "observacao")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TransferenciaEspecial)
class TransferenciaEspecialAdmin(admin.ModelAdmin):
    """Somente leitura: o cadastro, o envio ao SIAFI e o encerramento são do órgão, pelas telas (serviços)."""

    list_display = ("indicacao", "status", "numero_resolucao", "data_publicacao", "numero_siafi", "tentativas")
    list_filter = ("status",)
    search_fields = ("=indicacao__numero", "numero_resolucao", "numero_siafi")
    list_select_related = ("indicacao",)
    readonly_fields = [f.name for f in TransferenciaEspecial._meta.fields]
    inlines = [RegistroTransferenciaEspecialInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VinculoAssessor)
class VinculoAssessorAdmin(SomenteLeitura):
    """Somente leitura: o parlamentar associa e desassocia em "Meus assessores" (serviço com auditoria e e-mail)."""

    list_display = _CAMPOS_DO_VINCULO
    list_filter = ("ativo",)
    search_fields = ("parlamentar__nome", "assessor__email", "assessor__nome")
    list_select_related = ("parlamentar", "assessor", "associado_por", "encerrado_por")
    readonly_fields = _CAMPOS_DO_VINCULO
    date_hierarchy = "desde"


class RegistroExecucaoInline(admin.TabularInline):
    model = RegistroExecucao
    extra = 0
    can_delete = False
    fields = readonly_fields = ("momento", "usuario", "fonte", "utilizado", "empenhado", "numero_empenho", "liquidado",
                                "pago", "valor_impedido", "observacao")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExecucaoIndicacao)
class ExecucaoIndicacaoAdmin(admin.ModelAdmin):
    """Somente leitura: o controle de execução muda pelos serviços (tela do órgão, planilha, instrumentos)."""

    list_display = ("indicacao", "utilizado", "empenhado", "liquidado", "pago", "valor_impedido", "automatica")
    list_filter = ("automatica",)
    search_fields = ("=indicacao__numero", "numero_empenho")
    list_select_related = ("indicacao",)
    readonly_fields = [f.name for f in ExecucaoIndicacao._meta.fields]
    inlines = [RegistroExecucaoInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# O calendário (links do .ics, lembretes, prorrogações) registra os seus admins no pacote dele.
from .calendario import admin as admin_do_calendario  # noqa: E402, F401
